/**
 * `npm run bench`: how fast and how lean the controller is, on the real test bed.
 * Creates N Buckets (default 1,000) on the local MinIO and prints the time from apply to all
 * Ready, reconciles per second, S3 calls per Bucket to create and per poll in steady state,
 * Kubernetes writes per poll in steady state, and the controller's RSS; then scales to
 * --scale Buckets (default 10,000) for a memory figure. With --access-keys N (default 100; 0
 * skips), N AccessKeys on MinIO (one user, policy and key each, through the encrypted admin
 * API) are measured the same way, plus the controller's CPU per poll. Flags: --count N
 * --scale N (0 skips) --access-keys N --poll-interval 20s --concurrency 10. The controller runs with the Helm chart's Node settings
 * (NODE_OPTIONS, MALLOC_ARENA_MAX); BENCH_NODE_OPTIONS replaces NODE_OPTIONS for experiments,
 * and the report says so. First, the container image: `npm run image` twice, its compressed and
 * unpacked size, and whether both builds gave the same digest.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { CustomObjectsApi } from "@kubernetes/client-node";
import { buildImage } from "@cloud37/operator/image";
import { ensureControllerBundle, kubectl, repoRoot, startController, startTestbed } from "../testbed/index.ts";
import { shippedNodeEnvironment } from "../testbed/controller.ts";
import { scrape } from "./metrics.ts";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "1000" },
    scale: { type: "string", default: "10000" },
    "poll-interval": { type: "string", default: "20s" },
    concurrency: { type: "string", default: "10" },
    "access-keys": { type: "string", default: "100" },
  },
});
const accessKeys = Number(values["access-keys"]);
const count = Number(values.count);
const scaleTo = Number(values.scale);
const pollSeconds = Number(/^(\d+)s$/.exec(values["poll-interval"])?.[1] ?? Number.NaN);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(scaleTo) || !Number.isInteger(accessKeys) || !Number.isFinite(pollSeconds)) {
  console.error("usage: npm run bench -- [--count 1000] [--scale 10000] [--access-keys 100] [--poll-interval 20s] [--concurrency 10]");
  process.exit(2);
}

const say = (line: string): void => {
  process.stdout.write(`[bench] ${line}\n`);
};
const group = "s3.cloud37.dev";
const version = "v1alpha1";
const namespace = "bench";

const dir = mkdtempSync(join(tmpdir(), "cloud37-bench-"));
await ensureControllerBundle();
const firstImage = await buildImage({ output: join(dir, "image-1.oci.tar") });
const secondImage = await buildImage({ output: join(dir, "image-2.oci.tar") });
say(
  `image ${firstImage.reference} (linux/${firstImage.architecture}): ${(firstImage.compressedBytes / 1e6).toFixed(1)} MB compressed, ${(firstImage.uncompressedBytes / 1e6).toFixed(1)} MB unpacked; ` +
    `built in ${firstImage.seconds.toFixed(1)} s; digest ${firstImage.digest}; rebuilt: ${secondImage.digest === firstImage.digest ? "same digest (reproducible)" : `DIFFERENT digest ${secondImage.digest}`}`,
);
// The controller runs as a process here (its CPU and memory are read from /proc): no node needed.
const testbed = await startTestbed({ dir, node: false });
const kubeconfig = testbed.controlPlane.kubeconfigPath;
const k = (args: ReadonlyArray<string>, input?: string) => kubectl(testbed.tools.kubectl, kubeconfig, args, input);
let exitCode = 0;
try {
  await k(["apply", "--server-side", "-f", join(repoRoot, "crds")]);
  await k(["wait", "--for", "condition=Established", "--timeout", "60s", "-f", join(repoRoot, "crds")]);
  await k(["create", "namespace", namespace]);
  await k(["apply", "-f", "-"], `apiVersion: v1
kind: Secret
metadata: {name: minio-credentials, namespace: default}
stringData: {access-key-id: "${testbed.minio.accessKey}", secret-access-key: "${testbed.minio.secretKey}"}
---
apiVersion: ${group}/${version}
kind: ClusterProviderConfig
metadata: {name: minio}
spec: {provider: minio, endpoint: "${testbed.minio.endpoint}", credentials: {source: Secret, secretRef: {name: minio-credentials, namespace: default}}}
`);
  const override = process.env["BENCH_NODE_OPTIONS"];
  const runtime = { ...shippedNodeEnvironment(), ...(override === undefined ? {} : { NODE_OPTIONS: override }) };
  const controller = await startController({
    kubeconfig,
    logDir: dir,
    env: runtime,
    args: ["--poll-interval", values["poll-interval"], "--max-concurrent-reconciles", values.concurrency, "--log-level", process.env["BENCH_LOG_LEVEL"] ?? "warn", "--providers", "minio"],
  });
  const custom = testbed.controlPlane.kubeConfig.makeApiClient(CustomObjectsApi);
  const metrics = () => scrape(controller.metricsUrl);
  const memory = async () => {
    const snapshot = await metrics();
    const mb = (name: string) => (snapshot.sum(name) / 1024 / 1024).toFixed(0);
    return `${mb("process_resident_memory_bytes")} MB RSS (V8 heap ${mb("nodejs_heap_size_used_bytes")} MB used of ${mb("nodejs_heap_size_total_bytes")} MB)`;
  };

  /** Creates Buckets `from`..`to`-1 through the API, 20 requests at a time. */
  const createBuckets = async (from: number, to: number): Promise<void> => {
    let next = from;
    const worker = async (): Promise<void> => {
      while (next < to) {
        const index = next++;
        await custom.createNamespacedCustomObject({
          group, version, namespace, plural: "buckets",
          body: {
            apiVersion: `${group}/${version}`, kind: "Bucket",
            metadata: { name: `bench-${String(index).padStart(5, "0")}` },
            spec: { providerConfigRef: { kind: "ClusterProviderConfig", name: "minio" }, forProvider: { versioning: { status: "Enabled" }, tags: { bench: "true" } } },
          },
        });
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
  };

  const readyCount = async (plural: string): Promise<number> => {
    const list = (await custom.listNamespacedCustomObject({ group, version, namespace, plural })) as {
      items: Array<{ status?: { conditions?: Array<{ type: string; status: string }> } }>;
    };
    return list.items.filter((item) => item.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
  };

  const waitAllReady = async (total: number, timeoutSeconds: number, plural = "buckets"): Promise<number> => {
    const started = Date.now();
    let last = -1;
    for (;;) {
      const ready = await readyCount(plural);
      if (ready !== last && (ready === total || Date.now() - started > 5000)) say(`${ready}/${total} Ready after ${((Date.now() - started) / 1000).toFixed(1)}s`);
      last = ready;
      if (ready === total) return (Date.now() - started) / 1000;
      if (Date.now() - started > timeoutSeconds * 1000) throw new Error(`only ${ready}/${total} ${plural} Ready after ${timeoutSeconds}s`);
      // Listing every Bucket costs the API server ~3 KB of JSON each: poll less often as the count grows,
      // or the measurement itself takes the cores the controller is being measured on.
      await sleep(Math.max(1000, total));
    }
  };

  // Phase 1: creation.
  const before = await metrics();
  const started = Date.now();
  say(`creating ${count} Buckets…`);
  await createBuckets(0, count);
  const applySeconds = (Date.now() - started) / 1000;
  await waitAllReady(count, 600);
  const readySeconds = (Date.now() - started) / 1000;
  const afterCreate = await metrics();
  const reconciles = afterCreate.sum("s3provider_reconcile_total") - before.sum("s3provider_reconcile_total");
  const createCalls = afterCreate.sum("s3provider_external_calls_total") - before.sum("s3provider_external_calls_total");

  // Phase 2: steady state, measured over whole poll cycles after everything has settled.
  say(`settling for ${2 * pollSeconds}s, then measuring steady state over ${3 * pollSeconds}s…`);
  await sleep(2 * pollSeconds * 1000);
  const steadyStart = await metrics();
  await sleep(3 * pollSeconds * 1000);
  const steadyEnd = await metrics();
  const polls = count * 3;
  const steadyCalls = (steadyEnd.sum("s3provider_external_calls_total") - steadyStart.sum("s3provider_external_calls_total")) / polls;
  const writes = (snapshot: Awaited<ReturnType<typeof metrics>>) =>
    snapshot.sum("s3provider_kube_api_writes_total") - snapshot.sum("s3provider_kube_api_writes_total", { resource: "leases" });
  const steadyWrites = (writes(steadyEnd) - writes(steadyStart)) / polls;
  const leaseWrites = steadyEnd.sum("s3provider_kube_api_writes_total", { resource: "leases" }) - steadyStart.sum("s3provider_kube_api_writes_total", { resource: "leases" });
  const steadyReconciles = steadyEnd.sum("s3provider_reconcile_total") - steadyStart.sum("s3provider_reconcile_total");
  const memoryAtCount = await memory();

  const rows: Array<[string, string]> = [
    [`Buckets`, String(count)],
    [`apply (API create calls) took`, `${applySeconds.toFixed(1)} s`],
    [`apply → all Ready`, `${readySeconds.toFixed(1)} s`],
    [`reconciles during creation`, `${reconciles} (${(reconciles / readySeconds).toFixed(1)}/s; ${["success", "requeue", "retry", "error"].map((result) => `${result} ${afterCreate.sum("s3provider_reconcile_total", { result }) - before.sum("s3provider_reconcile_total", { result })}`).join(", ")})`],
    [`S3 calls per Bucket to create`, (createCalls / count).toFixed(2)],
    [`steady state: reconciles per Bucket per poll`, (steadyReconciles / polls).toFixed(2)],
    [`steady state: S3 calls per Bucket per poll (2 sub-resources configured)`, steadyCalls.toFixed(2)],
    [`steady state: controller CPU per poll cycle`, `${((steadyEnd.sum("process_cpu_seconds_total") - steadyStart.sum("process_cpu_seconds_total")) / 3).toFixed(2)} s of ${pollSeconds} s`],
    [`steady state: Kubernetes writes per Bucket per poll`, `${steadyWrites.toFixed(3)} (+ ${leaseWrites} leader-election Lease renewals in ${3 * pollSeconds}s)`],
    [`controller memory at ${count} Buckets`, memoryAtCount],
    [
      `controller runtime`,
      `${Object.entries(runtime).map(([name, value]) => `${name}="${value}"`).join(" ")} (${override === undefined ? "as the Helm chart ships" : "BENCH_NODE_OPTIONS, not what ships"})`,
    ],
  ];

  const print = (): void => {
    const width = Math.max(...rows.map(([label]) => label.length));
    process.stdout.write(`\ncloud37 s3-provider benchmark (${new Date().toISOString()}, poll ${values["poll-interval"]}, ${values.concurrency} workers, local MinIO)\n`);
    for (const [label, value] of rows) process.stdout.write(`  ${label.padEnd(width)}  ${value}\n`);
  };
  print();
  if (accessKeys > 0) {
    say(`creating ${accessKeys} AccessKeys (ReadOnly on bench-00000)…`);
    const keysBefore = await metrics();
    const keysStarted = Date.now();
    await Promise.all(
      Array.from({ length: accessKeys }, (_, index) =>
        custom.createNamespacedCustomObject({
          group, version, namespace, plural: "accesskeys",
          body: {
            apiVersion: `${group}/${version}`, kind: "AccessKey",
            metadata: { name: `bench-key-${String(index).padStart(4, "0")}` },
            spec: {
              providerConfigRef: { kind: "ClusterProviderConfig", name: "minio" },
              forProvider: { buckets: [{ bucketName: "bench-00000", access: "ReadOnly" }] },
              writeConnectionSecretToRef: { name: `bench-key-${String(index).padStart(4, "0")}-s3` },
            },
          },
        }),
      ),
    );
    await waitAllReady(accessKeys, 1800, "accesskeys");
    const keysReady = (Date.now() - keysStarted) / 1000;
    const keysCreated = await metrics();
    const identityCalls = (snapshot: Awaited<ReturnType<typeof metrics>>) =>
      ["GetUserInfo", "AddUser", "AddCannedPolicy", "InfoCannedPolicy", "AttachPolicy", "ListServiceAccounts", "AddServiceAccount", "DeleteServiceAccount"].reduce(
        (total, operation) => total + snapshot.sum("s3provider_external_calls_total", { operation }),
        0,
      );
    say(`settling for ${2 * pollSeconds}s, then measuring AccessKeys and Buckets together over ${3 * pollSeconds}s…`);
    await sleep(2 * pollSeconds * 1000);
    const keysSteadyStart = await metrics();
    await sleep(3 * pollSeconds * 1000);
    const keysSteadyEnd = await metrics();
    const keyPolls = accessKeys * 3;
    const cpu = (snapshot: Awaited<ReturnType<typeof metrics>>) => snapshot.sum("process_cpu_seconds_total");
    rows.push(
      [`AccessKeys (MinIO)`, String(accessKeys)],
      [`apply → all AccessKeys Ready`, `${keysReady.toFixed(1)} s`],
      [`admin API calls per AccessKey to create`, ((identityCalls(keysCreated) - identityCalls(keysBefore)) / accessKeys).toFixed(2)],
      [`steady state: admin API calls per AccessKey per poll`, ((identityCalls(keysSteadyEnd) - identityCalls(keysSteadyStart)) / keyPolls).toFixed(2)],
      [
        `steady state: controller CPU per poll cycle (${count} Buckets + ${accessKeys} AccessKeys)`,
        `${((cpu(keysSteadyEnd) - cpu(keysSteadyStart)) / 3).toFixed(2)} s of ${pollSeconds} s`,
      ],
      [`controller memory with ${count} Buckets and ${accessKeys} AccessKeys`, await memory()],
    );
    print();
  }
  if (scaleTo > count) {
    say(`scaling to ${scaleTo} Buckets for the memory figure…`);
    await createBuckets(count, scaleTo);
    const scaleSeconds = await waitAllReady(scaleTo, 3600);
    await sleep(2 * pollSeconds * 1000);
    rows.push([`controller memory at ${scaleTo} Buckets`, `${await memory()} (all Ready after ${scaleSeconds.toFixed(0)} s)`]);
    print();
  }
  await controller.service.stop();
} catch (error) {
  process.stderr.write(`[bench] failed: ${(error as Error).message}\n`);
  exitCode = 1;
} finally {
  await testbed.stop();
}
process.exit(exitCode);
