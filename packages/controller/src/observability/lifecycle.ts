import type { KubeObject, ResourceType } from "../kube/types.ts";
import { keyOf } from "../runtime/types.ts";
import type { ManagedResourceMetrics } from "./metrics.ts";

/**
 * A milestone of one reconcile, for the lifecycle metrics: the external resource was found in
 * sync (and so Ready), an update repaired drift, or the finalizer was removed.
 */
export type LifecycleMilestone = "upToDate" | "updated" | "deleted";

/** What the managed reconciler tells about each resource's lifecycle. */
export interface ManagedLifecycle {
  /** Before a reconcile. */
  readonly reconciling: (object: KubeObject, now: Date) => void;
  /** After a reconcile that reached a milestone. */
  readonly reached: (object: KubeObject, milestone: LifecycleMilestone, now: Date) => void;
}

/** Records nothing (tests, and reconcilers built without metrics). */
export const noLifecycle: ManagedLifecycle = { reconciling: () => undefined, reached: () => undefined };

/** Go's GroupVersionKind.String() of a type, crossplane-runtime's `gvk` label. */
export const gvkLabel = (type: ResourceType): string => `${type.group === "" ? "" : `${type.group}/`}${type.version}, Kind=${type.kind}`;

const secondsSince = (now: Date, time: string | undefined): number | undefined => {
  const since = time === undefined ? Number.NaN : (now.getTime() - Date.parse(time)) / 1000;
  return Number.isNaN(since) ? undefined : since;
};

const hasSynced = (object: KubeObject): boolean =>
  (object.status as { conditions?: ReadonlyArray<{ type: string }> } | undefined)?.conditions?.some((condition) => condition.type === "Synced") ?? false;

/**
 * crossplane-runtime's MRMetricRecorder for one kind: first time to reconcile (a resource
 * with no Synced condition yet), first time to readiness (from creation, for resources this
 * process saw from their first reconcile), drift (time since the last reconcile that found it
 * in sync, when an update repairs it), deletion (from the deletion timestamp to the finalizer's
 * removal). Keyed by namespace and name, so equal names in two namespaces never mix.
 */
export const managedLifecycleMetrics = (metrics: ManagedResourceMetrics, type: ResourceType): ManagedLifecycle => {
  const labels = { gvk: gvkLabel(type) };
  const awaitingReady = new Set<string>();
  const lastInSync = new Map<string, number>();
  const key = (object: KubeObject) => keyOf(object.metadata.namespace, object.metadata.name);
  return {
    reconciling: (object, now) => {
      if (hasSynced(object)) return;
      const seconds = secondsSince(now, object.metadata.creationTimestamp);
      if (seconds !== undefined) metrics.firstTimeToReconcile.observe(labels, seconds);
      awaitingReady.add(key(object));
    },
    reached: (object, milestone, now) => {
      const id = key(object);
      switch (milestone) {
        case "upToDate": {
          if (awaitingReady.delete(id)) {
            const seconds = secondsSince(now, object.metadata.creationTimestamp);
            if (seconds !== undefined) metrics.firstTimeToReadiness.observe(labels, seconds);
          }
          lastInSync.set(id, now.getTime());
          return;
        }
        case "updated": {
          const last = lastInSync.get(id);
          if (last !== undefined) {
            metrics.drift.observe(labels, (now.getTime() - last) / 1000);
            lastInSync.set(id, now.getTime());
          }
          return;
        }
        case "deleted": {
          const seconds = secondsSince(now, object.metadata.deletionTimestamp);
          if (seconds !== undefined) metrics.deletion.observe(labels, seconds);
          awaitingReady.delete(id);
          lastInSync.delete(id);
          return;
        }
      }
    },
  };
};
