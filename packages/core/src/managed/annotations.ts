import { parseGoDuration } from "./duration.ts";

/** Crossplane's annotation keys, used as they are so existing tools understand them. */
export const Annotations = {
  externalName: "crossplane.io/external-name",
  paused: "crossplane.io/paused",
  createPending: "crossplane.io/external-create-pending",
  createSucceeded: "crossplane.io/external-create-succeeded",
  createFailed: "crossplane.io/external-create-failed",
  /** Overrides the controller's poll interval for one resource (a Go duration). */
  pollInterval: "crossplane.io/poll-interval",
  /** A new value asks for a reconcile now; the value is echoed into `status.lastHandledReconcileAt`. */
  reconcileRequestedAt: "crossplane.io/reconcile-requested-at",
} as const;

/** The finalizer that holds a managed resource until its external resource is dealt with. */
export const managedFinalizer = "finalizer.managedresource.crossplane.io";

/** The finalizer that holds a ProviderConfig while managed resources use it. */
export const inUseFinalizer = "in-use.crossplane.io";

/** Object metadata fields this package reads. */
export interface Metadata {
  readonly name: string;
  readonly namespace?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The name at the provider: the external-name annotation, else metadata.name. */
export const externalNameOf = (meta: Metadata): string => {
  const annotated = meta.annotations?.[Annotations.externalName];
  return annotated !== undefined && annotated !== "" ? annotated : meta.name;
};

/** True when reconciliation is paused by `crossplane.io/paused: "true"`. */
export const isPaused = (meta: Metadata): boolean => meta.annotations?.[Annotations.paused] === "true";

/**
 * How often a resource is polled, in milliseconds: its `crossplane.io/poll-interval` when that
 * is a positive Go duration, raised to `minimumMillis`; otherwise the controller's default.
 * As crossplane-runtime's effectivePollInterval: a value that does not parse is ignored.
 */
export const pollIntervalOf = (meta: Metadata, defaultMillis: number, minimumMillis: number): number => {
  const text = meta.annotations?.[Annotations.pollInterval];
  const millis = text === undefined ? undefined : parseGoDuration(text);
  if (millis === undefined || millis <= 0) return defaultMillis;
  return Math.max(millis, minimumMillis);
};

/**
 * The token of a reconcile request not handled yet: `crossplane.io/reconcile-requested-at`
 * when it is set and differs from the `lastHandledReconcileAt` the status recorded.
 */
export const pendingReconcileRequest = (meta: Metadata, lastHandled: string | undefined): string | undefined => {
  const token = meta.annotations?.[Annotations.reconcileRequestedAt];
  return token === undefined || token === "" || token === lastHandled ? undefined : token;
};
