import { assert, describe, it } from "@effect/vitest";
import { Clock, Effect, Fiber, Stream } from "effect";
import { TestClock } from "effect/testing";
import { makeInformer, type ListWatchSource, type WatchEvent } from "../src/kube/informer.ts";
import { KubeError, type KubeObject, type ResourceType } from "../src/kube/types.ts";

const bucketType: ResourceType = { group: "s3.cloud37.dev", version: "v1alpha1", kind: "Bucket", plural: "buckets", namespaced: true };

const obj = (name: string, resourceVersion: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "s3.cloud37.dev/v1alpha1",
  kind: "Bucket",
  metadata: { name, namespace: "ns", uid: `uid-${name}`, resourceVersion, ...extra },
});

/** What one scripted watch does after its events: end cleanly, fail, or stay open. */
type WatchScript = { readonly events: ReadonlyArray<WatchEvent>; readonly end: "close" | "hang" | KubeError };

/** A scripted list/watch source that records the resourceVersion each watch asked for, and when (test clock). */
const fakeSource = (lists: Array<{ items: Array<KubeObject>; resourceVersion: string }>, watches: Array<WatchScript>) => {
  const watchedFrom: Array<string> = [];
  const watchedAt: Array<number> = [];
  let listCalls = 0;
  const source: ListWatchSource = {
    list: () =>
      Effect.sync(() => {
        listCalls++;
        return lists.shift() ?? { items: [], resourceVersion: "0" };
      }),
    watch: (_type, _ns, options) =>
      Stream.unwrap(
        Effect.map(Clock.currentTimeMillis, (now) => {
          watchedFrom.push(options.resourceVersion);
          watchedAt.push(now);
          const script = watches.shift() ?? { events: [], end: "hang" as const };
          const tail = script.end === "close" ? Stream.empty : script.end === "hang" ? Stream.never : Stream.fail(script.end);
          return Stream.concat(Stream.fromIterable(script.events), tail);
        }),
      ),
  };
  return { source, watchedFrom, watchedAt, listCalls: () => listCalls };
};

const settle = Effect.gen(function* () {
  for (let i = 0; i < 30; i++) yield* Effect.yieldNow;
});

const transport = new KubeError({ operation: "watch buckets", status: 0, reason: "Transport", message: "connection reset" });

