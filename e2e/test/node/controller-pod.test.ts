/**
 * The controller as users run it: the image `npm run image` builds, installed with the chart from
 * helm/, as a pod on the test bed's node (a real kubelet and containerd), under Pod Security
 * "restricted" enforced on its namespace.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { AppsV1Api, CoordinationV1Api, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { chartDir, mergeValues, testbedValues } from "../../src/testbed/index.ts";
import { helm } from "../helm/helm.ts";
import { eventually, kube, uniqueName } from "../kube.ts";
import {
  accessKeyYaml,
  bucketYaml,
  createNamespace,
  installCrds,
  k,
  providerConfigYaml,
  readConnectionSecret,
  s3,
  waitForAccessKeyCondition,
  waitForBucketCondition,
} from "../harness.ts";
import { testbed } from "../testbed-info.ts";

const namespace = "e2e-node";
const release = "s3-pod";
const leaseName = "cloud37-s3-provider";
/** `helm upgrade --install` with the test bed's values and `values` on top; waits for the rollout. */
const install = async (values: Record<string, unknown>): Promise<void> => {
  const file = join(testbed().dir, `${release}-values.yaml`);
  const base = testbedValues(testbed().apiServer, testbed().controllerImage, testbed().node.metricsPort);
  writeFileSync(file, stringify(mergeValues(base, { watchNamespaces: [namespace], controller: { pollInterval: "5s" }, providers: ["minio"] }, values)));
  await helm(["upgrade", "--install", release, chartDir, "--namespace", namespace, "--values", file, "--wait", "--timeout", "180s"]);
};

const apps = () => kube().config.makeApiClient(AppsV1Api);
const leases = () => kube().config.makeApiClient(CoordinationV1Api);

/** The release's pods that are not terminating. */
const pods = async (): Promise<Array<V1Pod>> =>
  (await kube().core.listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/instance=${release}` })).items.filter((pod) => pod.metadata?.deletionTimestamp === undefined);

const isReady = (pod: V1Pod) => pod.status?.conditions?.some((condition) => condition.type === "Ready" && condition.status === "True") === true;

/** Waits until exactly `count` pods of the release run and are Ready; returns them. */
const readyPods = (count: number, timeoutMs = 120_000) =>
  eventually(`${count} Ready pod(s) of ${release}`, async () => {
    const current = await pods();
    if (current.length !== count || !current.every(isReady)) return undefined;
    await followAll();
    return current;
  }, timeoutMs);

/** Runs Node inside the pod's controller container (the image has no shell). */
const nodeInPod = async (pod: string, script: string): Promise<{ code: number; stdout: string }> =>
  new Promise((resolve) => {
    const child = spawn(testbed().kubectl, ["--kubeconfig", testbed().kubeconfigPath, "exec", "-n", namespace, pod, "-c", "controller", "--", "/usr/local/bin/node", "-e", script]);
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.once("exit", (code) => resolve({ code: code ?? -1, stdout }));
  });

const holder = async () => (await leases().readNamespacedLease({ namespace, name: leaseName })).spec?.holderIdentity ?? "";

/** The pod's /metrics, scraped at its address as Prometheus would. */
const metricsOf = async (pod: V1Pod) => (await fetch(`http://${pod.status?.podIP}:${testbed().node.metricsPort}/metrics`)).text();
const reconciles = (metrics: string) =>
  metrics
    .split("\n")
    .filter((line) => line.startsWith("s3provider_reconcile_total{"))
    .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);

/**
 * Follows a pod's log from its start, into memory and into the test bed's folder, where the
 * secret scan reads every controller's log (the node drops a pod's logs with the pod).
 */
