import { Context, Effect, Layer, Option } from "effect";
import { Metrics } from "../observability/metrics.ts";
import { makeEventRecorder, type EventRecorderOptions } from "./events.ts";
import { jsonEqual } from "./json.ts";
import { makeKubeHttp, type KubeHttp } from "./http.ts";
import { loadKubeConfigLike, type KubeConfigLike } from "./kubeconfig.ts";
import { listAll } from "./list.ts";
import { CoreTypes, apiVersionOf, resourcePath } from "./paths.ts";
import { KubeError, notControlledReason, type KubeApi as KubeApiShape, type KubeObject, type ResourceType } from "./types.ts";

/**
 * Loads a kubeconfig: the given file, else $KUBECONFIG, ~/.kube/config or the in-cluster
 * service account. Common kubeconfigs are read without @kubernetes/client-node (see
 * kubeconfig.ts); the rest through it, imported only then.
 */
export const loadKubeConfig = (path?: string): Effect.Effect<KubeConfigLike, KubeError> =>
  Effect.tryPromise({
    try: async () => {
      const config = await loadKubeConfigLike(path);
      if (config.getCurrentCluster() === null) throw new Error("no current cluster in kubeconfig");
      return config;
    },
    catch: (error) => new KubeError({ operation: "load kubeconfig", status: 0, reason: "Transport", message: error instanceof Error ? error.message : String(error) }),
  });

const asObject = (value: unknown, operation: string): Effect.Effect<KubeObject, KubeError> =>
  typeof value === "object" && value !== null && "metadata" in value
    ? Effect.succeed(value as KubeObject)
    : Effect.fail(new KubeError({ operation, status: 0, reason: "Transport", message: "response is not an object" }));

/** List responses omit apiVersion and kind on items; fill them in so objects are self-describing. */
const withTypeMeta = (type: ResourceType, object: KubeObject): KubeObject =>
  object.apiVersion && object.kind ? object : { ...object, apiVersion: apiVersionOf(type), kind: type.kind };

const notFoundAsUndefined = <A>(effect: Effect.Effect<A, KubeError>) =>
  effect.pipe(Effect.catchIf((error) => error.reason === "NotFound", () => Effect.succeed(undefined)));

/**
 * A JSON merge patch turning `from` into `to`: keys missing from `to` become null, nested
 * objects recurse, anything else (arrays included) is replaced.
 */
export const mergePatch = (from: unknown, to: unknown): unknown => {
  const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
  if (!isRecord(from) || !isRecord(to)) return to;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  for (const [key, value] of Object.entries(to)) if (!(key in from) || !jsonEqual(from[key], value)) patch[key] = mergePatch(from[key], value);
  return patch;
};


