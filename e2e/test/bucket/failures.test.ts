import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningController } from "../../src/testbed/index.ts";
import { eventually, uniqueName } from "../kube.ts";
import {
  bucketYaml,
  conditionOf,
  createNamespace,
  getClusterProviderConfig,
  installCrds,
  k,
  providerConfigYaml,
  providers,
  runController,

  waitForBucketCondition,
  waitForWarnings,
} from "../harness.ts";

const namespace = "e2e-failures";
let controller: RunningController;

beforeAll(async () => {
  await installCrds();
  await createNamespace(namespace);
  for (const provider of providers) await k(["apply", "-f", "-"], providerConfigYaml(provider, `failures-${provider}`));
  controller = await runController("failures");
});

afterAll(async () => {
  await controller?.service.stop();
});

const waitForConfig = (name: string, type: string, status: string, timeoutMs = 60_000) =>
  eventually(`ClusterProviderConfig ${name} ${type}=${status}`, async () => {
    const condition = conditionOf(await getClusterProviderConfig(name), type);
    return condition?.status === status ? condition : undefined;
  }, timeoutMs);

describe.each(providers)("on %s", (provider) => {
  it("reports wrong credentials as AuthValid=False, and recovers when the Secret is fixed", async () => {
    const name = uniqueName(`bad-${provider}`);
    await k(["apply", "-f", "-"], providerConfigYaml(provider, name, "definitely-not-the-secret"));
    const rejected = await waitForConfig(name, "AuthValid", "False");
    expect(rejected.message).not.toContain("definitely-not-the-secret");
    expect(conditionOf(await getClusterProviderConfig(name), "Ready")?.status).toBe("False");

    await k(["apply", "-f", "-"], providerConfigYaml(provider, name));
    await waitForConfig(name, "AuthValid", "True", 60_000);
    const config = await getClusterProviderConfig(name);
    expect(conditionOf(config, "Ready")?.status).toBe("True");
    expect(conditionOf(config, "EndpointReachable")?.status).toBe("True");
    expect(config?.status?.identity).toBeTruthy();
  });

  it("reports an invalid bucket name clearly, without blocking other Buckets", async () => {
    const bad = uniqueName(`${provider}-badname`);
    const good = uniqueName(`${provider}-goodname`);
    await k(["apply", "-f", "-"], bucketYaml({ name: bad, namespace, providerConfig: `failures-${provider}`, annotations: { "crossplane.io/external-name": "Not_A_Valid..Bucket" } }));
    await k(["apply", "-f", "-"], bucketYaml({ name: good, namespace, providerConfig: `failures-${provider}` }));
    const condition = await waitForBucketCondition(namespace, bad, "Synced", "False");
    expect(condition.message).toMatch(/Not_A_Valid\.\.Bucket/);
    await waitForBucketCondition(namespace, good, "Ready", "True");
  });
});

describe("unsupported features", () => {
  it.each([
    { provider: "minio" as const, forProvider: { cors: { rules: [{ allowedOrigins: ["https://a.example"], allowedMethods: ["GET"] }] } }, field: "cors" },
    { provider: "wasabi" as const, forProvider: { encryption: { algorithm: "aws:kms", kmsKeyId: "some-key" } }, field: "encryption" },
  ])("$provider: a Bucket asking for $field gets Synced=False naming the field and the provider", async ({ provider, forProvider, field }) => {
    const name = uniqueName(`${provider}-unsupported`);
    await k(["apply", "-f", "-"], bucketYaml({ name, namespace, providerConfig: `failures-${provider}`, forProvider }));
    const condition = await waitForBucketCondition(namespace, name, "Synced", "False");
    expect(condition.message).toContain(field);
    expect(condition.message).toContain(provider);
    // Reported once: the message stays the same, so the status is not rewritten every poll.
    expect((await waitForWarnings(namespace, name)).length).toBe(1);
  });
});

describe.each(providers)("a ProviderConfig in use, on %s", (provider) => {
  it("is not deleted while a Bucket uses it, and goes once the Bucket is gone", async () => {
    const config = uniqueName(`inuse-${provider}`);
    await k(["apply", "-f", "-"], providerConfigYaml(provider, config));
    const name = uniqueName("inuse-bucket");
    await k(["apply", "-f", "-"], bucketYaml({ name, namespace, providerConfig: config }));
    await waitForBucketCondition(namespace, name, "Ready", "True");
    await eventually("users=1", async () => ((await getClusterProviderConfig(config))?.status?.users === 1 ? true : undefined));

    await k(["delete", "clusterproviderconfig", config, "--wait=false"]);
    const blocked = await eventually("the in-use condition", async () => {
      const ready = conditionOf(await getClusterProviderConfig(config), "Ready");
      return ready?.message?.includes("in use") === true ? ready : undefined;
    });
    expect(blocked.status).toBe("False");
    expect(await getClusterProviderConfig(config)).toBeDefined();

    await k(["delete", "bucket", "-n", namespace, name]);
    await eventually("the config to be gone", async () => ((await getClusterProviderConfig(config)) === undefined ? true : undefined));
  });
});

describe("admission", () => {
  it.each([
    { why: "'*' mixed with other actions", spec: { managementPolicies: ["*", "Observe"], forProvider: {} }, message: "'*' cannot be combined" },
    { why: "actions without Observe", spec: { managementPolicies: ["Create"], forProvider: {} }, message: "must include Observe" },
    { why: "a KMS key without aws:kms", spec: { forProvider: { encryption: { algorithm: "AES256", kmsKeyId: "k" } } }, message: "kmsKeyId requires algorithm aws:kms" },
    { why: "an unknown versioning status", spec: { forProvider: { versioning: { status: "On" } } }, message: "Unsupported value" },
    { why: "a lifecycle rule with no action", spec: { forProvider: { lifecycle: { rules: [{ id: "x" }] } } }, message: "at least one action" },
  ])("refuses a Bucket with $why", async ({ spec, message }) => {
    const body = JSON.stringify({ apiVersion: "s3.cloud37.dev/v1alpha1", kind: "Bucket", metadata: { name: uniqueName("refused"), namespace }, spec });
    await expect(k(["apply", "-f", "-"], body)).rejects.toThrow(message);
  });

  it("refuses an aws ClusterProviderConfig without a region", async () => {
    const body = JSON.stringify({
      apiVersion: "s3.cloud37.dev/v1alpha1",
      kind: "ClusterProviderConfig",
      metadata: { name: uniqueName("noregion") },
      spec: { provider: "aws", credentials: { source: "Secret", secretRef: { name: "x", namespace: "default" } } },
    });
    await expect(k(["apply", "-f", "-"], body)).rejects.toThrow("region is required");
  });

  it("refuses changing objectLockEnabled after creation", async () => {
    const name = uniqueName("lock");
    await k(["apply", "-f", "-"], bucketYaml({ name, namespace, providerConfig: "failures-minio", forProvider: { objectLockEnabled: false }, spec: { managementPolicies: ["Observe"] } }));
    await expect(k(["patch", "bucket", "-n", namespace, name, "--type", "merge", "-p", '{"spec":{"forProvider":{"objectLockEnabled":true}}}'])).rejects.toThrow("only be set when the bucket is created");
  });
});

