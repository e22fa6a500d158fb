import type { ManagementAction } from "../schema/managed.ts";

/** What the controller may do, resolved from `managementPolicies`. */
export interface Permissions {
  readonly observe: boolean;
  readonly create: boolean;
  readonly update: boolean;
  readonly delete: boolean;
  readonly lateInitialize: boolean;
}

/** Why a set of management policies is refused, or undefined when it is supported. */
export const unsupportedPolicies = (policies: ReadonlyArray<ManagementAction>): string | undefined => {
  if (policies.includes("*") && policies.length > 1) return "managementPolicies: '*' cannot be combined with other actions";
  if (policies.length > 0 && !policies.includes("*") && !policies.includes("Observe")) {
    return "managementPolicies: every set of actions must include Observe (an empty list pauses the resource)";
  }
  return undefined;
};

/** Resolves management policies to permissions. An empty list permits nothing: a pause. */
export const permissionsOf = (policies: ReadonlyArray<ManagementAction>): Permissions => {
  const all = policies.includes("*");
  const has = (action: ManagementAction): boolean => all || policies.includes(action);
  return {
    observe: has("Observe"),
    create: has("Create"),
    update: has("Update"),
    delete: has("Delete"),
    lateInitialize: has("LateInitialize"),
  };
};

/**
 * True when deleting the managed resource deletes the external one: the deletion policy says
 * Delete and the management policies permit it (Crossplane's rule when both are set).
 */
export const deletesExternal = (deletionPolicy: "Delete" | "Orphan", permissions: Permissions): boolean =>
  deletionPolicy === "Delete" && permissions.delete;
