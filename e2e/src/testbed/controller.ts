import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./paths.ts";
import { freePort } from "./ports.ts";
import { startService, waitUntilReady, type Service } from "./service.ts";

/** The controller's entry point (controller + providers composed). */
export const controllerEntryPoint = join(repoRoot, "packages/operator/src/main.ts");

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
  if (!existsSync(controllerEntryPoint)) throw new Error(`no controller entry point at ${controllerEntryPoint}`);
  const port = await freePort();
  const service = startService({
    name: options.name ?? "controller",
    command: process.execPath,
    args: [controllerEntryPoint, "--kubeconfig", options.kubeconfig, "--health-port", String(port), ...(options.args ?? [])],
    logDir: options.logDir,
    cwd: repoRoot,
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  const healthUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady(service, async () => (await fetch(`${healthUrl}/healthz`)).ok, 60_000);
  return { service, healthUrl, metricsUrl: `${healthUrl}/metrics` };
};
