import { describe, expect, it } from "@effect/vitest";
import { Duration, Effect } from "effect";
import { TestClock } from "effect/testing";
import { Annotations, externalError, Throttled } from "@cloud37/core";
import { bucketBinding } from "../../src/kinds.ts";
import { gvkLabel, managedLifecycleMetrics } from "../../src/observability/lifecycle.ts";
import { makeMetrics } from "../../src/observability/metrics.ts";
import { poll, setupBucket as setup } from "./bucketSetup.ts";

const bucketType = bucketBinding.type;
const inSync = { forceDestroy: false, versioning: { status: "Enabled" as const } };

/** Deletes the Bucket object, reconciles once, and checks that the bucket and the object are gone. */
const expectDeletedWithItsBucket = (t: ReturnType<typeof setup>) =>
  Effect.gen(function* () {
    t.kube.markDeleted(bucketType, t.key);
    yield* t.reconcile();
    expect(t.fake.buckets.has("photos")).toBe(false);
    expect(t.object()).toBeUndefined();
  });

/** Sets the test clock to an ISO time. */
const clockAt = (iso: string) => TestClock.setTime(Date.parse(iso));

describe("crossplane.io/reconcile-requested-at", () => {
  const requested = { [Annotations.reconcileRequestedAt]: "2026-05-01T10:00:00Z" };

  it.effect("is echoed into status.lastHandledReconcileAt with a Normal event, once per token", () =>
    Effect.gen(function* () {
      const t = setup({ annotations: requested });
      yield* t.reconcile();
      yield* t.reconcile();
      expect((t.object()?.status as { lastHandledReconcileAt?: string }).lastHandledReconcileAt).toBe("2026-05-01T10:00:00Z");
      expect(t.kube.events.filter((e) => e.reason === "ReconcileRequestHandled")).toEqual([
        { type: "Normal", reason: "ReconcileRequestHandled", message: "Handling reconcile request", object: "team/photos" },
      ]);
      // Handled: a poll in sync writes nothing.
      const writes = t.kube.writes;
      yield* t.reconcile();
      expect(t.kube.writes).toBe(writes);
    }));

  it.effect("is handled by a reconcile that fails too: the request was looked at", () =>
    Effect.gen(function* () {
      const t = setup({ annotations: requested });
      t.fake.failNext.observe = externalError("HeadBucket", new Throttled({ message: "SlowDown" }));
      yield* t.reconcile();
      expect((t.object()?.status as { lastHandledReconcileAt?: string }).lastHandledReconcileAt).toBe("2026-05-01T10:00:00Z");
    }));

  it.effect("stays pending while paused, as nothing is looked at", () =>
    Effect.gen(function* () {
      const t = setup({ annotations: { ...requested, [Annotations.paused]: "true" } });
      yield* t.reconcile();
      expect((t.object()?.status as { lastHandledReconcileAt?: string }).lastHandledReconcileAt).toBeUndefined();
      expect(t.kube.events.filter((e) => e.reason === "ReconcileRequestHandled")).toEqual([]);
    }));
});

describe("crossplane.io/poll-interval", () => {
  it.effect.each([
    { why: "a resource's own poll replaces the controller's", value: "5m", after: Duration.minutes(5) },
    { why: "a poll below the minimum is raised to it", value: "1s", after: Duration.seconds(10) },
    { why: "a value that is not a duration is ignored", value: "hourly", after: poll },
  ])("$why", ({ value, after }) =>
    Effect.gen(function* () {
      const t = setup({ annotations: { [Annotations.pollInterval]: value } }, { minPollInterval: Duration.seconds(10) });
      yield* t.reconcile();
      expect(yield* t.reconcile()).toEqual({ _tag: "done", requeueAfter: after });
    }));

  it.effect("also paces a failure only a user can fix", () =>
    Effect.gen(function* () {
      const t = setup({ annotations: { [Annotations.pollInterval]: "10m" }, spec: { providerConfigRef: { kind: "ClusterProviderConfig", name: "nope" } } });
      expect(yield* t.reconcile()).toEqual({ _tag: "done", requeueAfter: Duration.minutes(10) });
    }));
});

describe("managementPolicies", () => {
  it.effect("refuses a combination crossplane-runtime does not support, with its event reason, without calling the provider", () =>
    Effect.gen(function* () {
      const t = setup({ spec: { managementPolicies: ["Observe", "Update", "Delete"] } });
      yield* t.reconcile();
      expect(t.fake.calls).toEqual([]);
      expect(t.condition("Synced")).toMatchObject({ status: "False", reason: "ReconcileError" });
      expect(t.condition("Synced")?.message).toContain("[Observe, Update, Delete] is not a combination Crossplane supports");
      expect(t.kube.events.map((e) => e.reason)).toEqual(["CannotUseInvalidManagementPolicy"]);
    }));

  it.effect("deletes under Orphan when the policies name Delete (the more specific setting wins)", () =>
    Effect.gen(function* () {
      const t = setup({ spec: { deletionPolicy: "Orphan", managementPolicies: ["Observe", "Delete"] } });
      t.fake.buckets.set("photos", { params: inSync, objects: 0 });
      yield* t.reconcile();
      yield* expectDeletedWithItsBucket(t);
    }));
});

