import { describe, expect, it } from "@effect/vitest";
import { Duration, Effect } from "effect";
import { TestClock } from "effect/testing";
import { externalError, InvalidEndpoint, Unauthorized, type Provider, type ProviderName } from "@cloud37/core";
import { bucketBinding, clusterProviderConfigType } from "../../src/kinds.ts";
import { makeProviderConfigReconciler } from "../../src/reconciler/providerConfig.ts";
import { FakeKube } from "../fakes/kube.ts";
import { FakeProvider } from "../fakes/provider.ts";

const bucketType = bucketBinding.type;

const setup = () => {
  const kube = new FakeKube();
  const fake = new FakeProvider();
  kube.putDefaultProviderConfig();
  const reconcile = makeProviderConfigReconciler({
    type: clusterProviderConfigType,
    kube: kube.api,
    cache: kube.cache(clusterProviderConfigType),
    managed: [kube.cache(bucketType)],
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
  return { kube, fake, reconcile: () => reconcile("default"), condition, users, addBucket };
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

  it.effect("writes a changed count of users at most every 5 s, and a changed condition at once", () =>
    Effect.gen(function* () {
      const t = setup();
      t.addBucket("a");
      yield* t.reconcile();
      expect(t.users()).toBe(1);
      const writes = t.kube.writes;
      t.addBucket("b");
      t.addBucket("c");
      // Within 5 s of the last status write: the count waits, and the config comes back when it may be written.
      const waiting = yield* t.reconcile();
      expect(t.kube.writes).toBe(writes);
      expect(waiting).toMatchObject({ _tag: "done", requeueAfter: Duration.seconds(5) });
      yield* TestClock.adjust("5 seconds");
      yield* t.reconcile();
      expect(t.users()).toBe(3);
      // A failing check is reported at once, whatever the interval.
      t.fake.failNext.check = externalError("GetCallerIdentity", new Unauthorized({ message: "InvalidClientTokenId (HTTP 403)" }));
      yield* TestClock.adjust("60 seconds");
      t.addBucket("d");
      yield* t.reconcile();
      expect(t.condition("Ready")?.status).toBe("False");
      expect(t.users()).toBe(4);
    }));
});
