import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "../testbed/paths.ts";

/** The examples folder. */
export const examplesDir = join(repoRoot, "examples");

/** The Crossplane examples (an XRD, its Composition, an XR): applied only with `--crossplane`. */
export const crossplaneExamplesDir = join(examplesDir, "crossplane");

const yamlFiles = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (path === crossplaneExamplesDir) return [];
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return entry.endsWith(".yaml") ? [path] : [];
    });

/**
 * The examples as one YAML stream, with `${VAR}` placeholders filled from the sandbox's
 * environment (endpoints and credentials only the running sandbox knows). Files under a
 * folder are applied in name order, so ProviderConfigs (`00-…`) come before Buckets.
 * examples/crossplane/ is left out unless it is `dir`: it needs Crossplane (`--crossplane`).
 */
export const renderExamples = (env: Readonly<Record<string, string>>, dir: string = examplesDir): string =>
  yamlFiles(dir)
    .map((file) => {
      const text = readFileSync(file, "utf8").replace(/\$\{([A-Z0-9_]+)\}/g, (_match, name: string) => {
        const value = env[name];
        if (value === undefined) throw new Error(`${relative(repoRoot, file)}: \${${name}} is not set by the sandbox`);
        return value;
      });
      return `# ${relative(repoRoot, file)}\n${text.trim()}\n`;
    })
    .join("---\n");
