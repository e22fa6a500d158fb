import { assert, describe, it } from "@effect/vitest";
import { Effect } from "effect";
import { bucket, bucketPolicy, memoryClient, memoryPolicyClient, recording } from "../fixtures.ts";

const read = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::pol-bucket/*" };
const document = { Version: "2012-10-17", Statement: [read] };

describe("bucket policy update", () => {
  it.effect("repairs drift by putting the spec's document again", () =>
    Effect.gen(function* () {
      const { client: buckets, memory } = yield* memoryClient();
      yield* buckets.create(bucket("pol-bucket"));
      const { client } = yield* memoryPolicyClient({ memory });
      const stored = memory.buckets.get("pol-bucket");
      if (stored === undefined) return assert.fail("no bucket");
      stored.policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ ...read, Action: "s3:*" }] });
      const { operations } = yield* recording(client.update(bucketPolicy("pol-bucket", document)));
      assert.deepStrictEqual(operations, ["PutBucketPolicy"]);
      const observed = yield* client.observe(bucketPolicy("pol-bucket", document));
      assert.isTrue(observed.exists && observed.upToDate);
    }),
  );
});
