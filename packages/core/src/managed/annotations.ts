/** Crossplane's annotation keys, used as they are so existing tools understand them. */
export const Annotations = {
  externalName: "crossplane.io/external-name",
  paused: "crossplane.io/paused",
  createPending: "crossplane.io/external-create-pending",
  createSucceeded: "crossplane.io/external-create-succeeded",
  createFailed: "crossplane.io/external-create-failed",
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