const follow = (pod: string): { readonly lines: () => ReadonlyArray<Record<string, unknown>>; readonly stop: () => void } => {
  const child: ChildProcess = spawn(testbed().kubectl, ["--kubeconfig", testbed().kubeconfigPath, "logs", "-f", "-n", namespace, pod]);
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    text += chunk.toString();
    writeFileSync(join(testbed().dir, `pod-${pod}.log`), text);
  });
  return {
    lines: () => text.split("\n").flatMap((line) => (line.startsWith("{") ? [JSON.parse(line) as Record<string, unknown>] : [])),
    stop: () => child.kill(),
  };
};

const minioConfig = uniqueName("node-minio");

beforeAll(async () => {
  await installCrds();
  await createNamespace(namespace);
  await k(["label", "--overwrite", "namespace", namespace, "pod-security.kubernetes.io/enforce=restricted"]);
  await k(["apply", "-f", "-"], providerConfigYaml("minio", minioConfig));
});

const following = new Map<string, ReturnType<typeof follow>>();

/** Every pod of the release gets its log followed (for the secret scan), once. */
const followAll = async () => {
  for (const pod of await kube().core.listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/instance=${release}` }).then((list) => list.items)) if (!following.has(pod.metadata!.name!)) following.set(pod.metadata!.name!, follow(pod.metadata!.name!));
};

afterAll(async () => {
  await helm(["uninstall", release, "--namespace", namespace, "--wait"]).catch(() => undefined);
  for (const log of following.values()) log.stop();
});

describe("the controller as the chart's pod on a real node", () => {
  it("becomes Ready through its probes under Pod Security restricted, as non-root with a read-only root and no capabilities", async () => {
    await install({});
    const [pod] = await readyPods(1);
    const container = pod!.spec!.containers[0]!;
    expect(container.image).toBe(`${testbed().controllerImage.repository}@${testbed().controllerImage.digest}`);
    expect(container.readinessProbe?.httpGet?.path).toBe("/readyz");
    expect(container.livenessProbe?.httpGet?.path).toBe("/healthz");
    expect(pod!.spec!.hostNetwork ?? false).toBe(false);
    expect(pod!.status?.podIP).toMatch(/^127\./);

    // What the process really is, seen from inside the container.
    const seen = await nodeInPod(
      pod!.metadata!.name!,
      `const fs = require("fs"); const status = fs.readFileSync("/proc/self/status", "utf8");
       const field = (name) => status.match(new RegExp("^" + name + ":\\\\s*(.*)$", "m"))[1];
       let write = "written"; try { fs.writeFileSync("/probe", "x"); } catch (error) { write = error.code; }
       console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), capEff: field("CapEff"), capBnd: field("CapBnd"),
         noNewPrivs: field("NoNewPrivs"), seccomp: field("Seccomp"), write,
         memoryLimit: fs.readFileSync("/sys/fs/cgroup/memory/memory.limit_in_bytes", "utf8").trim() }));`,
    );
    expect(seen.code).toBe(0);
    expect(JSON.parse(seen.stdout)).toEqual({
      uid: 65532,
      gid: 65532,
      capEff: "0000000000000000",
      capBnd: "0000000000000000",
      noNewPrivs: "1",
      seccomp: "2", // filtering: the runtime's default profile
      write: "EROFS",
      memoryLimit: String(256 * 1024 * 1024), // the chart's resources.limits.memory
    });

    // The namespace really enforces restricted: a pod that is not gets refused at admission.
    await expect(
      k(["run", "privileged", "-n", namespace, "--dry-run=server", `--image=${container.image}`, "--overrides", JSON.stringify({ spec: { containers: [{ name: "privileged", image: container.image, securityContext: { privileged: true } }] } })]),
    ).rejects.toThrow(/violates PodSecurity "restricted/);
  });

  it("has its memory limit enforced: a process that grows past it in the container is OOM-killed", async () => {
    const [pod] = await readyPods(1);
    const grow = await nodeInPod(pod!.metadata!.name!, `const chunks = []; for (;;) chunks.push(Buffer.alloc(16 << 20, 1));`);
    expect(grow.code).toBe(137); // SIGKILL from the kernel's OOM killer, at the cgroup's limit
    const after = (await pods())[0]!;
    expect(after.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  });

  it("reconciles a Bucket, a BucketPolicy and an AccessKey on MinIO from inside the pod", async () => {
    const bucket = uniqueName("pod-bucket");
    await k(["apply", "-f", "-"], bucketYaml({ name: bucket, namespace, providerConfig: minioConfig, forProvider: { tags: { from: "pod" } } }));
    await waitForBucketCondition(namespace, bucket, "Ready", "True");
    await k(["apply", "-f", "-"], `apiVersion: s3.cloud37.dev/v1alpha1
