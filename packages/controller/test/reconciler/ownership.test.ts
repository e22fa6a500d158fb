import { describe, expect, it } from "@effect/vitest";
import { Duration, Effect } from "effect";
import { TestClock } from "effect/testing";
import { Annotations, OwnedByOther, externalError, rotationRequestAnnotation, type Provider, type ProviderName } from "@cloud37/core";
import { accessKeyConnector, genericDialect } from "@cloud37/provider-s3";
import { makeMemoryIdentity } from "@cloud37/provider-s3/testing";
import { accessKeyBinding, bucketBinding, bucketPolicyBinding, clusterProviderConfigType, providerConfigType } from "../../src/kinds.ts";
import type { KubeObject } from "../../src/kube/types.ts";
import { makeManagedReconciler, type ManagedBinding } from "../../src/reconciler/managed.ts";
import { keyOf, type Cache } from "../../src/runtime/types.ts";
import { FakeKube } from "../fakes/kube.ts";
import { FakeProvider } from "../fakes/provider.ts";

/**
 * A reconciler of one kind over the fakes: buckets in the FakeProvider, AccessKeys in an
 * in-memory identity service. `stale` makes the cache answer an old copy of the object, as an
 * informer that has not caught up would.
 */
const setup = <P, O>(binding: ManagedBinding<P, O>) => {
  const kube = new FakeKube();
  const fake = new FakeProvider();
  const identity = makeMemoryIdentity();
  kube.putDefaultProviderConfig();
  const live = kube.cache(binding.type);
  const view = { stale: undefined as KubeObject | undefined };
  const cache: Cache = { get: (key) => view.stale ?? live.get(key), list: () => live.list() };
  const buckets = kube.cache(bucketBinding.type);
  const provider: Provider = { ...fake.provider, accessKey: accessKeyConnector(genericDialect, () => Effect.succeed(identity.port)) };
  const reconcile = makeManagedReconciler({
    binding,
    kube: kube.api,
    cache,
    providerConfigs: { cluster: kube.cache(clusterProviderConfigType), namespaced: kube.cache(providerConfigType) },
    providers: new Map<ProviderName, Provider>([["minio", provider]]),
    pollInterval: Duration.seconds(60),
    references: { get: (_type, namespace, name) => buckets.get(keyOf(namespace, name)) },
  });
  const put = (name: string, spec: Record<string, unknown>, annotations?: Record<string, string>) =>
    kube.put(binding.type, {
      apiVersion: "s3.cloud37.dev/v1alpha1",
      kind: binding.type.kind,
      metadata: { name, namespace: "team", ...(annotations === undefined ? {} : { annotations }) },
      spec,
    });
  const object = (name: string) => live.get(`team/${name}`);
  const condition = (name: string, type: string) =>
    (object(name)?.status as { conditions?: Array<{ type: string; status: string; message?: string }> } | undefined)?.conditions?.find((c) => c.type === type);
  return { kube, fake, identity, view, put, object, condition, reconcile: (name: string) => reconcile(`team/${name}`) };
};

describe("connection Secrets are controllable-by", () => {
  it.effect("a second Bucket naming the same Secret gets Synced=False, creates nothing, and the Secret is untouched", () =>
    Effect.gen(function* () {
      const t = setup(bucketBinding);
      t.put("first", { forProvider: {}, writeConnectionSecretToRef: { name: "shared" } });
      yield* t.reconcile("first");
      yield* t.reconcile("first");
      expect(t.kube.secrets.get("team/shared")?.data["bucket"]).toBe("first");
      const before = JSON.stringify(t.kube.secrets.get("team/shared"));
      t.put("second", { forProvider: {}, writeConnectionSecretToRef: { name: "shared" } });
      yield* t.reconcile("second");
      expect(t.condition("second", "Synced")).toMatchObject({
        status: "False",
        message:
          "cannot publish connection details: Secret team/shared exists and is controlled by Bucket first; it was left untouched: choose another spec.writeConnectionSecretToRef.name, or delete that Secret",
      });
      expect(t.fake.calls).not.toContain("create second");
      expect(JSON.stringify(t.kube.secrets.get("team/shared"))).toBe(before);
    }));

  it.effect("a Secret nobody controls (made by hand) is not taken over", () =>
    Effect.gen(function* () {
      const t = setup(bucketBinding);
      t.kube.secrets.set("team/by-hand", { type: "Opaque", data: { note: "mine" }, owners: [] });
      t.put("taker", { forProvider: {}, writeConnectionSecretToRef: { name: "by-hand" } });
      yield* t.reconcile("taker");
      expect(t.condition("taker", "Synced")?.message).toContain("Secret team/by-hand exists and was not created by this resource (it has no controller)");
      expect(t.kube.secrets.get("team/by-hand")).toEqual({ type: "Opaque", data: { note: "mine" }, owners: [] });
      expect(t.fake.calls).toEqual([]);
    }));

  it.effect("a second AccessKey naming another's Secret makes no key at all (its secret would have nowhere to go)", () =>
    Effect.gen(function* () {
      const t = setup(accessKeyBinding);
      const grants = { buckets: [{ bucketName: "photos", access: "ReadOnly" }] };
      t.put("first", { forProvider: grants, writeConnectionSecretToRef: { name: "keys" } });
      yield* t.reconcile("first");
      const published = t.kube.secrets.get("team/keys")?.data["AWS_ACCESS_KEY_ID"];
      t.put("second", { forProvider: grants, writeConnectionSecretToRef: { name: "keys" } });
      yield* t.reconcile("second");
      expect(t.condition("second", "Synced")?.message).toContain("Secret team/keys exists and is controlled by AccessKey first");
      expect(t.identity.users.has("team-second")).toBe(false);
      expect(t.kube.secrets.get("team/keys")?.data["AWS_ACCESS_KEY_ID"]).toBe(published);
    }));
});

