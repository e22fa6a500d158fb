import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Effect, Redacted } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccessKeyRequest, ConnectionDetails, ExternalClient, AccessKeyObservation, ManagedResource, Provider } from "@cloud37/core";
import { awsProvider, closeIamClients } from "@cloud37/provider-aws";
import { minioProvider } from "@cloud37/provider-minio";
import { closeS3Clients } from "@cloud37/provider-s3";
import { wasabiProvider } from "@cloud37/provider-wasabi";
import { GetUserCommand, IAMClient, UpdateUserCommand } from "@aws-sdk/client-iam";
import { keyIdsOf, userMadeOutside } from "../identity.ts";
import { makeMinioAdmin } from "@cloud37/provider-minio/admin";
import { accountOf, failure, plainS3, run, s3Outcome as outcome, startStores, type Store, type Stores } from "./stores.ts";

let stores: Stores;
beforeAll(async () => {
  stores = await startStores();
});
afterAll(async () => {
  closeS3Clients();
  closeIamClients();
  await stores?.stop();
});

let counter = 0;
const unique = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

const cases: ReadonlyArray<{ readonly name: "aws" | "wasabi" | "minio"; readonly provider: Provider; readonly store: (stores: Stores) => Store | undefined }> = [
  { name: "minio", provider: minioProvider, store: (s) => s.minio },
  { name: "aws", provider: awsProvider, store: (s) => s.aws },
  { name: "wasabi", provider: wasabiProvider, store: (s) => s.wasabi },
];

/** An S3 client that signs with the key pair in connection details. */
const clientOf = (details: ConnectionDetails | undefined): S3Client => {
  const value = (key: string) => {
    const found = details?.[key];
    if (found === undefined) throw new Error(`connection details lack ${key}`);
    return Redacted.value(found);
  };
  return new S3Client({
    endpoint: value("AWS_ENDPOINT_URL_S3"),
    region: value("AWS_REGION"),
    forcePathStyle: value("COSI_S3_ADDRESSING_STYLE") === "path",
    credentials: { accessKeyId: value("AWS_ACCESS_KEY_ID"), secretAccessKey: value("AWS_SECRET_ACCESS_KEY") },
  });
};

