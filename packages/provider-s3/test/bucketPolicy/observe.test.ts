import { assert, describe, it } from "@effect/vitest";
import { Effect } from "effect";
import { s3Error } from "../../src/memoryS3.ts";
import { bucket, bucketPolicy, memoryClient, memoryPolicyClient, recording } from "../fixtures.ts";

const read = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::pol-bucket/*" };
const document = { Version: "2012-10-17", Statement: [read] };

/** A policy client and a bucket `pol-bucket` in one in-memory S3. */
const withBucket = Effect.gen(function* () {
  const { client: buckets, memory } = yield* memoryClient();
  yield* buckets.create(bucket("pol-bucket"));
  return yield* memoryPolicyClient({ memory });
});

describe("bucket policy observe", () => {
  it.effect("reports no policy as absent, with one GetBucketPolicy", () =>
    Effect.gen(function* () {
      const { client } = yield* withBucket;
      const { value, operations } = yield* recording(client.observe(bucketPolicy("pol-bucket", document)));
      assert.deepStrictEqual(value, { exists: false });
      assert.deepStrictEqual(operations, ["GetBucketPolicy"]);
    }),
  );

  it.effect("reports a semantically equal policy as up to date, with the bucket name", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* withBucket;
      const stored = memory.buckets.get("pol-bucket");
      if (stored === undefined) return assert.fail("no bucket");
      // Written the way MinIO answers: lists everywhere, Principal as {AWS: [*]}.
      stored.policy = JSON.stringify({ Statement: [{ Resource: [read.Resource], Action: [read.Action], Principal: { AWS: ["*"] }, Effect: "Allow" }], Version: "2012-10-17" });
      const observed = yield* client.observe(bucketPolicy("pol-bucket", document));
      assert.deepStrictEqual(observed, { exists: true, upToDate: true, drift: [], atProvider: { bucketName: "pol-bucket" } });
    }),
  );

  it.effect("reports another document as drift, and changes nothing", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* withBucket;
      const other = JSON.stringify({ Version: "2012-10-17", Statement: [{ ...read, Action: "s3:*" }] });
      const stored = memory.buckets.get("pol-bucket");
      if (stored === undefined) return assert.fail("no bucket");
      stored.policy = other;
      const observed = yield* client.observe(bucketPolicy("pol-bucket", document));
      assert.isTrue(observed.exists && !observed.upToDate);
      assert.deepStrictEqual(observed.exists && observed.drift, ["policy"]);
      assert.strictEqual(stored.policy, other);
    }),
  );

  it.effect("fails NotFound naming the bucket when it does not exist (the controller waits)", () =>
    Effect.gen(function* () {
      const { client } = yield* memoryPolicyClient();
      const error = yield* Effect.flip(client.observe(bucketPolicy("missing", document)));
      assert.deepInclude(error.reason, { _tag: "NotFound", message: "bucket missing does not exist" });
      assert.strictEqual(error.operation, "GetBucketPolicy");
    }),
  );

  it.effect("refuses a malformed document before any call, with the validation message", () =>
    Effect.gen(function* () {
      const { client } = yield* withBucket;
      const { value: error, operations } = yield* recording(Effect.flip(client.observe(bucketPolicy("pol-bucket", { Version: "2012-10-17", Statement: [] }))));
      assert.deepInclude(error.reason, {
        _tag: "InvalidSpec",
        message: "spec.forProvider.policy.Statement must be an object or a non-empty array of objects",
      });
      assert.deepStrictEqual(operations, []);
    }),
  );

  it.effect("keeps other failures as they are (AccessDenied is Unauthorized, not a missing bucket)", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* withBucket;
      memory.failNext.set("getBucketPolicy", s3Error("AccessDenied", 403));
      const error = yield* Effect.flip(client.observe(bucketPolicy("pol-bucket", document)));
      assert.strictEqual(error.reason._tag, "Unauthorized");
    }),
  );
});
