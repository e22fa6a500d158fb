/**
 * `npm run bench`: how fast and how lean the controller is, on the real test bed, beside what
 * the S3 calls alone cost. Per workload (a plain bucket; one with versioning, encryption,
 * lifecycle and tags), a raw loop with the AWS SDK first makes N buckets with exactly the calls
 * they need at the same concurrency, then the controller makes N Buckets of that workload from
 * apply to all Ready, and one line compares them:
 *   bench: N Buckets (WORKLOAD): all Ready in S s; raw SDK loop S s; ratio X.XX
 * with, per workload, S3 calls and Kubernetes writes per Bucket to create, and in steady state
 * per poll: S3 calls, Kubernetes writes, controller CPU and RSS. The Buckets are deleted after
 * each workload (the deletion time is a figure too). Then a scale series (plain Buckets at
 * --scale-steps, default 100,1000,5000,10000: time to Ready of each step and RSS), and a full
 * resync after a controller restart at the largest step. With --access-keys N (default 0),
 * N AccessKeys on MinIO are measured too; with --policies N (default 0), N Buckets each with a
 * BucketPolicy that names it by bucketRef (what a Composition of the two makes), from apply to
 * every policy Ready. Flags: --count N --workloads plain,configured --scale-steps LIST ("" skips)
 * --access-keys N --policies N --poll-interval 20s --concurrency 10. The controller runs with the Helm
 * chart's Node settings (NODE_OPTIONS, MALLOC_*); for experiments BENCH_NODE_OPTIONS replaces
 * NODE_OPTIONS, BENCH_NODE_ARGS adds flags to node's command line, MALLOC_* variables of the
 * shell reach the controller, and the report says so. First, the container image: `npm run
 * image` twice, its compressed and unpacked size, and whether both builds gave the same digest.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { S3Client } from "@aws-sdk/client-s3";
import { buildImage } from "@cloud37/operator/image";
import { ensureControllerBundle, kubectl, repoRoot, startController, startTestbed } from "../testbed/index.ts";
import { shippedNodeEnvironment } from "../testbed/controller.ts";
import { machineBusySeconds, ownCpuSeconds, processCpuSeconds } from "./cpu.ts";
import { benchKubeClient } from "./kubeClient.ts";
import { scrape, type MetricsSnapshot } from "./metrics.ts";
import { configured, plain, rawLoop, type Workload } from "./workloads.ts";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "1000" },
    "scale-steps": { type: "string", default: "100,1000,5000,10000" },
    "poll-interval": { type: "string", default: "20s" },
    concurrency: { type: "string", default: "10" },
    "access-keys": { type: "string", default: "0" },
    policies: { type: "string", default: "0" },
    workloads: { type: "string", default: "plain,configured" },
  },
});
const accessKeys = Number(values["access-keys"]);
const policies = Number(values.policies);
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const scaleSteps = values["scale-steps"] === "" ? [] : values["scale-steps"].split(",").map(Number);
const pollSeconds = Number(/^(\d+)s$/.exec(values["poll-interval"])?.[1] ?? Number.NaN);
if (
  !Number.isInteger(count) || count < 1 || !Number.isInteger(accessKeys) || !Number.isInteger(policies) || !Number.isInteger(concurrency) || !Number.isFinite(pollSeconds) ||
  scaleSteps.some((step, index) => !Number.isInteger(step) || step < 1 || (index > 0 && step <= scaleSteps[index - 1]!))
) {
  console.error("usage: npm run bench -- [--count 1000] [--scale-steps 100,1000,5000,10000] [--access-keys 0] [--policies 0] [--poll-interval 20s] [--concurrency 10]");
  process.exit(2);
}

const say = (line: string): void => {
  process.stdout.write(`[bench] ${line}\n`);
};
const group = "s3.cloud37.dev";
const version = "v1alpha1";
const gvkOf = (kind: string) => `${group}/${version}, Kind=${kind}`;
const bucketGvk = gvkOf("Bucket");

const dir = mkdtempSync(join(tmpdir(), "cloud37-bench-"));
await ensureControllerBundle();
const firstImage = await buildImage({ output: join(dir, "image-1.oci.tar") });
const secondImage = await buildImage({ output: join(dir, "image-2.oci.tar") });
const imageLine =
  `image ${firstImage.reference} (linux/${firstImage.architecture}): ${(firstImage.compressedBytes / 1e6).toFixed(1)} MB compressed, ${(firstImage.uncompressedBytes / 1e6).toFixed(1)} MB unpacked; ` +
  `built in ${firstImage.seconds.toFixed(1)} s; digest ${firstImage.digest}; rebuilt: ${secondImage.digest === firstImage.digest ? "same digest (reproducible)" : `DIFFERENT digest ${secondImage.digest}`}`;
say(imageLine);
// The controller runs as a process here (its CPU and memory are read from /proc): no node needed.
const testbed = await startTestbed({ dir, node: false });
const kubeconfig = testbed.controlPlane.kubeconfigPath;
const k = (args: ReadonlyArray<string>, input?: string) => kubectl(testbed.tools.kubectl, kubeconfig, args, input);
const api = await benchKubeClient(testbed.controlPlane.kubeConfig);
/** The API path of a collection of this group's objects, in a namespace or cluster-wide. */
const collection = (plural: string, namespace?: string) => `/apis/${group}/${version}${namespace === undefined ? "" : `/namespaces/${namespace}`}/${plural}`;
const s3 = new S3Client({
  endpoint: testbed.minio.endpoint,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId: testbed.minio.accessKey, secretAccessKey: testbed.minio.secretKey },
});
const lines: Array<string> = [];
const rows: Array<[string, string]> = [];
const print = (): void => {
  const width = Math.max(...rows.map(([label]) => label.length));
  process.stdout.write(`\ncloud37 s3-provider benchmark (${new Date().toISOString()}, poll ${values["poll-interval"]}, ${concurrency} workers, local MinIO, ${availableParallelism()} cores)\n`);
  const experiment = override !== undefined || nodeArgs.length > 0 || Object.keys(process.env).some((name) => name.startsWith("MALLOC_") && !(name in runtime));
  const malloc = Object.entries({ ...process.env, ...runtime }).filter(([name]) => name.startsWith("MALLOC_")).map(([name, value]) => `${name}=${value}`);
  process.stdout.write(`  controller Node settings${experiment ? " (EXPERIMENT, not the chart's)" : " (the chart's)"}: NODE_OPTIONS="${runtime.NODE_OPTIONS}" ${malloc.join(" ")}${nodeArgs.length > 0 ? ` node ${nodeArgs.join(" ")}` : ""}\n`);
  process.stdout.write(`  ${imageLine}\n`);
  for (const line of lines) process.stdout.write(`${line}\n`);
  for (const [label, value] of rows) process.stdout.write(`  ${label.padEnd(width)}  ${value}\n`);
};

