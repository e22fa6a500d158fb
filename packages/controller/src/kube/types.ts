import { Schema, type Effect } from "effect";

/** A resource type the controller reads or writes, as the API server addresses it. */
export interface ResourceType {
  /** "" for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

/** Object metadata, as far as the controller uses it. */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly uid: string;
  readonly resourceVersion: string;
  readonly generation?: number;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly finalizers?: ReadonlyArray<string>;
  readonly ownerReferences?: ReadonlyArray<OwnerReference>;
}

/** An owner reference (garbage collection deletes the owned object with its owner). */
export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

/** Any Kubernetes object, untyped beyond its metadata. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly spec?: unknown;
  readonly status?: unknown;
  readonly [field: string]: unknown;
}

/** Why a Kubernetes API call failed, from the HTTP status and the Status object's `reason`. */
export class KubeError extends Schema.TaggedError<KubeError>()("KubeError", {
  operation: Schema.String,
  status: Schema.Number,
  /** Status.reason: NotFound, Conflict, AlreadyExists, Forbidden, Invalid, Gone, ... or "Transport". */
  reason: Schema.String,
  message: Schema.String,
}) {}

/** A Secret as the reconcilers read it: its decoded data, and who controls it. */
export interface SecretView {
  readonly data: Readonly<Record<string, string>>;
  /** The ownerReference with `controller: true`, if any. */
  readonly controller: OwnerReference | undefined;
}

/** The KubeError reason of a write refused because the object is controlled by another owner. */
export const notControlledReason = "NotControlled";

/** A change to metadata, sent as a JSON merge patch guarded by the object's resourceVersion. */
export interface MetadataPatch {
  /** null deletes the annotation. */
  readonly annotations?: Readonly<Record<string, string | null>>;
  readonly finalizers?: ReadonlyArray<string>;
}

/** An Event about an object (reasons are CamelCase; messages are secret-free). */
export interface EventRecord {
  readonly type: "Normal" | "Warning";
  readonly reason: string;
  readonly message: string;
}

/**
 * The Kubernetes operations the reconcilers use. The real implementation talks to the API
 * server; tests use an in-memory one.
 */
export interface KubeApi {
  get(type: ResourceType, namespace: string | undefined, name: string): Effect.Effect<KubeObject | undefined, KubeError>;
  list(type: ResourceType, namespace?: string): Effect.Effect<ReadonlyArray<KubeObject>, KubeError>;
  /** Merge-patches metadata; fails with reason Conflict when the object changed since it was read. */
  patchMetadata(type: ResourceType, object: KubeObject, patch: MetadataPatch): Effect.Effect<KubeObject, KubeError>;
  /**
   * Merge-patches `spec` (late initialization); guarded by resourceVersion like patchMetadata.
   */
  patchSpec(type: ResourceType, object: KubeObject, spec: unknown): Effect.Effect<KubeObject, KubeError>;
  /**
   * Merge-patches metadata and `spec` in one write (a create's record with what it late-
   * initialized); guarded by resourceVersion like patchMetadata.
   */
  patchObject(type: ResourceType, object: KubeObject, patch: { readonly metadata?: MetadataPatch; readonly spec?: unknown }): Effect.Effect<KubeObject, KubeError>;
  /** Replaces `status` through the status subresource. */
  patchStatus(type: ResourceType, object: KubeObject, status: unknown): Effect.Effect<KubeObject, KubeError>;
  /** A Secret's decoded `data` and its controller, or undefined when it does not exist. */
  getSecret(namespace: string, name: string): Effect.Effect<SecretView | undefined, KubeError>;
  /**
   * Creates the Secret, or merge-patches its data when it exists. `data` values are base64.
   * Writes nothing when the Secret already holds exactly this data. An existing Secret is
   * written only when it is controlled by the owner given (its controller ownerReference has
   * the same uid); otherwise this fails with reason NotControlled and writes nothing.
   */
  applySecret(secret: {
    readonly namespace: string;
    readonly name: string;
    readonly type: string;
    readonly data: Readonly<Record<string, string>>;
    readonly ownerReferences: ReadonlyArray<OwnerReference>;
  }): Effect.Effect<void, KubeError>;
  /**
   * Records an Event about an object; repeats of the same event are aggregated (count). The
   * real client writes it in the background: this returns once the event is queued.
   */
  recordEvent(type: ResourceType, object: KubeObject, event: EventRecord): Effect.Effect<void, KubeError>;
  /** Waits until every queued Event is written (at shutdown). */
  readonly flushEvents: Effect.Effect<void>;
}
