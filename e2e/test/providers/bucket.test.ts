import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
  type Tag,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketOwnerTag, type Account, type BucketParameters, type ManagedResource, type Provider } from "@cloud37/core";
import { awsProvider } from "@cloud37/provider-aws";
import { minioProvider } from "@cloud37/provider-minio";
import { closeS3Clients } from "@cloud37/provider-s3";
import { wasabiProvider } from "@cloud37/provider-wasabi";
import { accountOf, builtMinio, failure, run, plainS3, startStores, type Store, type Stores } from "./stores.ts";


let counter = 0;
const bucketName = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** The uid of the Bucket these tests act as: the ownership mark of what they create. */
const uid = "e2e-bucket-uid";

const resource = (name: string, forProvider: Partial<BucketParameters>, facts: Partial<ManagedResource<BucketParameters>> = {}): ManagedResource<BucketParameters> => ({
  name,
  namespace: "e2e",
  uid,
  ...facts,
  externalName: name,
  forProvider: { forceDestroy: false, ...forProvider },
});

const sortedTags = (tags: ReadonlyArray<Tag> | undefined) =>
  Object.fromEntries((tags ?? []).map((tag) => [tag.Key, tag.Value]));

/** What differs between the providers under test. */
interface Case {
  readonly name: "aws" | "wasabi" | "minio";
  readonly provider: Provider;
  readonly store: (stores: Stores) => Store | undefined;
  /** The desired encryption this store supports. */
  readonly encryption: (store: Store) => NonNullable<BucketParameters["encryption"]>;
  readonly supportsCors: boolean;
  readonly supportsPublicAccessBlock: boolean;
  readonly identity: RegExp;
  /** A spec this provider refuses, and the field it names. */
  readonly unsupported?: { readonly forProvider: Partial<BucketParameters>; readonly field: string };
}

const cases: ReadonlyArray<Case> = [
  {
    name: "aws",
    provider: awsProvider,
    store: (stores) => stores.aws,
    encryption: () => ({ algorithm: "AES256" }),
    supportsCors: true,
    supportsPublicAccessBlock: true,
    identity: /^arn:aws:iam::\d+:user\/admin$/,
  },
  {
    name: "wasabi",
    provider: wasabiProvider,
    store: (stores) => stores.wasabi,
    encryption: () => ({ algorithm: "AES256" }),
    supportsCors: true,
    supportsPublicAccessBlock: true,
    identity: /^arn:aws:iam::\d+:user\/admin$/,
    unsupported: { forProvider: { encryption: { algorithm: "aws:kms", kmsKeyId: "some-key" } }, field: "spec.forProvider.encryption.algorithm" },
  },
  {
    name: "minio",
    provider: minioProvider,
    store: (stores) => stores.minio,
    encryption: (store) => ({ algorithm: "aws:kms", kmsKeyId: store.kmsKeyId ?? "" }),
    supportsCors: false,
    supportsPublicAccessBlock: false,
    identity: /^minio:minio-root$/,
    unsupported: { forProvider: { cors: { rules: [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }] } }, field: "spec.forProvider.cors" },
  },
];

let stores: Stores;
beforeAll(async () => {
  stores = await startStores();
});
afterAll(async () => {
  closeS3Clients();
  await stores?.stop();
});

// MinIO is skipped only when run standalone before the Go toolchain has built it.
const minioMissing = () => stores.minio === undefined;
if (builtMinio() === undefined) process.stderr.write("[providers] no MinIO binary built yet: MinIO cases run only with the shared test bed\n");

