import { assert, describe, it } from "@effect/vitest";
import { Effect, Fiber } from "effect";
import { TestClock } from "effect/testing";
import { call } from "../src/call.ts";
import { s3Error } from "../src/memoryS3.ts";
import { recording } from "./fixtures.ts";

/** An operation that fails with the given errors in turn, then succeeds. */
const flaky = (errors: ReadonlyArray<unknown>) => {
  let attempts = 0;
  return {
    attempts: () => attempts,
    run: () => {
      attempts += 1;
      const error = errors[attempts - 1];
      return error === undefined ? Promise.resolve("done") : Promise.reject(error);
    },
  };
};

describe("call", () => {
  it.effect("retries a throttled call with backoff, records every attempt, and succeeds", () =>
    Effect.gen(function* () {
      const operation = flaky([s3Error("SlowDown", 503), s3Error("InternalError", 500)]);
      const fiber = yield* Effect.forkChild(recording(call("PutBucketTagging", operation.run, { provider: "aws", retry: { maxAttempts: 3, backoff: "exponential" } })));
      yield* TestClock.adjust("30 seconds");
      const { value, calls } = yield* Fiber.join(fiber);
      assert.strictEqual(value, "done");
      assert.strictEqual(operation.attempts(), 3);
      assert.deepStrictEqual(calls.map((c) => [c.operation, c.result]), [["PutBucketTagging", "Throttled"], ["PutBucketTagging", "Transient"], ["PutBucketTagging", "ok"]]);
    }),
  );

  it.effect("stops after maxAttempts and fails with the mapped reason", () =>
    Effect.gen(function* () {
      const operation = flaky([s3Error("SlowDown", 503), s3Error("SlowDown", 503), s3Error("SlowDown", 503)]);
      const fiber = yield* Effect.forkChild(Effect.flip(call("GetBucketTagging", operation.run, { provider: "aws", retry: { maxAttempts: 2, backoff: "constant" } })));
      yield* TestClock.adjust("30 seconds");
      const error = yield* Fiber.join(fiber);
      assert.strictEqual(operation.attempts(), 2);
      assert.strictEqual(error.operation, "GetBucketTagging");
      assert.strictEqual(error.reason._tag, "Throttled");
    }),
  );

  it.effect("does not retry what only a change can fix", () =>
    Effect.gen(function* () {
      const operation = flaky([s3Error("AccessDenied", 403)]);
      const error = yield* Effect.flip(call("ListBuckets", operation.run, { provider: "aws", retry: { maxAttempts: 5, backoff: "constant" } }));
      assert.strictEqual(error.reason._tag, "Unauthorized");
      assert.strictEqual(operation.attempts(), 1);
    }),
  );
});
