import { Effect } from "effect";
import { KubeError, notControlledReason, type EventRecord, type KubeApi, type KubeObject, type OwnerReference, type ResourceType } from "../../src/kube/types.ts";
import { clusterProviderConfigType } from "../../src/kinds.ts";
import { keyOf, type Cache } from "../../src/runtime/types.ts";

/** An in-memory API server for reconciler unit tests: objects by type and key, writes counted. */
export class FakeKube {
  readonly objects = new Map<string, Map<string, KubeObject>>();
  readonly secrets = new Map<string, { type: string; data: Record<string, string>; owners: ReadonlyArray<OwnerReference> }>();
  readonly events: Array<EventRecord & { readonly object: string }> = [];
  writes = 0;
  private version = 1;

  private bucket(type: ResourceType): Map<string, KubeObject> {
    let objects = this.objects.get(type.plural);
    if (objects === undefined) this.objects.set(type.plural, (objects = new Map()));
    return objects;
  }

  /** Stores an object as if a user applied it. */
  put(type: ResourceType, object: Omit<KubeObject, "metadata"> & { metadata: Partial<KubeObject["metadata"]> & { name: string } }): KubeObject {
    const stored = {
      ...object,
      metadata: { uid: `uid-${object.metadata.name}`, generation: 1, ...object.metadata, resourceVersion: String(this.version++) },
    } as KubeObject;
    this.bucket(type).set(keyOf(stored.metadata.namespace, stored.metadata.name), stored);
    return stored;
  }

  /**
   * Stores the ClusterProviderConfig `default` (provider minio) and its credentials Secret
   * `ops/minio-creds`, whose secret key is `secretAccessKey`.
   */
  putDefaultProviderConfig(secretAccessKey = "s3cr3t-value"): void {
    this.secrets.set("ops/minio-creds", { type: "Opaque", data: { "access-key-id": "AKID", "secret-access-key": secretAccessKey }, owners: [] });
    this.put(clusterProviderConfigType, {
      apiVersion: "s3.cloud37.dev/v1alpha1",
      kind: "ClusterProviderConfig",
      metadata: { name: "default" },
      spec: { provider: "minio", endpoint: "http://fake", credentials: { source: "Secret", secretRef: { name: "minio-creds", namespace: "ops" } } },
    });
  }

  /** A cache view over one type, as an informer would give. */
  cache(type: ResourceType): Cache {
    return { get: (key) => this.bucket(type).get(key), list: () => [...this.bucket(type).values()] };
  }

  /** Marks an object deleted (at `at`): it goes when its last finalizer does. */
  markDeleted(type: ResourceType, key: string, at: Date = new Date()): void {
    const object = this.bucket(type).get(key);
    if (object === undefined) return;
    if ((object.metadata.finalizers ?? []).length === 0) this.bucket(type).delete(key);
    else this.bucket(type).set(key, { ...object, metadata: { ...object.metadata, deletionTimestamp: at.toISOString() } });
  }

  /** Applies a write the way the API server guards it: 404 when gone, 409 when the object changed since it was read. */
  private guarded(type: ResourceType, object: KubeObject, write: (stored: KubeObject, key: string) => Effect.Effect<KubeObject, KubeError>) {
    return Effect.suspend(() => {
      const key = keyOf(object.metadata.namespace, object.metadata.name);
      const stored = this.bucket(type).get(key);
      if (stored === undefined) return Effect.fail(new KubeError({ operation: "patch", status: 404, reason: "NotFound", message: key }));
      if (stored.metadata.resourceVersion !== object.metadata.resourceVersion) {
        return Effect.fail(new KubeError({ operation: "patch", status: 409, reason: "Conflict", message: key }));
      }
      this.writes++;
      return write(stored, key);
    });
  }

  readonly api: KubeApi = {
    get: (type, namespace, name) => Effect.succeed(this.bucket(type).get(keyOf(namespace, name))),
    list: (type) => Effect.succeed([...this.bucket(type).values()]),
    patchMetadata: (type, object, patch) => this.api.patchObject(type, object, { metadata: patch }),
    patchSpec: (type, object, spec) => this.api.patchObject(type, object, { spec }),
    patchObject: (type, object, patch) =>
      this.guarded(type, object, (stored, key) => {
        const annotations: Record<string, string> = { ...stored.metadata.annotations };
        for (const [name, value] of Object.entries(patch.metadata?.annotations ?? {})) {
          if (value === null) delete annotations[name];
          else annotations[name] = value;
        }
        const merge = (a: unknown, b: unknown): unknown =>
          typeof a === "object" && a !== null && typeof b === "object" && b !== null && !Array.isArray(b)
            ? Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, k in b ? merge((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]) : (a as Record<string, unknown>)[k]]))
            : b;
        const finalizers = patch.metadata?.finalizers;
        const updated: KubeObject = {
          ...stored,
          ...(patch.spec === undefined ? {} : { spec: merge(stored.spec, patch.spec) }),
          metadata: {
            ...stored.metadata,
            annotations,
            ...(finalizers === undefined ? {} : { finalizers }),
            ...(patch.spec === undefined ? {} : { generation: (stored.metadata.generation ?? 1) + 1 }),
            resourceVersion: String(this.version++),
          },
        };
        if (updated.metadata.deletionTimestamp !== undefined && (updated.metadata.finalizers ?? []).length === 0) this.bucket(type).delete(key);
        else this.bucket(type).set(key, updated);
        return Effect.succeed(updated);
      }),
    patchStatus: (type, object, status) =>
      Effect.suspend(() => {
        const key = keyOf(object.metadata.namespace, object.metadata.name);
        const stored = this.bucket(type).get(key);
        if (stored === undefined) return Effect.fail(new KubeError({ operation: "patch status", status: 404, reason: "NotFound", message: key }));
        this.writes++;
        const updated = { ...stored, status, metadata: { ...stored.metadata, resourceVersion: String(this.version++) } };
        this.bucket(type).set(key, updated);
        return Effect.succeed(updated);
      }),
    getSecret: (namespace, name) =>
      Effect.sync(() => {
        const found = this.secrets.get(`${namespace}/${name}`);
        return found === undefined ? undefined : { data: found.data, controller: found.owners.find((owner) => owner.controller === true) };
      }),
    applySecret: (secret) =>
      Effect.suspend(() => {
        const key = `${secret.namespace}/${secret.name}`;
        const existing = this.secrets.get(key);
        const wanted = secret.ownerReferences.find((owner) => owner.controller === true);
        if (existing !== undefined && existing.owners.find((owner) => owner.controller === true)?.uid !== wanted?.uid) {
          return Effect.fail(new KubeError({ operation: "write secrets", status: 409, reason: notControlledReason, message: `Secret ${key} is controlled by another` }));
        }
        const data = Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
        if (existing !== undefined && JSON.stringify({ ...existing.data, ...data }) === JSON.stringify(existing.data)) return Effect.void;
        this.writes++;
        this.secrets.set(key, { type: secret.type, data: { ...existing?.data, ...data }, owners: existing?.owners ?? secret.ownerReferences });
        return Effect.void;
      }),
    recordEvent: (_type, object, event) =>
      Effect.sync(() => {
        this.events.push({ ...event, object: keyOf(object.metadata.namespace, object.metadata.name) });
      }),
    flushEvents: Effect.void,
  };
}