describe("the creation grace period", () => {
  it.effect("does not create again while a create that succeeded < 30 s ago is not visible yet; does after", () =>
    Effect.gen(function* () {
      yield* clockAt("2026-05-01T10:00:00Z");
      const t = setup();
      yield* t.reconcile();
      expect(t.fake.calls).toEqual(["observe photos", "create photos"]);
      // An eventually consistent store does not show the new bucket yet.
      t.fake.buckets.delete("photos");
      yield* TestClock.adjust("29 seconds");
      expect(yield* t.reconcile()).toEqual({ _tag: "retry", reason: "waiting for a created external resource to show" });
      expect(t.fake.calls.filter((c) => c.startsWith("create"))).toHaveLength(1);
      expect(t.kube.events.at(-1)).toMatchObject({ type: "Normal", reason: "PendingExternalResource" });
      expect(t.condition("Ready")?.reason).toBe("Creating");

      yield* TestClock.adjust("1 second");
      yield* t.reconcile();
      expect(t.fake.calls.filter((c) => c.startsWith("create"))).toHaveLength(2);
    }));
});

describe("deletion", () => {
  it.effect("keeps the finalizer until an observe confirms the external resource is gone", () =>
    Effect.gen(function* () {
      const t = setup();
      yield* t.reconcile();
      yield* t.reconcile();
      t.fake.deleteLingers = 1;
      t.kube.markDeleted(bucketType, t.key);
      expect((yield* t.reconcile())._tag).toBe("retry");
      expect(t.object()?.metadata.finalizers).toContain("finalizer.managedresource.crossplane.io");
      expect(t.condition("Ready")?.reason).toBe("Deleting");

      yield* t.reconcile();
      expect(t.object()).toBeUndefined();
      expect(t.fake.calls.filter((c) => c.startsWith("delete"))).toEqual(["delete photos"]);
    }));

  it.effect("deletes and lets go of a created resource whose spec the provider can no longer observe", () =>
    Effect.gen(function* () {
      const t = setup({
        metadata: { finalizers: ["finalizer.managedresource.crossplane.io"] },
        annotations: { [Annotations.externalName]: "photos", [Annotations.createSucceeded]: "2026-05-01T09:00:00Z" },
        spec: { forProvider: { cors: { rules: [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }] } } },
      });
      t.fake.buckets.set("photos", { params: inSync, objects: 0 });
      yield* t.reconcile();
      expect(t.condition("Synced")?.message).toContain("cors is not supported");
      yield* expectDeletedWithItsBucket(t);
    }));

  it.effect("adds no finalizer before an observe succeeded, so a spec never observed holds up no deletion and deletes nothing", () =>
    Effect.gen(function* () {
      const t = setup({ spec: { forProvider: { cors: { rules: [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }] } } } });
      t.fake.buckets.set("photos", { params: inSync, objects: 0 });
      yield* t.reconcile();
      expect(t.condition("Synced")?.message).toContain("cors is not supported");
      expect(t.object()?.metadata.finalizers ?? []).toEqual([]);
      t.kube.markDeleted(bucketType, t.key);
      yield* t.reconcile();
      expect(t.object()).toBeUndefined();
      expect(t.fake.buckets.has("photos")).toBe(true);
    }));
});

describe("a composed resource", () => {
  it.effect("tells its warnings to what composed it (its controller owner) too, naming itself", () =>
    Effect.gen(function* () {
      const owner = { apiVersion: "storage.example.org/v1alpha1", kind: "ObjectStore", name: "assets", uid: "uid-assets", controller: true };
      const t = setup({ metadata: { ownerReferences: [owner] }, spec: { forProvider: { cors: { rules: [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }] } } } });
      yield* t.reconcile();
      yield* t.reconcile();
      expect(t.kube.events.filter((e) => e.object === "team/assets")).toEqual([
        {
          type: "Warning",
          reason: "CannotObserveExternalResource",
          message: "Bucket photos: cannot observe external resource: Observe: spec.forProvider.cors is not supported by minio",
          object: "team/assets",
        },
      ]);
    }));
});

