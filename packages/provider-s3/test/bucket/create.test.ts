import { assert, describe, it } from "@effect/vitest";
import { Effect } from "effect";
import { bucketOwnerTag } from "@cloud37/core";
import { genericDialect } from "../../src/dialect.ts";
import { makeMemoryS3 } from "../../src/memoryS3.ts";
import { bucket, bucketUid, memoryClient, recording } from "../fixtures.ts";

describe("create", () => {
  it.effect("creates the bucket and applies every configured sub-resource in the documented order", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryClient();
      const { operations } = yield* recording(
        client.create(
          bucket("full", {
            tags: { team: "data" },
            lifecycle: { rules: [{ id: "r", status: "Enabled", expiration: { days: 1 } }] },
            versioning: { status: "Enabled" },
            encryption: { algorithm: "AES256" },
          }),
        ),
      );
      // The ownership mark comes first, right after the bucket, with the user's tags in the same write.
      assert.deepStrictEqual(operations, [
        "CreateBucket",
        "GetBucketTagging",
        "PutBucketTagging",
        "PutBucketVersioning",
        "PutBucketEncryption",
        "PutBucketLifecycleConfiguration",
      ]);
      assert.strictEqual(memory.buckets.get("full")?.versioning, "Enabled");
      assert.deepStrictEqual(memory.buckets.get("full")?.tags, [
        { Key: bucketOwnerTag, Value: bucketUid },
        { Key: "team", Value: "data" },
      ]);
    }),
  );

  it.effect("where CreateBucket refuses a bucket already owned, trusts its success: no tag read, and reports what it applied", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryClient({ dialect: { ...genericDialect, createRefusesOwnedBucket: () => true } });
      const { value, operations } = yield* recording(client.create(bucket("fresh", { tags: { team: "data" }, versioning: { status: "Enabled" } })));
      assert.deepStrictEqual(operations, ["CreateBucket", "PutBucketTagging", "PutBucketVersioning"]);
      assert.deepStrictEqual(memory.buckets.get("fresh")?.tags, [
        { Key: bucketOwnerTag, Value: bucketUid },
        { Key: "team", Value: "data" },
      ]);
      assert.deepStrictEqual(value.applied?.lateInitialized, { region: "us-east-1" });
      assert.strictEqual(value.applied?.atProvider.region, "us-east-1");
      // Already there (BucketAlreadyOwnedByYou): its mark is read and checked before anything is written.
      const again = yield* recording(client.create(bucket("fresh", { tags: { team: "data" } }, { uid: "another-uid" })).pipe(Effect.flip));
      assert.strictEqual(again.value.reason._tag, "OwnedByOther");
      assert.deepStrictEqual(again.operations, ["CreateBucket", "GetBucketTagging"]);
    }),
  );

  it.effect("succeeds when the bucket is already ours (idempotent)", () =>
    Effect.gen(function* () {
      const { client } = yield* memoryClient();
      yield* client.create(bucket("twice"));
      yield* client.create(bucket("twice", { tags: { a: "1" } }));
      const observed = yield* client.observe(bucket("twice", { tags: { a: "1" } }));
      assert.isTrue(observed.exists && observed.upToDate);
    }),
  );

  it.effect("fails with Conflict when another account owns the name", () =>
    Effect.gen(function* () {
      const memory = makeMemoryS3();
      memory.foreign.add("taken");
      const { client } = yield* memoryClient({ memory });
      const error = yield* Effect.flip(client.create(bucket("taken")));
      assert.strictEqual(error.reason._tag, "Conflict");
      assert.strictEqual(error.operation, "CreateBucket");
    }),
  );

  it.effect("sends no LocationConstraint in us-east-1 and asks for object lock when the spec does", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryClient();
      // The in-memory S3 refuses a us-east-1 LocationConstraint, as AWS does.
      yield* client.create(bucket("locked", { objectLockEnabled: true }));
      assert.isTrue(memory.buckets.get("locked")?.objectLock);
    }),
  );
});
