import { describe, expect, it } from "@effect/vitest";
import { Duration, Effect } from "effect";
import { Annotations, Conflict, externalError, Throttled, Unauthorized } from "@cloud37/core";
import { bucketBinding } from "../../src/kinds.ts";
import { poll, setupBucket as setup } from "./bucketSetup.ts";

const bucketType = bucketBinding.type;

describe("managed reconciler", () => {
  it.effect("creates a missing bucket behind the create-pending guard, then reports it Ready", () =>
    Effect.gen(function* () {
      const t = setup();
      const first = yield* t.reconcile();
      expect(first).toEqual({ _tag: "done", requeueAfter: Duration.zero });
      expect(t.fake.buckets.has("photos")).toBe(true);
      const annotations = t.object()?.metadata.annotations ?? {};
      expect(annotations[Annotations.externalName]).toBe("photos");
      expect(annotations[Annotations.createPending]).toBeDefined();
      expect(annotations[Annotations.createSucceeded]).toBeDefined();
      expect(t.object()?.metadata.finalizers).toContain("finalizer.managedresource.crossplane.io");
      expect(t.condition("Ready")?.reason).toBe("Creating");

      const second = yield* t.reconcile();
      expect(second).toEqual({ _tag: "done", requeueAfter: poll });
      expect(t.condition("Ready")).toMatchObject({ status: "True", reason: "Available" });
      expect(t.condition("Synced")).toMatchObject({ status: "True", reason: "ReconcileSuccess" });
      expect(t.kube.secrets.get("team/photos-conn")?.type).toBe("connection.crossplane.io/v1alpha1");
    }));

  it.effect("writes nothing to the API server when a poll finds everything in sync", () =>
    Effect.gen(function* () {
      const t = setup();
      yield* t.reconcile();
      yield* t.reconcile();
      const writes = t.kube.writes;
      const calls = t.fake.calls.length;
      yield* t.reconcile();
      expect(t.kube.writes).toBe(writes);
      expect(t.fake.calls.slice(calls)).toEqual(["observe photos"]);
    }));

  it.effect("late-initializes the region once, and not under policies without LateInitialize", () =>
    Effect.gen(function* () {
      const t = setup();
      yield* t.reconcile();
      yield* t.reconcile();
      expect((t.object()?.spec as { forProvider: { region?: string } }).forProvider.region).toBe("us-east-1");
      const other = setup({ spec: { managementPolicies: ["Observe", "Create", "Update", "Delete"] } });
      yield* other.reconcile();
      yield* other.reconcile();
      expect((other.object()?.spec as { forProvider: { region?: string } }).forProvider.region).toBeUndefined();
    }));

  it.effect("repairs drift and says which sub-resource drifted", () =>
    Effect.gen(function* () {
      const t = setup();
      yield* t.reconcile();
      yield* t.reconcile();
      t.fake.buckets.get("photos")!.params = { forceDestroy: false, versioning: { status: "Suspended" } };
      yield* t.reconcile();
      expect(t.fake.calls).toContain("update photos");
      expect(t.kube.events.find((e) => e.reason === "UpdatedExternalResource")?.message).toContain("versioning");
    }));

  it.effect("does nothing but say so while paused", () =>
    Effect.gen(function* () {
      const t = setup({ annotations: { [Annotations.paused]: "true" } });
      const result = yield* t.reconcile();
      expect(result).toEqual({ _tag: "done" });
      expect(t.fake.calls).toEqual([]);
      expect(t.condition("Synced")).toMatchObject({ status: "False", reason: "ReconcilePaused" });
    }));

  it.effect("observes only, and reports a missing resource, under managementPolicies [Observe]", () =>
    Effect.gen(function* () {
      const t = setup({ spec: { managementPolicies: ["Observe"] } });
      yield* t.reconcile();
      expect(t.fake.calls).toEqual(["observe photos"]);
      expect(t.condition("Synced")?.message).toContain("do not permit Create");
    }));

  it.effect("refuses an unsupported set of management policies without calling the provider", () =>
    Effect.gen(function* () {
      const t = setup({ spec: { managementPolicies: ["Create", "Delete"] } });
      yield* t.reconcile();
      expect(t.fake.calls).toEqual([]);
      expect(t.condition("Synced")?.message).toContain("must include Observe");
    }));

  it.effect("reports an unsupported feature once, and waits for a change instead of retrying", () =>
    Effect.gen(function* () {
      const t = setup({ spec: { forProvider: { cors: { rules: [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }] } } } });
      const first = yield* t.reconcile();
      expect(first).toEqual({ _tag: "done", requeueAfter: poll });
      expect(t.condition("Synced")?.message).toBe("cannot observe external resource: Observe: spec.forProvider.cors is not supported by minio");
      const writes = t.kube.writes;
      yield* t.reconcile();
      expect(t.kube.writes).toBe(writes);
      expect(t.kube.events.filter((e) => e.type === "Warning")).toHaveLength(1);
    }));

  it.effect("backs off on a retryable error and waits on one only a user can fix", () =>
    Effect.gen(function* () {
      const t = setup();
      t.fake.failNext.observe = externalError("HeadBucket", new Throttled({ message: "SlowDown" }));
      expect((yield* t.reconcile())._tag).toBe("retry");
      t.fake.failNext.observe = externalError("HeadBucket", new Unauthorized({ message: "InvalidAccessKeyId" }));
      expect(yield* t.reconcile()).toEqual({ _tag: "done", requeueAfter: poll });
    }));

  it.effect("settles an interrupted create by observing, without creating twice", () =>
    Effect.gen(function* () {
      const t = setup({ annotations: { [Annotations.createPending]: new Date().toISOString() } });
      t.fake.buckets.set("photos", { params: { forceDestroy: false, versioning: { status: "Enabled" } }, objects: 0 });
      yield* t.reconcile();
      expect(t.fake.calls.filter((c) => c.startsWith("create"))).toEqual([]);
      expect(t.object()?.metadata.annotations?.[Annotations.createSucceeded]).toBeDefined();
      expect(t.condition("Ready")?.status).toBe("True");
    }));

  it.effect("deletes the bucket and releases the object under deletionPolicy Delete", () =>
    Effect.gen(function* () {
      const t = setup();
      yield* t.reconcile();
      t.kube.markDeleted(bucketType, t.key);
      yield* t.reconcile();
      expect(t.fake.buckets.has("photos")).toBe(false);
      expect(t.object()).toBeUndefined();
    }));

  it.effect("keeps the bucket and releases the object under deletionPolicy Orphan", () =>
    Effect.gen(function* () {
      const t = setup({ spec: { deletionPolicy: "Orphan" } });
      yield* t.reconcile();
      t.kube.markDeleted(bucketType, t.key);
      yield* t.reconcile();
      expect(t.fake.buckets.has("photos")).toBe(true);
      expect(t.object()).toBeUndefined();
    }));

  it.effect("keeps the object while a non-empty bucket refuses deletion", () =>
    Effect.gen(function* () {
      const t = setup();
      yield* t.reconcile();
      t.fake.buckets.get("photos")!.objects = 3;
      t.kube.markDeleted(bucketType, t.key);
      yield* t.reconcile();
      expect(t.fake.buckets.has("photos")).toBe(true);
      expect(t.object()?.metadata.finalizers).toContain("finalizer.managedresource.crossplane.io");
      expect(t.condition("Synced")?.message).toContain("forceDestroy");
    }));

  it.effect("says which ProviderConfig is missing", () =>
    Effect.gen(function* () {
      const t = setup({ spec: { providerConfigRef: { kind: "ClusterProviderConfig", name: "nope" } } });
      yield* t.reconcile();
      expect(t.condition("Synced")?.message).toBe("cannot connect to provider: ClusterProviderConfig nope not found");
    }));

  it.effect("never puts a credential in status or events", () =>
    Effect.gen(function* () {
      const t = setup();
      t.fake.failNext.create = externalError("CreateBucket", new Conflict({ message: "BucketAlreadyExists" }));
      yield* t.reconcile();
      const everything = JSON.stringify([...t.kube.objects.values()].flatMap((m) => [...m.values()])) + JSON.stringify(t.kube.events);
      expect(everything).not.toContain("s3cr3t-value");
      expect(t.condition("Synced")?.message).toBe("cannot create external resource: CreateBucket: BucketAlreadyExists");
    }));
});
