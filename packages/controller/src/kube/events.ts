import { randomBytes } from "node:crypto";
import { Clock, Effect, Fiber, References } from "effect";
import type { KubeHttp } from "./http.ts";
import { CoreTypes, apiVersionOf, resourcePath } from "./paths.ts";
import type { EventRecord, KubeError, KubeObject, ResourceType } from "./types.ts";

/** Options of the event recorder. */
export interface EventRecorderOptions {
  /** `source.component` / `reportingComponent` of every Event. */
  readonly component?: string;
  /** `reportingInstance`, e.g. the pod name. */
  readonly instance?: string;
  /** Repeats within this window bump the existing Event's count (default 10 minutes). */
  readonly windowMillis?: number;
  /** At most this many distinct events are remembered for aggregation (default 4096). */
  readonly maxEntries?: number;
  /** At most this many events wait to be written; more are dropped (default 1000). */
  readonly maxPending?: number;
}

interface Seen {
  readonly name: string;
  readonly namespace: string;
  count: number;
  readonly firstTimestamp: string;
  lastMillis: number;
}

/** Event messages are capped like the API server's (1 KiB). */
const MAX_MESSAGE = 1024;

/**
 * Records core/v1 Events, aggregating repeats: the same (object, type, reason, message) within
 * the window patches count and lastTimestamp of the Event already written, so a resource that
 * fails the same way on every poll does not create an Event per poll.
 */
export const makeEventRecorder = (kube: KubeHttp, options: EventRecorderOptions = {}) => {
  const component = options.component ?? "cloud37-s3-provider";
  const windowMillis = options.windowMillis ?? 10 * 60_000;
  const maxEntries = options.maxEntries ?? 4096;
  // Insertion order doubles as age order: re-inserting on each use keeps it LRU.
  const seen = new Map<string, Seen>();

  const create = (type: ResourceType, object: KubeObject, event: EventRecord, message: string, key: string, now: number) =>
    Effect.gen(function* () {
      // Cluster-scoped objects get their Events in "default", as kubectl expects.
      const namespace = object.metadata.namespace ?? "default";
      const name = `${object.metadata.name}.${randomBytes(8).toString("hex")}`;
      const timestamp = new Date(now).toISOString();
      yield* kube.request({
        operation: "create events",
        resource: "events",
        method: "POST",
        path: resourcePath(CoreTypes.event, namespace),
        body: {
          apiVersion: "v1",
          kind: "Event",
          metadata: { name, namespace },
          involvedObject: {
            apiVersion: object.apiVersion || apiVersionOf(type),
            kind: object.kind || type.kind,
            name: object.metadata.name,
            ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }),
            uid: object.metadata.uid,
            resourceVersion: object.metadata.resourceVersion,
          },
          type: event.type,
          reason: event.reason,
          message,
          source: { component },
          reportingComponent: component,
          reportingInstance: options.instance ?? component,
          firstTimestamp: timestamp,
          lastTimestamp: timestamp,
          count: 1,
        },
      });
      seen.delete(key);
      seen.set(key, { name, namespace, count: 1, firstTimestamp: timestamp, lastMillis: now });
      while (seen.size > maxEntries) seen.delete(seen.keys().next().value as string);
    });

  const record = (type: ResourceType, object: KubeObject, event: EventRecord): Effect.Effect<void, KubeError> =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis;
      const message = event.message.length > MAX_MESSAGE ? event.message.slice(0, MAX_MESSAGE - 3) + "..." : event.message;
      const key = JSON.stringify([object.metadata.uid, event.type, event.reason, message]);
      const previous = seen.get(key);
      if (previous === undefined || now - previous.lastMillis > windowMillis) return yield* create(type, object, event, message, key, now);
      const patched = yield* kube
        .request({
          operation: "patch events",
          resource: "events",
          method: "PATCH",
          path: resourcePath(CoreTypes.event, previous.namespace, previous.name),
          body: { count: previous.count + 1, lastTimestamp: new Date(now).toISOString() },
        })
        .pipe(
          Effect.as(true),
          // The Event expired (the API server keeps them for an hour): start a new one.
          Effect.catchIf((error) => error.reason === "NotFound", () => Effect.succeed(false)),
        );
      if (!patched) return yield* create(type, object, event, message, key, now);
      previous.count += 1;
      previous.lastMillis = now;
      seen.delete(key);
      seen.set(key, previous);
    });

  return { record, ...inBackground(record, options.maxPending ?? 1000) };
};

/**
 * Events are written off the reconcile's path, as client-go's event broadcaster does: `record`
 * queues the event and returns, one writer sends them in order (so repeats still aggregate),
 * and when more than `maxPending` wait, new ones are dropped rather than slowing reconciles or
 * growing memory. An Event is a report, never a step a reconcile depends on. `flush` waits for
 * the queue to empty (at shutdown).
 */
const inBackground = (write: (type: ResourceType, object: KubeObject, event: EventRecord) => Effect.Effect<void, KubeError>, maxPending: number) => {
  const pending: Array<Effect.Effect<void, KubeError>> = [];
  let draining = false;
  let writer: Fiber.Fiber<void> | undefined;
  let dropped = 0;

  // Taking the next event and finding none happen in one synchronous step, so an event queued
  // meanwhile either is taken or starts a new writer.
  const drain = Effect.gen(function* () {
    for (;;) {
      const next = pending.shift();
      if (next === undefined) break;
      yield* Effect.exit(next); // a failed write is not retried: the next occurrence will be
    }
    draining = false;
    if (dropped > 0) yield* Effect.logWarning("events dropped: too many were waiting to be written", { dropped });
    dropped = 0;
  }).pipe(
    Effect.onInterrupt(() => Effect.sync(() => (draining = false))),
    // The writer serves every reconcile: its logs carry none of the annotations (controller,
    // key) of the one that happened to start it.
    Effect.provideService(References.CurrentLogAnnotations, {}),
  );

  const recordInBackground = (type: ResourceType, object: KubeObject, event: EventRecord): Effect.Effect<void> =>
    Effect.suspend(() => {
      if (pending.length >= maxPending) {
        dropped += 1;
        return Effect.void;
      }
      pending.push(write(type, object, event));
      if (draining) return Effect.void;
      draining = true;
      // Detached: the writer outlives the reconcile that started it (and inherits its logger).
      return Effect.map(Effect.forkDetach(drain), (fiber) => {
        writer = fiber;
      });
    });

  const flush: Effect.Effect<void> = Effect.suspend(() => (writer === undefined ? Effect.void : Effect.asVoid(Fiber.await(writer))));

  return { recordInBackground, flush };
};
