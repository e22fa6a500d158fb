import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { registerFunction, type FunctionPackage } from "./crossplaneFunction.ts";
import { kubectl } from "./kubectl.ts";
import { repoRoot } from "./paths.ts";
import { freePort } from "./ports.ts";
import { startService, waitUntilReady, type Service } from "./service.ts";
import { run } from "./toolchain.ts";

/** The Crossplane build: core, the function, the support tool, core's CRDs and the function's package. */
export interface CrossplaneTools {
  readonly dir: string;
  readonly crossplane: string;
  readonly support: string;
  readonly functionPatchAndTransform: string;
  readonly crds: string;
  readonly functionPackage: string;
  /** The pinned versions (e2e/toolchain/crossplane/versions.env). */
  readonly versions: Readonly<Record<string, string>>;
}

/** Crossplane running against a control plane, with function-patch-and-transform installed and Healthy. */
export interface Crossplane {
  readonly namespace: string;
  readonly services: ReadonlyArray<Service>;
  /** Crossplane core's /metrics (loopback). */
  readonly metricsUrl: string;
  stop(): Promise<void>;
}

const toolchainDir = join(repoRoot, "e2e/toolchain/crossplane");

const log = (line: string): void => {
  process.stderr.write(`[testbed] crossplane: ${line}\n`);
};

const readVersions = (): Record<string, string> =>
  Object.fromEntries(
    readFileSync(join(toolchainDir, "versions.env"), "utf8")
      .split("\n")
      .flatMap((line) => (/^[A-Z_]+=/.test(line) ? [line.split("=", 2) as [string, string]] : [])),
  );

let tools: Promise<CrossplaneTools> | undefined;

/** Builds Crossplane from the Go module proxy (first time about 6 minutes, with progress) or finds the cached build. */
export const ensureCrossplaneTools = (): Promise<CrossplaneTools> => {
  tools ??= run("bash", [join(toolchainDir, "build.sh")]).then((dir) => ({
    dir,
    crossplane: join(dir, "bin/crossplane"),
    support: join(dir, "bin/crossplane-support"),
    functionPatchAndTransform: join(dir, "bin/function-patch-and-transform"),
    crds: join(dir, "crds"),
    functionPackage: join(dir, "packages/function-patch-and-transform/package.yaml"),
    versions: readVersions(),
  }));
  return tools;
};

const secretYaml = (namespace: string, name: string, files: Record<string, string>): string =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace },
    type: "Opaque",
    data: Object.fromEntries(Object.entries(files).map(([key, path]) => [key, readFileSync(path).toString("base64")])),
  });

/** Runs a one-shot command as a service of the test bed (its log kept); resolves when it exited 0. */
const runToCompletion = async (options: Parameters<typeof startService>[0]): Promise<void> => {
  const service = startService(options);
  const how = await service.exited;
  if (how !== "exit code 0") throw new Error(`${options.name} failed (${how}). Log ${service.logFile}:\n${service.tail()}`);
};

/** True once something accepts TCP connections on the loopback port. */
const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

/**
 * Starts Crossplane v2 out of cluster against a control plane, as processes on loopback:
 *
 * 1. TLS material for function calls (`crossplane-support certificates`): the CA and client
 *    Secrets `crossplane core init` expects find it complete and keep it.
 * 2. `crossplane core init`: Crossplane's CRDs, webhooks off.
 * 3. A local OCI registry holding function-patch-and-transform's package, the function itself
 *    serving gRPC with mTLS on 127.0.0.1, and `crossplane core start` with the External
 *    function runtime, its metrics and health servers on 127.0.0.1 (the build binds them there).
 * 4. The Function, installed from that registry the way Crossplane installs any package; the
 *    test bed plays the External runtime's part (see crossplaneFunction.ts) until it is Healthy.
 *
 * `dir` holds the logs, TLS files and package cache. Each run must use a fresh control plane:
 * objects with Crossplane's finalizers outlive a stopped Crossplane.
 */
