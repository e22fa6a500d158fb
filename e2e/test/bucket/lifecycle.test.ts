import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import type { RunningController } from "../../src/testbed/index.ts";
import { eventually, kube, uniqueName } from "../kube.ts";
import {
  bucketExists,
  bucketYaml,
  createNamespace,
  getBucket,
  installCrds,
  k,
  providerConfigYaml,
  providers,
  runController,
  s3,
  waitForBucketCondition,
  waitForBucketGone,
} from "../harness.ts";

const namespace = "e2e-lifecycle";
let controller: RunningController;

beforeAll(async () => {
  await installCrds();
  await createNamespace(namespace);
  for (const provider of providers) await k(["apply", "-f", "-"], providerConfigYaml(provider, `lifecycle-${provider}`));
  controller = await runController("lifecycle");
});

afterAll(async () => {
  await controller?.service.stop();
});

describe.each(providers)("Bucket on %s", (provider) => {
  const config = `lifecycle-${provider}`;

  it("creates the bucket as declared and reports it Ready and Synced", async () => {
    const name = uniqueName(`${provider}-cfg`);
    await k(["apply", "-f", "-"], bucketYaml({
      name,
      namespace,
      providerConfig: config,
      spec: { writeConnectionSecretToRef: { name: `${name}-conn` } },
      forProvider: {
        versioning: { status: "Enabled" },
        encryption: { algorithm: "AES256" },
        tags: { team: "e2e", provider },
        lifecycle: { rules: [{ id: "expire-tmp", prefix: "tmp/", expiration: { days: 7 } }] },
      },
    }));
    await waitForBucketCondition(namespace, name, "Ready", "True", "Available");
    await waitForBucketCondition(namespace, name, "Synced", "True", "ReconcileSuccess");

    const client = s3(provider);
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: name }))).Status).toBe("Enabled");
    const encryption = await client.send(new GetBucketEncryptionCommand({ Bucket: name }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("AES256");
    const tags = (await client.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet ?? [];
    const bucketObject = await getBucket(namespace, name);
    expect(Object.fromEntries(tags.map((t) => [t.Key, t.Value]))).toEqual({ team: "e2e", provider, "s3.cloud37.dev/owner": bucketObject?.metadata["uid"] });
    const lifecycle = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name }));
    expect(lifecycle.Rules?.map((r) => r.ID)).toEqual(["expire-tmp"]);

    const bucket = await getBucket(namespace, name);
    expect((bucket?.metadata["annotations"] as Record<string, string>)["crossplane.io/external-name"]).toBe(name);
    const secret = await kube().core.readNamespacedSecret({ namespace, name: `${name}-conn` });
    expect(secret.type).toBe("connection.crossplane.io/v1alpha1");
    expect(Buffer.from(secret.data?.["bucket"] ?? "", "base64").toString()).toBe(name);
  });

  it("adopts an existing bucket named by crossplane.io/external-name only with spec.forProvider.adoption, and brings it to the declared state", async () => {
    const existing = uniqueName(`${provider}-legacy`);
    const client = s3(provider);
    await client.send(new CreateBucketCommand({ Bucket: existing }));
    await client.send(new PutObjectCommand({ Bucket: existing, Key: "keep.txt", Body: "data that must survive" }));
    const name = uniqueName(`${provider}-adopt`);
    const yaml = (forProvider: Record<string, unknown>) =>
      bucketYaml({ name, namespace, providerConfig: config, annotations: { "crossplane.io/external-name": existing }, spec: { deletionPolicy: "Orphan" }, forProvider });
    // Without the opt-in: refused, and nothing changes (the behaviour before this version was to adopt).
    await k(["apply", "-f", "-"], yaml({ versioning: { status: "Enabled" } }));
    const refused = await waitForBucketCondition(namespace, name, "Synced", "False");
    expect(refused.message).toContain(`bucket ${existing} exists but was not created by this Bucket`);
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: existing }))).Status).toBeUndefined();
    // The migration: opt in.
    await k(["apply", "-f", "-"], yaml({ versioning: { status: "Enabled" }, adoption: "Adopt" }));
    await waitForBucketCondition(namespace, name, "Ready", "True");
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: existing }))).Status).toBe("Enabled");
    const tags = (await client.send(new GetBucketTaggingCommand({ Bucket: existing }))).TagSet ?? [];
    expect(tags).toContainEqual({ Key: "s3.cloud37.dev/owner", Value: `adopted:${String((await getBucket(namespace, name))?.metadata["uid"])}` });
    expect(await bucketExists(provider, name)).toBe(false);
    await k(["delete", "bucket", "-n", namespace, name]);
    expect(await bucketExists(provider, existing)).toBe(true);
  });

  it("repairs drift made outside Kubernetes within the poll interval", async () => {
    const name = uniqueName(`${provider}-drift`);
    await k(["apply", "-f", "-"], bucketYaml({ name, namespace, providerConfig: config, forProvider: { versioning: { status: "Enabled" }, tags: { owner: "k8s" } } }));
    await waitForBucketCondition(namespace, name, "Ready", "True");
    const client = s3(provider);
    await client.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Suspended" } }));
    // A tag editor changes a tag and keeps the others, the ownership tag among them.
    const mark = ((await client.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet ?? []).filter((tag) => tag.Key === "s3.cloud37.dev/owner");
    await client.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: "owner", Value: "someone-else" }, ...mark] } }));
    await eventually("versioning and tags to be repaired", async () => {
      const versioning = (await client.send(new GetBucketVersioningCommand({ Bucket: name }))).Status;
      const tags = (await client.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet ?? [];
      return versioning === "Enabled" && tags.find((tag) => tag.Key === "owner")?.Value === "k8s" ? true : undefined;
    }, 30_000);
  });

  it("stops reconciling while paused, and resumes when unpaused", async () => {
    const name = uniqueName(`${provider}-pause`);
    await k(["apply", "-f", "-"], bucketYaml({ name, namespace, providerConfig: config, forProvider: { versioning: { status: "Enabled" } } }));
    await waitForBucketCondition(namespace, name, "Ready", "True");
    await k(["annotate", "bucket", "-n", namespace, name, "crossplane.io/paused=true"]);
    await waitForBucketCondition(namespace, name, "Synced", "False", "ReconcilePaused");
    const client = s3(provider);
    await client.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Suspended" } }));
    await new Promise((resolve) => setTimeout(resolve, 12_000)); // two poll intervals
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: name }))).Status).toBe("Suspended");
    await k(["annotate", "bucket", "-n", namespace, name, "crossplane.io/paused-"]);
    await eventually("versioning to be repaired after unpausing", async () =>
      (await client.send(new GetBucketVersioningCommand({ Bucket: name }))).Status === "Enabled" ? true : undefined,
    30_000);
    await waitForBucketCondition(namespace, name, "Synced", "True");
  });

  it("deletes the bucket with deletionPolicy Delete", async () => {
    const name = uniqueName(`${provider}-del`);
    await k(["apply", "-f", "-"], bucketYaml({ name, namespace, providerConfig: config }));
    await waitForBucketCondition(namespace, name, "Ready", "True");
    expect(await bucketExists(provider, name)).toBe(true);
    await k(["delete", "bucket", "-n", namespace, name, "--wait=false"]);
    await waitForBucketGone(namespace, name);
    expect(await bucketExists(provider, name)).toBe(false);
  });

  it("keeps the bucket with deletionPolicy Orphan", async () => {
    const name = uniqueName(`${provider}-orphan`);
    await k(["apply", "-f", "-"], bucketYaml({ name, namespace, providerConfig: config, spec: { deletionPolicy: "Orphan" } }));
    await waitForBucketCondition(namespace, name, "Ready", "True");
    await k(["delete", "bucket", "-n", namespace, name, "--wait=false"]);
    await waitForBucketGone(namespace, name);
    expect(await bucketExists(provider, name)).toBe(true);
  });

  it("never deletes a non-empty bucket without forceDestroy, and empties and deletes it with it", async () => {
    const name = uniqueName(`${provider}-full`);
    await k(["apply", "-f", "-"], bucketYaml({ name, namespace, providerConfig: config, forProvider: { versioning: { status: "Enabled" } } }));
    await waitForBucketCondition(namespace, name, "Ready", "True");
    const client = s3(provider);
    for (let i = 0; i < 5; i++) {
      await client.send(new PutObjectCommand({ Bucket: name, Key: `data/${i % 3}.txt`, Body: `version ${i}` }));
    }
    await k(["delete", "bucket", "-n", namespace, name, "--wait=false"]);
    const refused = await waitForBucketCondition(namespace, name, "Synced", "False");
    expect(refused.message).toContain("forceDestroy");
    expect(await bucketExists(provider, name)).toBe(true);

    await k(["patch", "bucket", "-n", namespace, name, "--type", "merge", "-p", JSON.stringify({ spec: { forProvider: { forceDestroy: true } } })]);
    await waitForBucketGone(namespace, name);
    expect(await bucketExists(provider, name)).toBe(false);
  });
});
