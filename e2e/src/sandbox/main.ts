/**
 * `npm run sandbox`: the local sandbox. Builds what is missing, starts the control plane, a
 * node, MinIO and moto, installs the CRDs, builds the controller's image and installs the Helm
 * chart from helm/ (the controller runs as the chart's pod, as on a user's cluster), applies
 * examples/ and shows each resource converge. Ctrl-C stops it. `-- --detach` returns once it is
 * up and leaves it running (`npm run sandbox:down` stops it). `-- --process` runs the controller
 * as a plain process instead (no node, no image: the fast path while changing the controller).
 * `-- --crossplane` adds Crossplane and examples/crossplane/.
 */
import { spawn } from "node:child_process";
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { installChart, isAlive, kubectl, repoRoot, startController, startTestbed, type Crossplane, type RunningController, type Testbed } from "../testbed/index.ts";
import { startSandboxCrossplane } from "./crossplane.ts";
import { renderExamples } from "./examples.ts";
import { logFile, pidFile, sandboxDir, stateFile } from "./paths.ts";

const say = (line: string): void => {
  process.stdout.write(`[sandbox] ${line}\n`);
};

const runningSandboxPid = (): number | undefined => {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, "utf8"));
  return Number.isInteger(pid) && isAlive(pid) ? pid : undefined;
};

/** Shows `kubectl get` of every cloud37 kind whenever it changes, until all managed resources are Ready and Synced. */
const watchConvergence = async (testbed: Testbed, kubeconfig: string, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  let shown = "";
  while (Date.now() < deadline) {
    const table = await kubectl(testbed.tools.kubectl, kubeconfig, ["get", "cloud37", "-A"]).catch((error: Error) => error.message);
    if (table !== shown) {
      process.stdout.write(`\n${table}`);
      shown = table;
    }
    const conditions = await kubectl(testbed.tools.kubectl, kubeconfig, [
      "get", "managed", "-A", "-o",
      "jsonpath={range .items[*]}{.status.conditions[?(@.type=='Ready')].status}/{.status.conditions[?(@.type=='Synced')].status}{'\\n'}{end}",
    ]).catch(() => "");
    const rows = conditions.trim().split("\n").filter((row) => row !== "");
    if (rows.length > 0 && rows.every((row) => row === "True/True")) return true;
    await sleep(1000);
  }
  return false;
};

/** The namespace and Helm release of the controller. */
const namespace = "cloud37-system";
const release = "s3-provider";

