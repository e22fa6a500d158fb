import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Effect, Redacted } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decryptData,
  encryptData,
  MadminAlgorithm,
  makeMinioAdmin,
  signedTransport,
  type MinioAdmin,
  type SigningAccount,
} from "@cloud37/provider-minio/admin";
import { startMinio, type Minio } from "../../src/testbed/index.ts";
import { accountOf, builtMinio, failure, run, region, type Store } from "./stores.ts";


/** The S3 error code of a call with these keys, or "ok". */
const s3Result = async (client: S3Client, command: PutObjectCommand | GetObjectCommand): Promise<string> => {
  try {
    // The union of commands has no common send overload; each is an S3 command all the same.
    await client.send(command as PutObjectCommand);
    return "ok";
  } catch (error) {
    return (error as { name?: string }).name ?? "unknown";
  }
};

let counter = 0;
const unique = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

const readWritePolicy = (bucket: string) => ({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket"], Resource: [`arn:aws:s3:::${bucket}`] },
    { Effect: "Allow", Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"], Resource: [`arn:aws:s3:::${bucket}/*`] },
  ],
});

/** A policy document with its action and resource lists sorted: MinIO keeps them as sets, in no fixed order. */
const normalized = (document: unknown): unknown => {
  const { Statement, ...rest } = document as { Statement: ReadonlyArray<Record<string, unknown>> };
  const sorted = (value: unknown) => (Array.isArray(value) ? [...(value as Array<string>)].sort() : value);
  return { ...rest, Statement: Statement.map((statement) => ({ ...statement, Action: sorted(statement["Action"]), Resource: sorted(statement["Resource"]) })) };
};

const binary = builtMinio();