describe.each(cases)("Bucket on $name", (testCase) => {
  let store: Store;
  let account: Account;
  let s3: S3Client;
  const skip = () => testCase.name === "minio" && minioMissing();

  beforeAll(() => {
    const found = testCase.store(stores);
    if (found === undefined) return;
    store = found;
    account = accountOf(testCase.name, store);
    s3 = plainS3(store);
  });

  const connect = () => run(testCase.provider.bucket(account));

  it("checks the account and tells who it is", async (context) => {
    if (skip()) return context.skip();
    const identity = await run(testCase.provider.checkAccount(account));
    expect(identity.identity).toMatch(testCase.identity);
    expect(identity.endpoint).toBe(store.endpoint);
  });

  it("creates a bucket with every supported setting in one call, reads back the same, and reports it up to date", async (context) => {
    if (skip()) return context.skip();
    const client = await connect();
    const name = bucketName(`full-${testCase.name}`);
    const forProvider: Partial<BucketParameters> = {
      versioning: { status: "Enabled" },
      encryption: testCase.encryption(store),
      tags: { team: "data", env: "e2e" },
      lifecycle: {
        rules: [
          { id: "expire-tmp", status: "Enabled", prefix: "tmp/", expiration: { days: 7 } },
          { id: "old-versions", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 30 } },
        ],
      },
      ...(testCase.supportsCors ? { cors: { rules: [{ allowedOrigins: ["https://app.example"], allowedMethods: ["PUT", "GET"] as const, maxAgeSeconds: 600 }] } } : {}),
      ...(testCase.supportsPublicAccessBlock
        ? { publicAccessBlock: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true } }
        : {}),
    };
    const bucket = resource(name, forProvider);

    expect(await run(client.observe(bucket))).toEqual({ exists: false });
    const created = await run(client.create(bucket));
    expect(Object.keys(created.connectionDetails ?? {}).sort()).toEqual(["bucket", "endpoint", "region"]);
    // Create is idempotent: the bucket is already ours.
    await run(client.create(bucket));

    const observed = await run(client.observe(bucket));
    expect(observed).toMatchObject({
      exists: true,
      upToDate: true,
      drift: [],
      atProvider: { arn: `arn:aws:s3:::${name}`, region: "us-east-1", endpoint: store.endpoint },
      lateInitialized: { region: "us-east-1" },
    });

    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: name }))).Status).toBe("Enabled");
    const sse = (await s3.send(new GetBucketEncryptionCommand({ Bucket: name }))).ServerSideEncryptionConfiguration?.Rules?.[0];
    expect(sse?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe(testCase.encryption(store).algorithm);
    expect(sortedTags((await s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet)).toEqual({ team: "data", env: "e2e", [bucketOwnerTag]: uid });
    const rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name }))).Rules ?? [];
    expect(rules.map((rule) => rule.ID).sort()).toEqual(["expire-tmp", "old-versions"]);
    expect(rules.find((rule) => rule.ID === "expire-tmp")?.Expiration?.Days).toBe(7);
    if (testCase.supportsCors) {
      const corsRules = (await s3.send(new GetBucketCorsCommand({ Bucket: name }))).CORSRules ?? [];
      expect(corsRules.map((rule) => [...(rule.AllowedMethods ?? [])].sort())).toEqual([["GET", "PUT"]]);
    }
    if (testCase.supportsPublicAccessBlock) {
      const block = (await s3.send(new GetPublicAccessBlockCommand({ Bucket: name }))).PublicAccessBlockConfiguration;
      expect(block).toMatchObject({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    }

    await run(client.delete(resource(name, { ...forProvider, forceDestroy: true })));
  });

  it("reports drift made out of band, names it, and update repairs it", async (context) => {
    if (skip()) return context.skip();
    const client = await connect();
    const name = bucketName(`drift-${testCase.name}`);
    const bucket = resource(name, { region: "us-east-1", versioning: { status: "Enabled" }, tags: { team: "data" } });
    await run(client.create(bucket));
    expect(await run(client.observe(bucket))).toMatchObject({ exists: true, upToDate: true });

    await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Suspended" } }));
    await s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: "team", Value: "someone-else" }, { Key: bucketOwnerTag, Value: uid }] } }));
    const drifted = await run(client.observe(bucket));
    expect(drifted).toMatchObject({ exists: true, upToDate: false });
    expect(drifted.exists && [...drifted.drift].sort()).toEqual(["tags", "versioning"]);

    await run(client.update(bucket));
    expect(await run(client.observe(bucket))).toMatchObject({ exists: true, upToDate: true, drift: [] });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: name }))).Status).toBe("Enabled");
    expect(sortedTags((await s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet)).toEqual({ team: "data", [bucketOwnerTag]: uid });

    await run(client.delete(resource(name, { forceDestroy: true })));
  });

  it("refuses to delete a bucket holding data without forceDestroy, and empties and deletes it with it", async (context) => {
    if (skip()) return context.skip();
    const client = await connect();
    const name = bucketName(`data-${testCase.name}`);
    await run(client.create(resource(name, { versioning: { status: "Enabled" } })));
    // Several objects, a second version of one, and delete markers.
    for (const key of ["a.txt", "b.txt", "dir/c.txt", "a.txt"]) await s3.send(new PutObjectCommand({ Bucket: name, Key: key, Body: `content of ${key}` }));
    await s3.send(new DeleteObjectCommand({ Bucket: name, Key: "b.txt" }));
    await s3.send(new DeleteObjectCommand({ Bucket: name, Key: "dir/c.txt" }));
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: name }));
    expect(listed.Versions?.length).toBe(4);
    expect(listed.DeleteMarkers?.length).toBe(2);

    const refused = await failure(client.delete(resource(name, { forceDestroy: false })));
    expect(refused.reason._tag).toBe("Conflict");
    expect(refused.reason.message).toBe(`bucket ${name} is not empty; set spec.forProvider.forceDestroy: true to delete it with its contents`);
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket: name }))).Versions?.length).toBe(4);

    await run(client.delete(resource(name, { forceDestroy: true })));
    const head = await s3.send(new HeadBucketCommand({ Bucket: name })).then(
      () => 200,
      (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode,
    );
    expect(head).toBe(404);
    expect(await run(client.observe(resource(name, {})))).toEqual({ exists: false });
  });

  it("refuses a bucket made directly at the provider, changes nothing there, and adopts it only with the opt-in (forceDestroy then empties it only with AdoptWithForceDestroy)", async (context) => {
    if (skip()) return context.skip();
    const client = await connect();
    const name = bucketName(`outside-${testCase.name}`);
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    await s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: "team", Value: "ops" }] } }));
    await s3.send(new PutObjectCommand({ Bucket: name, Key: "precious.txt", Body: "not the controller's" }));

    const spec: Partial<BucketParameters> = { versioning: { status: "Enabled" }, forceDestroy: true };
    for (const verb of [client.observe, client.update, client.delete]) {
      const refused = await failure(verb(resource(name, spec)));
      expect(refused.reason._tag).toBe("OwnedByOther");
      expect(refused.reason.message).toContain(`bucket ${name} exists but was not created by this Bucket`);
    }
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: name }))).Status).toBeUndefined();
    expect(sortedTags((await s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet)).toEqual({ team: "ops" });
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket: name }))).Versions?.length).toBe(1);

    const adopting = resource(name, { ...spec, adoption: "Adopt" });
    expect(await run(client.observe(adopting))).toMatchObject({ exists: true, upToDate: false, drift: ["ownership tag", "versioning"] });
    await run(client.update(adopting));
    expect(sortedTags((await s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet)).toEqual({ team: "ops", [bucketOwnerTag]: `adopted:${uid}` });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: name }))).Status).toBe("Enabled");
    // Another resource cannot adopt it now: it is this one's.
    expect((await failure(client.observe(resource(name, { adoption: "AdoptWithForceDestroy" }, { uid: "someone-else" })))).reason.message).toContain("belongs to another Bucket");

    const kept = await failure(client.delete(adopting));
    expect(kept.reason._tag).toBe("Conflict");
    expect(kept.reason.message).toContain("was adopted");
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket: name }))).Versions?.length).toBe(1);
    await run(client.delete(resource(name, { ...spec, adoption: "AdoptWithForceDestroy" })));
    expect(await run(client.observe(resource(name, {})))).toEqual({ exists: false });
  });

  it("deletes a bucket that does not exist without complaint", async (context) => {
    if (skip()) return context.skip();
    const client = await connect();
    await run(client.delete(resource(bucketName(`missing-${testCase.name}`), {})));
    await run(client.delete(resource(bucketName(`missing-${testCase.name}`), { forceDestroy: true })));
  });

  it("answers Unauthorized to wrong credentials, from checkAccount and from observe", async (context) => {
    if (skip()) return context.skip();
    const wrong = accountOf(testCase.name, store, "wrong-secret-access-key");
    expect((await failure(testCase.provider.checkAccount(wrong))).reason._tag).toBe("Unauthorized");
    const client = await run(testCase.provider.bucket(wrong));
    const observed = await failure(client.observe(resource(bucketName(`auth-${testCase.name}`), { versioning: { status: "Enabled" } })));
    expect(observed.reason._tag).toBe("Unauthorized");
    // Deterministic and secret-free: the same answer twice, without the key.
    const again = await failure(client.observe(resource("auth-fixed-name", {})));
    expect(again.message).toBe((await failure(client.observe(resource("auth-fixed-name", {})))).message);
    expect(again.message).not.toContain("wrong-secret-access-key");
  });

  it("refuses an invalid bucket name with InvalidSpec, before any call", async (context) => {
    if (skip()) return context.skip();
    const client = await connect();
    const error = await failure(client.observe(resource("Not_A_Valid_Bucket", {})));
    expect(error.reason._tag).toBe("InvalidSpec");
    expect(error.reason.message).toContain("crossplane.io/external-name");
    expect((await failure(client.create(resource("Not_A_Valid_Bucket", {})))).reason._tag).toBe("InvalidSpec");
  });

  it.skipIf(testCase.unsupported === undefined)("refuses an unsupported field with Unsupported naming it, and creates nothing", async (context) => {
    if (skip() || testCase.unsupported === undefined) return context.skip();
    const client = await connect();
    const name = bucketName(`unsupported-${testCase.name}`);
    const bucket = resource(name, testCase.unsupported.forProvider);
    const observed = await failure(client.observe(bucket));
    expect(observed.reason).toMatchObject({ _tag: "Unsupported", field: testCase.unsupported.field, provider: testCase.name });
    expect(observed.reason.message).toContain(`${testCase.unsupported.field}`);
    expect(observed.reason.message).toContain(`is not supported by ${testCase.name}`);
    expect((await failure(client.create(bucket))).reason._tag).toBe("Unsupported");
    const head = await s3.send(new HeadBucketCommand({ Bucket: name })).then(
      () => 200,
      (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode,
    );
    expect(head).toBe(404);
  });
});
