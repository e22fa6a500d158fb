import type { Duration, Effect } from "effect";
import type { KubeObject, ResourceType } from "../kube/types.ts";

/** Identifies an object: `namespace/name`, or `name` for cluster-scoped objects. */
export type ObjectKey = string;

/** The key of an object. */
export const keyOf = (namespace: string | undefined, name: string): ObjectKey =>
  namespace === undefined || namespace === "" ? name : `${namespace}/${name}`;

/** Splits a key back into namespace and name. */
export const parseKey = (key: ObjectKey): { readonly namespace: string | undefined; readonly name: string } => {
  const slash = key.indexOf("/");
  return slash === -1 ? { namespace: undefined, name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
};

/**
 * What a reconcile asks of the queue:
 * - `done`: forget failures; look again after `requeueAfter` (the poll interval, jittered by
 *   the queue), or only on the next change when it is absent;
 * - `retry`: a retryable failure; requeue with per-key exponential backoff and jitter.
 */
export type ReconcileResult =
  | { readonly _tag: "done"; readonly requeueAfter?: Duration.Duration }
  | { readonly _tag: "retry"; readonly reason: string };

/** A read-only view of an informer's cache. */
export interface Cache {
  get(key: ObjectKey): KubeObject | undefined;
  list(): ReadonlyArray<KubeObject>;
}

/**
 * A cache that also finds its objects by values computed from them (client-go's indexers): the
 * BucketPolicies that name a Bucket, without reading every BucketPolicy on each Bucket event.
 */
export interface IndexedCache extends Cache {
  /**
   * Adds an index kept in step with the cache (built from what is cached so far) and returns
   * its lookup: the objects one of whose `valuesOf` is `value`.
   */
  index(valuesOf: (object: KubeObject) => ReadonlyArray<string>): (value: string) => ReadonlyArray<KubeObject>;
}

/** Another resource type whose changes should reconcile objects of this controller. */
export interface Trigger {
  readonly type: ResourceType;
  /** The keys (of this controller's type) to enqueue when an object of `type` changes. */
  readonly keysFor: (object: KubeObject) => ReadonlyArray<ObjectKey>;
  /**
   * Whether an update matters to this controller; adds and deletes always do. Without it
   * every update triggers, which for a busy type (status writes) can mean N×M reconciles.
   */
  readonly changed?: (previous: KubeObject, object: KubeObject) => boolean;
}

/** One controller: a resource type, how to reconcile one object of it, and what else wakes it. */
export interface ControllerDefinition {
  /** For logs and metrics labels, e.g. "bucket". */
  readonly name: string;
  readonly type: ResourceType;
  readonly reconcile: (key: ObjectKey) => Effect.Effect<ReconcileResult>;
  readonly triggers?: ReadonlyArray<Trigger>;
}
