import { assert, describe, it } from "@effect/vitest";
import { Effect } from "effect";
import { bucketOwnerTag, type BucketParameters } from "@cloud37/core";
import { makeMemoryS3, s3Error } from "../../src/memoryS3.ts";
import { bucket, bucketUid, memoryClient, recording } from "../fixtures.ts";

const full: Partial<BucketParameters> = {
  region: "us-east-1",
  versioning: { status: "Enabled" },
  encryption: { algorithm: "AES256" },
  publicAccessBlock: { blockPublicAcls: true },
  lifecycle: { rules: [{ id: "r", status: "Enabled", expiration: { days: 1 } }] },
  cors: { rules: [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }] },
  tags: { team: "data" },
};

describe("observe", () => {
  it.effect.each([
    { forProvider: { region: "us-east-1" }, reads: ["GetBucketTagging"], why: "nothing configured: the tags (the ownership mark) prove existence, no HeadBucket" },
    { forProvider: {}, reads: ["GetBucketLocation", "GetBucketTagging"], why: "no region: the location read late-initializes it" },
    { forProvider: { region: "us-east-1", tags: { a: "1" } }, reads: ["GetBucketTagging"], why: "the tags sub-resource shares the one read of the ownership mark" },
    { forProvider: { region: "us-east-1", objectLockEnabled: false }, reads: ["GetBucketTagging", "GetObjectLockConfiguration"], why: "object lock is read only when the spec sets it" },
    {
      forProvider: full,
      reads: ["GetBucketCors", "GetBucketEncryption", "GetBucketLifecycleConfiguration", "GetBucketTagging", "GetBucketVersioning", "GetPublicAccessBlock"],
      why: "one read per configured sub-resource, no more",
    },
  ] satisfies ReadonlyArray<{ forProvider: Partial<BucketParameters>; reads: ReadonlyArray<string>; why: string }>)("reads $reads: $why", ({ forProvider, reads }) =>
    Effect.gen(function* () {
      const { client } = yield* memoryClient();
      yield* client.create(bucket("reads", full));
      const { value, operations } = yield* recording(client.observe(bucket("reads", forProvider)));
      assert.strictEqual(value.exists, true);
      assert.deepStrictEqual([...operations].sort(), [...reads].sort());
    }),
  );

  it.effect("looks a bucket never seen before up with one HeadBucket: absent costs one call, present reads as usual", () =>
    Effect.gen(function* () {
      const { client } = yield* memoryClient();
      const absent = yield* recording(client.observe(bucket("new", full, { seenBefore: false })));
      assert.deepStrictEqual(absent.value, { exists: false });
      assert.deepStrictEqual(absent.operations, ["HeadBucket"]);
      yield* client.create(bucket("new", { region: "us-east-1" }));
      const present = yield* recording(client.observe(bucket("new", { region: "us-east-1" }, { seenBefore: false })));
      assert.strictEqual(present.value.exists, true);
      assert.deepStrictEqual(present.operations, ["HeadBucket", "GetBucketTagging"]);
    }),
  );

  it.effect("reports an absent bucket, whichever read noticed", () =>
    Effect.gen(function* () {
      const { client } = yield* memoryClient();
      assert.deepStrictEqual(yield* client.observe(bucket("absent", full)), { exists: false });
      assert.deepStrictEqual(yield* client.observe(bucket("absent", { region: "us-east-1" })), { exists: false });
    }),
  );

  it.effect("reports facts: up to date, atProvider, late-initialized region, connection details", () =>
    Effect.gen(function* () {
      const { client } = yield* memoryClient();
      yield* client.create(bucket("facts", { tags: { a: "1" } }));
      const observed = yield* client.observe(bucket("facts", { tags: { a: "1" } }));
      assert.isTrue(observed.exists);
      if (!observed.exists) return;
      assert.isTrue(observed.upToDate);
      assert.deepStrictEqual(observed.atProvider, {
        arn: "arn:aws:s3:::facts",
        region: "us-east-1",
        endpoint: "https://s3.example.test",
        bucketDomainName: "s3.example.test",
      });
      assert.deepStrictEqual(observed.lateInitialized, { region: "us-east-1" });
      assert.deepStrictEqual(Object.keys(observed.connectionDetails ?? {}).sort(), ["bucket", "endpoint", "region"]);
    }),
  );

  it.effect("names the drifted sub-resources, and changes nothing", () =>
    Effect.gen(function* () {
      const memory = makeMemoryS3();
      const { client } = yield* memoryClient({ memory });
      yield* client.create(bucket("drift", full));
      const stored = memory.buckets.get("drift");
      if (stored === undefined) return assert.fail("not created");
      stored.versioning = "Suspended";
      stored.tags = [...(stored.tags ?? []).filter((tag) => tag.Key !== bucketOwnerTag), { Key: "team", Value: "other" }, { Key: bucketOwnerTag, Value: bucketUid }];
      const { value, operations } = yield* recording(client.observe(bucket("drift", full)));
      assert.deepStrictEqual(value.exists && value.drift, ["versioning", "tags"]);
      assert.isTrue(value.exists && !value.upToDate);
      assert.isTrue(operations.every((operation) => operation.startsWith("Get")));
      assert.strictEqual(stored.versioning, "Suspended");
    }),
  );

  it.effect("fails with InvalidSpec when object lock differs from the bucket (it cannot change after creation)", () =>
    Effect.gen(function* () {
      const { client } = yield* memoryClient();
      yield* client.create(bucket("locked", { objectLockEnabled: true }));
      const error = yield* Effect.flip(client.observe(bucket("locked", { objectLockEnabled: false })));
      assert.strictEqual(error.reason._tag, "InvalidSpec");
      assert.include(error.reason.message, "can only be chosen when the bucket is created");
      const observed = yield* client.observe(bucket("locked", { objectLockEnabled: true }));
      assert.isTrue(observed.exists && observed.upToDate);
    }),
  );

  it.effect("reports a sub-resource API the server lacks as Unsupported, naming the spec field", () =>
    Effect.gen(function* () {
      const memory = makeMemoryS3();
      const { client } = yield* memoryClient({ memory });
      yield* client.create(bucket("plain"));
      memory.failNext.set("getBucketCors", s3Error("NotImplemented", 501));
      const error = yield* Effect.flip(client.observe(bucket("plain", { cors: { rules: [] } })));
      assert.deepInclude(error.reason, { _tag: "Unsupported", field: "spec.forProvider.cors", provider: "generic", message: "spec.forProvider.cors is not supported by generic" });
    }),
  );

  it.effect("validates before reading: an invalid name is InvalidSpec and makes no call", () =>
    Effect.gen(function* () {
      const { client } = yield* memoryClient();
      const { value, operations } = yield* recording(Effect.flip(client.observe(bucket("Bad_Name", full))));
      assert.strictEqual(value.reason._tag, "InvalidSpec");
      assert.deepStrictEqual(operations, []);
    }),
  );
});
