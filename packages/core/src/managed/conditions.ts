import type { Condition } from "../schema/fields.ts";

/** A condition without its transition time: what a reconcile decides. */
export type ConditionValue = Omit<Condition, "lastTransitionTime" | "observedGeneration">;

const make = (type: string, status: Condition["status"], reason: string, message?: string): ConditionValue =>
  message === undefined ? { type, status, reason } : { type, status, reason, message };

/** Ready=True: the external resource exists and is usable. */
export const available = (): ConditionValue => make("Ready", "True", "Available");
/** Ready=False: the external resource does not exist or cannot be used. */
export const unavailable = (message?: string): ConditionValue => make("Ready", "False", "Unavailable", message);
/** Ready=False while the external resource is being created. */
export const creating = (): ConditionValue => make("Ready", "False", "Creating");
/** Ready=False while the external resource is being deleted. */
export const deleting = (): ConditionValue => make("Ready", "False", "Deleting");
/** Synced=True: the last reconcile succeeded. */
export const reconcileSuccess = (): ConditionValue => make("Synced", "True", "ReconcileSuccess");
/** Synced=False: the last reconcile failed; the message is the cause. */
export const reconcileError = (message: string): ConditionValue => make("Synced", "False", "ReconcileError", message);
/** Synced=False: reconciliation is paused. */
export const reconcilePaused = (): ConditionValue => make("Synced", "False", "ReconcilePaused");

/**
 * UpToDate (crossplane's condition type for what Observe found): True, reason ObserveMatched,
 * when the external resource matches the spec.
 */
export const observeMatched = (): ConditionValue => make("UpToDate", "True", "ObserveMatched");
/** UpToDate=False: it differed (the message names what) and an update was made; the next observe confirms it. */
export const updateRequested = (message: string): ConditionValue => make("UpToDate", "False", "UpdateRequested", message);
/** UpToDate=False: it differs, and managementPolicies do not permit Update. */
export const updateRestricted = (message: string): ConditionValue => make("UpToDate", "False", "UpdateRestricted", message);
/** UpToDate=False: it differs, and the update failed (Synced says why). */
export const updateFailed = (message: string): ConditionValue => make("UpToDate", "False", "UpdateFailed", message);
/** UpToDate=Unknown while reconciling is paused: nothing was observed. */
export const upToDatePaused = (): ConditionValue => make("UpToDate", "Unknown", "ReconcilePaused");

/** ProviderConfig: whether the credentials are accepted. */
export const authValid = (valid: boolean, message?: string): ConditionValue =>
  valid ? make("AuthValid", "True", "CredentialsAccepted") : make("AuthValid", "False", "CredentialsRejected", message);
/** ProviderConfig: whether the endpoint answers. */
export const endpointReachable = (reachable: boolean, message?: string): ConditionValue =>
  reachable ? make("EndpointReachable", "True", "Reachable") : make("EndpointReachable", "False", "Unreachable", message);
/** ProviderConfig Ready. */
export const configReady = (ready: boolean, message?: string): ConditionValue =>
  ready ? make("Ready", "True", "Available") : make("Ready", "False", "Unavailable", message);

const sameValue = (a: Condition, b: ConditionValue, generation: number | undefined): boolean =>
  a.status === b.status && a.reason === b.reason && (a.message ?? "") === (b.message ?? "") && a.observedGeneration === generation;

/**
 * Sets conditions in a list. An equal condition is left as it is, so a reconcile that changed
 * nothing returns the very same array and the controller writes nothing. The transition time
 * moves only when the status changes, as Kubernetes expects.
 */
export const setConditions = (
  current: ReadonlyArray<Condition>,
  updates: ReadonlyArray<ConditionValue>,
  now: Date,
  generation?: number,
): ReadonlyArray<Condition> => {
  let result = current;
  for (const update of updates) {
    const index = result.findIndex((condition) => condition.type === update.type);
    const existing = index === -1 ? undefined : result[index];
    if (existing !== undefined && sameValue(existing, update, generation)) continue;
    const next: Condition = {
      ...update,
      lastTransitionTime:
        existing !== undefined && existing.status === update.status ? existing.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, "Z"),
      ...(generation === undefined ? {} : { observedGeneration: generation }),
    };
    result = index === -1 ? [...result, next] : result.map((condition, i) => (i === index ? next : condition));
  }
  return result;
};

/** Finds a condition by type. */
export const conditionOf = (conditions: ReadonlyArray<Condition> | undefined, type: string): Condition | undefined =>
  conditions?.find((condition) => condition.type === type);
