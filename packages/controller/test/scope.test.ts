import { assert, describe, it } from "@effect/vitest";
import { Effect, Fiber, Stream } from "effect";
import type { ListWatchSource } from "../src/kube/informer.ts";
import { makeScopedInformer } from "../src/kube/scope.ts";
import { KubeError, type KubeObject, type ResourceType } from "../src/kube/types.ts";

const bucketType: ResourceType = { group: "s3.cloud37.dev", version: "v1alpha1", kind: "Bucket", plural: "buckets", namespaced: true };
const clusterConfigType: ResourceType = { group: "s3.cloud37.dev", version: "v1alpha1", kind: "ClusterProviderConfig", plural: "clusterproviderconfigs", namespaced: false };

const bucket = (namespace: string, name: string): KubeObject => ({
  apiVersion: "s3.cloud37.dev/v1alpha1",
  kind: "Bucket",
  metadata: { name, namespace, uid: `uid-${namespace}-${name}`, resourceVersion: "1" },
});

/**
 * A cluster holding Buckets in team-a, team-b and team-c, as the API server scopes them: a list
 * without namespace returns all of them, one with a namespace only its own. Listing `forbidden`
 * fails as RBAC would; every list and watch call is recorded as `plural@namespace`.
 */
const fakeCluster = () => {
  const objects = [bucket("team-a", "a1"), bucket("team-a", "a2"), bucket("team-b", "b1"), bucket("team-c", "c1")];
  const calls: Array<string> = [];
  const where = (type: ResourceType, namespace: string | undefined) => `${type.plural}@${namespace ?? "*"}`;
  const source: ListWatchSource = {
    list: (type, namespace) =>
      Effect.suspend(() => {
        calls.push(`list ${where(type, namespace)}`);
        if (namespace === "forbidden") return Effect.fail(new KubeError({ operation: "list buckets", status: 403, reason: "Forbidden", message: "forbidden" }));
        const items = type.plural === "buckets" ? objects.filter((object) => namespace === undefined || object.metadata.namespace === namespace) : [];
        return Effect.succeed({ items, resourceVersion: "10" });
      }),
    watch: (type, namespace) => Stream.unwrap(Effect.sync(() => (calls.push(`watch ${where(type, namespace)}`), Stream.never))),
  };
  return { source, calls };
};

const settle = Effect.gen(function* () {
  for (let i = 0; i < 30; i++) yield* Effect.yieldNow;
});

const names = (objects: ReadonlyArray<KubeObject>) => objects.map((object) => `${object.metadata.namespace}/${object.metadata.name}`).sort();

describe("watch scope", () => {
  it.effect.each([
    { why: "no namespace list watches every namespace with one list-watch", type: bucketType, namespaces: [], calls: ["list buckets@*", "watch buckets@*"] },
    {
      why: "a namespace list gives one list-watch per namespace",
      type: bucketType,
      namespaces: ["team-a", "team-b"],
      calls: ["list buckets@team-a", "list buckets@team-b", "watch buckets@team-a", "watch buckets@team-b"],
    },
    { why: "a cluster-scoped type is watched cluster-wide whatever the list", type: clusterConfigType, namespaces: ["team-a"], calls: ["list clusterproviderconfigs@*", "watch clusterproviderconfigs@*"] },
  ])("$why", ({ type, namespaces, calls }) =>
    Effect.gen(function* () {
      const cluster = fakeCluster();
      const informer = yield* makeScopedInformer(cluster.source, type, namespaces);
      const fiber = yield* Effect.forkChild(informer.run);
      yield* informer.awaitSynced;
      yield* settle;
      assert.deepStrictEqual(cluster.calls.sort(), calls.sort());
      yield* Fiber.interrupt(fiber);
    }));

  it.effect("joins the namespaces into one cache: get by key, list of all, handlers of every namespace", () =>
    Effect.gen(function* () {
      const cluster = fakeCluster();
      const informer = yield* makeScopedInformer(cluster.source, bucketType, ["team-a", "team-b"]);
      const added: Array<string> = [];
      informer.addHandlers({ onAdd: (object) => Effect.sync(() => void added.push(`${object.metadata.namespace}/${object.metadata.name}`)) });
      const fiber = yield* Effect.forkChild(informer.run);
      yield* informer.awaitSynced;
      assert.isTrue(informer.hasSynced());
      assert.deepStrictEqual(names(informer.list()), ["team-a/a1", "team-a/a2", "team-b/b1"], "team-c is not watched");
      assert.deepStrictEqual(added.sort(), ["team-a/a1", "team-a/a2", "team-b/b1"]);
      assert.strictEqual(informer.get("team-b/b1")?.metadata.uid, "uid-team-b-b1");
      assert.isUndefined(informer.get("team-c/c1"), "an unwatched namespace");
      assert.isUndefined(informer.get("b1"), "a key without namespace");
      // An index covers every watched namespace: here, the Buckets by the first letter of their name.
      const byLetter = informer.index((object) => [object.metadata.name.slice(0, 1)]);
      assert.deepStrictEqual(names(byLetter("a")), ["team-a/a1", "team-a/a2"]);
      assert.deepStrictEqual(names(byLetter("b")), ["team-b/b1"]);
      assert.deepStrictEqual(names(byLetter("c")), [], "team-c is not watched");
      yield* Fiber.interrupt(fiber);
    }));

  it.effect("has not synced while one namespace cannot be listed, and still serves the others", () =>
    Effect.gen(function* () {
      const cluster = fakeCluster();
      const informer = yield* makeScopedInformer(cluster.source, bucketType, ["team-a", "forbidden"]);
      const fiber = yield* Effect.forkChild(informer.run);
      yield* settle;
      assert.isFalse(informer.hasSynced(), "readiness waits for every namespace");
      assert.deepStrictEqual(names(informer.list()), ["team-a/a1", "team-a/a2"]);
      assert.include(cluster.calls, "watch buckets@team-a");
      yield* Fiber.interrupt(fiber);
    }));
});
