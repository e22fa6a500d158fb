import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "../testbed/paths.ts";

/** The examples folder. */
export const examplesDir = join(repoRoot, "examples");

const yamlFiles = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return entry.endsWith(".yaml") ? [path] : [];
    });

/**
 * The examples as one YAML stream, with `${VAR}` placeholders filled from the sandbox's
 * environment (endpoints and credentials only the running sandbox knows). Files under a
 * folder are applied in name order, so ProviderConfigs (`00-…`) come before Buckets.
 */
export const renderExamples = (env: Readonly<Record<string, string>>): string =>
  yamlFiles(examplesDir)
    .map((file) => {
      const text = readFileSync(file, "utf8").replace(/\$\{([A-Z0-9_]+)\}/g, (_match, name: string) => {
        const value = env[name];
        if (value === undefined) throw new Error(`${relative(repoRoot, file)}: \${${name}} is not set by the sandbox`);
        return value;
      });
      return `# ${relative(repoRoot, file)}\n${text.trim()}\n`;
    })
    .join("---\n");
