import { assert, describe, it } from "@effect/vitest";
import { Deferred, Duration, Effect, Exit, Fiber, Queue, Stream } from "effect";
import { TestClock } from "effect/testing";
import type { ListWatchSource, WatchEvent } from "../src/kube/informer.ts";
import { KubeError, type KubeApi, type KubeObject, type ResourceType } from "../src/kube/types.ts";
import type { LeaseStore, StoredLease } from "../src/leader/lease.ts";
import { makeMetrics } from "../src/observability/metrics.ts";
import { makeManager, type ManagerOptions } from "../src/runtime/manager.ts";
import type { ReconcileResult } from "../src/runtime/types.ts";

const bucketType: ResourceType = { group: "s3.cloud37.dev", version: "v1alpha1", kind: "Bucket", plural: "buckets", namespaced: true };
const configType: ResourceType = { group: "s3.cloud37.dev", version: "v1alpha1", kind: "ProviderConfig", plural: "providerconfigs", namespaced: true };

const obj = (kind: string, name: string, resourceVersion: string, generation = 1, spec: unknown = {}): KubeObject => ({
  apiVersion: "s3.cloud37.dev/v1alpha1",
  kind,
  metadata: { name, namespace: "ns", uid: `uid-${name}`, resourceVersion, generation },
  spec,
});

/** A list/watch source whose watches stay open and deliver what the test emits. */
const fakeCluster = Effect.gen(function* () {
  const initial = new Map<string, Array<KubeObject>>();
  const channels = new Map<string, Queue.Queue<WatchEvent>>();
  const channel = (plural: string) =>
    Effect.gen(function* () {
      const existing = channels.get(plural);
      if (existing !== undefined) return existing;
      const created = yield* Queue.unbounded<WatchEvent>();
      channels.set(plural, created);
      return created;
    });
  const source: ListWatchSource = {
    list: (type) => Effect.succeed({ items: initial.get(type.plural) ?? [], resourceVersion: "1" }),
    watch: (type) => Stream.unwrap(Effect.map(channel(type.plural), (queue) => Stream.fromQueue(queue))),
  };
  return {
    source,
    seed: (type: ResourceType, objects: Array<KubeObject>) => void initial.set(type.plural, objects),
    emit: (type: ResourceType, event: WatchEvent) => Effect.flatMap(channel(type.plural), (queue) => Queue.offer(queue, event)),
  };
});

// The manager itself only flushes events; the reconcilers under test never call the API.
const noKube = { flushEvents: Effect.void } as KubeApi;

const settle = Effect.gen(function* () {
  for (let i = 0; i < 50; i++) yield* Effect.yieldNow;
});

const baseOptions: ManagerOptions = { maxConcurrentReconciles: 2, shutdownTimeout: "10 seconds", handleSignals: false };

