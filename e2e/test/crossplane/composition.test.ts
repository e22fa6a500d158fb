import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketOwnerTag } from "@cloud37/core";
import { startCrossplane, type Crossplane, type RunningController } from "../../src/testbed/index.ts";
import { appClient, readWith } from "../application.ts";
import { userExists as userExistsAt } from "../identity.ts";
import { eventually, uniqueName } from "../kube.ts";
import { bucketExists, conditionOf, createNamespace, installCrds, k, providerConfigYaml, readConnectionSecret, runController, s3, store } from "../harness.ts";
import { s3Outcome as outcome } from "../providers/stores.ts";
import { testbed } from "../testbed-info.ts";
import { composedOf, getComposed, getObjectStore, installObjectStoreApi, objectStoreYaml, readyOf, waitForObjectStore, waitForObjectStoreGone } from "./objectStore.ts";

const namespace = "e2e-crossplane";
const providerConfig = "crossplane-minio";
let controller: RunningController;
let crossplane: Crossplane;
const created: Array<string> = [];

beforeAll(async () => {
  await installCrds();
  await createNamespace(namespace);
  await k(["apply", "-f", "-"], providerConfigYaml("minio", providerConfig));
  controller = await runController("crossplane");
  const started = Date.now();
  crossplane = await startCrossplane({ kubectl: testbed().kubectl, kubeconfig: testbed().kubeconfigPath, dir: testbed().dir });
  await installObjectStoreApi();
  process.stderr.write(`[e2e] Crossplane and the ObjectStore API ready in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
});

afterAll(async () => {
  // Composed resources go with their ObjectStore only while Crossplane runs: delete first.
  for (const name of created) await k(["delete", "objectstore", "-n", namespace, name, "--ignore-not-found", "--wait=false"]).catch(() => "");
  for (const name of created) await waitForObjectStoreGone(namespace, name).catch(() => undefined);
  await crossplane?.stop();
  await controller?.service.stop();
});

/** Applies an ObjectStore made from the example and remembers it for cleanup. */
const applyObjectStore = async (name: string, bucketName: string, spec: Record<string, unknown> = {}) => {
  created.push(name);
  await k(["apply", "-f", "-"], objectStoreYaml({ name, namespace, bucketName, providerConfig, spec }));
};

const patchObjectStore = (name: string, spec: Record<string, unknown>) =>
  k(["patch", "objectstore", "-n", namespace, name, "--type=merge", "-p", JSON.stringify({ spec })]);

const userExists = (userName: string) => userExistsAt("minio", store("minio"), userName);


/** A bucket's tags at MinIO, without the controller's ownership tag. */
const userTags = async (bucket: string): Promise<Record<string, string | undefined>> => {
  const tags = (await s3("minio").send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet ?? [];
  return Object.fromEntries(tags.filter((tag) => tag.Key !== bucketOwnerTag).map((tag) => [tag.Key, tag.Value]));
};

/** An anonymous GET of an object, as a browser would make it: the HTTP status. */
const anonymousGet = async (bucket: string, key: string): Promise<number> => (await fetch(`${testbed().minio.endpoint}/${bucket}/${key}`)).status;

describe("an ObjectStore composed by real Crossplane", () => {
  const name = uniqueName("store");
  const bucket = uniqueName("xp-bucket");

  it("is Ready only after the Bucket, the BucketPolicy and both AccessKeys are", async () => {
    await applyObjectStore(name, bucket);
    // Whenever the ObjectStore is seen Ready, everything it composed is Ready already.
    const seenReadyEarly: Array<string> = [];
    const store = await eventually(
      `ObjectStore ${name} Ready`,
      async () => {
        const current = await getObjectStore(namespace, name);
        const composed = await Promise.all(composedOf(name).map((c) => getComposed(namespace, c.plural, c.name)));
        if (readyOf(current)?.status !== "True") return undefined;
        const unready = composed.filter((c) => readyOf(c)?.status !== "True").map((c) => c?.metadata.name ?? "(missing)");
        if (unready.length > 0) seenReadyEarly.push(unready.join(", "));
        return { current, composed };
      },
      150_000,
    );
    expect(seenReadyEarly).toEqual([]);
    const readySince = (object: unknown) => Date.parse(readyOf(object as never)?.lastTransitionTime ?? "");
    for (const composed of store.composed) expect(readySince(composed)).toBeLessThanOrEqual(readySince(store.current));
    expect(store.current?.status).toMatchObject({ bucketName: bucket, writerSecretName: `${name}-writer`, readerSecretName: `${name}-reader` });
    expect(store.composed[0]?.metadata.annotations?.["crossplane.io/external-name"]).toBe(bucket);
  }, 180_000);

  it("made the bucket at MinIO with the composed settings: versioning, encryption, tags, a public-read prefix", async () => {
    const admin = s3("minio");
    expect(await bucketExists("minio", bucket)).toBe(true);
    expect((await admin.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe("Enabled");
    const encryption = await admin.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("AES256");
    expect(await userTags(bucket)).toEqual({ team: "platform", env: "sandbox" });
    await admin.send(new PutObjectCommand({ Bucket: bucket, Key: "public/hello.txt", Body: "hello" }));
    await admin.send(new PutObjectCommand({ Bucket: bucket, Key: "private/secret.txt", Body: "no" }));
    expect(await anonymousGet(bucket, "public/hello.txt")).toBe(200);
    expect(await anonymousGet(bucket, "private/secret.txt")).toBe(403);
  });

  it("hands out working keys in Secrets of the namespace: the writer writes, the reader only reads, other buckets are denied", async () => {
    const other = uniqueName("xp-other");
    await s3("minio").send(new CreateBucketCommand({ Bucket: other }));
    const writer = await eventually(`Secret ${name}-writer`, () => readConnectionSecret(namespace, `${name}-writer`));
    const reader = await eventually(`Secret ${name}-reader`, () => readConnectionSecret(namespace, `${name}-reader`));
    expect(writer["COSI_S3_BUCKET_ID"]).toBe(bucket);
    expect(await outcome(appClient(writer).send(new PutObjectCommand({ Bucket: bucket, Key: "app/data.txt", Body: "from the app" })))).toBe("ok");
    expect(await readWith(reader, bucket, "app/data.txt")).toBe("ok");
    expect(await outcome(appClient(reader).send(new PutObjectCommand({ Bucket: bucket, Key: "app/nope.txt", Body: "x" })))).toBe("AccessDenied");
    expect(await outcome(appClient(writer).send(new PutObjectCommand({ Bucket: other, Key: "x.txt", Body: "x" })))).toBe("AccessDenied");
    expect(await readWith(reader, other, "x.txt")).toBe("AccessDenied");
  });

  it("passes a change of the ObjectStore to the composed resources and on to the bucket", async () => {
    // A merge patch: `env: null` removes that tag from the ObjectStore, and so from the Bucket.
    await patchObjectStore(name, { versioning: "Suspended", tags: { team: "data", env: null } });
    await eventually("versioning Suspended at MinIO", async () => ((await s3("minio").send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status === "Suspended" ? true : undefined), 90_000);
    await eventually(
      "tags {team: data} at MinIO",
      async () => (JSON.stringify(await userTags(bucket)) === JSON.stringify({ team: "data" }) ? true : undefined),
      90_000,
    );
    expect((await getComposed(namespace, "buckets", name))?.spec?.["forProvider"]).toMatchObject({ versioning: { status: "Suspended" }, tags: { team: "data" } });
  }, 180_000);

  it("deletes everything it composed at MinIO when it is deleted", async () => {
    // The bucket holds objects: it goes only with forceDestroy, which the ObjectStore passes on.
    await patchObjectStore(name, { forceDestroy: true });
    await eventually("forceDestroy on the Bucket", async () => ((await getComposed(namespace, "buckets", name))?.spec?.["forProvider"] as { forceDestroy?: boolean } | undefined)?.forceDestroy === true || undefined);
    await k(["delete", "objectstore", "-n", namespace, name, "--wait=false"]);
    await waitForObjectStoreGone(namespace, name);
    expect(await bucketExists("minio", bucket)).toBe(false);
    expect(await userExists(`${namespace}-${name}-writer`)).toBe(false);
    expect(await userExists(`${namespace}-${name}-reader`)).toBe(false);
  }, 180_000);
});

describe("an ObjectStore with deletionPolicy Orphan", () => {
  it("leaves the bucket and the keys at MinIO when it is deleted", async () => {
    const name = uniqueName("kept");
    const bucket = uniqueName("xp-kept");
    await applyObjectStore(name, bucket, { deletionPolicy: "Orphan" });
    await waitForObjectStore(namespace, name, "Ready", "True");
    await k(["delete", "objectstore", "-n", namespace, name, "--wait=false"]);
    await waitForObjectStoreGone(namespace, name);
    expect(await bucketExists("minio", bucket)).toBe(true);
    expect(await userExists(`${namespace}-${name}-writer`)).toBe(true);
    expect(await userExists(`${namespace}-${name}-reader`)).toBe(true);
    await s3("minio").send(new DeleteBucketCommand({ Bucket: bucket }));
  }, 180_000);
});

describe("an ObjectStore whose bucket the provider refuses", () => {
  it("is not Ready, says why with the provider's message, and can still be deleted", async () => {
    const name = uniqueName("badname");
    await applyObjectStore(name, "Invalid_Bucket..Name");
    const bucket = await eventually("the Bucket's Synced=False", async () => {
      const composed = await getComposed(namespace, "buckets", name);
      return conditionOf(composed as never, "Synced")?.status === "False" ? composed : undefined;
    });
    const ours = conditionOf(bucket as never, "Synced")?.message ?? "";
    expect(ours).toContain("Invalid_Bucket..Name");
    // Crossplane says which composed resources are not Ready; the controller tells it why.
    const store = await eventually("the ObjectStore to name the unready bucket", async () => {
      const current = await getObjectStore(namespace, name);
      return readyOf(current)?.message?.includes("Unready resources: bucket") === true ? current : undefined;
    });
    expect(readyOf(store)?.status).toBe("False");
    const warning = await eventually("our message in the ObjectStore's events", async () => {
      const events = JSON.parse(await k(["get", "events", "-n", namespace, "--field-selector", `involvedObject.name=${name},involvedObject.kind=ObjectStore,type=Warning`, "-o", "json"])) as {
        items: Array<{ reason: string; message: string }>;
      };
      return events.items.find((event) => event.message === `Bucket ${name}: ${ours}`);
    });
    expect(warning.message).toContain("Invalid_Bucket..Name");
    await k(["delete", "objectstore", "-n", namespace, name, "--wait=false"]);
    await waitForObjectStoreGone(namespace, name);
  }, 180_000);
});

describe("crossplane-runtime's metrics", () => {
  it("are served by the controller beside its own, with Crossplane's names and labels", async () => {
    const text = await (await fetch(controller.metricsUrl)).text();
    expect(text).toMatch(/^crossplane_managed_resource_exists\{gvk="s3\.cloud37\.dev\/v1alpha1, Kind=Bucket"\} \d+$/m);
    expect(text).toMatch(/^crossplane_managed_resource_first_time_to_readiness_seconds_count\{gvk="s3\.cloud37\.dev\/v1alpha1, Kind=AccessKey"\} [1-9]\d*$/m);
    expect(text).toMatch(/^crossplane_managed_resource_deletion_seconds_count\{gvk="s3\.cloud37\.dev\/v1alpha1, Kind=Bucket"\} [1-9]\d*$/m);
    expect(text).toContain("s3provider_reconcile_total");
  });
});
