import type { ManagementAction } from "../schema/managed.ts";

/** What the controller may do, resolved from `managementPolicies`. */
export interface Permissions {
  readonly observe: boolean;
  readonly create: boolean;
  readonly update: boolean;
  readonly delete: boolean;
  readonly lateInitialize: boolean;
}

type Action = Exclude<ManagementAction, "*">;

/**
 * The combinations crossplane-runtime supports (its defaultSupportedManagementPolicies),
 * besides `["*"]` and `[]` (a pause): Observe with any set of the other actions, except Delete
 * without Create together with Update or LateInitialize.
 */
export const supportedPolicies: ReadonlyArray<ReadonlyArray<Action>> = [
  ["Observe", "Create", "Update", "Delete", "LateInitialize"],
  ["Observe"],
  ["Observe", "Create", "Update", "Delete"],
  ["Observe", "Create", "Update", "LateInitialize"],
  ["Observe", "Create", "Update"],
  ["Observe", "Create", "Delete", "LateInitialize"],
  ["Observe", "Create", "LateInitialize"],
  ["Observe", "Create", "Delete"],
  ["Observe", "Create"],
  ["Observe", "Delete"],
  ["Observe", "Update"],
  ["Observe", "LateInitialize"],
  ["Observe", "Update", "LateInitialize"],
];

const sameSet = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean => {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((action) => right.has(action));
};

/** Why a set of management policies is refused, or undefined when it is supported. */
export const unsupportedPolicies = (policies: ReadonlyArray<ManagementAction>): string | undefined => {
  if (policies.includes("*")) return policies.length > 1 ? "managementPolicies: '*' cannot be combined with other actions" : undefined;
  if (policies.length === 0) return undefined;
  if (!policies.includes("Observe")) return "managementPolicies: every set of actions must include Observe (an empty list pauses the resource)";
  if (supportedPolicies.some((supported) => sameSet(supported, policies))) return undefined;
  return `managementPolicies: [${[...new Set(policies)].join(", ")}] is not a combination Crossplane supports: without Create, Delete goes only with Observe (see docs/concepts.md)`;
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
 * True when deleting the managed resource deletes the external one, by crossplane-runtime's
 * rule for resources with both fields: the default policies (`*`) follow `deletionPolicy`; a
 * non-default set is the more specific choice and wins, deleting when it includes Delete and
 * orphaning when it does not, whatever `deletionPolicy` says.
 */
export const deletesExternal = (deletionPolicy: "Delete" | "Orphan", policies: ReadonlyArray<ManagementAction>): boolean =>
  policies.includes("*") ? deletionPolicy === "Delete" : policies.includes("Delete");
