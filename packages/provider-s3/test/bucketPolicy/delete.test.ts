import { assert, describe, it } from "@effect/vitest";
import { Effect } from "effect";
import { s3Error } from "../../src/memoryS3.ts";
import { bucket, bucketPolicy, memoryClient, memoryPolicyClient } from "../fixtures.ts";

const document = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::pol-bucket/*" }] };

describe("bucket policy delete", () => {
  it.effect("removes the policy; observe then finds none", () =>
    Effect.gen(function* () {
      const { client: buckets, memory } = yield* memoryClient();
      yield* buckets.create(bucket("pol-bucket"));
      const { client } = yield* memoryPolicyClient({ memory });
      yield* client.create(bucketPolicy("pol-bucket", document));
      yield* client.delete(bucketPolicy("pol-bucket", document));
      assert.strictEqual(memory.buckets.get("pol-bucket")?.policy, undefined);
      assert.deepStrictEqual(yield* client.observe(bucketPolicy("pol-bucket", document)), { exists: false });
    }),
  );

  it.effect.each([
    { failure: s3Error("NoSuchBucketPolicy", 404), why: "a store that answers NoSuchBucketPolicy (not AWS's 204) has nothing to delete" },
    { failure: s3Error("NoSuchBucket", 404), why: "a bucket that is gone took its policy with it" },
  ])("succeeds when $why", ({ failure }) =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryPolicyClient();
      memory.failNext.set("deleteBucketPolicy", failure);
      yield* client.delete(bucketPolicy("pol-bucket", document));
    }),
  );

  it.effect("deletes even when the document is malformed: a bad spec must not block deletion", () =>
    Effect.gen(function* () {
      const { client: buckets, memory } = yield* memoryClient();
      yield* buckets.create(bucket("pol-bucket"));
      const { client } = yield* memoryPolicyClient({ memory });
      yield* client.delete(bucketPolicy("pol-bucket", { Statement: "nonsense" }));
    }),
  );

  it.effect("keeps other failures (AccessDenied)", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryPolicyClient();
      memory.failNext.set("deleteBucketPolicy", s3Error("AccessDenied", 403));
      assert.strictEqual((yield* Effect.flip(client.delete(bucketPolicy("pol-bucket", document)))).reason._tag, "Unauthorized");
    }),
  );
});
