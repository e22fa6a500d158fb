import { Cause, Clock, Deferred, Duration, Effect, Fiber, Queue, Random, type Scope } from "effect";
import type { MetricsShape } from "../observability/metrics.ts";
import type { ObjectKey } from "../runtime/types.ts";

/** How a work queue behaves. */
export interface WorkQueueOptions {
  /** The controller's name, for metrics and logs. */
  readonly name: string;
  /** How many keys are processed at once (different keys only). */
  readonly workers: number;
  /** First failure backoff (default 1s); doubles per consecutive failure. */
  readonly baseDelay?: Duration.Input;
  /** Largest failure backoff (default 5 minutes). */
  readonly maxDelay?: Duration.Input;
  /** Relative jitter of `addAfter` delays (default 0.1, i.e. ±10%). */
  readonly jitter?: number;
  readonly metrics?: MetricsShape;
}

/**
 * A per-key work queue in the manner of client-go's: a key waits at most once, is never processed
 * by two workers at once (an add while it is processed runs it again afterwards), failures back
 * off per key, and delayed adds keep only the earliest time per key.
 */
export interface WorkQueue {
  /** Queues the key now (no-op when it is already waiting or after shutdown). */
  readonly add: (key: ObjectKey) => Effect.Effect<void>;
  /** Queues the key after `delay`, jittered by ±`jitter` so polls of many objects spread out. */
  readonly addAfter: (key: ObjectKey, delay: Duration.Input) => Effect.Effect<void>;
  /** Queues the key after its failure backoff, and counts the failure. */
  readonly addRateLimited: (key: ObjectKey) => Effect.Effect<void>;
  /** Resets the key's failure backoff (after a success). */
  readonly forget: (key: ObjectKey) => Effect.Effect<void>;
  /** Consecutive failures recorded for the key. */
  readonly failures: (key: ObjectKey) => number;
  /** Keys waiting to be processed now (not counting delayed ones). */
  readonly depth: () => number;
  /** Runs the workers until shutdown; each key is handed to `process`, whose failures are logged. */
  readonly run: (process: (key: ObjectKey) => Effect.Effect<void>) => Effect.Effect<void>;
  /** Stops taking work, drops waiting and delayed keys, and waits for in-flight keys to finish. */
  readonly shutdown: Effect.Effect<void>;
}

/** The failure backoff of the n-th consecutive failure (n ≥ 1) before jitter: base·2^(n-1), capped. */
export const backoffMillis = (failures: number, baseMillis: number, maxMillis: number): number =>
  Math.min(maxMillis, baseMillis * 2 ** Math.min(failures - 1, 52));

