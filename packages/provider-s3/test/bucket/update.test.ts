import { assert, describe, it } from "@effect/vitest";
import { Effect } from "effect";
import { bucketOwnerTag, type BucketParameters } from "@cloud37/core";
import { bucket, bucketUid, memoryClient, recording } from "../fixtures.ts";

const spec: Partial<BucketParameters> = { region: "us-east-1", versioning: { status: "Enabled" }, tags: { team: "data" }, encryption: { algorithm: "AES256" } };

describe("update", () => {
  it.effect("applies only the drifted sub-resources", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryClient();
      yield* client.create(bucket("bkt", spec));
      const stored = memory.buckets.get("bkt");
      if (stored === undefined) return assert.fail("not created");
      stored.tags = [{ Key: "team", Value: "other" }, { Key: bucketOwnerTag, Value: bucketUid }];
      const { operations } = yield* recording(client.update(bucket("bkt", spec)));
      assert.deepStrictEqual(operations.filter((operation) => !operation.startsWith("Get")), ["PutBucketTagging"]);
      const observed = yield* client.observe(bucket("bkt", spec));
      assert.isTrue(observed.exists && observed.upToDate);
      // The tag write kept the ownership mark.
      assert.deepInclude(memory.buckets.get("bkt")?.tags ?? [], { Key: bucketOwnerTag, Value: bucketUid });
    }),
  );

  it.effect("removes tags, rules and CORS when the spec asks for empty ones", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryClient();
      const full: Partial<BucketParameters> = {
        region: "us-east-1",
        tags: { a: "1" },
        lifecycle: { rules: [{ id: "r", status: "Enabled", expiration: { days: 1 } }] },
        cors: { rules: [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }] },
      };
      yield* client.create(bucket("bkt", full));
      const empty: Partial<BucketParameters> = { region: "us-east-1", tags: {}, lifecycle: { rules: [] }, cors: { rules: [] } };
      const { operations } = yield* recording(client.update(bucket("bkt", empty)));
      // No tag of the user's is left; the ownership mark stays.
      assert.deepStrictEqual(operations.filter((operation) => !operation.startsWith("Get")), ["DeleteBucketLifecycle", "DeleteBucketCors", "PutBucketTagging"]);
      const stored = memory.buckets.get("bkt");
      assert.deepStrictEqual(stored?.tags, [{ Key: bucketOwnerTag, Value: bucketUid }]);
      assert.isUndefined(stored?.lifecycle);
      assert.isUndefined(stored?.cors);
    }),
  );

  it.effect("fails with NotFound when the bucket vanished since observe", () =>
    Effect.gen(function* () {
      const { client } = yield* memoryClient();
      const error = yield* Effect.flip(client.update(bucket("gone", spec)));
      assert.strictEqual(error.reason._tag, "NotFound");
    }),
  );
});
