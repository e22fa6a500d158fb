import { describe, expect, it } from "vitest";
import { deletesExternal, supportedPolicies, unsupportedPolicies } from "../../src/managed/policies.ts";
import { externalNameOf, isPaused, pendingReconcileRequest, pollIntervalOf } from "../../src/managed/annotations.ts";
import type { ManagementAction } from "../../src/schema/managed.ts";

const optional: ReadonlyArray<ManagementAction> = ["Create", "Update", "Delete", "LateInitialize"];
/** Every set of actions with Observe: Observe plus each subset of the other four. */
const everyObservingSet = Array.from({ length: 16 }, (_, bits) => ["Observe", ...optional.filter((_, i) => (bits >> i) & 1)] as Array<ManagementAction>);

describe("management policies", () => {
  it.each<{ why: string; policies: ManagementAction[]; refused: boolean }>([
    { why: "all actions is the default", policies: ["*"], refused: false },
    { why: "observe-only imports a resource read-only", policies: ["Observe"], refused: false },
    { why: "no delete leaves the resource behind", policies: ["Observe", "Create", "Update", "LateInitialize"], refused: false },
    { why: "an empty list pauses", policies: [], refused: false },
    { why: "observe and delete: read-only, deleted with the object", policies: ["Observe", "Delete"], refused: false },
    { why: "the order of the actions does not matter", policies: ["LateInitialize", "Update", "Observe"], refused: false },
    { why: "a repeated action is the same set", policies: ["Observe", "Delete", "Delete"], refused: false },
    { why: "'*' with more is ambiguous", policies: ["*", "Observe"], refused: true },
    { why: "acting without observing is blind", policies: ["Create", "Delete"], refused: true },
    { why: "Crossplane does not support Update and Delete without Create", policies: ["Observe", "Update", "Delete"], refused: true },
    { why: "Crossplane does not support LateInitialize and Delete without Create", policies: ["Observe", "Delete", "LateInitialize"], refused: true },
  ])("$why", ({ policies, refused }) => {
    expect(unsupportedPolicies(policies) !== undefined).toBe(refused);
  });

  it("supports exactly crossplane-runtime's combinations: 13 of the 16 sets with Observe", () => {
    const accepted = everyObservingSet.filter((set) => unsupportedPolicies(set) === undefined);
    expect(accepted).toHaveLength(supportedPolicies.length);
    expect(everyObservingSet.filter((set) => unsupportedPolicies(set) !== undefined).map((set) => set.join(","))).toEqual([
      "Observe,Update,Delete",
      "Observe,Delete,LateInitialize",
      "Observe,Update,Delete,LateInitialize",
    ]);
  });

  it("names the refused combination and the rule in its message", () => {
    expect(unsupportedPolicies(["Observe", "Update", "Delete"])).toBe(
      "managementPolicies: [Observe, Update, Delete] is not a combination Crossplane supports: without Create, Delete goes only with Observe (see docs/concepts.md)",
    );
  });

  it.each<{ why: string; deletionPolicy: "Delete" | "Orphan"; policies: ManagementAction[]; deletes: boolean }>([
    { why: "the defaults delete", deletionPolicy: "Delete", policies: ["*"], deletes: true },
    { why: "Orphan with the default policies orphans", deletionPolicy: "Orphan", policies: ["*"], deletes: false },
    { why: "a set without Delete orphans, whatever deletionPolicy says", deletionPolicy: "Delete", policies: ["Observe", "Create", "Update"], deletes: false },
    { why: "a set with Delete is the more specific choice and deletes, even under Orphan", deletionPolicy: "Orphan", policies: ["Observe", "Delete"], deletes: true },
    { why: "every action spelled out is not the default: it deletes under Orphan", deletionPolicy: "Orphan", policies: ["Observe", "Create", "Update", "Delete", "LateInitialize"], deletes: true },
  ])("deletion: $why", ({ deletionPolicy, policies, deletes }) => {
    expect(deletesExternal(deletionPolicy, policies)).toBe(deletes);
  });
});

describe("annotations", () => {
  it("defaults the external name to metadata.name", () => {
    expect(externalNameOf({ name: "a" })).toBe("a");
    expect(externalNameOf({ name: "a", annotations: { "crossplane.io/external-name": "legacy-bucket" } })).toBe("legacy-bucket");
  });
  it("is paused only by the exact value true", () => {
    expect(isPaused({ name: "a", annotations: { "crossplane.io/paused": "true" } })).toBe(true);
    expect(isPaused({ name: "a", annotations: { "crossplane.io/paused": "false" } })).toBe(false);
  });

  it.each([
    { why: "no annotation keeps the controller's poll", value: undefined, millis: 60_000 },
    { why: "a Go duration sets the resource's own poll", value: "5m", millis: 300_000 },
    { why: "compound durations are read", value: "1h30m", millis: 5_400_000 },
    { why: "a poll below the minimum is raised to it", value: "100ms", millis: 10_000 },
    { why: "a value that is not a duration is ignored", value: "often", millis: 60_000 },
    { why: "a duration without unit is ignored", value: "30", millis: 60_000 },
    { why: "zero is ignored", value: "0s", millis: 60_000 },
  ])("poll interval: $why", ({ value, millis }) => {
    const annotations = value === undefined ? {} : { "crossplane.io/poll-interval": value };
    expect(pollIntervalOf({ name: "a", annotations }, 60_000, 10_000)).toBe(millis);
  });

  it("a reconcile request is pending until its token is the one last handled", () => {
    const meta = { name: "a", annotations: { "crossplane.io/reconcile-requested-at": "2026-05-01T10:00:00Z" } };
    expect(pendingReconcileRequest(meta, undefined)).toBe("2026-05-01T10:00:00Z");
    expect(pendingReconcileRequest(meta, "2026-04-01T10:00:00Z")).toBe("2026-05-01T10:00:00Z");
    expect(pendingReconcileRequest(meta, "2026-05-01T10:00:00Z")).toBeUndefined();
    expect(pendingReconcileRequest({ name: "a", annotations: { "crossplane.io/reconcile-requested-at": "" } }, undefined)).toBeUndefined();
  });
});
