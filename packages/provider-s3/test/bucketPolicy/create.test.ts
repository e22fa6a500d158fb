import { assert, describe, it } from "@effect/vitest";
import { Effect } from "effect";
import { s3Error } from "../../src/memoryS3.ts";
import { bucket, bucketPolicy, memoryClient, memoryPolicyClient, recording } from "../fixtures.ts";

const read = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::pol-bucket/*" };
const document = { Version: "2012-10-17", Statement: [read] };

describe("bucket policy create", () => {
  it.effect("puts the document with one PutBucketPolicy; observe then finds it up to date", () =>
    Effect.gen(function* () {
      const { client: buckets, memory } = yield* memoryClient();
      yield* buckets.create(bucket("pol-bucket"));
      const { client } = yield* memoryPolicyClient({ memory });
      const { value, operations } = yield* recording(client.create(bucketPolicy("pol-bucket", document)));
      assert.deepStrictEqual(value, {});
      assert.deepStrictEqual(operations, ["PutBucketPolicy"]);
      assert.deepStrictEqual(JSON.parse(memory.buckets.get("pol-bucket")?.policy ?? ""), document);
      const observed = yield* client.observe(bucketPolicy("pol-bucket", document));
      assert.isTrue(observed.exists && observed.upToDate);
    }),
  );

  it.effect("is idempotent: creating twice leaves one policy", () =>
    Effect.gen(function* () {
      const { client: buckets, memory } = yield* memoryClient();
      yield* buckets.create(bucket("pol-bucket"));
      const { client } = yield* memoryPolicyClient({ memory });
      yield* client.create(bucketPolicy("pol-bucket", document));
      yield* client.create(bucketPolicy("pol-bucket", document));
      assert.deepStrictEqual(JSON.parse(memory.buckets.get("pol-bucket")?.policy ?? ""), document);
    }),
  );

  it.effect("fails NotFound naming a missing bucket", () =>
    Effect.gen(function* () {
      const { client } = yield* memoryPolicyClient();
      const error = yield* Effect.flip(client.create(bucketPolicy("missing", document)));
      assert.deepInclude(error.reason, { _tag: "NotFound", message: "bucket missing does not exist" });
    }),
  );

  it.effect("sends nothing for a malformed document", () =>
    Effect.gen(function* () {
      const { client } = yield* memoryPolicyClient();
      const { value: error, operations } = yield* recording(Effect.flip(client.create(bucketPolicy("pol-bucket", { Statement: [{ ...read, Action: undefined }] }))));
      assert.strictEqual(error.reason._tag, "InvalidSpec");
      assert.deepStrictEqual(operations, []);
    }),
  );

  it.effect("reports a store's MalformedPolicy as InvalidSpec (only a spec change helps)", () =>
    Effect.gen(function* () {
      const { client: buckets, memory } = yield* memoryClient();
      yield* buckets.create(bucket("pol-bucket"));
      const { client } = yield* memoryPolicyClient({ memory });
      memory.failNext.set("putBucketPolicy", s3Error("MalformedPolicy", 400));
      const error = yield* Effect.flip(client.create(bucketPolicy("pol-bucket", document)));
      assert.strictEqual(error.reason._tag, "InvalidSpec");
    }),
  );
});