const override = process.env["BENCH_NODE_OPTIONS"];
const runtime = { ...shippedNodeEnvironment(), ...(override === undefined ? {} : { NODE_OPTIONS: override }) };
const nodeArgs = (process.env["BENCH_NODE_ARGS"] ?? "").split(" ").filter((arg) => arg !== "");
const start = (name: string) =>
  startController({
    kubeconfig,
    logDir: dir,
    name,
    env: runtime,
    nodeArgs,
    args: ["--poll-interval", values["poll-interval"], "--max-concurrent-reconciles", String(concurrency), "--log-level", process.env["BENCH_LOG_LEVEL"] ?? "warn", "--providers", "minio"],
  });

let exitCode = 0;
try {
  await k(["apply", "--server-side", "-f", join(repoRoot, "crds")]);
  await k(["wait", "--for", "condition=Established", "--timeout", "60s", "-f", join(repoRoot, "crds")]);
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
  let controller = await start("controller");
  const metrics = () => scrape(controller.metricsUrl);
  const mb = (snapshot: MetricsSnapshot, name: string) => (snapshot.sum(name) / 1024 / 1024).toFixed(0);
  /**
   * RSS split as the kernel counts it: anonymous memory (the process's own: heap, code, buffers)
   * and file pages (the mapped Node binary's text, reclaimable and shared with other Node processes).
   */
  const rssSplit = (): string => {
    const status = readFileSync(`/proc/${controller.service.pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
    return `${(kb("RssAnon") / 1024).toFixed(0)} MB anonymous + ${(kb("RssFile") / 1024).toFixed(0)} MB file pages`;
  };
  const memoryOf = (snapshot: MetricsSnapshot) =>
    `${mb(snapshot, "process_resident_memory_bytes")} MB RSS = ${rssSplit()} (V8 heap ${mb(snapshot, "nodejs_heap_size_used_bytes")} MB used of ${mb(snapshot, "nodejs_heap_size_total_bytes")} MB)`;
  /** The controller's writes so far to one resource of the API (e.g. "events", "buckets/status"). */
  const writesTo = (snapshot: MetricsSnapshot, resource: string) => snapshot.sum("s3provider_kube_api_writes_total", { resource });
  const objectWrites = (snapshot: MetricsSnapshot, plural: string) => writesTo(snapshot, plural) + writesTo(snapshot, `${plural}/status`);
  const cpu = (snapshot: MetricsSnapshot) => snapshot.sum("process_cpu_seconds_total");
  /** CPU seconds used so far by each part of the machine (the controller is read from its metrics). */
  const cpuByPart = () => ({
    machine: machineBusySeconds(),
    apiServer: processCpuSeconds(testbed.controlPlane.service.pid),
    minio: processCpuSeconds(testbed.minio.service.pid),
    bench: ownCpuSeconds(),
  });
  const calls = (snapshot: MetricsSnapshot) => snapshot.sum("s3provider_external_calls_total");
  /**
   * Reads of a bucket's state (Get*): the observes of Buckets already made. Making one reads
   * nothing but HeadBucket (it is not there yet); a run longer than the poll interval also
   * polls the first Buckets made, and those reads are not the cost of making them.
   */
  const polls = (snapshot: MetricsSnapshot) => snapshot.sum("s3provider_external_calls_total", (labels) => labels["operation"]?.startsWith("Get") ?? false);

  /** Runs `create` for each index `from`..`to`-1, `workers` at a time. */
  const createEach = async (from: number, to: number, workers: number, create: (index: number) => Promise<unknown>): Promise<void> => {
    let next = from;
    const worker = async (): Promise<void> => {
      while (next < to) await create(next++);
    };
    await Promise.all(Array.from({ length: workers }, worker));
  };
  /** The name of Bucket `index` of a namespace (its BucketPolicy, if any, has the same). */
  const bucketName = (namespace: string, index: number) => `${namespace}-${String(index).padStart(5, "0")}`;

  /** Creates Buckets `from`..`to`-1 of a workload in a namespace through the API, 20 requests at a time. */
  const createBuckets = (namespace: string, workload: Workload, from: number, to: number): Promise<void> =>
    createEach(from, to, 20, (index) =>
      api.create(collection("buckets", namespace), {
        apiVersion: `${group}/${version}`, kind: "Bucket",
        metadata: { name: bucketName(namespace, index) },
        spec: { providerConfigRef: { kind: "ClusterProviderConfig", name: "minio" }, forProvider: workload.forProvider },
      }),
    );

  /**
   * Waits until the controller reports `total` Buckets Ready (its crossplane_managed_resource_ready
   * gauge, read from its cache: cheap to poll), then confirms it with one list from the API server.
   */
  const waitReady = async (namespace: string | undefined, total: number, timeoutSeconds: number, plural = "buckets", gvk = bucketGvk): Promise<number> => {
    const started = Date.now();
    let lastReport = started;
    for (;;) {
      const ready = (await metrics()).sum("crossplane_managed_resource_ready", { gvk });
      if (ready >= total) break;
      if (Date.now() - lastReport > 10_000) {
        say(`${ready}/${total} Ready after ${((Date.now() - started) / 1000).toFixed(0)} s`);
        lastReport = Date.now();
      }
      if (Date.now() - started > timeoutSeconds * 1000) throw new Error(`only ${ready}/${total} ${plural} Ready after ${timeoutSeconds}s`);
      await sleep(200);
    }
    const seconds = (Date.now() - started) / 1000;
    const items = await api.list<{ status?: { conditions?: Array<{ type: string; status: string }> } }>(collection(plural, namespace));
    const confirmed = items.filter((item) => item.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
    if (confirmed < total) throw new Error(`the controller counted ${total} Ready, the API server shows ${confirmed}`);
    return seconds;
  };

  /** Deletes every Bucket of a namespace and waits until they are gone; seconds taken. */
  const deleteAll = async (namespace: string): Promise<number> => {
    const started = Date.now();
    await api.deleteCollection(collection("buckets", namespace));
    for (;;) {
      const left = (await api.list(collection("buckets", namespace))).length;
      if (left === 0) return (Date.now() - started) / 1000;
      if (Date.now() - started > 600_000) throw new Error(`${left} Buckets in ${namespace} not deleted after 600 s`);
      await sleep(1000);
    }
  };

  /** Steady state over 3 poll intervals after 2 to settle: per Bucket per poll, and per 60 s. */
  const steadyState = async (buckets: number) => {
    say(`settling for ${2 * pollSeconds} s, then measuring steady state over ${3 * pollSeconds} s…`);
    await sleep(2 * pollSeconds * 1000);
    const from = await metrics();
    await sleep(3 * pollSeconds * 1000);
    const to = await metrics();
    const polls = buckets * 3;
    const leases = writesTo(to, "leases") - writesTo(from, "leases");
    const allWrites = (snapshot: MetricsSnapshot) => snapshot.sum("s3provider_kube_api_writes_total") - writesTo(snapshot, "leases");
    return {
      reconciles: (to.sum("s3provider_reconcile_total") - from.sum("s3provider_reconcile_total")) / polls,
      calls: (calls(to) - calls(from)) / polls,
      writes: (allWrites(to) - allWrites(from)) / polls,
      leases,
      cpuPer60s: ((cpu(to) - cpu(from)) / (3 * pollSeconds)) * 60,
      memory: memoryOf(to),
    };
  };

  /** One workload: the raw loop, then the controller, then steady state, then deletion. */
  const measureWorkload = async (workload: Workload, namespace: string) => {
    say(`${workload.name}: raw SDK loop, ${count} buckets at concurrency ${concurrency}…`);
    const raw = await rawLoop(s3, workload, `raw-${namespace}`, count, concurrency);
    await k(["create", "namespace", namespace]);
    const before = await metrics();
    const partsBefore = cpuByPart();
    const started = Date.now();
    say(`${workload.name}: creating ${count} Buckets…`);
    await createBuckets(namespace, workload, 0, count);
    const applySeconds = (Date.now() - started) / 1000;
    await waitReady(namespace, count, 900);
    const readySeconds = (Date.now() - started) / 1000;
    const partsAfter = cpuByPart();
    const created = await metrics();
    /** CPU seconds each part spent from apply to all Ready. */
    const spent = {
      machine: partsAfter.machine - partsBefore.machine,
      controller: cpu(created) - cpu(before),
      apiServer: partsAfter.apiServer - partsBefore.apiServer,
      minio: partsAfter.minio - partsBefore.minio,
      bench: partsAfter.bench - partsBefore.bench,
    };
    const line = `bench: ${count} Buckets (${workload.name}): all Ready in ${readySeconds.toFixed(1)} s; raw SDK loop ${raw.toFixed(1)} s; ratio ${(readySeconds / raw).toFixed(2)}`;
    say(line);
    lines.push(line);
    const reconciles = created.sum("s3provider_reconcile_total") - before.sum("s3provider_reconcile_total");
    const events = writesTo(created, "events") - writesTo(before, "events");
    const steady = await steadyState(count);
    const deleting = await metrics();
    const deleteSeconds = await deleteAll(namespace);
    const deleted = await metrics();
    rows.push(
      [`${workload.name}: apply (${count} API create calls) took`, `${applySeconds.toFixed(1)} s`],
      [
        `${workload.name}: reconciles per Bucket to Ready`,
        `${(reconciles / count).toFixed(2)} (${["success", "requeue", "retry", "error"].map((result) => `${result} ${created.sum("s3provider_reconcile_total", { result }) - before.sum("s3provider_reconcile_total", { result })}`).join(", ")})`,
      ],
      [
        `${workload.name}: S3 calls per Bucket to create`,
        `${((calls(created) - calls(before) - (polls(created) - polls(before))) / count).toFixed(2)} (raw loop: ${1 + workload.subResources}); ` +
          `besides: ${((polls(created) - polls(before)) / count).toFixed(2)} reads polling Buckets already Ready`,
      ],
      [
        `${workload.name}: CPU from apply to all Ready`,
        `controller ${spent.controller.toFixed(1)} s (${((spent.controller / count) * 1000).toFixed(1)} ms per Bucket); whole machine ${spent.machine.toFixed(1)} s of ${(readySeconds * availableParallelism()).toFixed(1)} s available`,
      ],
      [
        `${workload.name}: of the machine's CPU to Ready`,
        [
          `controller ${spent.controller.toFixed(1)} s`,
          `API server + etcd + controller-manager ${spent.apiServer.toFixed(1)} s`,
          `MinIO ${spent.minio.toFixed(1)} s`,
          `the bench (creates, metrics scrapes) ${spent.bench.toFixed(1)} s`,
          `the rest ${(spent.machine - spent.controller - spent.apiServer - spent.minio - spent.bench).toFixed(1)} s`,
        ].join(", "),
      ],
      [
        `${workload.name}: Kubernetes writes per Bucket to create`,
        `${((objectWrites(created, "buckets") - objectWrites(before, "buckets")) / count).toFixed(2)} object writes + ${(events / count).toFixed(2)} Events; ` +
          `besides: ${objectWrites(created, "clusterproviderconfigs") - objectWrites(before, "clusterproviderconfigs")} ClusterProviderConfig writes, ` +
          `${writesTo(created, "leases") - writesTo(before, "leases")} Lease renewals`,
      ],
      [`${workload.name}: steady state per Bucket per poll`, `${steady.reconciles.toFixed(2)} reconciles, ${steady.calls.toFixed(2)} S3 calls (${workload.subResources} sub-resources), ${steady.writes.toFixed(3)} Kubernetes writes (+ ${steady.leases} Lease renewals in ${3 * pollSeconds} s)`],
      [
        `${workload.name}: controller CPU in steady state`,
        `${((steady.cpuPer60s * pollSeconds) / 60).toFixed(2)} s per poll cycle (${count} reconciles); ${steady.cpuPer60s.toFixed(2)} s per 60 s at poll ${pollSeconds} s`,
      ],
      [`${workload.name}: controller memory at ${count} Buckets`, steady.memory],
      [`${workload.name}: delete ${count} Buckets`, `${deleteSeconds.toFixed(1)} s (${((calls(deleted) - calls(deleting)) / count).toFixed(2)} S3 calls per Bucket)`],
    );
    print();
  };

  const workloads = values.workloads.split(",");
  if (workloads.includes("plain")) await measureWorkload(plain, "bench-plain");
  if (workloads.includes("configured")) await measureWorkload(configured, "bench-configured");

  if (accessKeys > 0) {
    const namespace = "bench-keys";
    await k(["create", "namespace", namespace]);
    await api.create(collection("buckets", namespace), {
      apiVersion: `${group}/${version}`, kind: "Bucket", metadata: { name: "bench-keys-shared" }, spec: { providerConfigRef: { kind: "ClusterProviderConfig", name: "minio" }, forProvider: {} },
    });
    say(`creating ${accessKeys} AccessKeys (ReadOnly on bench-keys-shared)…`);
    const keysStarted = Date.now();
    await Promise.all(
      Array.from({ length: accessKeys }, (_, index) =>
        api.create(collection("accesskeys", namespace), {
          apiVersion: `${group}/${version}`, kind: "AccessKey",
          metadata: { name: `bench-key-${String(index).padStart(4, "0")}` },
          spec: {
            providerConfigRef: { kind: "ClusterProviderConfig", name: "minio" },
            forProvider: { buckets: [{ bucketName: "bench-keys-shared", access: "ReadOnly" }] },
            writeConnectionSecretToRef: { name: `bench-key-${String(index).padStart(4, "0")}-s3` },
          },
        }),
      ),
    );
    await waitReady(namespace, accessKeys, 1800, "accesskeys", gvkOf("AccessKey"));
    rows.push([`AccessKeys (MinIO): apply → all Ready`, `${((Date.now() - keysStarted) / 1000).toFixed(1)} s for ${accessKeys}`]);
    print();
  }

  if (policies > 0) {
    const namespace = "bench-policies";
    await k(["create", "namespace", namespace]);
    say(`creating ${policies} Buckets, each with a BucketPolicy that names it by bucketRef…`);
    const before = await metrics();
    const started = Date.now();
    const createPolicy = (index: number) => {
      const bucket = bucketName(namespace, index);
      return api.create(collection("bucketpolicies", namespace), {
        apiVersion: `${group}/${version}`, kind: "BucketPolicy",
        metadata: { name: bucket },
        spec: {
          providerConfigRef: { kind: "ClusterProviderConfig", name: "minio" },
          forProvider: {
            bucketRef: { name: bucket },
            policy: { Version: "2012-10-17", Statement: [{ Sid: "ReadPublic", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/public/*` }] },
          },
        },
      });
    };
    await Promise.all([createBuckets(namespace, plain, 0, policies), createEach(0, policies, 10, createPolicy)]);
    await waitReady(namespace, policies, 3600, "bucketpolicies", gvkOf("BucketPolicy"));
    const created = await metrics();
    rows.push([
      `Buckets with a BucketPolicy: apply → every policy Ready`,
      `${((Date.now() - started) / 1000).toFixed(1)} s for ${policies} pairs; controller CPU ${(((cpu(created) - cpu(before)) / policies) * 1000).toFixed(1)} ms and ${((calls(created) - calls(before)) / policies).toFixed(2)} S3 calls per pair, the polls of pairs already Ready included`,
    ]);
    print();
  }

  if (scaleSteps.length > 0) {
    const namespace = "bench-scale";
    await k(["create", "namespace", namespace]);
    const table: Array<string> = ["  scale (plain Buckets)   step   time to Ready   Buckets/s   controller memory, settled"];
    let previous = 0;
    for (const step of scaleSteps) {
      say(`scale: ${previous} → ${step} Buckets…`);
      const started = Date.now();
      await createBuckets(namespace, plain, previous, step);
      await waitReady(namespace, step, 3600);
      const seconds = (Date.now() - started) / 1000;
      await sleep(2 * pollSeconds * 1000);
      table.push(`  ${String(step).padStart(21)}  ${`+${step - previous}`.padStart(6)}  ${`${seconds.toFixed(1)} s`.padStart(14)}  ${((step - previous) / seconds).toFixed(0).padStart(10)}   ${memoryOf(await metrics())}`);
      previous = step;
    }
    lines.push(...table);
    print();

    // A restart: the new controller lists everything and observes each Bucket once.
    say(`restart at ${previous} Buckets: stopping the controller, starting a new one…`);
    await controller.service.stop();
    const restarted = Date.now();
    controller = await start("controller-restarted");
    let snapshot = await metrics();
    while (snapshot.sum("s3provider_reconcile_total", { controller: "bucket" }) < previous) {
      if (Date.now() - restarted > 1_800_000) throw new Error("the resync did not finish in 30 minutes");
      await sleep(200);
      snapshot = await metrics();
    }
    const resyncSeconds = (Date.now() - restarted) / 1000;
    const resyncCalls = calls(snapshot) / previous;
    const resyncWrites = (objectWrites(snapshot, "buckets")) / previous;
    lines.push(
      `  full resync after a restart at ${previous} Buckets: ${resyncSeconds.toFixed(1)} s from process start to every Bucket reconciled once; ${resyncCalls.toFixed(2)} S3 calls and ${resyncWrites.toFixed(3)} object writes per Bucket`,
    );
    print();
  }
  await controller.service.stop();
} catch (error) {
  process.stderr.write(`[bench] failed: ${(error as Error).stack ?? (error as Error).message}\n`);
  exitCode = 1;
} finally {
  s3.destroy();
  api.close();
  await testbed.stop();
}
process.exit(exitCode);