describe.skipIf(binary === undefined)("MinIO admin API v3 client against a real MinIO", () => {
  let minio: Minio;
  let store: Store;
  let admin: MinioAdmin;
  let root: S3Client;
  const granted = unique("granted");
  const other = unique("other");
  const clients: Array<S3Client> = [];

  const s3As = (accessKeyId: string, secretAccessKey: string): S3Client => {
    const client = new S3Client({ endpoint: store.endpoint, region, forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId, secretAccessKey } });
    clients.push(client);
    return client;
  };
  const put = (client: S3Client, bucket: string) => s3Result(client, new PutObjectCommand({ Bucket: bucket, Key: unique("object"), Body: "hello" }));

  beforeAll(async () => {
    minio = await startMinio({ binary: binary ?? "", dir: mkdtempSync(join(tmpdir(), "cloud37-minio-admin-")) });
    store = { endpoint: minio.endpoint, accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey };
    admin = await run(makeMinioAdmin(accountOf("minio", store)));
    root = s3As(store.accessKeyId, store.secretAccessKey);
    await root.send(new CreateBucketCommand({ Bucket: granted }));
    await root.send(new CreateBucketCommand({ Bucket: other }));
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await minio?.service.stop();
  });

  it("answers server info to the root credentials (the identity check)", async () => {
    const info = await run(admin.serverInfo());
    expect(info.mode).toBe("online");
    expect(info.deploymentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(info.versions).toEqual(["2026-02-12T20:18:48Z"]);
  });

  it.each([
    { name: "a wrong secret key", account: () => accountOf("minio", store, "not-the-secret") },
    { name: "an unknown access key", account: () => accountOf("minio", { ...store, accessKeyId: "nobody-at-all" }) },
  ])("refuses server info to $name as Unauthorized", async ({ account }) => {
    const wrong = await run(makeMinioAdmin(account()));
    const error = await failure(wrong.serverInfo());
    expect(error.reason._tag).toBe("Unauthorized");
    expect(error.message).not.toContain("not-the-secret");
  });

  it("a user with a canned policy for one bucket can write it and is denied on another; removing the user revokes its keys", async () => {
    const user = unique("team-a");
    const userSecret = "team-a-secret-0123456789";
    const policy = unique("rw");
    await run(admin.addCannedPolicy(policy, readWritePolicy(granted)));
    expect(normalized((await run(admin.infoCannedPolicy(policy))).document)).toEqual(normalized(readWritePolicy(granted)));
    await run(admin.addUser(user, Redacted.make(userSecret)));
    expect(await run(admin.attachPolicy(user, [policy]))).toMatchObject({ changed: [policy] });
    expect(await run(admin.attachPolicy(user, [policy]))).toEqual({ changed: [], updatedAt: undefined });
    expect(await run(admin.getUserInfo(user))).toMatchObject({ status: "enabled", policies: [policy] });

    const userS3 = s3As(user, userSecret);
    expect(await put(userS3, granted)).toBe("ok");
    expect(await put(userS3, other)).toBe("AccessDenied");

    await run(admin.setUserStatus(user, "disabled"));
    expect(await put(userS3, granted)).not.toBe("ok");
    await run(admin.setUserStatus(user, "enabled"));
    expect(await put(userS3, granted)).toBe("ok");

    await run(admin.removeUser(user));
    expect(await put(userS3, granted)).toBe("InvalidAccessKeyId");
    expect((await failure(admin.getUserInfo(user))).reason._tag).toBe("NotFound");
    expect((await failure(admin.removeUser(user))).reason._tag).toBe("NotFound");
    await run(admin.removeCannedPolicy(policy));
    expect((await failure(admin.infoCannedPolicy(policy))).reason._tag).toBe("NotFound");
  });

  it("detaching the policy takes the grant away", async () => {
    const user = unique("team-d");
    const policy = unique("rw");
    await run(admin.addCannedPolicy(policy, readWritePolicy(granted)));
    await run(admin.addUser(user, Redacted.make("team-d-secret-0123456789")));
    await run(admin.attachPolicy(user, [policy]));
    const userS3 = s3As(user, "team-d-secret-0123456789");
    expect(await put(userS3, granted)).toBe("ok");
    expect(await run(admin.detachPolicy(user, [policy]))).toMatchObject({ changed: [policy] });
    expect(await put(userS3, granted)).toBe("AccessDenied");
    expect(await run(admin.detachPolicy(user, [policy]))).toEqual({ changed: [], updatedAt: undefined });
    await run(admin.removeUser(user));
    await run(admin.removeCannedPolicy(policy));
  });

  it("a service account of the user works like the user, can be narrowed by a session policy, and stops working once deleted", async () => {
    const user = unique("team-s");
    const policy = unique("rw");
    await run(admin.addCannedPolicy(policy, readWritePolicy(granted)));
    await run(admin.addUser(user, Redacted.make("team-s-secret-0123456789")));
    await run(admin.attachPolicy(user, [policy]));

    const key = await run(admin.addServiceAccount({ targetUser: user, name: "ci", description: "e2e" }));
    expect(key.expiration).toBeUndefined();
    const keyS3 = s3As(key.accessKey, Redacted.value(key.secretKey));
    expect(await put(keyS3, granted)).toBe("ok");
    expect(await put(keyS3, other)).toBe("AccessDenied");
    expect((await run(admin.listServiceAccounts(user))).map((entry) => [entry.accessKey, entry.parentUser, entry.name])).toEqual([[key.accessKey, user, "ci"]]);
    expect(await run(admin.infoServiceAccount(key.accessKey))).toMatchObject({ parentUser: user, impliedPolicy: true, name: "ci", description: "e2e" });

    const readOnly = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: [`arn:aws:s3:::${granted}/*`] }],
    };
    const narrowed = await run(admin.addServiceAccount({ targetUser: user, policy: readOnly }));
    expect(await put(s3As(narrowed.accessKey, Redacted.value(narrowed.secretKey)), granted)).toBe("AccessDenied");
    const narrowedInfo = await run(admin.infoServiceAccount(narrowed.accessKey));
    expect(narrowedInfo.impliedPolicy).toBe(false);
    expect(normalized(narrowedInfo.policy)).toEqual(normalized(readOnly));

    await run(admin.deleteServiceAccount(key.accessKey));
    expect(await put(keyS3, granted)).toBe("InvalidAccessKeyId");
    expect((await failure(admin.infoServiceAccount(key.accessKey))).reason._tag).toBe("NotFound");
    expect((await failure(admin.deleteServiceAccount(key.accessKey))).reason._tag).toBe("NotFound");
    expect((await run(admin.listServiceAccounts(user))).map((entry) => entry.accessKey)).toEqual([narrowed.accessKey]);

    // Removing the user takes its remaining service accounts with it.
    await run(admin.removeUser(user));
    expect(await s3Result(s3As(narrowed.accessKey, Redacted.value(narrowed.secretKey)), new GetObjectCommand({ Bucket: granted, Key: "x" }))).toBe(
      "InvalidAccessKeyId",
    );
    await run(admin.removeCannedPolicy(policy));
  });

  it.each([
    { name: "argon2id + AES-256-GCM", algorithm: MadminAlgorithm.argon2idAesGcm },
    { name: "argon2id + ChaCha20-Poly1305", algorithm: MadminAlgorithm.argon2idChaCha20Poly1305 },
    { name: "PBKDF2 + AES-256-GCM", algorithm: MadminAlgorithm.pbkdf2AesGcm },
  ])("the server decrypts an add-user body encrypted with $name", async ({ algorithm }) => {
    const account = accountOf("minio", store) as SigningAccount;
    const transport = signedTransport(account, store.endpoint);
    const user = unique("algo");
    const body = await Effect.runPromise(
      encryptData(account.credentials.secretAccessKey, Buffer.from(JSON.stringify({ secretKey: "algo-secret-0123456789", status: "enabled" })), algorithm),
    );
    await transport({ method: "PUT", path: "/add-user", query: { accessKey: user }, body }, AbortSignal.timeout(10_000));
    expect(await run(admin.getUserInfo(user))).toMatchObject({ status: "enabled" });
    // The user exists with the secret sent: it signs, and is only denied for lack of a policy.
    expect(await put(s3As(user, "algo-secret-0123456789"), granted)).toBe("AccessDenied");
    await run(admin.removeUser(user));
  });

  it("an answer the server encrypted decrypts with the caller's secret key only", async () => {
    const account = accountOf("minio", store) as SigningAccount;
    const response = await signedTransport(account, store.endpoint)({ method: "GET", path: "/list-service-accounts", query: { user: store.accessKeyId } }, AbortSignal.timeout(10_000));
    const plaintext = await Effect.runPromise(decryptData(account.credentials.secretAccessKey, response.body));
    expect(JSON.parse(Buffer.from(plaintext).toString())).toHaveProperty("accounts");
    const wrong = await Effect.runPromise(Effect.flip(decryptData(Redacted.make("not-the-secret"), response.body)));
    expect(wrong.reason).toBe("NotAuthentic");
  });

  it("signs query values with reserved URL characters as the server reads them", async () => {
    // `=` and `,` are reserved in MinIO user names; `+`, `@`, `/`, `%` and an inner space are not.
    const user = `a+b@c/d e%${(counter++).toString(36)}`;
    await run(admin.addUser(user, Redacted.make("reserved-chars-secret-01")));
    expect(await run(admin.getUserInfo(user))).toMatchObject({ status: "enabled" });
    await run(admin.removeUser(user));
  });

  it("refuses a bad spec without echoing it", async () => {
    const error = await failure(admin.addUser(unique("short"), Redacted.make("short")));
    expect(error.reason._tag).toBe("InvalidSpec");
    expect(error.message).toBe("AddUser: XMinioAdminInvalidSecretKey (HTTP 400)");
    const malformed = await failure(admin.addCannedPolicy(unique("bad"), { Version: "2012-10-17", Statement: [{ Effect: "Maybe" }] }));
    expect(malformed.reason._tag).toBe("InvalidSpec");
  });
});
