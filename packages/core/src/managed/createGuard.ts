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
  const time = (key: string): number => {
    const value = meta.annotations?.[key];
    return value === undefined ? Number.NEGATIVE_INFINITY : Date.parse(value);
  };
  const pending = time(Annotations.createPending);
  if (!Number.isFinite(pending)) return false;
  return pending > time(Annotations.createSucceeded) && pending > time(Annotations.createFailed);
};

