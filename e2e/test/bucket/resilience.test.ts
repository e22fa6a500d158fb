import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { CreateBucketCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import type { RunningController } from "../../src/testbed/index.ts";
import { eventually, uniqueName } from "../kube.ts";
import { bucketYaml, createNamespace, getBucket, installCrds, k, providerConfigYaml, providers, runController, s3, waitForBucketCondition } from "../harness.ts";

const namespace = "e2e-resilience";
const config = "resilience";
const running: Array<RunningController> = [];

beforeAll(async () => {
  await installCrds();
  await createNamespace(namespace);
  for (const provider of providers) await k(["apply", "-f", "-"], providerConfigYaml(provider, `${config}-${provider}`));
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((controller) => controller.service.stop()));
});

const start = async (name: string, args: ReadonlyArray<string> = []): Promise<RunningController> => {
  const controller = await runController(name, args);
  running.push(controller);
  return controller;
};

const readyCount = async (names: ReadonlyArray<string>): Promise<number> => {
  const list = JSON.parse(await k(["get", "buckets", "-n", namespace, "-o", "json"])) as {
    items: Array<{ metadata: { name: string }; status?: { conditions?: Array<{ type: string; status: string }> } }>;
  };
  return list.items.filter((b) => names.includes(b.metadata.name) && b.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
};

/** Reconciles counted in a controller's metrics. */
const reconciles = async (controller: RunningController): Promise<number> => {
  const text = await (await fetch(controller.metricsUrl)).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith("s3provider_reconcile_total{"))
    .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);
};

describe("a controller killed mid-create", () => {
  it.each(providers)("on %s, leaves no duplicate and no leaked bucket after restart", async (provider) => {
    const prefix = uniqueName(`crash-${provider}`);
    const names = Array.from({ length: 30 }, (_, i) => `${prefix}-${i}`);
    const first = await start("crash-1", ["--leader-election-id", "e2e-crash"]);
    await k(["apply", "-f", "-"], names.map((name) => bucketYaml({ name, namespace, providerConfig: `${config}-${provider}` })).join("\n---\n"));
    await eventually("some creates to have started", async () => ((await readyCount(names)) >= 3 ? true : undefined), 60_000);
    await first.service.kill(); // a crash: no graceful shutdown, the lease is not released
    running.splice(running.indexOf(first), 1);

    await start("crash-2", ["--leader-election-id", "e2e-crash"]);
    await eventually("every Bucket to be Ready after the restart", async () => ((await readyCount(names)) === names.length ? true : undefined), 120_000);
    const inStore = ((await s3(provider).send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name ?? "").filter((name) => name.startsWith(`${prefix}-`));
    expect(inStore.sort()).toEqual([...names].sort());
  });

  it("settles a pending create by observing: an existing bucket is adopted, a missing one created", async () => {
    await start("pending", ["--leader-election-id", "e2e-pending"]);
    const pendingSince = new Date(Date.now() - 60_000).toISOString();
    const made = uniqueName("pending-made");
    await s3("minio").send(new CreateBucketCommand({ Bucket: made }));
    const missing = uniqueName("pending-missing");
    for (const name of [made, missing]) {
      await k(["apply", "-f", "-"], bucketYaml({ name, namespace, providerConfig: `${config}-minio`, annotations: { "crossplane.io/external-create-pending": pendingSince } }));
    }
    for (const name of [made, missing]) {
      await waitForBucketCondition(namespace, name, "Ready", "True");
      const annotations = (await getBucket(namespace, name))?.metadata["annotations"] as Record<string, string>;
      expect(Date.parse(annotations["crossplane.io/external-create-succeeded"] ?? "")).toBeGreaterThan(Date.parse(pendingSince));
    }
  });
});

describe("two controller replicas", () => {
  it("elect one leader that alone reconciles, and a standby that takes over when it dies", async () => {
    const lease = uniqueName("ha");
    const a = await start("ha-a", ["--leader-election-id", lease]);
    const b = await start("ha-b", ["--leader-election-id", lease]);
    const first = uniqueName("ha-first");
    await k(["apply", "-f", "-"], bucketYaml({ name: first, namespace, providerConfig: `${config}-minio` }));
    await waitForBucketCondition(namespace, first, "Ready", "True");
    const counts = [await reconciles(a), await reconciles(b)];
    expect(counts.filter((count) => count > 0)).toHaveLength(1);
    const holder = (await k(["get", "lease", "-n", "default", lease, "-o", "jsonpath={.spec.holderIdentity}"])).trim();
    expect(holder).not.toBe("");

    const [leader, standby] = counts[0]! > 0 ? [a, b] : [b, a];
    await leader.service.kill();
    const second = uniqueName("ha-second");
    await k(["apply", "-f", "-"], bucketYaml({ name: second, namespace, providerConfig: `${config}-minio` }));
    await waitForBucketCondition(namespace, second, "Ready", "True", undefined, 90_000);
    expect(await reconciles(standby)).toBeGreaterThan(0);
    const newHolder = (await k(["get", "lease", "-n", "default", lease, "-o", "jsonpath={.spec.holderIdentity}"])).trim();
    expect(newHolder).not.toBe(holder);
  });
});