const serve = async (asProcess: boolean): Promise<void> => {
  const started = Date.now();
  mkdirSync(sandboxDir, { recursive: true });
  writeFileSync(pidFile, String(process.pid));
  writeFileSync(stateFile, "starting");
  let testbed: Testbed | undefined;
  let controller: RunningController | undefined;
  let crossplane: Crossplane | undefined;
  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      say("stopping…");
      await crossplane?.stop();
      await controller?.service.stop();
      await testbed?.stop();
      rmSync(pidFile, { force: true });
      writeFileSync(stateFile, "stopped");
      say("stopped");
    }
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  try {
    testbed = await startTestbed({ dir: join(sandboxDir, "run"), node: !asProcess });
    const kubeconfig = join(sandboxDir, "kubeconfig");
    copyFileSync(testbed.controlPlane.kubeconfigPath, kubeconfig);
    mkdirSync(join(sandboxDir, "bin"), { recursive: true });
    for (const tool of ["kubectl", "helm"] as const) {
      const link = join(sandboxDir, "bin", tool);
      rmSync(link, { force: true });
      symlinkSync(testbed.tools[tool], link);
    }
    writeFileSync(join(sandboxDir, "env"), `${readFileSync(join(testbed.dir, "env"), "utf8").replace(/^export KUBECONFIG=.*$/m, `export KUBECONFIG='${kubeconfig}'`)}`, { mode: 0o600 });

    say("installing the CRDs…");
    await kubectl(testbed.tools.kubectl, kubeconfig, ["apply", "--server-side", "-f", join(repoRoot, "crds")]);
    await kubectl(testbed.tools.kubectl, kubeconfig, ["wait", "--for", "condition=Established", "--timeout", "60s", "-f", join(repoRoot, "crds")]);
    // Pod Security "restricted", enforced: the chart's pod must pass it, as it should on any cluster.
    await kubectl(testbed.tools.kubectl, kubeconfig, ["create", "namespace", namespace]).catch(() => "");
    await kubectl(testbed.tools.kubectl, kubeconfig, ["label", "--overwrite", "namespace", namespace, "pod-security.kubernetes.io/enforce=restricted"]);

    if (asProcess || testbed.node === undefined) {
      say("building and starting the controller as a process (--process)…");
      controller = await startController({ kubeconfig, logDir: sandboxDir, args: ["--poll-interval", "30s", "--leader-election-namespace", namespace] });
      say(`controller running (metrics ${controller.metricsUrl}, log ${relative(repoRoot, controller.service.logFile)})`);
    } else {
      say(`building the controller's image and installing the chart (helm upgrade --install ${release} helm/s3-provider -n ${namespace})…`);
      const image = await installChart({
        tools: testbed.tools,
        controlPlane: testbed.controlPlane,
        node: testbed.node,
        dir: testbed.dir,
        release,
        namespace,
        values: { controller: { pollInterval: "30s" } },
      });
      say(`controller running as the chart's pod (${image.repository}@${image.digest}); logs: kubectl logs -n ${namespace} deploy/${release}`);
    }

    say("applying examples/…");
    process.stdout.write(await kubectl(testbed.tools.kubectl, kubeconfig, ["apply", "-f", "-"], renderExamples(testbed.env)));
    const converged = await watchConvergence(testbed, kubeconfig, 180_000);
    say(converged ? `all managed resources are Ready and Synced (${Math.round((Date.now() - started) / 1000)}s)` : "not everything converged yet: see the conditions above (kubectl describe) and the controller log");
    if (process.argv.includes("--crossplane")) crossplane = await startSandboxCrossplane(testbed, kubeconfig);
    writeFileSync(stateFile, "ready");
    const here = relative(process.cwd(), sandboxDir) || ".";
    say(`the sandbox is up:
    export KUBECONFIG=${kubeconfig}
    ${here}/bin/kubectl get managed           # Buckets and their READY / SYNCED
    ${here}/bin/kubectl get cloud37 -A        # every kind, ProviderConfigs too${controller === undefined ? `
    ${here}/bin/kubectl get pods -n ${namespace} -o wide   # the controller's pod on the node
    ${here}/bin/helm list -n ${namespace}                 # its Helm release` : ""}
    source ${here}/env                        # MINIO_ENDPOINT, MINIO_ACCESS_KEY, MOTO_ENDPOINT, … for the aws CLI or SDKs
  logs: ${here}/*.log and ${here}/run/*.log
  stop: Ctrl-C here, or \`npm run sandbox:down\` when detached`);
    await new Promise(() => undefined);
  } catch (error) {
    writeFileSync(stateFile, `failed: ${(error as Error).message}`);
    process.stderr.write(`[sandbox] failed: ${(error as Error).stack ?? String(error)}\n`);
    await stop(1);
  }
};

/** Starts a detached sandbox, shows its progress, and returns once it is ready. */
const detach = async (): Promise<void> => {
  mkdirSync(sandboxDir, { recursive: true });
  writeFileSync(stateFile, "starting");
  writeFileSync(logFile, "");
  const fd = openSync(logFile, "a");
  const passed = ["--process", "--crossplane"].filter((flag) => process.argv.includes(flag));
  const child = spawn(process.execPath, [import.meta.filename, "--serve", ...passed], { detached: true, stdio: ["ignore", fd, fd], cwd: repoRoot });
  closeSync(fd);
  child.unref();
  let shown = 0;
  for (;;) {
    await sleep(500);
    const log = readFileSync(logFile, "utf8");
    process.stdout.write(log.slice(shown));
    shown = log.length;
    const state = readFileSync(stateFile, "utf8");
    if (state === "ready") {
      say(`detached (pid ${String(child.pid)}); \`npm run sandbox:down\` stops it`);
      return;
    }
    if (state.startsWith("failed") || state === "stopped" || (child.pid !== undefined && !isAlive(child.pid) && statSync(logFile).size === shown)) {
      process.stderr.write(`[sandbox] the sandbox did not start: ${state}\n`);
      process.exit(1);
    }
  }
};

const running = runningSandboxPid();
if (running !== undefined) {
  say(`a sandbox is already running (pid ${running}); \`npm run sandbox:down\` stops it`);
  process.exit(1);
}
if (process.argv.includes("--detach")) await detach();
else await serve(process.argv.includes("--process"));
