/**
 * Writes the CRDs to `crds/` (`npm run generate -w @cloud37/core`), or with `--check` fails
 * when the checked-in files differ from what the schemas generate.
 */
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { kinds, group } from "../kinds.ts";
import { customResourceDefinition } from "./crd.ts";
import { renderReference } from "./reference.ts";

const repoRoot = resolve(import.meta.dirname, "../../../..");
const crdsDir = join(repoRoot, "crds");

/** The file name and text of every generated file: the CRDs and the API reference. */
export const renderCrds = (): ReadonlyArray<{ readonly file: string; readonly text: string }> => [
  // The chart carries its own copy, since Helm installs CRDs only from its crds/ folder.
  ...[crdsDir, join(repoRoot, "helm", "s3-provider", "crds")].flatMap((dir) =>
    kinds.map((kind) => ({
      file: join(dir, `${group}_${kind.plural}.yaml`),
      text: `# Generated from packages/core/src/schema by \`npm run generate\`. Do not edit.\n${stringify(customResourceDefinition(kind), { lineWidth: 0 })}`,
    })),
  ),
  { file: join(repoRoot, "docs", "api-reference.md"), text: renderReference() },
];

if (import.meta.main) {
  const check = process.argv.includes("--check");
  const stale = renderCrds().filter(({ file, text }) => !existsSync(file) || readFileSync(file, "utf8") !== text);
  if (check) {
    for (const { file } of stale) console.error(`stale: ${file}`);
    if (stale.length > 0) {
      console.error("Generated files are out of date: run `npm run generate` and commit crds/ and docs/.");
      process.exit(1);
    }
  } else {
    for (const { file, text } of stale) {
      writeFileSync(file, text);
      console.log(`wrote ${file}`);
    }
  }
}
