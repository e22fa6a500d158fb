import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** The repository's root folder. */
export const repoRoot = resolve(import.meta.dirname, "../../..");

/**
 * Where slow builds are cached: outside the work tree so a fresh clone reuses them,
 * keyed by version inside, so two checkouts at different pins never collide.
 */
export const cacheDir = process.env["CLOUD37_CACHE"] ?? join(homedir(), ".cache", "cloud37-s3-provider");
