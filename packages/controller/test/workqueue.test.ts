import { assert, describe, it } from "@effect/vitest";
import { Deferred, Duration, Effect, Fiber } from "effect";
import { TestClock } from "effect/testing";
import { backoffMillis, makeWorkQueue } from "../src/queue/workqueue.ts";
import { makeMetrics } from "../src/observability/metrics.ts";

/** Lets forked fibers run up to their next suspension. */
const settle = Effect.gen(function* () {
  for (let i = 0; i < 20; i++) yield* Effect.yieldNow;
});

describe("work queue", () => {
  it.effect("dedups a key that is already waiting", () =>
    Effect.gen(function* () {
      const queue = yield* makeWorkQueue({ name: "t", workers: 1 });
      yield* queue.add("a");
      yield* queue.add("a");
      yield* queue.add("b");
      assert.strictEqual(queue.depth(), 2);
      const seen: Array<string> = [];
      const fiber = yield* Effect.forkChild(queue.run((key) => Effect.sync(() => void seen.push(key))));
      yield* settle;
      yield* queue.shutdown;
      yield* Fiber.join(fiber);
      assert.deepStrictEqual(seen, ["a", "b"]);
    }));

  it.effect("never processes one key on two workers; an add while processing runs it once more", () =>
    Effect.gen(function* () {
      const queue = yield* makeWorkQueue({ name: "t", workers: 4 });
      let active = 0;
      let maxActive = 0;
      let runs = 0;
      const gate = yield* Deferred.make<void>();
      const fiber = yield* Effect.forkChild(
        queue.run(() =>
          Effect.gen(function* () {
            active++;
            maxActive = Math.max(maxActive, active);
            runs++;
            if (runs === 1) yield* Deferred.await(gate);
            active--;
          }),
        ),
      );
      yield* queue.add("a");
      yield* settle;
      // Dirty while processing: three adds collapse into one more run, after the first ends.
      yield* queue.add("a");
      yield* queue.add("a");
      yield* queue.add("a");
      yield* settle;
      assert.strictEqual(runs, 1);
      yield* Deferred.succeed(gate, undefined);
      yield* settle;
      assert.strictEqual(runs, 2);
      assert.strictEqual(maxActive, 1);
      yield* queue.shutdown;
      yield* Fiber.join(fiber);
    }));

  it.effect("bounds concurrency to the number of workers", () =>
    Effect.gen(function* () {
      const queue = yield* makeWorkQueue({ name: "t", workers: 3 });
      let active = 0;
      let maxActive = 0;
      const fiber = yield* Effect.forkChild(
        queue.run(() =>
          Effect.gen(function* () {
            active++;
            maxActive = Math.max(maxActive, active);
            yield* Effect.sleep("1 second");
            active--;
          }),
        ),
      );
      for (let i = 0; i < 10; i++) yield* queue.add(`k${i}`);
      yield* settle;
      assert.strictEqual(active, 3);
      yield* TestClock.adjust("5 seconds");
      yield* settle;
      assert.strictEqual(maxActive, 3);
      assert.strictEqual(queue.depth(), 0);
      yield* queue.shutdown;
      yield* Fiber.join(fiber);
    }));

  it("computes backoff that doubles from the base and stops at the cap", () => {
    const table: Array<[failures: number, millis: number]> = [
      [1, 1000],
      [2, 2000],
      [3, 4000],
      [9, 256_000],
      [10, 300_000],
      [100, 300_000],
    ];
    for (const [failures, millis] of table) assert.strictEqual(backoffMillis(failures, 1000, 300_000), millis, `failure ${failures}`);
  });

  it.effect("backs off failures per key with jitter within [0.8, 1]·backoff, capped, and forget resets", () =>
    Effect.gen(function* () {
      const metrics = makeMetrics({ defaultMetrics: false });
      const queue = yield* makeWorkQueue({ name: "t", workers: 1, metrics });
      const seen: Array<number> = [];
      const fiber = yield* Effect.forkChild(queue.run(() => Effect.sync(() => void seen.push(1))));
      // Each failure's requeue fires no earlier than 0.8·backoff and no later than backoff.
      for (let failure = 1; failure <= 12; failure++) {
        const before = seen.length;
        yield* queue.addRateLimited("a");
        const full = backoffMillis(failure, 1000, 300_000);
        yield* TestClock.adjust(Duration.millis(Math.floor(full * 0.8) - 1));
        yield* settle;
        assert.strictEqual(seen.length, before, `failure ${failure} fired too early`);
        yield* TestClock.adjust(Duration.millis(full - Math.floor(full * 0.8) + 1));
        yield* settle;
        assert.strictEqual(seen.length, before + 1, `failure ${failure} did not fire by ${full}ms`);
      }
      assert.strictEqual(queue.failures("a"), 12);
      yield* queue.forget("a");
      assert.strictEqual(queue.failures("a"), 0);
      const retries = yield* Effect.promise(() => metrics.workqueueRetries.get());
      assert.strictEqual(retries.values[0]?.value, 12);
      yield* queue.shutdown;
      yield* Fiber.join(fiber);
    }));

  it.effect("addAfter fires within ±10% of the delay and keeps the earliest time per key", () =>
    Effect.gen(function* () {
      const queue = yield* makeWorkQueue({ name: "t", workers: 1 });
      const seen: Array<string> = [];
      const fiber = yield* Effect.forkChild(queue.run((key) => Effect.sync(() => void seen.push(key))));
      for (let round = 0; round < 20; round++) {
        yield* queue.addAfter("poll", "60 seconds");
        // A later request for the same key does not postpone the earlier one.
        yield* queue.addAfter("poll", "120 seconds");
        yield* TestClock.adjust("53999 millis");
        yield* settle;
        assert.strictEqual(seen.length, round, "fired before 90% of the delay");
        yield* TestClock.adjust("12002 millis");
        yield* settle;
        assert.strictEqual(seen.length, round + 1, "did not fire by 110% of the delay");
        // Let the superseded 120s request lapse without firing.
        yield* TestClock.adjust("200 seconds");
        yield* settle;
        assert.strictEqual(seen.length, round + 1, "a superseded delayed add fired");
      }
      yield* queue.shutdown;
      yield* Fiber.join(fiber);
    }));

  it.effect("shutdown waits for in-flight work, then drops waiting and delayed keys", () =>
    Effect.gen(function* () {
      const queue = yield* makeWorkQueue({ name: "t", workers: 1 });
      const finished: Array<string> = [];
      const fiber = yield* Effect.forkChild(
        queue.run((key) => Effect.sleep("10 seconds").pipe(Effect.andThen(Effect.sync(() => void finished.push(key))))),
      );
      yield* queue.add("a");
      yield* queue.add("b");
      yield* queue.addAfter("c", "1 second");
      yield* settle;
      const stopping = yield* Effect.forkChild(queue.shutdown);
      yield* settle;
      assert.isUndefined(stopping.pollUnsafe(), "shutdown returned while a key was in flight");
      yield* queue.add("d");
      yield* TestClock.adjust("1 minute");
      yield* Fiber.join(stopping);
      yield* Fiber.join(fiber);
      assert.deepStrictEqual(finished, ["a"]);
    }));
});