/** Creates a work queue whose delayed adds live in the current scope. */
export const makeWorkQueue = Effect.fnUntraced(function* (options: WorkQueueOptions): Effect.fn.Return<WorkQueue, never, Scope.Scope> {
  const scope = yield* Effect.scope;
  const baseMillis = Duration.toMillis(Duration.fromInputUnsafe(options.baseDelay ?? "1 second"));
  const maxMillis = Duration.toMillis(Duration.fromInputUnsafe(options.maxDelay ?? "5 minutes"));
  const jitter = options.jitter ?? 0.1;
  const labels = { controller: options.name };

  const ready = yield* Queue.unbounded<ObjectKey, Cause.Done>();
  /** Keys that need processing: waiting in `ready`, or added again while being processed. */
  const dirty = new Set<ObjectKey>();
  const processing = new Set<ObjectKey>();
  const delayed = new Map<ObjectKey, { readonly at: number; readonly fiber: Fiber.Fiber<void> }>();
  const failureCounts = new Map<ObjectKey, number>();
  let shuttingDown = false;
  let running = false;
  const stopped = yield* Deferred.make<void>();

  const updateDepth = () => options.metrics?.workqueueDepth.set(labels, Queue.sizeUnsafe(ready));

  const add = (key: ObjectKey) =>
    Effect.sync(() => {
      if (shuttingDown || dirty.has(key)) return;
      dirty.add(key);
      options.metrics?.workqueueAdds.inc(labels);
      // A key being processed is queued again when its worker is done.
      if (processing.has(key)) return;
      Queue.offerUnsafe(ready, key);
      updateDepth();
    });

  const schedule = (key: ObjectKey, millis: number) =>
    Effect.gen(function* () {
      if (shuttingDown) return;
      if (millis <= 0) return yield* add(key);
      const at = (yield* Clock.currentTimeMillis) + millis;
      const existing = delayed.get(key);
      if (existing !== undefined && existing.at <= at) return;
      if (existing !== undefined) yield* Fiber.interrupt(existing.fiber);
      const timer: Fiber.Fiber<void> = yield* Effect.sleep(Duration.millis(millis)).pipe(
        Effect.andThen(
          Effect.suspend(() => {
            if (delayed.get(key)?.fiber === timer) delayed.delete(key);
            return add(key);
          }),
        ),
        Effect.forkIn(scope, { startImmediately: true }),
      );
      // The timer may not have started before we record it; it looks itself up lazily.
      delayed.set(key, { at, fiber: timer });
    });

  const addAfter = (key: ObjectKey, delay: Duration.Input) =>
    Effect.gen(function* () {
      const millis = Duration.toMillis(Duration.fromInputUnsafe(delay));
      const factor = 1 - jitter + 2 * jitter * (yield* Random.next);
      yield* schedule(key, millis * factor);
    });

  const addRateLimited = (key: ObjectKey) =>
    Effect.gen(function* () {
      const failures = (failureCounts.get(key) ?? 0) + 1;
      failureCounts.set(key, failures);
      options.metrics?.workqueueRetries.inc(labels);
      // Jitter only shortens (down to 80%), so the cap stays a hard upper bound.
      const millis = backoffMillis(failures, baseMillis, maxMillis) * (1 - 0.2 * (yield* Random.next));
      yield* schedule(key, millis);
    });

  const done = (key: ObjectKey) =>
    Effect.sync(() => {
      processing.delete(key);
      if (!shuttingDown && dirty.has(key)) {
        Queue.offerUnsafe(ready, key);
        updateDepth();
      }
    });

  const worker = (process: (key: ObjectKey) => Effect.Effect<void>) =>
    Effect.gen(function* () {
      while (true) {
        const next = yield* Effect.result(Queue.take(ready));
        if (next._tag === "Failure") return;
        const key = next.success;
        updateDepth();
        processing.add(key);
        dirty.delete(key);
        yield* process(key).pipe(
          Effect.catchCause((cause) =>
            Cause.hasInterruptsOnly(cause) ? Effect.failCause(cause) : Effect.logError("work queue handler failed", cause),
          ),
          Effect.ensuring(done(key)),
        );
      }
    });

  const run = (process: (key: ObjectKey) => Effect.Effect<void>) =>
    Effect.gen(function* () {
      running = true;
      const fibers = yield* Effect.forEach(Array.from({ length: Math.max(1, options.workers) }), () => Effect.forkChild(worker(process)));
      yield* Fiber.joinAll(fibers);
    }).pipe(Effect.ensuring(Deferred.succeed(stopped, undefined)));

  const shutdown = Effect.gen(function* () {
    if (!shuttingDown) {
      shuttingDown = true;
      const timers = Array.from(delayed.values(), (entry) => entry.fiber);
      delayed.clear();
      yield* Fiber.interruptAll(timers);
      yield* Queue.clear(ready);
      dirty.clear();
      updateDepth();
      yield* Queue.end(ready);
    }
    if (running) yield* Deferred.await(stopped);
  });

  return {
    add,
    addAfter,
    addRateLimited,
    forget: (key) => Effect.sync(() => void failureCounts.delete(key)),
    failures: (key) => failureCounts.get(key) ?? 0,
    depth: () => Queue.sizeUnsafe(ready),
    run,
    shutdown,
  } satisfies WorkQueue;
});
