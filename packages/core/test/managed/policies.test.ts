import { describe, expect, it } from "vitest";
import { deletesExternal, permissionsOf, unsupportedPolicies } from "../../src/managed/policies.ts";
import { externalNameOf, isPaused } from "../../src/managed/annotations.ts";
import type { ManagementAction } from "../../src/schema/managed.ts";

describe("management policies", () => {
  it.each<{ why: string; policies: ManagementAction[]; refused: boolean }>([
    { why: "all actions is the default", policies: ["*"], refused: false },
    { why: "observe-only imports a resource read-only", policies: ["Observe"], refused: false },
    { why: "no delete leaves the resource behind", policies: ["Observe", "Create", "Update", "LateInitialize"], refused: false },
    { why: "an empty list pauses", policies: [], refused: false },
    { why: "'*' with more is ambiguous", policies: ["*", "Observe"], refused: true },
    { why: "acting without observing is blind", policies: ["Create", "Delete"], refused: true },
  ])("$why", ({ policies, refused }) => {
    expect(unsupportedPolicies(policies) !== undefined).toBe(refused);
  });

  it("deletes the external resource only under Delete with the Delete action", () => {
    expect(deletesExternal("Delete", permissionsOf(["*"]))).toBe(true);
    expect(deletesExternal("Orphan", permissionsOf(["*"]))).toBe(false);
    expect(deletesExternal("Delete", permissionsOf(["Observe", "Create", "Update"]))).toBe(false);
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
});
