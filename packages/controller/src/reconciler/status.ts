import { Effect } from "effect";
import { setConditions, type Condition } from "@cloud37/core";
import { jsonEqual } from "../kube/json.ts";
import type { KubeApi, KubeObject, ResourceType } from "../kube/types.ts";
import { noteReason, type Outcome } from "./outcome.ts";

interface ManagedStatusShape {
  readonly conditions?: ReadonlyArray<Condition>;
  readonly atProvider?: unknown;
  readonly observedGeneration?: number;
  readonly lastHandledReconcileAt?: string;
  readonly [field: string]: unknown;
}

/** The status an outcome leads to; the same object as before when nothing changed. */
export const nextStatus = (object: KubeObject, outcome: Outcome, now: Date): ManagedStatusShape => {
  const current = (object.status ?? {}) as ManagedStatusShape;
  const generation = object.metadata.generation;
  const conditions = setConditions(current.conditions ?? [], outcome.conditions, now, generation);
  const atProvider = outcome.atProvider ?? current.atProvider;
  const next: ManagedStatusShape = {
    ...current,
    conditions,
    ...(atProvider === undefined ? {} : { atProvider }),
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    ...(outcome.handledReconcileRequest === undefined ? {} : { lastHandledReconcileAt: outcome.handledReconcileRequest }),
  };
  return jsonEqual(next, current) ? current : next;
};

/**
 * Writes the status an outcome leads to, and its events. No write at all when nothing
 * changed, so a resource in sync costs the API server nothing per poll. Warning events
 * of errors are sent only when the Synced condition changes, so a lasting error is reported
 * once; a provider's notes are one-off facts and always sent.
 */
export const writeOutcome = Effect.fn("writeOutcome")(function* (
  kube: KubeApi,
  type: ResourceType,
  object: KubeObject,
  outcome: Outcome,
  now: Date,
) {
  if (outcome.objectGone === true) {
    for (const event of outcome.events) yield* kube.recordEvent(type, object, event).pipe(Effect.ignore);
    return;
  }
  const current = (object.status ?? {}) as ManagedStatusShape;
  const next = nextStatus(object, outcome, now);
  if (next !== current) yield* kube.patchStatus(type, object, next);
  const syncedBefore = current.conditions?.find((c) => c.type === "Synced");
  const syncedAfter = next.conditions?.find((c) => c.type === "Synced");
  const syncedChanged = !jsonEqual(syncedBefore, syncedAfter);
  const owner = controllerOf(object);
  for (const event of outcome.events) {
    if (event.type === "Warning" && event.reason !== noteReason && !syncedChanged) continue;
    yield* kube.recordEvent(type, object, event).pipe(Effect.ignore);
    // A composed resource's warnings are told to what composed it too (its controller, e.g. a
    // Crossplane composite resource, which reports only "Unsynced resources: bucket"), so
    // `kubectl describe` of the composite shows why.
    if (event.type === "Warning" && owner !== undefined) {
      yield* kube.recordEvent(type, owner, { ...event, message: `${type.kind} ${object.metadata.name}: ${event.message}` }).pipe(Effect.ignore);
    }
  }
});

/** The object's controller (the ownerReference with controller: true), as an event can name it; it lives in the same namespace. */
const controllerOf = (object: KubeObject): KubeObject | undefined => {
  const ref = object.metadata.ownerReferences?.find((owner) => owner.controller === true);
  if (ref === undefined) return undefined;
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: { name: ref.name, uid: ref.uid, resourceVersion: "", ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }) },
  };
};
