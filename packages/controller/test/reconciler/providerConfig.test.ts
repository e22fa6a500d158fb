import { describe, expect, it } from "@effect/vitest";
import { Duration, Effect } from "effect";
import { TestClock } from "effect/testing";
import { externalError, InvalidEndpoint, Unauthorized, type Provider, type ProviderName } from "@cloud37/core";
import { bucketBinding, clusterProviderConfigType } from "../../src/kinds.ts";
import { makeProviderConfigReconciler } from "../../src/reconciler/providerConfig.ts";
import type { Cache } from "../../src/runtime/types.ts";
import { FakeKube } from "../fakes/kube.ts";
import { FakeProvider } from "../fakes/provider.ts";

const bucketType = bucketBinding.type;

const setup = () => {
  const kube = new FakeKube();
  const fake = new FakeProvider();
  kube.putDefaultProviderConfig();
  // Counts how often the reconciler reads every Bucket (each read is as long as the fleet).
  const buckets = kube.cache(bucketType);
  let bucketListings = 0;
  const countedBuckets: Cache = { get: (key) => buckets.get(key), list: () => (bucketListings++, buckets.list()) };
  // The config as the informer shows it; `freezeConfig` keeps showing it as it is now, as an
  // informer does until the watch event of the reconciler's own write arrives.
  const configs = kube.cache(clusterProviderConfigType);
  let frozen: ReturnType<Cache["get"]>;
  const laggingConfigs: Cache = { get: (key) => frozen ?? configs.get(key), list: () => configs.list() };
  const reconcile = makeProviderConfigReconciler({
    type: clusterProviderConfigType,
    kube: kube.api,
    cache: laggingConfigs,
    managed: [countedBuckets],
    providers: new Map<ProviderName, Provider>([["minio", fake.provider]]),
    pollInterval: Duration.seconds(60),
  });
  const condition = (type: string) =>
    (kube.cache(clusterProviderConfigType).get("default")?.status as { conditions?: Array<{ type: string; status: string; reason: string; message?: string }> } | undefined)?.conditions?.find(
      (c) => c.type === type,
    );
  const users = () => (kube.cache(clusterProviderConfigType).get("default")?.status as { users?: number } | undefined)?.users;
  const addBucket = (name: string) =>
    kube.put(bucketType, { apiVersion: "s3.cloud37.dev/v1alpha1", kind: "Bucket", metadata: { name, namespace: "team" }, spec: { providerConfigRef: { kind: "ClusterProviderConfig", name: "default" } } });
  const freezeConfig = () => {
    frozen = configs.get("default");
  };
  return { kube, fake, reconcile: () => reconcile("default"), condition, users, addBucket, bucketListings: () => bucketListings, freezeConfig };
};

describe("ProviderConfig checks", () => {
  it.effect("reads a TLS failure as an endpoint problem, not as rejected credentials", () =>
    Effect.gen(function* () {
      const t = setup();
      t.fake.failNext.check = externalError("GetCallerIdentity", new InvalidEndpoint({ message: "TLS verification of the endpoint failed: DEPTH_ZERO_SELF_SIGNED_CERT" }));
      yield* t.reconcile();
      expect(t.condition("EndpointReachable")).toMatchObject({ status: "False", reason: "Unreachable", message: "GetCallerIdentity: TLS verification of the endpoint failed: DEPTH_ZERO_SELF_SIGNED_CERT" });
      expect(t.condition("AuthValid")?.status).toBe("Unknown");
      expect(t.condition("Ready")?.status).toBe("False");
    }));

  it.effect("reads refused credentials as AuthValid=False with the endpoint reachable", () =>
    Effect.gen(function* () {
      const t = setup();
      t.fake.failNext.check = externalError("GetCallerIdentity", new Unauthorized({ message: "InvalidClientTokenId (HTTP 403)" }));
      yield* t.reconcile();
      expect(t.condition("AuthValid")).toMatchObject({ status: "False", reason: "CredentialsRejected" });
      expect(t.condition("EndpointReachable")?.status).toBe("True");
    }));

  it.effect("counts and writes its users at most every 5 s however often Buckets wake it, and writes a changed condition at once", () =>
    Effect.gen(function* () {
      const t = setup();
      t.addBucket("a");
      yield* t.reconcile();
      expect(t.users()).toBe(1);
      expect(t.bucketListings()).toBe(1);
      const writes = t.kube.writes;
      // Every new Bucket wakes its config; within 5 s of the last count none of them reads
      // every Bucket again, and the config comes back when the next count is due.
      for (const name of ["b", "c", "d"]) {
        t.addBucket(name);
        const waiting = yield* t.reconcile();
        expect(waiting).toMatchObject({ _tag: "done", requeueAfter: Duration.seconds(5) });
      }
      expect(t.kube.writes).toBe(writes);
      expect(t.bucketListings()).toBe(1);
      yield* TestClock.adjust("5 seconds");
      yield* t.reconcile();
      expect(t.users()).toBe(4);
      expect(t.bucketListings()).toBe(2);
      // A failing check is reported at once, whatever the interval.
      t.fake.failNext.check = externalError("GetCallerIdentity", new Unauthorized({ message: "InvalidClientTokenId (HTTP 403)" }));
      yield* TestClock.adjust("60 seconds");
      t.addBucket("e");
      yield* t.reconcile();
      expect(t.condition("Ready")?.status).toBe("False");
      expect(t.users()).toBe(5);
    }));

  it.effect("neither recounts nor rewrites when its cache has not yet seen the count it wrote", () =>
    Effect.gen(function* () {
      const t = setup();
      t.addBucket("a");
      yield* t.reconcile();
      t.addBucket("b");
      yield* TestClock.adjust("5 seconds");
      t.freezeConfig();
      yield* t.reconcile();
      expect(t.users()).toBe(2);
      expect(t.bucketListings()).toBe(2);
      const writes = t.kube.writes;
      // The cache still says 1 user: the next wake within 5 s keeps that, writes nothing and
      // comes back when the count is due.
      t.addBucket("c");
      const waiting = yield* t.reconcile();
      expect(waiting).toMatchObject({ _tag: "done", requeueAfter: Duration.seconds(5) });
      expect(t.kube.writes).toBe(writes);
      expect(t.bucketListings()).toBe(2);
    }));
});