describe.each(cases)("AccessKey on $name (provider against the real server)", ({ name, provider, store: storeOf }) => {
  let client: ExternalClient<AccessKeyRequest, AccessKeyObservation>;
  let granted: string;
  let other: string;
  beforeAll(async () => {
    const store = storeOf(stores);
    if (store === undefined) return;
    client = await run(provider.accessKey(accountOf(name, store)));
    granted = unique(`${name}-granted`);
    other = unique(`${name}-other`);
    const admin = plainS3(store);
    await admin.send(new CreateBucketCommand({ Bucket: granted }));
    await admin.send(new CreateBucketCommand({ Bucket: other }));
    await admin.send(new PutObjectCommand({ Bucket: other, Key: "secret.txt", Body: "not yours" }));
  });

  const resourceOf = (externalName: string, forProvider: AccessKeyRequest, keyName = "app", uid = "e2e-access-key-uid"): ManagedResource<AccessKeyRequest> => ({
    name: keyName,
    namespace: `e2e-${counter}`,
    uid,
    externalName,
    forProvider,
  });

  it("creates a user whose key writes to the granted bucket and is denied elsewhere; observe, rotate and delete", async (context) => {
    if (storeOf(stores) === undefined) return context.skip();
    const userName = unique(`${name}-app`);
    const forProvider: AccessKeyRequest = { userName, buckets: [{ bucketName: granted, access: "ReadWrite" }] };
    const created = await run(client.create(resourceOf("", forProvider)));
    expect(created.externalName).toMatch(/\S/);
    expect(created.notes).toEqual([]);
    const details = created.connectionDetails;
    expect(Object.keys(details ?? {}).sort()).toEqual(
      [
        "AWS_ACCESS_KEY_ID",
        "AWS_ENDPOINT_URL_S3",
        "AWS_REGION",
        "AWS_SECRET_ACCESS_KEY",
        "COSI_S3_ACCESS_KEY_ID",
        "COSI_S3_ACCESS_SECRET_KEY",
        "COSI_S3_ADDRESSING_STYLE",
        "COSI_S3_BUCKET_ID",
        "COSI_S3_ENDPOINT",
        "COSI_S3_REGION",
        "password",
        "username",
      ].sort(),
    );
    expect(Redacted.value(details!["COSI_S3_BUCKET_ID"]!)).toBe(granted);

    const app = clientOf(details);
    await expect.poll(() => outcome(app.send(new PutObjectCommand({ Bucket: granted, Key: "hello.txt", Body: "hi" }))), { timeout: 15_000 }).toBe("ok");
    expect(await outcome(app.send(new GetObjectCommand({ Bucket: granted, Key: "hello.txt" })))).toBe("ok");
    expect(await outcome(app.send(new GetObjectCommand({ Bucket: other, Key: "secret.txt" })))).toBe("AccessDenied");
    expect(await outcome(app.send(new ListObjectsV2Command({ Bucket: other })))).toBe("AccessDenied");

    const observed = await run(client.observe(resourceOf(created.externalName!, forProvider)));
    expect(observed).toMatchObject({ exists: true, upToDate: true, atProvider: { userName, accessKeyId: created.externalName } });

    // Rotation asked for now: a new key; the old one is kept (retained) and still works.
    const requested = { ...forProvider, rotationRequestedAt: new Date(Date.now() + 1000).toISOString() };
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const due = await run(client.observe(resourceOf(created.externalName!, requested)));
    expect(due).toMatchObject({ exists: true, upToDate: false, drift: ["rotation due"] });
    const rotated = await run(client.update(resourceOf(created.externalName!, requested)));
    expect(rotated.externalName).not.toBe(created.externalName);
    const afterRotation = await run(client.observe(resourceOf(rotated.externalName!, requested)));
    expect(afterRotation).toMatchObject({ exists: true, upToDate: true, atProvider: { accessKeyId: rotated.externalName, previousAccessKeyIds: [created.externalName] } });
    const rotatedApp = clientOf(rotated.connectionDetails);
    await expect.poll(() => outcome(rotatedApp.send(new GetObjectCommand({ Bucket: granted, Key: "hello.txt" }))), { timeout: 15_000 }).toBe("ok");
    expect(await outcome(app.send(new GetObjectCommand({ Bucket: granted, Key: "hello.txt" })))).toBe("ok");

    await run(client.delete(resourceOf(rotated.externalName!, requested)));
    expect(await run(client.observe(resourceOf(rotated.externalName!, requested)))).toEqual({ exists: false });
    await expect.poll(() => outcome(rotatedApp.send(new GetObjectCommand({ Bucket: granted, Key: "hello.txt" }))), { timeout: 15_000 }).not.toBe("ok");
  });

  it("deletes a key an interrupted create left on the user, and says so", async (context) => {
    if (storeOf(stores) === undefined) return context.skip();
    const forProvider: AccessKeyRequest = { userName: unique(`${name}-leak`), buckets: [{ bucketName: granted, access: "ReadOnly" }] };
    const first = await run(client.create(resourceOf("", forProvider)));
    // The controller died before recording `first`: the next create finds it unrecorded.
    const second = await run(client.create(resourceOf("", forProvider)));
    expect(second.notes).toEqual([expect.stringContaining(`deleted access key ${first.externalName}`)]);
    const observed = await run(client.observe(resourceOf(second.externalName!, forProvider)));
    expect(observed).toMatchObject({ exists: true, upToDate: true });
    expect(observed.exists && observed.atProvider.previousAccessKeyIds).toBeUndefined();
    await run(client.delete(resourceOf(second.externalName!, forProvider)));
  });

  it("marks the user it creates as the AccessKey's, where the provider can read it back", async (context) => {
    if (storeOf(stores) === undefined) return context.skip();
    const userName = unique(`${name}-marked`);
    const forProvider: AccessKeyRequest = { userName, buckets: [{ bucketName: granted, access: "ReadOnly" }] };
    const created = await run(client.create(resourceOf("", forProvider)));
    const store = storeOf(stores)!;
    if (name === "minio") {
      const admin = await run(makeMinioAdmin(accountOf(name, store)));
      expect((await run(admin.infoCannedPolicy(`cloud37-${userName}`))).document).toMatchObject({ ID: "cloud37-s3-provider/e2e-access-key-uid" });
      expect((await run(admin.listServiceAccounts(userName)))[0]?.description).toMatch(/^cloud37 s3-provider key of e2e-access-key-uid, created /);
    } else {
      const iam = new IAMClient({ endpoint: store.endpoint, region: "us-east-1", credentials: { accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey } });
      expect((await iam.send(new GetUserCommand({ UserName: userName }))).User?.Path).toBe("/cloud37-s3-provider/e2e-access-key-uid/");
    }
    // Another AccessKey naming the same user is refused.
    const other = await failure(client.create(resourceOf("", forProvider, "other", "another-uid")));
    expect(other.reason.message).toContain(`user ${userName} belongs to another AccessKey (its ownership mark names uid e2e-access-key-uid)`);
    await run(client.delete(resourceOf(created.externalName!, forProvider)));
  });

  it("refuses a user made directly at the provider in every verb: no key made or deleted, no policy written, nothing deleted", async (context) => {
    if (storeOf(stores) === undefined) return context.skip();
    const userName = unique(`${name}-opsadmin`);
    const keyId = await userMadeOutside(name, storeOf(stores)!, userName);
    const forProvider: AccessKeyRequest = { userName, buckets: [{ bucketName: granted, access: "ReadOnly" }] };
    for (const verb of [client.observe, client.create, client.update, client.delete]) {
      const refused = await failure(verb(resourceOf(keyId, forProvider)));
      expect(refused.reason._tag).toBe("OwnedByOther");
      expect(refused.reason.message).toContain(`user ${userName} exists at the provider but was not created by this AccessKey`);
    }
    expect(await keyIdsOf(name, storeOf(stores)!, userName)).toEqual([keyId]);
  });

  it("takes over a user once the platform team marks it (the migration of an AccessKey made by an earlier version)", async (context) => {
    if (storeOf(stores) === undefined) return context.skip();
    const store = storeOf(stores)!;
    const userName = unique(`${name}-legacy`);
    const keyId = await userMadeOutside(name, store, userName);
    const uid = "legacy-access-key-uid";
    const forProvider: AccessKeyRequest = { userName, buckets: [{ bucketName: granted, access: "ReadOnly" }] };
    expect((await failure(client.observe(resourceOf(keyId, forProvider, "legacy", uid)))).reason._tag).toBe("OwnedByOther");
    // What docs/concepts.md tells the platform team to do.
    if (name === "minio") {
      const admin = await run(makeMinioAdmin(accountOf(name, store)));
      await run(admin.addCannedPolicy(`cloud37-${userName}`, { Version: "2012-10-17", ID: `cloud37-s3-provider/${uid}`, Statement: [{ Effect: "Allow", Action: ["s3:ListBucket"], Resource: [`arn:aws:s3:::${granted}`] }] }));
      await run(admin.detachPolicy(userName, ["consoleAdmin"]));
      await run(admin.attachPolicy(userName, [`cloud37-${userName}`]));
    } else {
      const iam = new IAMClient({ endpoint: store.endpoint, region: "us-east-1", credentials: { accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey } });
      await iam.send(new UpdateUserCommand({ UserName: userName, NewPath: `/cloud37-s3-provider/${uid}/` }));
    }
    const observed = await run(client.observe(resourceOf(keyId, forProvider, "legacy", uid)));
    expect(observed).toMatchObject({ exists: true, upToDate: false, drift: ["policy"] });
    await run(client.update(resourceOf(keyId, forProvider, "legacy", uid)));
    expect(await run(client.observe(resourceOf(keyId, forProvider, "legacy", uid)))).toMatchObject({ exists: true, upToDate: true });
    await run(client.delete(resourceOf(keyId, forProvider, "legacy", uid)));
  });

  it("refuses an extra policy with a Principal before any call", async (context) => {
    if (storeOf(stores) === undefined) return context.skip();
    const forProvider: AccessKeyRequest = {
      userName: unique(`${name}-bad`),
      policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }] },
    };
    const exit = await Effect.runPromiseExit(client.observe(resourceOf("", forProvider)));
    expect(String(exit)).toContain("spec.forProvider.policy");
  });
});
