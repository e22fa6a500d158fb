import { Annotations, type Metadata } from "./annotations.ts";

/**
 * The create-pending leak guard. Before a create the controller records
 * `external-create-pending` with the time; after it, `external-create-succeeded` or
 * `-failed`. A pending time newer than both means the controller died mid-create and the
 * outcome is unknown. Every kind here settles that by observing: a bucket is found by its
 * name, and an access key's provider owns the user, so a key it never recorded is found on
 * the user and deleted before a new one is made. Nothing leaks, and nothing is made twice.
 */
export const createIncomplete = (meta: Metadata): boolean => {
  const pending = annotatedTime(meta, Annotations.createPending);
  if (!Number.isFinite(pending)) return false;
  return pending > annotatedTime(meta, Annotations.createSucceeded) && pending > annotatedTime(meta, Annotations.createFailed);
};

/**
 * How long after a create succeeded an observe that finds nothing is not trusted
 * (crossplane-runtime's creation grace period): stores that are eventually consistent may
 * not show a resource they have just made, and creating it again would make a second one.
 */
export const creationGracePeriodMillis = 30_000;

/** True when the last create succeeded less than `graceMillis` before `nowMillis`. */
export const createSucceededWithin = (meta: Metadata, nowMillis: number, graceMillis = creationGracePeriodMillis): boolean => {
  const succeeded = annotatedTime(meta, Annotations.createSucceeded);
  return Number.isFinite(succeeded) && nowMillis - succeeded < graceMillis;
};

/** The time an annotation records, or -Infinity when it is absent or not a time. */
const annotatedTime = (meta: Metadata, key: string): number => {
  const value = meta.annotations?.[key];
  const time = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
};
