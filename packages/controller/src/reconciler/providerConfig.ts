import { Clock, Duration, Effect } from "effect";
import {
  authValid,
  configReady,
  endpointReachable,
  inUseFinalizer,
  setConditions,
  type Condition,
  type ConditionValue,
  type Provider,
  type ProviderName,
} from "@cloud37/core";
import { jsonEqual } from "../kube/json.ts";
import type { KubeApi, KubeObject, ResourceType } from "../kube/types.ts";
import { keyOf, type Cache, type ObjectKey, type ReconcileResult } from "../runtime/types.ts";
import { resolveAccount } from "./account.ts";

/** What the ProviderConfig reconciler needs. */
export interface ProviderConfigReconcilerOptions {
  readonly type: ResourceType;
  readonly kube: KubeApi;
  readonly cache: Cache;
  /** Caches of every managed kind, to count the resources that use a config. */
  readonly managed: ReadonlyArray<Cache>;
  readonly providers: ReadonlyMap<ProviderName, Provider>;
  readonly pollInterval: Duration.Duration;
}

/** How soon a config that does not work is checked again (the user may be fixing its Secret). */
const unhealthyRecheck = Duration.seconds(10);

/**
 * How often a config's users are counted. Every managed resource created or deleted wakes its
 * config, and a count reads every managed resource: counted on each wake, applying 10,000
 * Buckets cost 10,000 × 10,000 reference checks, and each changed count was a status write
 * competing with the Buckets' own. The count is informational (deletion counts users afresh),
 * so `status.users` follows within this interval; a change of conditions is written at once.
 */
const usersCountInterval = Duration.seconds(5);

interface ProviderConfigStatusShape {
  readonly conditions?: ReadonlyArray<Condition>;
  readonly identity?: string;
  readonly users?: number;
  readonly observedGeneration?: number;
}

/** True when a managed object refers to this (Cluster)ProviderConfig. */
export const refersTo = (config: KubeObject, managed: KubeObject): boolean => {
  const ref = (managed.spec as { providerConfigRef?: { kind?: string; name?: string } } | undefined)?.providerConfigRef;
  if (ref?.name !== config.metadata.name) return false;
  const kind = ref.kind ?? "ClusterProviderConfig";
  return config.metadata.namespace === undefined
    ? kind === "ClusterProviderConfig"
    : kind === "ProviderConfig" && managed.metadata.namespace === config.metadata.namespace;
};

/** The key of the ProviderConfig a managed object uses, of the given scope. */
export const providerConfigKeyOf = (managed: KubeObject, scope: "Cluster" | "Namespaced"): ReadonlyArray<ObjectKey> => {
  const ref = (managed.spec as { providerConfigRef?: { kind?: string; name?: string } } | undefined)?.providerConfigRef;
  const kind = ref?.kind ?? "ClusterProviderConfig";
  const name = ref?.name ?? "default";
  if (scope === "Cluster") return kind === "ClusterProviderConfig" ? [name] : [];
  return kind === "ProviderConfig" ? [keyOf(managed.metadata.namespace, name)] : [];
};

/**
 * Reconciles a (Cluster)ProviderConfig: checks that its account works (AuthValid,
 * EndpointReachable, Ready, identity), counts the managed resources using it, and keeps the
 * in-use finalizer so a config in use cannot go away under them.
 */