describe("the UpToDate condition", () => {
  it.effect("is ObserveMatched in sync; UpdateRequested after a repair until the next observe", () =>
    Effect.gen(function* () {
      const t = setup();
      yield* t.reconcile();
      yield* t.reconcile();
      expect(t.condition("UpToDate")).toMatchObject({ status: "True", reason: "ObserveMatched" });
      t.fake.buckets.get("photos")!.params = { forceDestroy: false, versioning: { status: "Suspended" } };
      yield* t.reconcile();
      expect(t.condition("UpToDate")).toMatchObject({ status: "False", reason: "UpdateRequested", message: "drift in versioning" });
      yield* t.reconcile();
      expect(t.condition("UpToDate")).toMatchObject({ status: "True", reason: "ObserveMatched" });
    }));

  it.effect("is UpdateRestricted when the policies do not permit Update, UpdateFailed when the update fails", () =>
    Effect.gen(function* () {
      const restricted = setup({ spec: { managementPolicies: ["Observe"] } });
      restricted.fake.buckets.set("photos", { params: { forceDestroy: false, versioning: { status: "Suspended" } }, objects: 0 });
      yield* restricted.reconcile();
      expect(restricted.condition("UpToDate")).toMatchObject({ status: "False", reason: "UpdateRestricted", message: "drift in versioning" });
      expect(restricted.condition("Synced")?.status).toBe("True");

      const failing = setup();
      failing.fake.buckets.set("photos", { params: { forceDestroy: false, versioning: { status: "Suspended" } }, objects: 0 });
      failing.fake.failNext.update = externalError("PutBucketVersioning", new Throttled({ message: "SlowDown" }));
      yield* failing.reconcile();
      expect(failing.condition("UpToDate")).toMatchObject({ status: "False", reason: "UpdateFailed" });
    }));

  it.effect("is Unknown while paused", () =>
    Effect.gen(function* () {
      const t = setup({ annotations: { [Annotations.paused]: "true" } });
      yield* t.reconcile();
      expect(t.condition("UpToDate")).toMatchObject({ status: "Unknown", reason: "ReconcilePaused" });
    }));
});

describe("crossplane-runtime's managed resource metrics", () => {
  const gvk = "s3.cloud37.dev/v1alpha1, Kind=Bucket";
  const valuesOf = (metrics: ReturnType<typeof makeMetrics>, name: string) =>
    Effect.promise(async () => (await metrics.registry.getSingleMetric(name)?.get())?.values ?? []);
  const sumOf = (values: ReadonlyArray<{ metricName?: string; value: number; labels: Record<string, unknown> }>, suffix: string) =>
    values.find((v) => v.metricName?.endsWith(suffix) === true && v.labels["gvk"] === gvk && v.labels["le"] === undefined)?.value;

  it("labels by Go's GroupVersionKind string", () => {
    expect(gvkLabel(bucketType)).toBe(gvk);
  });

  it.effect("observe first time to reconcile and to readiness, drift and deletion, from the resource's own timestamps", () =>
    Effect.gen(function* () {
      const metrics = makeMetrics({ defaultMetrics: false });
      yield* clockAt("2026-05-01T10:00:05Z");
      const t = setup({ metadata: { creationTimestamp: "2026-05-01T10:00:00Z" } }, { lifecycle: managedLifecycleMetrics(metrics.managedResources, bucketType) });
      yield* t.reconcile();
      yield* TestClock.adjust("3 seconds");
      yield* t.reconcile();
      expect(sumOf(yield* valuesOf(metrics, "crossplane_managed_resource_first_time_to_reconcile_seconds"), "_sum")).toBe(5);
      expect(sumOf(yield* valuesOf(metrics, "crossplane_managed_resource_first_time_to_readiness_seconds"), "_sum")).toBe(8);

      // Drift repaired 60 s after the last reconcile that found the bucket in sync.
      t.fake.buckets.get("photos")!.params = { forceDestroy: false, versioning: { status: "Suspended" } };
      yield* TestClock.adjust("60 seconds");
      yield* t.reconcile();
      expect(sumOf(yield* valuesOf(metrics, "crossplane_managed_resource_drift_seconds"), "_sum")).toBe(60);

      t.kube.markDeleted(bucketType, t.key, new Date("2026-05-01T10:01:08Z"));
      yield* TestClock.adjust("2 seconds");
      yield* t.reconcile();
      expect(sumOf(yield* valuesOf(metrics, "crossplane_managed_resource_deletion_seconds"), "_sum")).toBe(2);
      // Readiness is observed once per resource.
      expect(sumOf(yield* valuesOf(metrics, "crossplane_managed_resource_first_time_to_readiness_seconds"), "_count")).toBe(1);
    }));

  it.effect("count the resources that exist, are Ready and are Synced, per kind, at each scrape", () =>
    Effect.gen(function* () {
      const metrics = makeMetrics({ defaultMetrics: false });
      const t = setup();
      metrics.managedResources.trackState(gvkLabel(bucketType), () => t.kube.cache(bucketType).list());
      yield* t.reconcile();
      const gauge = (name: string) => Effect.map(valuesOf(metrics, name), (values) => values.find((v) => v.labels["gvk"] === gvk)?.value);
      expect([yield* gauge("crossplane_managed_resource_exists"), yield* gauge("crossplane_managed_resource_ready"), yield* gauge("crossplane_managed_resource_synced")]).toEqual([1, 0, 1]);
      yield* t.reconcile();
      expect(yield* gauge("crossplane_managed_resource_ready")).toBe(1);
    }));
});
