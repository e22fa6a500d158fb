import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./paths.ts";
import { freePort } from "./ports.ts";
import { startService, waitUntilReady, type Service } from "./service.ts";

/** The controller as it ships: one bundled, tree-shaken file (about half the memory of running the sources). */
export const controllerEntryPoint = join(repoRoot, "packages/operator/dist/main.js");

let bundle: Promise<void> | undefined;

/** Bundles the controller from the current sources, once per process, so a test never runs a stale build. */
export const ensureControllerBundle = (): Promise<void> => {
  bundle ??= promisify(execFile)("npm", ["run", "build", "--silent", "-w", "@cloud37/operator"], { cwd: repoRoot }).then(() => undefined);
  return bundle;
};

/** A running controller process and its health/metrics address. */
export interface RunningController {
  readonly service: Service;
  readonly healthUrl: string;
  readonly metricsUrl: string;
}

/**
 * Starts the real controller as a separate process against a kubeconfig, with Node 24, and
 * waits until /healthz answers. `args` add or override flags (e.g. a shorter poll interval).
 */
export const startController = async (options: {
  readonly kubeconfig: string;
  readonly logDir: string;
  readonly name?: string;
  readonly args?: ReadonlyArray<string>;
  readonly env?: Record<string, string>;
}): Promise<RunningController> => {
  await ensureControllerBundle();
  const port = await freePort();
  const service = startService({
    name: options.name ?? "controller",
    command: process.execPath,
    args: ["--enable-source-maps", controllerEntryPoint, "--kubeconfig", options.kubeconfig, "--health-port", String(port), ...(options.args ?? [])],
    logDir: options.logDir,
    cwd: repoRoot,
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  const healthUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady(service, async () => (await fetch(`${healthUrl}/healthz`)).ok, 60_000);
  return { service, healthUrl, metricsUrl: `${healthUrl}/metrics` };
};