kind: BucketPolicy
metadata: {name: ${bucket}-public, namespace: ${namespace}}
spec:
  providerConfigRef: {kind: ClusterProviderConfig, name: ${minioConfig}}
  forProvider:
    bucketRef: {name: ${bucket}}
    policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::${bucket}/public/*"}]}
`);
    await eventually("the policy at MinIO", async () => {
      const response = await fetch(`${testbed().minio.endpoint}/${bucket}/public/missing`);
      return response.status === 404 ? true : undefined; // anonymous GetObject is allowed: the key is missing, not forbidden
    });
    const key = uniqueName("pod-key");
    await k(["apply", "-f", "-"], accessKeyYaml({ name: key, namespace, providerConfig: minioConfig, forProvider: { buckets: [{ bucketRef: { name: bucket }, access: "ReadWrite" }] } }));
    await waitForAccessKeyCondition(namespace, key, "Ready", "True");
    const secret = await eventually("the connection Secret", () => readConnectionSecret(namespace, `${key}-s3`));
    const { S3Client } = await import("@aws-sdk/client-s3");
    const app = new S3Client({ endpoint: secret["AWS_ENDPOINT_URL_S3"]!, region: secret["AWS_REGION"]!, forcePathStyle: true, credentials: { accessKeyId: secret["AWS_ACCESS_KEY_ID"]!, secretAccessKey: secret["AWS_SECRET_ACCESS_KEY"]! } });
    await app.send(new PutObjectCommand({ Bucket: bucket, Key: "from-app.txt", Body: "hello" }));
    app.destroy();
    await k(["delete", "accesskey", "-n", namespace, key, "--wait=true", "--timeout=60s"]);
    await k(["delete", "bucketpolicy", "-n", namespace, `${bucket}-public`, "--wait=true", "--timeout=60s"]);
  });

  it("rolls the pod when helm upgrade changes the providers", async () => {
    const [before] = await readyPods(1);
    await install({ providers: ["minio", "aws"] });
    const [after] = await readyPods(1);
    expect(after!.metadata!.name).not.toBe(before!.metadata!.name);
    expect(after!.spec!.containers[0]!.args).toContain("--providers=minio,aws");
    const deployment = await apps().readNamespacedDeployment({ namespace, name: release });
    expect(deployment.status?.observedGeneration).toBe(deployment.metadata?.generation);
  });

  it("with 2 replicas, hands over within 20 s when the leader pod is deleted, never two leaders reconciling", async () => {
    await install({ replicas: 2 });
    const both = await readyPods(2);
    const leaderName = await eventually("a leader", async () => {
      const identity = await holder();
      return both.find((pod) => identity.startsWith(`${pod.metadata!.name}_`))?.metadata!.name;
    });
    const leader = both.find((pod) => pod.metadata!.name === leaderName)!;
    const standby = both.find((pod) => pod.metadata!.name !== leaderName)!;
    // The standby is Ready (it waits for the lease) but reconciles nothing.
    await eventually("the leader to reconcile", async () => (reconciles(await metricsOf(leader)) > 0 ? true : undefined));
    expect(await metricsOf(standby)).toMatch(/^s3provider_leader 0$/m);
    expect(reconciles(await metricsOf(standby))).toBe(0);

    const leaderLog = following.get(leader.metadata!.name!)!;
    const deleted = Date.now();
    await k(["delete", "pod", "-n", namespace, leader.metadata!.name!, "--wait=false"]);
    // The standby, or the pod the ReplicaSet starts in the leader's place: whichever asks first.
    const successor = await eventually(
      "another pod to take the lease",
      async () => {
        const identity = await holder();
        return identity !== "" && !identity.startsWith(`${leader.metadata!.name}_`) ? identity.slice(0, identity.lastIndexOf("_")) : undefined;
      },
      20_000,
    );
    expect(Date.now() - deleted).toBeLessThan(20_000);
    await followAll();
    const successorLog = following.get(successor)!;
    const acquired = await eventually("the successor's log of it", async () => successorLog.lines().find((line) => line["msg"] === "acquired leader lease"));
    const released = await eventually("the old leader's release", async () => leaderLog.lines().find((line) => line["msg"] === "released leader lease"));
    // The old leader had stopped its workers before it let go, and the new one started after.
    expect(Date.parse(String(acquired["time"]))).toBeGreaterThanOrEqual(Date.parse(String(released["time"])));
    await readyPods(2);
  });

  it("shuts down gracefully on kubectl delete pod (SIGTERM) and releases the Lease", async () => {
    await install({ replicas: 1 });
    const [pod] = await readyPods(1);
    const name = pod!.metadata!.name!;
    await eventually("the pod to lead", async () => ((await holder()).startsWith(`${name}_`) ? true : undefined));
    const log = following.get(name)!;
    // Watch the Lease: a release shows as an empty holder before the next pod takes it.
    const watch = spawn(testbed().kubectl, ["--kubeconfig", testbed().kubeconfigPath, "get", "lease", "-n", namespace, leaseName, "--watch", "--output-watch-events", "-o", "jsonpath={.object.spec.holderIdentity}{'|'}{'\\n'}"]);
    let holders = "";
    watch.stdout.on("data", (chunk: Buffer) => (holders += chunk.toString()));
    // The watch's first event is the Lease as it is: only then can it miss nothing.
    await eventually("the Lease watch to start", async () => (holders.includes(`${name}_`) ? true : undefined));
    await k(["delete", "pod", "-n", namespace, name, "--wait=true", "--timeout=60s"]);
    const messages = await eventually("the shutdown in the log", async () => {
      const seen = log.lines().map((line) => String(line["msg"]));
      return seen.includes("released leader lease") ? seen : undefined;
    });
    expect(messages).toEqual(expect.arrayContaining(["received signal, shutting down", "stopping: finishing in-flight reconciles", "released leader lease", "stopped"]));
    // The Lease is let go only once the workers have stopped: the next leader never overlaps.
    expect(messages.indexOf("released leader lease")).toBeGreaterThan(messages.indexOf("stopping: finishing in-flight reconciles"));
    await eventually("the Lease released", async () => (holders.split("\n").includes("|") ? true : undefined), 20_000);
    watch.kill();
    await readyPods(1);
  });

  it("leaves the external buckets and the CRDs on helm uninstall", async () => {
    const bucket = uniqueName("pod-kept");
    await k(["apply", "-f", "-"], bucketYaml({ name: bucket, namespace, providerConfig: minioConfig }));
    await waitForBucketCondition(namespace, bucket, "Ready", "True");
    await helm(["uninstall", release, "--namespace", namespace, "--wait"]);
    expect(await pods()).toHaveLength(0);
    const crds = await k(["get", "crd", "-o", "name"]);
    for (const plural of ["buckets", "bucketpolicies", "accesskeys", "providerconfigs", "clusterproviderconfigs"]) expect(crds).toContain(`${plural}.s3.cloud37.dev`);
    const { HeadBucketCommand } = await import("@aws-sdk/client-s3");
    await expect(s3("minio").send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
    // The Bucket object stays too, with its finalizer: nothing deleted the bucket behind the user's back.
    expect(await k(["get", "bucket", "-n", namespace, bucket, "-o", "jsonpath={.metadata.finalizers}"])).toContain("finalizer.managedresource.crossplane.io");
    // Clean up as a user would: the controller (a process here) deletes what it manages.
    await k(["patch", "bucket", "-n", namespace, bucket, "--type=merge", "-p", '{"spec":{"deletionPolicy":"Orphan"}}']);
    await k(["patch", "bucket", "-n", namespace, bucket, "--type=json", "-p", '[{"op":"remove","path":"/metadata/finalizers"}]']);
    await k(["delete", "bucket", "-n", namespace, bucket, "--wait=true", "--timeout=60s"]);
  });
});

/** The first container status of the release's only pod, once `ready` says it is what we wait for. */
const containerStatus = (name: string, ready: (status: NonNullable<V1Pod["status"]>) => boolean, timeoutMs = 120_000) =>
  eventually(`the pod of ${name}`, async () => {
    const [pod] = (await kube().core.listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/instance=${name}` })).items;
    return pod?.status !== undefined && ready(pod.status) ? { pod, status: pod.status.containerStatuses![0]! } : undefined;
  }, timeoutMs);

/** Installs a broken release without waiting for it (it never becomes Ready), checks it, removes it. */
const broken = async (name: string, values: Record<string, unknown>, check: () => Promise<void>) => {
  const file = join(testbed().dir, `${name}-values.yaml`);
  const base = testbedValues(testbed().apiServer, testbed().controllerImage, testbed().node.metricsPort);
  writeFileSync(file, stringify(mergeValues(base, { watchNamespaces: [namespace], providers: ["minio"], controller: { leaderElection: false } }, values)));
  await helm(["upgrade", "--install", name, chartDir, "--namespace", namespace, "--values", file]);
  try {
    await check();
  } finally {
    await helm(["uninstall", name, "--namespace", namespace, "--wait"]);
  }
};

// docs/troubleshooting.md describes these three, as `kubectl` shows them here.
describe("a pod that cannot run says why", () => {
  it("ImagePullBackOff: an image the node does not have and cannot pull", async () => {
    await broken("s3-nopull", { image: { digest: `sha256:${"0".repeat(64)}` } }, async () => {
      const { status } = await containerStatus("s3-nopull", (s) => /ErrImagePull|ImagePullBackOff/.test(s.containerStatuses?.[0]?.state?.waiting?.reason ?? ""));
      expect(status.ready).toBe(false);
      expect(status.state?.waiting?.message).toContain(`${testbed().controllerImage.repository}@sha256:${"0".repeat(64)}`);
    });
  });

  it("CrashLoopBackOff: a memory limit too small for the controller", async () => {
    await broken("s3-tiny", { resources: { requests: { memory: "24Mi" }, limits: { memory: "24Mi" } } }, async () => {
      const { status } = await containerStatus("s3-tiny", (s) => s.containerStatuses?.[0]?.state?.waiting?.reason === "CrashLoopBackOff", 180_000);
      expect(status.restartCount).toBeGreaterThan(0);
      // `kubectl describe pod` shows it as Last State: Terminated, with the kernel's or V8's reason.
      expect(["OOMKilled", "Error"]).toContain(status.lastState?.terminated?.reason);
    });
  });

  it("RBAC denied: without the chart's RBAC the controller is never Ready, and its log names what is forbidden", async () => {
    await broken("s3-norbac", { rbac: { create: false } }, async () => {
      const { pod, status } = await containerStatus("s3-norbac", (s) => s.containerStatuses?.[0]?.state?.running !== undefined);
      const log = await eventually("a forbidden list in the log", async () => {
        const text = await k(["logs", "-n", namespace, pod.metadata!.name!]);
        return text.includes('"reason":"Forbidden"') ? text : undefined;
      });
      expect(log).toMatch(/cannot list resource \\"[a-z]+\\" in API group \\"s3\.cloud37\.dev\\"/);
      expect(status.ready).toBe(false);
    });
  });
});