export const startCrossplane = async (options: { readonly kubectl: string; readonly kubeconfig: string; readonly dir: string }): Promise<Crossplane> => {
  const xp = await ensureCrossplaneTools();
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  const namespace = "crossplane-system";
  const dir = join(options.dir, "crossplane");
  const tls = join(dir, "tls");
  rmSync(dir, { recursive: true, force: true });
  // Crossplane writes unpacked packages there and does not create it.
  mkdirSync(join(dir, "xpkg-cache"), { recursive: true });
  const k = (args: ReadonlyArray<string>, input?: string) => kubectl(options.kubectl, options.kubeconfig, args, input);
  const env = { KUBECONFIG: options.kubeconfig, POD_NAMESPACE: namespace };
  const services: Array<Service> = [];
  const stop = async () => {
    await Promise.all(services.map((service) => service.stop()));
  };

  try {
    log("TLS material and Crossplane's CRDs (core init)…");
    await promisify(execFile)(xp.support, ["certificates", "--out", tls]);
    await k(["create", "namespace", namespace]).catch(() => "");
    await k(["apply", "-f", "-"], secretYaml(namespace, "crossplane-root-ca", { "tls.crt": join(tls, "ca/tls.crt"), "tls.key": join(tls, "ca/tls.key") }));
    await k(["apply", "-f", "-"], secretYaml(namespace, "crossplane-tls-client", Object.fromEntries(["ca.crt", "tls.crt", "tls.key"].map((f) => [f, join(tls, "client", f)]))));
    const initEnv = { ...env, CRDS_PATH: xp.crds, ENABLE_WEBHOOKS: "false", TLS_CA_SECRET_NAME: "crossplane-root-ca", TLS_CLIENT_SECRET_NAME: "crossplane-tls-client" };
    // The first init can fail while the API server's discovery does not list a CRD it just made yet.
    for (let attempt = 1; ; attempt++) {
      try {
        await runToCompletion({ name: `crossplane-init-${attempt}`, command: xp.crossplane, args: ["core", "init"], logDir: dir, env: initEnv });
        break;
      } catch (error) {
        if (attempt === 5) throw error;
        await sleep(2000);
      }
    }

    const fn: FunctionPackage = {
      name: "function-patch-and-transform",
      repository: "crossplane-contrib/function-patch-and-transform",
      version: xp.versions["FUNCTION_PATCH_AND_TRANSFORM_VERSION"] ?? "",
    };
    log(`local package registry, ${fn.name} and core…`);
    const addressFile = join(dir, "registry-address");
    const registry = startService({
      name: "crossplane-registry",
      command: xp.support,
      args: ["registry", "--listen", "127.0.0.1:0", "--ready-file", addressFile, "--package", `${fn.repository}:${fn.version}=${xp.functionPackage}`],
      logDir: dir,
    });
    services.push(registry);
    const functionPort = await freePort();
    const fnService = startService({
      name: fn.name,
      command: xp.functionPatchAndTransform,
      args: ["--address", `127.0.0.1:${functionPort}`],
      logDir: dir,
      env: { TLS_SERVER_CERTS_DIR: join(tls, "server") },
    });
    services.push(fnService);
    const [metricsPort, healthPort] = [await freePort(), await freePort()];
    const core = startService({
      name: "crossplane",
      command: xp.crossplane,
      args: ["core", "start"],
      logDir: dir,
      env: {
        ...env,
        PACKAGE_RUNTIME: "Function=External",
        LEADER_ELECTION: "false",
        ENABLE_WEBHOOKS: "false",
        TLS_CLIENT_CERTS_DIR: join(tls, "client"),
        XPKG_CACHE_DIR: join(dir, "xpkg-cache"),
        METRICS_PORT: String(metricsPort),
        HEALTH_PROBE_PORT: String(healthPort),
      },
    });
    services.push(core);
    await Promise.all([
      waitUntilReady(registry, async () => existsSync(addressFile)),
      waitUntilReady(fnService, () => listening(functionPort)),
      waitUntilReady(core, async () => (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).ok, 120_000),
    ]);
    log(`core ready (${elapsed()}); installing ${fn.name}…`);

    await registerFunction({
      kubectl: k,
      namespace,
      fn,
      registry: readFileSync(addressFile, "utf8").trim(),
      endpoint: `127.0.0.1:${functionPort}`,
      serverCertificate: join(tls, "server/tls.crt"),
      core,
    });
    log(`ready in ${elapsed()} (${fn.name} Healthy; logs in ${dir})`);
    return { namespace, services, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
