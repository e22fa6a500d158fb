/**
 * The controller's runtime filesystem, laid out in two directories (two image layers): the
 * runtime (glibc, libgcc, libstdc++ from pinned Debian packages, Node 24 from the npm `node`
 * package, a passwd with the `nonroot` user 65532) and the application (the bundled
 * controller). No shell, no package manager: nothing runs in the container but Node.
 * The Containerfile builds the same runtime from distroless's cc image; `image.test.ts`
 * checks that both describe the same process.
 */
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import type { RuntimeConfig } from "./oci.ts";
import { readLock, unpackDeb } from "./debian.ts";

/** The repository root (this file is packages/operator/image/runtime.ts). */
export const repoRoot = join(import.meta.dirname, "..", "..", "..");

/** Where the image puts things, and how the process runs: shared with the Containerfile's test. */
export const layout = {
  node: "/usr/local/bin/node",
  app: "/app",
  user: "65532:65532",
  home: "/home/nonroot",
} as const;

export const runtimeConfig = (version: string): RuntimeConfig => ({
  User: layout.user,
  Entrypoint: [layout.node, `${layout.app}/main.js`],
  Env: ["PATH=/usr/local/bin:/usr/bin:/bin", `HOME=${layout.home}`, "NODE_ENV=production"],
  WorkingDir: layout.app,
  Labels: {
    "org.opencontainers.image.title": "cloud37 s3-provider",
    "org.opencontainers.image.description": "Crossplane-style Kubernetes provider for S3 object storage on AWS, Wasabi, MinIO and any S3-compatible endpoint",
    "org.opencontainers.image.source": "https://github.com/cloud37/s3-provider",
    "org.opencontainers.image.licenses": "Apache-2.0",
    "org.opencontainers.image.version": version,
  },
});

/** Package files the runtime does not need: docs (but licenses), debugger helpers, iconv modules (Node has ICU). */
const unneeded = (path: string): boolean =>
  (path.startsWith("usr/share/doc/") && !path.endsWith("/copyright")) ||
  path.startsWith("usr/share/lintian") ||
  path.startsWith("usr/share/gcc") ||
  path.startsWith("usr/share/gdb") ||
  /^usr\/lib\/[^/]+\/gconv(\/|$)/.test(path);

const copyPackage = (unpacked: string, rootfs: string) => {
  cpSync(unpacked, rootfs, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => !unneeded(relative(unpacked, source)),
  });
};

/** The Node 24 binary the npm `node` package installed (its platform package's). */
export const nodeBinary = (): string => {
  const require = createRequire(join(repoRoot, "package.json"));
  const binary = join(dirname(require.resolve("node/package.json")), "bin", "node");
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run npm ci first`);
  return binary;
};

const writeFile = (rootfs: string, path: string, content: string, mode = 0o644) => {
  mkdirSync(join(rootfs, dirname(path)), { recursive: true });
  writeFileSync(join(rootfs, path), content);
  chmodSync(join(rootfs, path), mode);
};

/** Lays out the runtime layer: Debian's shared libraries, Node, users, and the few files glibc reads. */
export const assembleRuntime = async (rootfs: string, progress: (line: string) => void): Promise<void> => {
  rmSync(rootfs, { recursive: true, force: true });
  mkdirSync(rootfs, { recursive: true });
  for (const pkg of readLock(join(import.meta.dirname, "runtime-packages.json"))) copyPackage(await unpackDeb(pkg, progress), rootfs);
  writeFile(rootfs, "etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
  writeFile(rootfs, "etc/group", "root:x:0:\nnonroot:x:65532:\n");
  writeFile(rootfs, "etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
  mkdirSync(join(rootfs, layout.home), { recursive: true });
  mkdirSync(join(rootfs, "tmp"), { recursive: true });
  chmodSync(join(rootfs, "tmp"), 0o1777);
  mkdirSync(join(rootfs, dirname(layout.node)), { recursive: true });
  copyFileSync(nodeBinary(), join(rootfs, layout.node));
  chmodSync(join(rootfs, layout.node), 0o755);
  normalizeModes(rootfs);
};

/** Lays out the application layer: the bundled controller (without source maps, kept for offline decoding). */
export const assembleApp = (rootfs: string, bundle: string): void => {
  rmSync(rootfs, { recursive: true, force: true });
  const app = join(rootfs, layout.app);
  mkdirSync(app, { recursive: true });
  const files = readdirSync(bundle).filter((name) => name.endsWith(".js"));
  if (!files.includes("main.js")) throw new Error(`${bundle} holds no main.js: build the controller first (npm run build -w @cloud37/operator)`);
  for (const name of files) copyFileSync(join(bundle, name), join(app, name));
  normalizeModes(rootfs);
};

/** Modes independent of the umask and of how files were copied: 0755 directories, 0644 files unless executable. */
const normalizeModes = (root: string) => {
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      if (relative(root, path) !== "tmp") chmodSync(path, 0o755);
    } else {
      const executable = (statSync(path).mode & 0o111) !== 0;
      chmodSync(path, executable ? 0o755 : 0o644);
    }
  }
  chmodSync(root, 0o755);
};