describe("what is not this resource's", () => {
  it.effect("is left alone on delete: the object goes, nothing is deleted at the provider, and an event says so", () =>
    Effect.gen(function* () {
      const t = setup(bucketBinding);
      t.put("photos", { forProvider: {} });
      yield* t.reconcile("photos");
      t.kube.markDeleted(bucketBinding.type, "team/photos");
      t.fake.failNext.observe = externalError("CheckBucketOwner", new OwnedByOther({ message: "bucket photos belongs to another Bucket" }));
      yield* t.reconcile("photos");
      expect(t.object("photos")).toBeUndefined();
      expect(t.fake.calls).not.toContain("delete photos");
      expect(t.fake.buckets.has("photos")).toBe(true);
      expect(t.kube.events.find((event) => event.reason === "ExternalResourceLeftAlone")?.message).toBe(
        "deleted nothing at the provider: CheckBucketOwner: bucket photos belongs to another Bucket",
      );
    }));

  it.effect("an AccessKey on a user made outside the controller is refused, writes no Secret, and deleting it deletes nothing", () =>
    Effect.gen(function* () {
      const t = setup(accessKeyBinding);
      t.identity.users.set("ops-admin", { owner: undefined, policy: { Statement: [] }, keys: [{ id: "AKIAOPS", created: new Date(0), secret: "admin-secret" }] });
      t.put("grab", { forProvider: { userName: "ops-admin", buckets: [{ bucketName: "photos", access: "ReadOnly" }] }, writeConnectionSecretToRef: { name: "grab-s3" } });
      yield* t.reconcile("grab");
      expect(t.condition("grab", "Synced")).toMatchObject({ status: "False" });
      expect(t.condition("grab", "Synced")?.message).toContain("user ops-admin exists at the provider but was not created by this AccessKey");
      expect(t.kube.secrets.has("team/grab-s3")).toBe(false);
      t.kube.markDeleted(accessKeyBinding.type, "team/grab");
      yield* t.reconcile("grab");
      expect(t.object("grab")).toBeUndefined();
      expect(t.identity.users.get("ops-admin")?.keys.map((key) => key.id)).toEqual(["AKIAOPS"]);
    }));
});

describe("defects found in review", () => {
  it.effect("after a rotation, a reconcile on a stale cache reads the live object and keeps the key it just published", () =>
    Effect.gen(function* () {
      const t = setup(accessKeyBinding);
      t.put("reader", { forProvider: { buckets: [{ bucketName: "photos", access: "ReadOnly" }] }, writeConnectionSecretToRef: { name: "reader-s3" } });
      yield* t.reconcile("reader");
      yield* t.reconcile("reader");
      yield* TestClock.adjust("2 seconds");
      const current = t.object("reader")!;
      yield* t.kube.api.patchMetadata(accessKeyBinding.type, current, { annotations: { [rotationRequestAnnotation]: "1970-01-01T00:00:01Z" } });
      const beforeRotation = t.object("reader")!;
      yield* t.reconcile("reader");
      const rotated = t.object("reader")?.metadata.annotations?.[Annotations.externalName];
      expect(rotated).not.toBe(beforeRotation.metadata.annotations?.[Annotations.externalName]);
      expect(t.kube.secrets.get("team/reader-s3")?.data["AWS_ACCESS_KEY_ID"]).toBe(rotated);
      // The informer has not delivered the rotation yet: the cache still holds the object as it was.
      t.view.stale = beforeRotation;
      yield* t.reconcile("reader");
      t.view.stale = undefined;
      const keys = t.identity.users.get("team-reader")?.keys.map((key) => key.id) ?? [];
      expect(keys).toContain(rotated);
      expect(t.kube.events.filter((event) => event.message.includes(`deleted access key ${rotated}`))).toEqual([]);
      expect(t.kube.secrets.get("team/reader-s3")?.data["AWS_ACCESS_KEY_ID"]).toBe(rotated);
    }));

  it.effect("deleting a BucketPolicy whose Bucket is gone and whose bucket name was never recorded finishes, deleting nothing", () =>
    Effect.gen(function* () {
      const t = setup(bucketPolicyBinding);
      const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::photos/*" }] };
      t.put("public", { forProvider: { bucketRef: { name: "photos" }, policy } });
      const stored = t.object("public")!;
      yield* t.kube.api.patchMetadata(bucketPolicyBinding.type, stored, { finalizers: ["finalizer.managedresource.crossplane.io"] });
      t.kube.markDeleted(bucketPolicyBinding.type, "team/public");
      yield* t.reconcile("public");
      expect(t.object("public")).toBeUndefined();
      expect(t.fake.calls).toEqual([]);
      expect(t.kube.events.find((event) => event.reason === "ExternalResourceLeftAlone")?.message).toContain("Bucket team/photos does not exist");
    }));
});
