import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { repoRoot } from "./paths.ts";
import { freePort } from "./ports.ts";
import { startService, waitUntilReady, type Service } from "./service.ts";

/** The chart's glibc settings (values.yaml `node.*`) and the variables they become. */
const mallocVariables = { mallocArenaMax: "MALLOC_ARENA_MAX", mallocTrimThreshold: "MALLOC_TRIM_THRESHOLD_", mallocMmapThreshold: "MALLOC_MMAP_THRESHOLD_" } as const;

/**
 * The environment the Helm chart gives the controller by default: NODE_OPTIONS derived from the
 * memory limit and the MALLOC_* variables, read from helm/s3-provider/values.yaml and computed as
 * templates/deployment.yaml does, so tests and benchmarks measure what ships.
 */
export const shippedNodeEnvironment = (): Record<string, string> => {
  const values = parse(readFileSync(join(repoRoot, "helm/s3-provider/values.yaml"), "utf8")) as {
    resources?: { limits?: { memory?: string | number } };
    node: { heapPercentOfLimit: number; semiSpaceMB: number; mallocArenaMax?: number; mallocTrimThreshold?: number; mallocMmapThreshold?: number; extraOptions?: string };
  };
  const memory = String(values.resources?.limits?.memory ?? "");
  const units: ReadonlyArray<readonly [string, (n: number) => number]> = [
    ["Gi", (n) => n * 1024],
    ["Mi", (n) => n],
    ["G", (n) => Math.floor((n * 1e9) / 1048576)],
    ["M", (n) => Math.floor((n * 1e6) / 1048576)],
    ["", (n) => Math.floor(n / 1048576)],
  ];
  const unit = units.find(([suffix]) => memory !== "" && new RegExp(`^\\d+${suffix}$`).test(memory));
  const limitMB = unit === undefined ? 0 : unit[1](parseInt(memory, 10));
  const options = [
    `--max-semi-space-size=${values.node.semiSpaceMB}`,
    ...(limitMB > 0 ? [`--max-old-space-size=${Math.floor((limitMB * values.node.heapPercentOfLimit) / 100)}`] : []),
    ...(values.node.extraOptions ? [values.node.extraOptions] : []),
  ];
  // The chart sets each of these only when its value is not 0, as deployment.yaml does.
  const malloc = Object.entries(mallocVariables).flatMap(([value, variable]) => {
    const setting = values.node[value as keyof typeof mallocVariables];
    return setting ? [[variable, String(setting)] as const] : [];
  });
  return { NODE_OPTIONS: options.join(" "), ...Object.fromEntries(malloc) };
};

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
 * Starts the real controller as a separate process against a kubeconfig, with Node 24 and the
 * chart's Node settings (`shippedNodeEnvironment`; `env` overrides them), and waits until
 * /healthz answers. `args` add or override flags (e.g. a shorter poll interval).
 */
export const startController = async (options: {
  readonly kubeconfig: string;
  readonly logDir: string;
  readonly name?: string;
  readonly args?: ReadonlyArray<string>;
  readonly env?: Record<string, string>;
  /** Options for node itself, before the entry point (V8 flags that NODE_OPTIONS refuses). */
  readonly nodeArgs?: ReadonlyArray<string>;
}): Promise<RunningController> => {
  await ensureControllerBundle();
  const port = await freePort();
  const service = startService({
    name: options.name ?? "controller",
    command: process.execPath,
    args: [...(options.nodeArgs ?? []), controllerEntryPoint, "--kubeconfig", options.kubeconfig, "--health-port", String(port), ...(options.args ?? [])],
    logDir: options.logDir,
    cwd: repoRoot,
    env: { ...shippedNodeEnvironment(), ...options.env },
  });
  const healthUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady(service, async () => (await fetch(`${healthUrl}/healthz`)).ok, 60_000);
  return { service, healthUrl, metricsUrl: `${healthUrl}/metrics` };
};
