/**
 * Debian packages as build inputs: each pinned by name, version and sha256, fetched once with
 * `apt-get download` (the machine's own apt sources, nothing else), checked, and unpacked with
 * `dpkg -x` into a cache directory outside the work tree. Nothing is installed on the machine.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileDigest } from "./oci.ts";

const run = promisify(execFile);

/** One pinned package. */
export interface DebianPackage {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  readonly sha256: string;
}

/** Where slow builds are cached (the same root as the test bed's tools). */
export const cacheRoot = process.env["CLOUD37_CACHE"] ?? join(homedir(), ".cache", "cloud37-s3-provider");

/** Reads a lock file: a JSON list of packages. */
export const readLock = (path: string): ReadonlyArray<DebianPackage> => JSON.parse(readFileSync(path, "utf8")) as ReadonlyArray<DebianPackage>;

const debFile = (pkg: DebianPackage) => `${pkg.name}_${pkg.version.replace(/^\d+:/, "")}_${pkg.architecture}.deb`;

let listsRefreshed = false;

/** Downloads the .deb unless cached, and checks its sha256 against the pin. */
export const fetchDeb = async (pkg: DebianPackage, progress: (line: string) => void = () => undefined): Promise<string> => {
  const dir = join(cacheRoot, "debian");
  const path = join(dir, debFile(pkg));
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const staging = mkdtempSync(join(dir, ".download-"));
    try {
      progress(`downloading ${pkg.name} ${pkg.version} from the machine's Debian sources…`);
      const download = () => run("apt-get", ["download", `${pkg.name}:${pkg.architecture}=${pkg.version}`], { cwd: staging });
      await download().catch(async (error: { stderr?: string }) => {
        // A fresh machine may have no package lists yet.
        if (listsRefreshed || !/Unable to locate|Can't select|has no installation candidate/.test(error.stderr ?? "")) throw error;
        listsRefreshed = true;
        progress("refreshing the apt package lists (apt-get update)…");
        await run("apt-get", ["update", "-qq"]);
        await download();
      }).catch((error: { stderr?: string; message: string }) => {
        throw new Error(`apt-get download ${pkg.name}=${pkg.version} failed: ${error.stderr?.trim() || error.message}. If Debian no longer serves this version, update the pin (name, version, sha256).`);
      });
      const [downloaded] = readdirSync(staging).filter((name) => name.endsWith(".deb"));
      if (downloaded === undefined) throw new Error(`apt-get download ${pkg.name}=${pkg.version} wrote no .deb`);
      renameSync(join(staging, downloaded), path);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const digest = await fileDigest(path);
  if (digest !== `sha256:${pkg.sha256}`) {
    rmSync(path, { force: true });
    throw new Error(`${debFile(pkg)} has ${digest}, but the pin says sha256:${pkg.sha256}; the download was removed`);
  }
  return path;
};

/** The package unpacked (`dpkg -x`) into its own cached directory; returns that directory. */
export const unpackDeb = async (pkg: DebianPackage, progress?: (line: string) => void): Promise<string> => {
  const root = join(cacheRoot, "debian", "unpacked", `${pkg.name}_${pkg.version}_${pkg.architecture}_${pkg.sha256.slice(0, 12)}`);
  if (existsSync(root)) return root;
  const deb = await fetchDeb(pkg, progress);
  const staging = `${root}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await run("dpkg", ["-x", deb, staging]);
  renameSync(staging, root);
  return root;
};