describe("informer", () => {
  it.effect("lists, then watches from the list's resourceVersion; strips managedFields; skips unchanged updates", () =>
    Effect.gen(function* () {
      const fake = fakeSource(
        [{ items: [obj("a", "5", { managedFields: [{ manager: "kubectl" }] })], resourceVersion: "10" }],
        [
          {
            events: [
              { type: "MODIFIED", object: obj("a", "5") },
              { type: "ADDED", object: obj("b", "11") },
              { type: "MODIFIED", object: obj("b", "12") },
              { type: "DELETED", object: obj("a", "13") },
            ],
            end: "hang",
          },
        ],
      );
      const informer = yield* makeInformer(fake.source, bucketType);
      const log: Array<string> = [];
      informer.addHandlers({
        onAdd: (o) => Effect.sync(() => void log.push(`add ${o.metadata.name}`)),
        onUpdate: (_, o) => Effect.sync(() => void log.push(`update ${o.metadata.name}@${o.metadata.resourceVersion}`)),
        onDelete: (o) => Effect.sync(() => void log.push(`delete ${o.metadata.name}`)),
      });
      assert.isFalse(informer.hasSynced());
      const fiber = yield* Effect.forkChild(informer.run);
      yield* informer.awaitSynced;
      yield* settle;
      assert.isTrue(informer.hasSynced());
      assert.deepStrictEqual(fake.watchedFrom, ["10"]);
      assert.deepStrictEqual(log, ["add a", "add b", "update b@12", "delete a"]);
      assert.deepStrictEqual(informer.list().map((o) => o.metadata.name), ["b"]);
      assert.strictEqual(informer.get("ns/b")?.metadata.resourceVersion, "12");
      yield* Fiber.interrupt(fiber);
    }));

  it.effect("keeps an index in step with adds, updates and deletes, before any handler runs", () =>
    Effect.gen(function* () {
      const refs = (names: string) => ({ labels: { refs: names } });
      const fake = fakeSource(
        [{ items: [obj("a", "5", refs("x")), obj("b", "6", refs("x"))], resourceVersion: "10" }],
        [
          {
            events: [
              { type: "MODIFIED", object: obj("a", "11", refs("y")) },
              { type: "ADDED", object: obj("c", "12", refs("x,y")) },
              { type: "DELETED", object: obj("b", "13", refs("x")) },
            ],
            end: "hang",
          },
        ],
      );
      const informer = yield* makeInformer(fake.source, bucketType);
      const valuesOf = (o: KubeObject) => o.metadata.labels?.["refs"]?.split(",") ?? [];
      const early = informer.index(valuesOf);
      const names = (lookup: (value: string) => ReadonlyArray<KubeObject>, value: string) => lookup(value).map((o) => o.metadata.name).sort();
      // What a handler sees: a trigger looks the index up while the event is being delivered.
      const seen: Array<string> = [];
      informer.addHandlers({ onUpdate: (_, o) => Effect.sync(() => void seen.push(`${o.metadata.name}: x=${names(early, "x")} y=${names(early, "y")}`)) });
      const fiber = yield* Effect.forkChild(informer.run);
      yield* informer.awaitSynced;
      yield* settle;
      assert.deepStrictEqual(seen, ["a: x=b y=a"]);
      assert.deepStrictEqual(names(early, "x"), ["c"]);
      assert.deepStrictEqual(names(early, "y"), ["a", "c"]);
      assert.deepStrictEqual(names(early, "z"), []);
      // An index added later starts from what is cached.
      const late = informer.index(valuesOf);
      assert.deepStrictEqual(names(late, "y"), ["a", "c"]);
      yield* Fiber.interrupt(fiber);
    }));

  it.effect("strips managedFields from cached objects", () =>
    Effect.gen(function* () {
      const fake = fakeSource([{ items: [obj("a", "5", { managedFields: [{ manager: "kubectl" }] })], resourceVersion: "10" }], []);
      const informer = yield* makeInformer(fake.source, bucketType);
      const fiber = yield* Effect.forkChild(informer.run);
      yield* informer.awaitSynced;
      assert.isFalse("managedFields" in (informer.get("ns/a")?.metadata ?? {}));
      yield* Fiber.interrupt(fiber);
    }));

  it.effect("resumes from the last bookmark after a clean close", () =>
    Effect.gen(function* () {
      const fake = fakeSource(
        [{ items: [], resourceVersion: "10" }],
        [
          { events: [{ type: "ADDED", object: obj("a", "11") }, { type: "BOOKMARK", object: obj("", "50") }], end: "close" },
          { events: [], end: "hang" },
        ],
      );
      const informer = yield* makeInformer(fake.source, bucketType);
      const fiber = yield* Effect.forkChild(informer.run);
      yield* settle;
      assert.deepStrictEqual(fake.watchedFrom, ["10", "50"]);
      assert.strictEqual(fake.listCalls(), 1, "a clean close must not relist");
      yield* Fiber.interrupt(fiber);
    }));

  it.effect.each([
    { why: "an ERROR event with code 410", end: "close" as const, events: [{ type: "ERROR", object: { code: 410, reason: "Expired", message: "too old" } }] as Array<WatchEvent> },
    { why: "a 410 Gone response", end: new KubeError({ operation: "watch", status: 410, reason: "Gone", message: "gone" }), events: [] },
  ])("relists on $why and reconciles the store with the new list", ({ end, events }) =>
    Effect.gen(function* () {
      const fake = fakeSource(
        [
          { items: [obj("a", "5"), obj("b", "6")], resourceVersion: "10" },
          { items: [obj("b", "6"), obj("c", "90")], resourceVersion: "100" },
        ],
        [{ events, end }, { events: [], end: "hang" }],
      );
      const informer = yield* makeInformer(fake.source, bucketType);
      const log: Array<string> = [];
      informer.addHandlers({
        onAdd: (o) => Effect.sync(() => void log.push(`add ${o.metadata.name}`)),
        onUpdate: (_, o) => Effect.sync(() => void log.push(`update ${o.metadata.name}`)),
        onDelete: (o) => Effect.sync(() => void log.push(`delete ${o.metadata.name}`)),
      });
      const fiber = yield* Effect.forkChild(informer.run);
      yield* settle;
      assert.strictEqual(fake.listCalls(), 2);
      assert.deepStrictEqual(fake.watchedFrom, ["10", "100"]);
      assert.deepStrictEqual(log, ["add a", "add b", "add c", "delete a"]);
      yield* Fiber.interrupt(fiber);
    }));

  it.effect("restarts a failed watch from the last resourceVersion with growing, jittered backoff", () =>
    Effect.gen(function* () {
      const fake = fakeSource(
        [{ items: [], resourceVersion: "10" }],
        [
          { events: [{ type: "ADDED", object: obj("a", "11") }], end: transport },
          { events: [], end: transport },
          { events: [], end: transport },
          { events: [], end: "hang" },
        ],
      );
      const informer = yield* makeInformer(fake.source, bucketType);
      const fiber = yield* Effect.forkChild(informer.run);
      yield* settle;
      assert.deepStrictEqual(fake.watchedFrom, ["10"]);
      // Backoff n is 2^(n-1) s, jittered to [0.8, 1.2)·that, and runs from the failure of the previous
      // watch (which fails at once here, so from its start): check each window's edges relative to it.
      // The jitter is random, so the windows must not be measured from where an earlier window ended.
      for (const [attempt, seconds] of [[2, 1], [3, 2], [4, 4]] as const) {
        const failedAt = fake.watchedAt[attempt - 2]!;
        yield* TestClock.setTime(failedAt + seconds * 800 - 1);
        yield* settle;
        assert.strictEqual(fake.watchedFrom.length, attempt - 1, `watch ${attempt} started before its backoff`);
        yield* TestClock.setTime(failedAt + seconds * 1200 + 1);
        yield* settle;
        assert.strictEqual(fake.watchedFrom.length, attempt, `watch ${attempt} did not start within its backoff`);
        const waited = fake.watchedAt[attempt - 1]! - failedAt;
        assert.isTrue(waited >= seconds * 800 && waited < seconds * 1200, `watch ${attempt} waited ${waited}ms, not ${seconds}s ± 20%`);
      }
      assert.deepStrictEqual(fake.watchedFrom, ["11", "11", "11", "11"].map((rv, i) => (i === 0 ? "10" : rv)));
      assert.strictEqual(fake.listCalls(), 1, "errors other than 410 resume instead of relisting");
      yield* Fiber.interrupt(fiber);
    }));
});
