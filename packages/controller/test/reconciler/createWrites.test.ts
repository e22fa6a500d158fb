import { describe, expect, it } from "@effect/vitest";
import { Effect } from "effect";
import { Annotations, externalError, Throttled } from "@cloud37/core";
import { setupBucket as setup } from "./bucketSetup.ts";

const finalizer = "finalizer.managedresource.crossplane.io";

describe("a create that applied the whole spec", () => {
  it.effect("is Ready at once, in three object writes: pending (with finalizer and external name), succeeded (with the late-initialized region), status", () =>
    Effect.gen(function* () {
      const t = setup();
      t.fake.createReportsApplied = true;
      yield* t.reconcile();
      expect(t.fake.calls).toEqual(["observe photos", "create photos"]);
      // (+1: its connection Secret, written before the create is recorded)
      expect(t.kube.writes).toBe(3 + 1);
      const object = t.object();
      expect(object?.metadata.finalizers).toEqual([finalizer]);
      expect(object?.metadata.annotations?.[Annotations.externalName]).toBe("photos");
      expect(object?.metadata.annotations?.[Annotations.createPending]).toBeDefined();
      expect(object?.metadata.annotations?.[Annotations.createSucceeded]).toBeDefined();
      expect((object?.spec as { forProvider: { region?: string } }).forProvider.region).toBe("us-east-1");
      expect(t.condition("Ready")).toMatchObject({ status: "True", reason: "Available" });
      expect(t.condition("UpToDate")).toMatchObject({ status: "True" });
      expect((object?.status as { atProvider?: unknown; observedGeneration?: number }).observedGeneration).toBe(object?.metadata.generation);
      expect(t.kube.events.map((event) => event.reason)).toEqual(["CreatedExternalResource"]);
      // The next poll observes once and, in sync, writes nothing.
      const writes = t.kube.writes;
      yield* t.reconcile();
      expect(t.fake.calls).toEqual(["observe photos", "create photos", "observe photos"]);
      expect(t.kube.writes).toBe(writes);
    }));

  it.effect("keeps the guard: a create that fails is recorded as failed after its pending record, never as succeeded", () =>
    Effect.gen(function* () {
      const t = setup();
      t.fake.createReportsApplied = true;
      t.fake.failNext.create = externalError("CreateBucket", new Throttled({ message: "SlowDown" }));
      yield* t.reconcile();
      const annotations = t.object()?.metadata.annotations ?? {};
      expect(annotations[Annotations.createPending]).toBeDefined();
      expect(annotations[Annotations.createFailed]).toBeDefined();
      expect(annotations[Annotations.createSucceeded]).toBeUndefined();
      expect(t.condition("Ready")?.status).not.toBe("True");
    }));
});

describe("a create that did not say what it applied", () => {
  it.effect("is Creating until the observe that follows at once", () =>
    Effect.gen(function* () {
      const t = setup();
      yield* t.reconcile();
      expect(t.condition("Ready")).toMatchObject({ status: "False", reason: "Creating" });
      yield* t.reconcile();
      expect(t.condition("Ready")).toMatchObject({ status: "True", reason: "Available" });
    }));
});
