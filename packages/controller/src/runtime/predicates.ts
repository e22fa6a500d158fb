import type { KubeObject } from "../kube/types.ts";

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Whether an update of a managed resource may need a reconcile: its spec (generation) or the
 * metadata a reconcile reads changed. Status-only updates (most of them our own writes) do not,
 * which spares one external observe per status write.
 */
export const desiredStateChanged = (previous: KubeObject, object: KubeObject): boolean => {
  const a = previous.metadata;
  const b = object.metadata;
  // Objects without a generation (no spec/status split) change as a whole.
  if (a.generation === undefined || b.generation === undefined) return true;
  return (
    a.generation !== b.generation ||
    a.deletionTimestamp !== b.deletionTimestamp ||
    !same(a.annotations, b.annotations) ||
    !same(a.labels, b.labels) ||
    !same(a.finalizers, b.finalizers) ||
    !same(a.ownerReferences, b.ownerReferences)
  );
};
