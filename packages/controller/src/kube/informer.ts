import { Cause, Clock, Deferred, Duration, Effect, Queue, Random, Schedule, Stream } from "effect";
import { keyOf, type IndexedCache, type ObjectKey } from "../runtime/types.ts";
import type { KubeHttp } from "./http.ts";
import { listAll } from "./list.ts";
import { makeObjectIndex, type ObjectIndex } from "./objectIndex.ts";
import { resourcePath } from "./paths.ts";
import { KubeError, type KubeObject, type ResourceType } from "./types.ts";

/** One watch event as the API server sends it. */
export type WatchEvent =
  | { readonly type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK"; readonly object: KubeObject }
  | { readonly type: "ERROR"; readonly object: { readonly code?: number; readonly reason?: string; readonly message?: string } };

/** Where an informer lists and watches: the API server, or an in-memory fake in tests. */
export interface ListWatchSource {
  readonly list: (type: ResourceType, namespace: string | undefined) => Effect.Effect<{ readonly items: ReadonlyArray<KubeObject>; readonly resourceVersion: string }, KubeError>;
  /** Events after `resourceVersion`, until the server ends the watch (at the latest after timeoutSeconds). */
  readonly watch: (
    type: ResourceType,
    namespace: string | undefined,
    options: { readonly resourceVersion: string; readonly timeoutSeconds: number },
  ) => Stream.Stream<WatchEvent, KubeError>;
}

/** Callbacks for changes of the cached objects; they run one at a time, in event order. */
export interface InformerHandlers {
  readonly onAdd?: (object: KubeObject) => Effect.Effect<void>;
  readonly onUpdate?: (previous: KubeObject, object: KubeObject) => Effect.Effect<void>;
  readonly onDelete?: (object: KubeObject) => Effect.Effect<void>;
}

/** A list-then-watch cache of one resource type. */
export interface Informer extends IndexedCache {
  readonly type: ResourceType;
  /** True once the first list has been stored. */
  readonly hasSynced: () => boolean;
  readonly awaitSynced: Effect.Effect<void>;
  /** Adds handlers; call before `run`. */
  readonly addHandlers: (handlers: InformerHandlers) => void;
  /** Lists, then watches forever: resumes from the last resourceVersion, relists on 410, backs off on errors. */
  readonly run: Effect.Effect<never>;
}

/** Options of an informer. */
export interface InformerOptions {
  /** Lists and watches one namespace; every namespace (or a cluster-scoped type) when undefined. */
  readonly namespace?: string;
  /** Server-side watch timeout, so watches rotate (default 5 minutes, jittered by up to 2x like client-go). */
  readonly timeoutSeconds?: number;
  /** Backoff between failed lists or watches (default exponential from 1s, capped at 30s, jittered). */
  readonly backoff?: Schedule.Schedule<unknown, unknown>;
}

/** Capped exponential backoff with jitter for restarting lists and watches. */
export const defaultWatchBackoff: Schedule.Schedule<unknown, unknown> = Schedule.min([
  Schedule.exponential(Duration.seconds(1)),
  Schedule.spaced(Duration.seconds(30)),
]).pipe(Schedule.jittered);

const isGone = (error: KubeError) => error.status === 410 || error.reason === "Gone" || error.reason === "Expired";

const strip = (object: KubeObject): KubeObject => {
  const metadata = object.metadata as KubeObject["metadata"] & { managedFields?: unknown };
  if (metadata.managedFields === undefined) return object;
  // managedFields are often larger than the rest of the object and never read by controllers.
  const { managedFields: _, ...rest } = metadata;
  return { ...object, metadata: rest };
};

const keyOfObject = (object: KubeObject): ObjectKey => keyOf(object.metadata.namespace, object.metadata.name);

/** Creates an informer; its cache is empty until `run` has listed. */
export const makeInformer = Effect.fnUntraced(function* (source: ListWatchSource, type: ResourceType, options: InformerOptions = {}) {
  const store = new Map<ObjectKey, KubeObject>();
  /** Indexes kept in step with the store, before any handler hears of a change. */
  const indexes: Array<ObjectIndex> = [];
  const handlers: Array<InformerHandlers> = [];
  const synced = yield* Deferred.make<void>();
  const backoffSchedule = options.backoff ?? defaultWatchBackoff;
  const baseTimeout = options.timeoutSeconds ?? 300;
  let resourceVersion = "";

  const notify = (run: (handler: InformerHandlers) => Effect.Effect<void> | undefined) =>
    Effect.forEach(handlers, (handler) => run(handler) ?? Effect.void, { discard: true }).pipe(
      Effect.catchCause((cause) => (Cause.hasInterruptsOnly(cause) ? Effect.failCause(cause) : Effect.logError("informer handler failed", cause))),
    );

  const upsert = (incoming: KubeObject) =>
    Effect.suspend(() => {
      const object = strip(incoming);
      const key = keyOfObject(object);
      const previous = store.get(key);
      store.set(key, object);
      for (const index of indexes) index.replace(key, previous, object);
      if (previous === undefined) return notify((h) => h.onAdd?.(object));
      // A relist or resync delivers objects that did not change: nothing to tell anyone.
      if (previous.metadata.resourceVersion === object.metadata.resourceVersion) return Effect.void;
      return notify((h) => h.onUpdate?.(previous, object));
    });

  const remove = (object: KubeObject) =>
    Effect.suspend(() => {
      const key = keyOfObject(object);
      const previous = store.get(key);
      store.delete(key);
      for (const index of indexes) index.replace(key, previous, undefined);
      return notify((h) => h.onDelete?.(previous ?? strip(object)));
    });

  /** Replaces the store with a fresh list: adds, updates and deletes what changed meanwhile. */
  const relist = Effect.gen(function* () {
    const listed = yield* source.list(type, options.namespace);
    const seen = new Set<ObjectKey>();
    for (const object of listed.items) {
      seen.add(keyOfObject(object));
      yield* upsert(object);
    }
    for (const [key, object] of Array.from(store)) if (!seen.has(key)) yield* remove(object);
    resourceVersion = listed.resourceVersion;
    yield* Deferred.succeed(synced, undefined);
  });

  /** One watch from the last resourceVersion; succeeds with how many events arrived when the server ends it. */
  const watchOnce = Effect.gen(function* () {
    // Jittered timeouts keep many informers from reconnecting in lockstep.
    const timeoutSeconds = Math.round(baseTimeout * (1 + (yield* Random.next)));
    let events = 0;
    yield* source.watch(type, options.namespace, { resourceVersion, timeoutSeconds }).pipe(
      Stream.runForEach((event) =>
        Effect.gen(function* () {
          events++;
          switch (event.type) {
            case "ADDED":
            case "MODIFIED":
              yield* upsert(event.object);
              break;
            case "DELETED":
              yield* remove(event.object);
              break;
            case "BOOKMARK":
              break;
            case "ERROR": {
              const status = event.object;
              return yield* new KubeError({
                operation: `watch ${type.plural}`,
                status: status.code ?? 500,
                reason: status.reason ?? (status.code === 410 ? "Gone" : "InternalError"),
                message: status.message ?? "watch error",
              });
            }
          }
          // Bookmarks carry only a resourceVersion: resuming from it avoids replaying history.
          resourceVersion = event.object.metadata.resourceVersion;
        }),
      ),
    );
    return events;
  });

  // Which list-watch a log line is about, when there is one per namespace.
  const where = { resource: type.plural, ...(options.namespace === undefined ? {} : { namespace: options.namespace }) };

  const run = Effect.gen(function* () {
    let backoff = yield* Schedule.toStepWithSleep(backoffSchedule);
    const resetBackoff = Effect.map(Schedule.toStepWithSleep(backoffSchedule), (step) => void (backoff = step));
    const pause = (error: KubeError) =>
      Effect.logWarning("informer backing off", { ...where, reason: error.reason, message: error.message }).pipe(
        Effect.andThen(backoff(error)),
        // The backoff schedule never ends; if a custom one does, keep its last pace.
        Effect.catchCause(() => Effect.sleep(Duration.seconds(30))),
      );
    let needList = true;
    while (true) {
      if (needList) {
        const listed = yield* Effect.result(relist);
        if (listed._tag === "Failure") {
          yield* pause(listed.failure);
          continue;
        }
        needList = false;
        yield* resetBackoff;
      }
      const started = yield* Clock.currentTimeMillis;
      const watched = yield* Effect.result(watchOnce);
      if (watched._tag === "Success") {
        // A healthy rotation restarts at once; a watch that ends instantly and empty is backed off.
        const lasted = (yield* Clock.currentTimeMillis) - started;
        if (watched.success > 0 || lasted >= 1000) yield* resetBackoff;
        else yield* pause(new KubeError({ operation: `watch ${type.plural}`, status: 0, reason: "Transport", message: "watch closed immediately" }));
      } else if (isGone(watched.failure)) {
        yield* Effect.logInfo("watch expired, relisting", where);
        needList = true;
      } else {
        yield* pause(watched.failure);
      }
    }
  });

  return {
    type,
    get: (key) => store.get(key),
    list: () => Array.from(store.values()),
    index: (valuesOf) => {
      const index = makeObjectIndex(valuesOf);
      for (const [key, object] of store) index.replace(key, undefined, object);
      indexes.push(index);
      return index.lookup;
    },
    hasSynced: () => Deferred.isDoneUnsafe(synced),
    awaitSynced: Deferred.await(synced),
    addHandlers: (h) => void handlers.push(h),
    run,
  } satisfies Informer;
});

/** The API server as a list/watch source, through the controller's transport. */
export const listWatchFromHttp = (kube: KubeHttp): ListWatchSource => ({
  list: (type, namespace) => Effect.map(listAll(kube, type, namespace), (page) => ({ items: page.items.map(strip), resourceVersion: page.resourceVersion })),
  watch: (type, namespace, options) =>
    Stream.callback<WatchEvent, KubeError>(
      (queue) =>
        kube
          .watch(
            {
              operation: `watch ${type.plural}`,
              resource: type.plural,
              path: resourcePath(type, namespace),
              query: { resourceVersion: options.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: options.timeoutSeconds },
            },
            (line) => void Queue.offerUnsafe(queue, line as WatchEvent),
          )
          .pipe(Effect.andThen(Queue.end(queue))),
      { bufferSize: Number.POSITIVE_INFINITY },
    ),
});

