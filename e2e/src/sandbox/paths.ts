import { join } from "node:path";
import { repoRoot } from "../testbed/paths.ts";

/** Everything the sandbox leaves on disk: kubeconfig, kubectl, env, logs, data. */
export const sandboxDir = join(repoRoot, ".sandbox");
export const pidFile = join(sandboxDir, "sandbox.pid");
export const stateFile = join(sandboxDir, "state");
export const logFile = join(sandboxDir, "sandbox.log");
