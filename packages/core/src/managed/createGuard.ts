import { Annotations, type Metadata } from "./annotations.ts";

/**
 * The create-pending leak guard. Before a create the controller records
 * `external-create-pending` with the time; after it, `external-create-succeeded` or
 * `-failed`. A pending time newer than both means the controller died mid-create and the
 * outcome is unknown.
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

/** The message when an incomplete create blocks reconciliation (Crossplane's wording of the fix). */
export const createIncompleteMessage =
  "cannot determine creation result: the controller stopped during a create. Check the provider for a resource that may have leaked, then remove the crossplane.io/external-create-pending annotation if it is safe to proceed";

/**
 * What to do about an incomplete create, for a kind whose external name is known before
 * creation (a bucket name): observing settles it, because a create that happened is found,
 * and one that did not can be repeated without making a second resource. For a kind whose
 * name the provider assigns (an access key id), the outcome cannot be found, so it blocks.
 */
export const resolveIncompleteCreate = (
  nameKnownBeforeCreate: boolean,
): "observe" | "block" => (nameKnownBeforeCreate ? "observe" : "block");