/** Builds the KubeApi on a transport. */
export const makeKubeApi = (kube: KubeHttp, events: EventRecorderOptions = {}): KubeApiShape => {
  const recorder = makeEventRecorder(kube, events);

  const get: KubeApiShape["get"] = (type, namespace, name) =>
    kube.request({ operation: `get ${type.plural}`, resource: type.plural, method: "GET", path: resourcePath(type, namespace, name) }).pipe(
      Effect.flatMap((body) => asObject(body, `get ${type.plural}`)),
      Effect.map((object) => withTypeMeta(type, object)),
      notFoundAsUndefined,
    );

  const list: KubeApiShape["list"] = (type, namespace) => Effect.map(listAll(kube, type, namespace), (page) => page.items);

  // resourceVersion in a merge patch makes the API server reject it with 409 if the object changed.
  const patchGuarded = (type: ResourceType, object: KubeObject, body: Record<string, unknown>) =>
    kube
      .request({
        operation: `patch ${type.plural}`,
        resource: type.plural,
        method: "PATCH",
        path: resourcePath(type, object.metadata.namespace, object.metadata.name),
        body: { ...body, metadata: { resourceVersion: object.metadata.resourceVersion, ...(body["metadata"] as object | undefined) } },
      })
      .pipe(Effect.flatMap((updated) => asObject(updated, `patch ${type.plural}`)), Effect.map((updated) => withTypeMeta(type, updated)));

  const patchMetadata: KubeApiShape["patchMetadata"] = (type, object, patch) => patchGuarded(type, object, { metadata: patch });

  const patchSpec: KubeApiShape["patchSpec"] = (type, object, spec) => patchGuarded(type, object, { spec });

  const patchObject: KubeApiShape["patchObject"] = (type, object, patch) => patchGuarded(type, object, patch);

  // Only this controller (the leader) writes status, so it is not guarded by resourceVersion:
  // a guard would only turn every metadata patch earlier in the same reconcile into a Conflict.
  const patchStatus: KubeApiShape["patchStatus"] = (type, object, status) =>
    jsonEqual(object.status, status)
      ? Effect.succeed(object)
      : kube
          .request({
            operation: `patch ${type.plural}/status`,
            resource: `${type.plural}/status`,
            method: "PATCH",
            path: resourcePath(type, object.metadata.namespace, object.metadata.name, "status"),
            body: { status: mergePatch(object.status ?? {}, status) },
          })
          .pipe(Effect.flatMap((body) => asObject(body, `patch ${type.plural}/status`)), Effect.map((updated) => withTypeMeta(type, updated)));

  const readSecret = (namespace: string, name: string) =>
    get(CoreTypes.secret, namespace, name) as Effect.Effect<(KubeObject & { data?: Record<string, string>; type?: string }) | undefined, KubeError>;

  const controllerOf = (object: KubeObject) => object.metadata.ownerReferences?.find((owner) => owner.controller === true);

  const getSecret: KubeApiShape["getSecret"] = (namespace, name) =>
    readSecret(namespace, name).pipe(
      Effect.map((secret) =>
        secret === undefined
          ? undefined
          : {
              data: Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, "base64").toString("utf8")])),
              controller: controllerOf(secret),
            },
      ),
    );

  const applySecret: KubeApiShape["applySecret"] = (secret) =>
    Effect.gen(function* () {
      const existing = yield* readSecret(secret.namespace, secret.name);
      const path = resourcePath(CoreTypes.secret, secret.namespace, existing === undefined ? undefined : secret.name);
      if (existing === undefined) {
        yield* kube.request({
          operation: "create secrets",
          resource: "secrets",
          method: "POST",
          path,
          body: {
            apiVersion: "v1",
            kind: "Secret",
            metadata: { name: secret.name, namespace: secret.namespace, ownerReferences: secret.ownerReferences },
            type: secret.type,
            data: secret.data,
          },
        });
        return;
      }
      // Controllable-by: a Secret someone else created or controls is never taken over.
      const wanted = secret.ownerReferences.find((owner) => owner.controller === true);
      const controller = controllerOf(existing);
      if (wanted === undefined || controller?.uid !== wanted.uid) {
        const by = controller === undefined ? "it has no controller" : `it is controlled by ${controller.kind} ${controller.name}`;
        return yield* new KubeError({ operation: "write secrets", status: 409, reason: notControlledReason, message: `Secret ${secret.namespace}/${secret.name} exists and ${by}` });
      }
      // Additive: only the keys given are compared (and written); other keys stay as they are.
      const dataEqual = Object.entries(secret.data).every(([key, value]) => existing.data?.[key] === value);
      if (dataEqual && (existing.type ?? "Opaque") === secret.type) return;
      yield* kube.request({
        operation: "patch secrets",
        resource: "secrets",
        method: "PATCH",
        path,
        body: {
          metadata: { resourceVersion: existing.metadata.resourceVersion },
          // type is immutable; sending a different one surfaces the API server's Invalid error.
          ...((existing.type ?? "Opaque") === secret.type ? {} : { type: secret.type }),
          ...(dataEqual ? {} : { data: mergePatch(existing.data ?? {}, secret.data) }),
        },
      });
    });

  return { get, list, patchMetadata, patchSpec, patchObject, patchStatus, getSecret, applySecret, recordEvent: recorder.recordInBackground, flushEvents: recorder.flush };
};

/** The Kubernetes API the reconcilers use (the port in types.ts) as an Effect service. */
export class KubeApi extends Context.Service<KubeApi, KubeApiShape>()("cloud37/controller/kube/KubeApi") {
  /** The real client for a loaded KubeConfig; counts writes in `Metrics` when that is provided. */
  static readonly layer = (config: KubeConfigLike, events: EventRecorderOptions = {}) =>
    Layer.effect(
      KubeApi,
      Effect.gen(function* () {
        const metrics = yield* Effect.serviceOption(Metrics);
        return makeKubeApi(makeKubeHttp(config, Option.getOrUndefined(metrics)), events);
      }),
    );
}
