import { Effect, type Duration } from "effect";
import type { Account, Connector, ExternalClient, Provider, ProviderConfigReference, ProviderName } from "@cloud37/core";
import type { KubeApi, KubeObject } from "../kube/types.ts";
import { keyOf, type Cache } from "../runtime/types.ts";
import { resolveAccount, type AccountResolver } from "./account.ts";
import { externalFailure, userFailure } from "./outcome.ts";
import { tenancyRefusal, type NameAtProvider } from "./tenancy.ts";

/** The informer caches of both ProviderConfig kinds. */
export interface ProviderConfigCaches {
  readonly cluster: Cache;
  readonly namespaced: Cache;
}

/** Finds the ProviderConfig a managed resource refers to, in the informer cache. */
export const findProviderConfig = (
  caches: ProviderConfigCaches,
  ref: ProviderConfigReference,
  namespace: string | undefined,
): KubeObject | undefined =>
  ref.kind === "ClusterProviderConfig" ? caches.cluster.get(ref.name) : caches.namespaced.get(keyOf(namespace, ref.name));

/**
 * Connects a managed resource to its provider: the ProviderConfig, whether it may serve this
 * namespace and these names (its tenancy rules, checked before anything else), its
 * credentials, the enabled provider, and the kind's client. Every failure stops the reconcile
 * with a condition that says what to fix.
 */
export const connect = Effect.fn("connect")(function* <P, O>(options: {
  readonly kube: KubeApi;
  readonly caches: ProviderConfigCaches;
  /** The Namespaces informer cache: a namespaceSelector is matched against their labels. */
  readonly namespaces: Cache | undefined;
  readonly providers: ReadonlyMap<ProviderName, Provider>;
  readonly connector: (provider: Provider) => Connector<P, O>;
  readonly ref: ProviderConfigReference;
  readonly namespace: string | undefined;
  /** The names the resource uses at the provider (a namePrefix governs them). */
  readonly names: ReadonlyArray<NameAtProvider>;
  readonly poll: Duration.Duration;
  /** How the Account is resolved (default: read every time). */
  readonly resolveAccount?: AccountResolver;
}) {
  const { ref, poll } = options;
  const config = findProviderConfig(options.caches, ref, options.namespace);
  if (config === undefined) {
    const where = ref.kind === "ProviderConfig" ? `${options.namespace ?? ""}/${ref.name}` : ref.name;
    return yield* userFailure("CannotConnectToProvider", `cannot connect to provider: ${ref.kind} ${where} not found`, poll);
  }
  const namespace = options.namespace ?? "";
  const refused = tenancyRefusal(config, namespace, options.namespaces?.get(namespace)?.metadata.labels ?? {}, options.names);
  if (refused !== undefined) return yield* userFailure("CannotConnectToProvider", `cannot connect to provider: ${refused}`, poll);
  const account: Account = yield* (options.resolveAccount ?? resolveAccount)(options.kube, config).pipe(
    Effect.mapError((error) => userFailure("CannotConnectToProvider", `cannot connect to provider: ${error.message}`, poll)),
  );
  const provider = options.providers.get(account.provider);
  if (provider === undefined) {
    return yield* userFailure(
      "CannotConnectToProvider",
      `cannot connect to provider: provider ${account.provider} is not enabled in this controller (--providers=${[...options.providers.keys()].join(",")})`,
      poll,
    );
  }
  const client: ExternalClient<P, O> = yield* options
    .connector(provider)(account)
    .pipe(Effect.mapError((error) => externalFailure("connect to", "CannotConnectToProvider", error, poll)));
  return client;
});
