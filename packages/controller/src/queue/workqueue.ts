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

/** A delayed add: the key is due at `at` (epoch millis). */
interface Due {
  readonly at: number;
  readonly key: ObjectKey;
}

/** Adds to a binary min-heap ordered by `at`. */
const heapPush = (heap: Array<Due>, entry: Due): void => {
  let index = heap.push(entry) - 1;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (heap[parent]!.at <= entry.at) break;
    heap[index] = heap[parent]!;
    index = parent;
  }
  heap[index] = entry;
};

/** Removes and returns the earliest entry of a non-empty binary min-heap. */
const heapPop = (heap: Array<Due>): Due => {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const child = left + 1 < heap.length && heap[left + 1]!.at < heap[left]!.at ? left + 1 : left;
      if (heap[child]!.at >= last.at) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = last;
  }
  return top;
};

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
  // Delayed adds: the earliest time per key, and one timer for the earliest of all. A fiber
  // per key would cost a fiber, a scope finalizer and a timer for each of thousands of polled
  // objects. Heap entries whose time is no longer the key's are skipped when they come up.
  const due = new Map<ObjectKey, number>();
  const heap: Array<Due> = [];
  let timer: { readonly at: number; fiber?: Fiber.Fiber<void> } | undefined;
  const failureCounts = new Map<ObjectKey, number>();
  let shuttingDown = false;
  let running = false;
  const stopped = yield* Deferred.make<void>();

  const updateDepth = () => options.metrics?.workqueueDepth.set(labels, Queue.sizeUnsafe(ready));

  const addNow = (key: ObjectKey): void => {
    if (shuttingDown || dirty.has(key)) return;
    dirty.add(key);
    options.metrics?.workqueueAdds.inc(labels);
    // A key being processed is queued again when its worker is done.
    if (processing.has(key)) return;
    Queue.offerUnsafe(ready, key);
    updateDepth();
  };

  const add = (key: ObjectKey) => Effect.sync(() => addNow(key));

  /**
   * Sets the timer for the earliest delayed key, unless one is set for that time or earlier.
   * Uninterruptible, like `fire`, so `timer` always names a live fiber.
   */
  const arm = (now: number): Effect.Effect<void> =>
    Effect.uninterruptible(
      Effect.gen(function* () {
        if (shuttingDown || heap.length === 0) return;
        const at = heap[0]!.at;
        if (timer !== undefined && timer.at <= at) return;
        const previous = timer;
        const entry: { readonly at: number; fiber?: Fiber.Fiber<void> } = { at };
        timer = entry;
        // The fork inherits uninterruptibility: only the sleep may be interrupted.
        const sleep = Effect.interruptible(Effect.sleep(Duration.millis(Math.max(0, at - now))));
        entry.fiber = yield* sleep.pipe(Effect.andThen(fire(entry)), Effect.forkIn(scope));
        if (previous?.fiber !== undefined) yield* Fiber.interrupt(previous.fiber);
      }),
    );

  /** Adds every key that is due, then sets the timer for the next one. */
  const fire = (entry: NonNullable<typeof timer>): Effect.Effect<void> =>
    Effect.uninterruptible(
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.suspend(() => {
          if (timer === entry) timer = undefined;
          // The timer slept until entry.at: what is due by then is due (the clock may read a hair earlier).
          const horizon = Math.max(now, entry.at);
          while (heap.length > 0 && heap[0]!.at <= horizon) {
            const { at, key } = heapPop(heap);
            // Superseded by an earlier time (which has fired or is still to come).
            if (due.get(key) !== at) continue;
            due.delete(key);
            addNow(key);
          }
          return arm(now);
        }),
      ),
    );

  const schedule = (key: ObjectKey, millis: number) =>
    Effect.gen(function* () {
      if (shuttingDown) return;
      if (millis <= 0) return yield* add(key);
      const now = yield* Clock.currentTimeMillis;
      const at = now + millis;
      const existing = due.get(key);
      if (existing !== undefined && existing <= at) return;
      due.set(key, at);
      heapPush(heap, { at, key });
      yield* arm(now);
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
      const pending = timer?.fiber;
      timer = undefined;
      due.clear();
      heap.length = 0;
      if (pending !== undefined) yield* Fiber.interrupt(pending);
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