describe("manager", () => {
  it.effect("reconciles cached keys after sync, on changes and triggers, polls, retries and survives defects", () =>
    Effect.gen(function* () {
      const cluster = yield* fakeCluster;
      cluster.seed(bucketType, [obj("Bucket", "a", "1"), obj("Bucket", "b", "1")]);
      cluster.seed(configType, [obj("ProviderConfig", "default", "1")]);
      const metrics = makeMetrics({ defaultMetrics: false });
      const manager = yield* makeManager({ kubeApi: noKube, listWatch: cluster.source, metrics }, baseOptions);
      const calls: Array<string> = [];
      const results: Record<string, () => Effect.Effect<ReconcileResult>> = {
        a: () => Effect.succeed({ _tag: "done", requeueAfter: Duration.seconds(60) }),
        b: () => Effect.succeed({ _tag: "done" }),
        c: () => Effect.succeed({ _tag: "retry", reason: "Throttled" }),
        d: () => Effect.die(new Error("bug in reconcile")),
      };
      manager.register({
        name: "bucket",
        type: bucketType,
        reconcile: (key) => Effect.suspend(() => (calls.push(key), results[key.split("/")[1]!]!())),
        triggers: [{ type: configType, keysFor: () => ["ns/b"] }],
      });
      const cache = manager.informer(bucketType);
      const running = yield* Effect.forkChild(manager.run);
      yield* settle;
      assert.isTrue(manager.isReady());
      assert.deepStrictEqual(calls.sort(), ["ns/a", "ns/b"], "every cached key once after sync");
      assert.strictEqual(cache.list().length, 2);

      // A status-only update (same generation) does not reconcile; a spec change does.
      calls.length = 0;
      yield* cluster.emit(bucketType, { type: "MODIFIED", object: { ...obj("Bucket", "b", "2"), status: { x: 1 } } });
      yield* settle;
      assert.deepStrictEqual(calls, []);
      yield* cluster.emit(bucketType, { type: "MODIFIED", object: obj("Bucket", "b", "3", 2) });
      yield* settle;
      // A trigger maps a ProviderConfig change to its buckets.
      yield* cluster.emit(configType, { type: "MODIFIED", object: obj("ProviderConfig", "default", "2") });
      yield* settle;
      assert.deepStrictEqual(calls, ["ns/b", "ns/b"]);

      // "a" polls every 60s (±10%); "c" retries with growing backoff; "d" dies and is backed off too.
      calls.length = 0;
      yield* cluster.emit(bucketType, { type: "ADDED", object: obj("Bucket", "c", "4") });
      yield* cluster.emit(bucketType, { type: "ADDED", object: obj("Bucket", "d", "5") });
      yield* settle;
      yield* TestClock.adjust("66 seconds");
      yield* settle;
      assert.strictEqual(calls.filter((k) => k === "ns/a").length, 1, "one poll of a within 66s");
      assert.isAtLeast(calls.filter((k) => k === "ns/c").length, 5, "c retried with short backoffs");
      assert.isAtLeast(calls.filter((k) => k === "ns/d").length, 5, "d was retried after each defect");
      const totals = yield* Effect.promise(() => metrics.reconcileTotal.get());
      const byResult = Object.fromEntries(totals.values.map((v) => [v.labels["result"], v.value]));
      assert.isAbove(byResult["error"] ?? 0, 0);
      assert.isAbove(byResult["retry"] ?? 0, 0);
      assert.isAbove(byResult["requeue"] ?? 0, 0);

      yield* manager.stop;
      yield* Fiber.join(running);
    }));

  it.effect("a trigger's changed predicate filters updates, while adds always trigger", () =>
    Effect.gen(function* () {
      const cluster = yield* fakeCluster;
      cluster.seed(bucketType, [obj("Bucket", "b", "1")]);
      cluster.seed(configType, [obj("ProviderConfig", "default", "1")]);
      const manager = yield* makeManager({ kubeApi: noKube, listWatch: cluster.source, metrics: makeMetrics({ defaultMetrics: false }) }, baseOptions);
      const calls: Array<string> = [];
      manager.register({
        name: "bucket",
        type: bucketType,
        reconcile: (key) =>
          Effect.sync((): ReconcileResult => {
            calls.push(key);
            return { _tag: "done" };
          }),
        triggers: [{ type: configType, keysFor: () => ["ns/b"], changed: (previous, object) => previous.metadata.generation !== object.metadata.generation }],
      });
      const running = yield* Effect.forkChild(manager.run);
      yield* settle;
      calls.length = 0;
      // A status-only change of the config (same generation) wakes nobody…
      yield* cluster.emit(configType, { type: "MODIFIED", object: { ...obj("ProviderConfig", "default", "2"), status: { users: 5 } } });
      yield* settle;
      assert.deepStrictEqual(calls, []);
      // …a spec change does, and so does a new config.
      yield* cluster.emit(configType, { type: "MODIFIED", object: obj("ProviderConfig", "default", "3", 2) });
      yield* settle;
      yield* cluster.emit(configType, { type: "ADDED", object: obj("ProviderConfig", "other", "4") });
      yield* settle;
      assert.deepStrictEqual(calls, ["ns/b", "ns/b"]);
      yield* manager.stop;
      yield* Fiber.join(running);
    }));

  it.effect("with watch namespaces, reconciles only what is in them, and still follows cluster-scoped triggers", () =>
    Effect.gen(function* () {
      const clusterConfigType: ResourceType = { ...configType, kind: "ClusterProviderConfig", plural: "clusterproviderconfigs", namespaced: false };
      const inNamespace = (namespace: string, name: string): KubeObject => {
        const bucket = obj("Bucket", name, "1");
        return { ...bucket, metadata: { ...bucket.metadata, namespace } };
      };
      const buckets = [inNamespace("team-a", "a"), inNamespace("team-b", "b"), inNamespace("team-c", "c")];
      const scopes: Array<string> = [];
      const watches = new Map<string, Queue.Queue<WatchEvent>>();
      const source: ListWatchSource = {
        list: (type, namespace) =>
          Effect.sync(() => {
            scopes.push(`${type.plural}@${namespace ?? "*"}`);
            const items = type.namespaced ? buckets.filter((bucket) => namespace === undefined || bucket.metadata.namespace === namespace) : [obj("ClusterProviderConfig", "default", "1")];
            return { items, resourceVersion: "1" };
          }),
        watch: (type, namespace) =>
          Stream.unwrap(
            Effect.map(Queue.unbounded<WatchEvent>(), (queue) => {
              watches.set(`${type.plural}@${namespace ?? "*"}`, queue);
              return Stream.fromQueue(queue);
            }),
          ),
      };
      const manager = yield* makeManager(
        { kubeApi: noKube, listWatch: source, metrics: makeMetrics({ defaultMetrics: false }) },
        { ...baseOptions, watchNamespaces: ["team-a", "team-b"] },
      );
      const calls: Array<string> = [];
      manager.register({
        name: "bucket",
        type: bucketType,
        reconcile: (key) => Effect.sync((): ReconcileResult => (calls.push(key), { _tag: "done" })),
        triggers: [{ type: clusterConfigType, keysFor: () => ["team-a/a"] }],
      });
      const running = yield* Effect.forkChild(manager.run);
      yield* settle;
      assert.isTrue(manager.isReady());
      assert.deepStrictEqual(scopes.sort(), ["buckets@team-a", "buckets@team-b", "clusterproviderconfigs@*"]);
      assert.deepStrictEqual(calls.sort(), ["team-a/a", "team-b/b"], "team-c is left alone");
      calls.length = 0;
      yield* Queue.offer(watches.get("buckets@team-b")!, { type: "ADDED", object: inNamespace("team-b", "new") });
      yield* Queue.offer(watches.get("clusterproviderconfigs@*")!, { type: "MODIFIED", object: obj("ClusterProviderConfig", "default", "2") });
      yield* settle;
      assert.deepStrictEqual(calls.sort(), ["team-a/a", "team-b/new"]);
      yield* manager.stop;
      yield* Fiber.join(running);
    }));

  it.effect("a graceful stop lets the in-flight reconcile finish, writes its events and releases the lease", () =>
    Effect.gen(function* () {
      const cluster = yield* fakeCluster;
      let eventsFlushed = false;
      const kubeApi = { flushEvents: Effect.sync(() => void (eventsFlushed = true)) } as KubeApi;
      cluster.seed(bucketType, [obj("Bucket", "slow", "1")]);
      let lease: StoredLease | undefined;
      let version = 0;
      const leaseStore: LeaseStore = {
        get: Effect.sync(() => lease),
        create: (spec) => Effect.sync(() => (lease = { spec, resourceVersion: String(++version) })),
        update: (spec) => Effect.sync(() => (lease = { spec, resourceVersion: String(++version) })),
      };
      const manager = yield* makeManager(
        { kubeApi, listWatch: cluster.source, leaseStore, metrics: makeMetrics({ defaultMetrics: false }) },
        { ...baseOptions, leaderElection: { identity: "me" } },
      );
      const started = yield* Deferred.make<void>();
      let finished = false;
      manager.register({
        name: "bucket",
        type: bucketType,
        reconcile: () =>
          Deferred.succeed(started, undefined).pipe(
            Effect.andThen(Effect.sleep("5 seconds")),
            Effect.andThen(Effect.sync(() => (finished = true))),
            Effect.as({ _tag: "done" } as const),
          ),
      });
      const running = yield* Effect.forkChild(manager.run);
      yield* Deferred.await(started);
      assert.isTrue(manager.isLeader());
      assert.strictEqual(lease?.spec.holderIdentity, "me");
      yield* manager.stop;
      yield* TestClock.adjust("5 seconds");
      const exit = yield* Fiber.await(running);
      assert.isTrue(Exit.isSuccess(exit));
      assert.isTrue(finished, "the in-flight reconcile finished");
      assert.isTrue(eventsFlushed, "the queued events were written");
      assert.strictEqual(lease?.spec.holderIdentity, "", "the lease was released");
    }));

  it.effect("a standby is ready, does not reconcile, and fails run when it loses leadership after winning", () =>
    Effect.gen(function* () {
      const cluster = yield* fakeCluster;
      cluster.seed(bucketType, [obj("Bucket", "a", "1")]);
      let lease: StoredLease | undefined = {
        spec: { holderIdentity: "other", leaseDurationSeconds: 15, renewTime: new Date(0).toISOString() },
        resourceVersion: "1",
      };
      let version = 1;
      let down = false;
      const leaseStore: LeaseStore = {
        get: Effect.suspend(() => (down ? Effect.fail(new KubeError({ operation: "get", status: 0, reason: "Transport", message: "unreachable" })) : Effect.succeed(lease))),
        create: () => Effect.die("unexpected create"),
        update: (spec) => Effect.sync(() => (lease = { spec, resourceVersion: String(++version) })),
      };
      const manager = yield* makeManager(
        { kubeApi: noKube, listWatch: cluster.source, leaseStore, metrics: makeMetrics({ defaultMetrics: false }) },
        { ...baseOptions, leaderElection: { identity: "me" } },
      );
      let reconciles = 0;
      manager.register({ name: "bucket", type: bucketType, reconcile: () => Effect.sync(() => reconciles++).pipe(Effect.as({ _tag: "done" } as const)) });
      const running = yield* Effect.forkChild(manager.run);
      // "other" keeps renewing for a minute: we stand by, ready, without reconciling.
      for (let i = 0; i < 30; i++) {
        lease = { ...lease!, resourceVersion: String(++version) };
        yield* TestClock.adjust("2 seconds");
      }
      assert.isTrue(manager.isReady());
      assert.isFalse(manager.isLeader());
      assert.strictEqual(reconciles, 0);
      // "other" stops renewing: we take over and reconcile.
      yield* TestClock.adjust("20 seconds");
      yield* settle;
      assert.isTrue(manager.isLeader());
      assert.strictEqual(reconciles, 1);
      // The API server becomes unreachable: past the renew deadline, run fails.
      down = true;
      yield* TestClock.adjust("12 seconds");
      const exit = yield* Fiber.await(running);
      assert.isTrue(Exit.isFailure(exit));
      assert.include(JSON.stringify(exit), "LeadershipLost");
    }));
});