export const makeProviderConfigReconciler = (options: ProviderConfigReconcilerOptions) => {
  const { kube, type } = options;
  /** When each config's account was last checked, and at which generation: checks are external calls. */
  const lastChecks = new Map<ObjectKey, { readonly at: number; readonly generation: number | undefined; readonly conditions: ReadonlyArray<ConditionValue>; readonly identity: string | undefined }>();
  /** When each config's users were last counted. */
  const lastCounts = new Map<ObjectKey, number>();
  const countUsers = (config: KubeObject): number =>
    options.managed.reduce((count, cache) => count + cache.list().filter((managed) => refersTo(config, managed)).length, 0);

  const checkAccount = Effect.fn("checkAccount")(function* (config: KubeObject) {
    const account = yield* resolveAccount(kube, config).pipe(Effect.result);
    if (account._tag === "Failure") {
      return { conditions: [authValid(false, account.failure.message), configReady(false, account.failure.message)], identity: undefined };
    }
    const provider = options.providers.get(account.success.provider);
    if (provider === undefined) {
      const message = `provider ${account.success.provider} is not enabled in this controller (--providers=${[...options.providers.keys()].join(",")})`;
      return { conditions: [configReady(false, message)], identity: undefined };
    }
    const checked = yield* provider.checkAccount(account.success).pipe(Effect.result);
    if (checked._tag === "Success") {
      return { conditions: [authValid(true), endpointReachable(true), configReady(true)], identity: checked.success.identity };
    }
    const error = checked.failure;
    const message = error.message;
    switch (error.reason._tag) {
      case "Unauthorized":
        return { conditions: [authValid(false, message), endpointReachable(true), configReady(false, message)], identity: undefined };
      // An endpoint that cannot be trusted (TLS) or does not answer: the credentials were never judged.
      case "InvalidEndpoint":
      case "Transient":
      case "Throttled":
        return {
          conditions: [{ type: "AuthValid", status: "Unknown", reason: "Unchecked" } as ConditionValue, endpointReachable(false, message), configReady(false, message)],
          identity: undefined,
        };
      default:
        return { conditions: [configReady(false, message)], identity: undefined };
    }
  });

  return (key: ObjectKey): Effect.Effect<ReconcileResult> =>
    Effect.gen(function* () {
      const config = options.cache.get(key);
      if (config === undefined) {
        lastChecks.delete(key);
        lastCounts.delete(key);
        return { _tag: "done" } as const;
      }
      const finalizers = config.metadata.finalizers ?? [];
      const current = (config.status ?? {}) as ProviderConfigStatusShape;
      const now = new Date(Number(yield* Clock.currentTimeMillis));

      if (config.metadata.deletionTimestamp !== undefined) {
        const users = countUsers(config);
        if (users === 0) {
          if (finalizers.includes(inUseFinalizer)) {
            yield* kube.patchMetadata(type, config, { finalizers: finalizers.filter((f) => f !== inUseFinalizer) });
          }
          lastChecks.delete(key);
          return { _tag: "done" } as const;
        }
        const message = `cannot delete: in use by ${users} managed resource${users === 1 ? "" : "s"}; delete them or point them at another config first`;
        const conditions = setConditions(current.conditions ?? [], [configReady(false, message)], now, config.metadata.generation);
        if (conditions !== current.conditions || current.users !== users) {
          yield* kube.patchStatus(type, config, { ...current, conditions, users });
          yield* kube.recordEvent(type, config, { type: "Warning", reason: "InUse", message }).pipe(Effect.ignore);
        }
        return { _tag: "done", requeueAfter: options.pollInterval } as const;
      }

      let working = config;
      if (!finalizers.includes(inUseFinalizer)) working = yield* kube.patchMetadata(type, config, { finalizers: [...finalizers, inUseFinalizer] });

      const previous = lastChecks.get(key);
      const healthy = previous?.conditions.some((c) => c.type === "Ready" && c.status === "True") ?? false;
      const recheckAfter = healthy ? options.pollInterval : unhealthyRecheck;
      const due =
        previous === undefined ||
        previous.generation !== config.metadata.generation ||
        now.getTime() - previous.at >= Duration.toMillis(recheckAfter);
      const check = due ? yield* checkAccount(working) : previous;
      if (due) lastChecks.set(key, { at: now.getTime(), generation: config.metadata.generation, ...check });

      const conditions = setConditions(current.conditions ?? [], check.conditions, now, config.metadata.generation);
      const withUsers = (users: number | undefined): ProviderConfigStatusShape => ({
        ...current,
        conditions,
        ...(users === undefined ? {} : { users }),
        ...(check.identity === undefined ? {} : { identity: check.identity }),
        ...(config.metadata.generation === undefined ? {} : { observedGeneration: config.metadata.generation }),
      });
      const countedAt = lastCounts.get(key);
      const countWait = countedAt === undefined ? 0 : Duration.toMillis(usersCountInterval) - (now.getTime() - countedAt);
      // Between counts the cached count stands, even when the cache has not yet seen the last
      // count written: comparing with that would recount and rewrite on every wake.
      let next = withUsers(current.users);
      // A status write that goes out anyway (a changed condition) carries a fresh count.
      if (countWait <= 0 || !jsonEqual(next, current)) {
        const users = countUsers(config);
        lastCounts.set(key, now.getTime());
        next = withUsers(users);
      }
      if (!jsonEqual(next, current)) {
        yield* kube.patchStatus(type, working, next);
        const ready = check.conditions.find((c) => c.type === "Ready");
        const wasReady = current.conditions?.find((c) => c.type === "Ready");
        if (ready !== undefined && (wasReady?.status !== ready.status || wasReady.message !== ready.message)) {
          yield* kube
            .recordEvent(type, working, ready.status === "True" ? { type: "Normal", reason: "AccountVerified", message: `credentials accepted as ${check.identity ?? "unknown"}` } : { type: "Warning", reason: "AccountUnavailable", message: ready.message ?? "unavailable" })
            .pipe(Effect.ignore);
        }
      }
      const healthyNow = check.conditions.some((c) => c.type === "Ready" && c.status === "True");
      const recheck = Duration.toMillis(healthyNow ? options.pollInterval : unhealthyRecheck);
      // Woken before the next count was due (a user came or went, perhaps): count then.
      return { _tag: "done", requeueAfter: Duration.millis(countWait > 0 ? Math.min(countWait, recheck) : recheck) } as const;
    }).pipe(Effect.catchTag("KubeError", (error) => Effect.succeed({ _tag: "retry", reason: `kube ${error.reason}` } as const)));
};
