import { createRequire } from "node:module";
import { defineConfig, type Plugin } from "rolldown";

const nodeRequire = createRequire(import.meta.url);

/**
 * `node:http` without Node's bundled undici. An ES import of node:http reads every export of
 * the module, including the lazy getters WebSocket, CloseEvent and MessageEvent, which load
 * Node's internal undici (about 8 MB of resident memory) that the controller never uses; a
 * require() reads nothing. This serves node:http (and `http`) through require(), re-exporting
 * every other export by name.
 */
const httpWithoutUndici = (): Plugin => {
  const id = "\0node-http-without-undici";
  const http = nodeRequire("node:http") as Record<string, unknown>;
  const names = Object.keys(http).filter((name) => Object.getOwnPropertyDescriptor(http, name)?.get === undefined && /^[A-Za-z_$][\w$]*$/.test(name));
  return {
    name: "http-without-undici",
    resolveId: (source) => (source === "node:http" || source === "http" ? id : null),
    load: (loading) =>
      loading === id
        ? [
            `import { createRequire } from "node:module";`,
            `const http = createRequire(import.meta.url)("node:http");`,
            `export default http;`,
            `export const { ${names.join(", ")} } = http;`,
          ].join("\n")
        : null,
  };
};

/**
 * The shipped controller: one tree-shaken ESM file for Node (plus chunks loaded on demand, such
 * as @kubernetes/client-node for kubeconfigs the controller does not read itself).
 *
 * - Compressed but not mangled: run without --enable-source-maps (a parsed source map of the
 *   bundle costs tens of MB of heap), stack traces still name the real functions; the .map
 *   files are written for offline decoding.
 * - ASCII only: a single non-Latin-1 character makes V8 hold the whole source as UTF-16,
 *   twice its size.
 */
export default defineConfig({
  input: "src/main.ts",
  platform: "node",
  plugins: [httpWithoutUndici()],
  output: {
    dir: "dist",
    format: "esm",
    sourcemap: true,
    charset: "ascii",
    minify: { compress: true, mangle: false, codegen: { removeWhitespace: true } },
  },
});
