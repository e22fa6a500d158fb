import type { Duration } from "effect";
import type { Provider, ProviderName } from "@cloud37/core";
import { accessKeyBinding, bucketBinding, bucketPolicyBinding, clusterProviderConfigType, providerConfigType } from "../kinds.ts";
import { gvkLabel, managedLifecycleMetrics } from "../observability/lifecycle.ts";
import { makeManagedReconciler, type ManagedBinding } from "../reconciler/managed.ts";
import { makeProviderConfigReconciler, providerConfigKeyOf, refersTo } from "../reconciler/providerConfig.ts";
import { CoreTypes } from "../kube/paths.ts";
import type { KubeObject } from "../kube/types.ts";
import type { Manager } from "./manager.ts";
import { keyOf, type IndexedCache } from "./types.ts";

const statusOf = (object: KubeObject, type: string): string | undefined =>
  (object.status as { conditions?: ReadonlyArray<{ type: string; status: string }> } | undefined)?.conditions?.find((c) => c.type === type)?.status;

/** A config matters to its users when its spec changes or it starts or stops working, not when its user count does. */
const configChanged = (previous: KubeObject, object: KubeObject): boolean =>
  previous.metadata.generation !== object.metadata.generation || statusOf(previous, "Ready") !== statusOf(object, "Ready");

/** A Namespace matters to the resources in it when its labels change (ClusterProviderConfig namespace selectors). */
const labelsChanged = (previous: KubeObject, namespace: KubeObject): boolean =>
  JSON.stringify(previous.metadata.labels ?? {}) !== JSON.stringify(namespace.metadata.labels ?? {});

/** A managed resource matters to its config's user count only when it points elsewhere or starts going. */
const referenceChanged = (previous: KubeObject, object: KubeObject): boolean =>
  JSON.stringify((previous.spec as { providerConfigRef?: unknown } | undefined)?.providerConfigRef) !==
    JSON.stringify((object.spec as { providerConfigRef?: unknown } | undefined)?.providerConfigRef) ||
  previous.metadata.deletionTimestamp !== object.metadata.deletionTimestamp;

/**
 * Registers every controller with the manager: Buckets, BucketPolicies, AccessKeys, and both
 * ProviderConfig kinds. The providers are handed in by the entry point; this package never
 * imports one.
 */
export const registerControllers = (
  manager: Manager,
  options: {
    readonly providers: ReadonlyMap<ProviderName, Provider>;
    readonly pollInterval: Duration.Duration;
    /** The shortest poll a resource's `crossplane.io/poll-interval` may ask for. */
    readonly minPollInterval?: Duration.Duration;
  },
): void => {
  const buckets = manager.informer(bucketBinding.type);
  const policies = manager.informer(bucketPolicyBinding.type);
  const accessKeys = manager.informer(accessKeyBinding.type);
  const clusterConfigs = manager.informer(clusterProviderConfigType);
  const namespacedConfigs = manager.informer(providerConfigType);
  const namespaces = manager.informer(CoreTypes.namespace);
  const managedCaches = [buckets, policies, accessKeys];
  const references = {
    get: (type: { readonly plural: string }, namespace: string | undefined, name: string) =>
      type.plural === bucketBinding.type.plural ? buckets.get(keyOf(namespace, name)) : undefined,
  };

  const managedUsing = (config: Parameters<typeof refersTo>[0]) =>
    managedCaches.flatMap((cache) => cache.list().filter((object) => refersTo(config, object)).map((object) => keyOf(object.metadata.namespace, object.metadata.name)));

  /**
   * Registers one managed kind. A config that changes (fixed credentials, new endpoint) wakes
   * the resources that use it; a Namespace whose labels change wakes the resources in it; a
   * Bucket that appears, becomes Ready or goes wakes the resources whose references name it.
   */
  const registerManaged = <P, O>(name: string, binding: ManagedBinding<P, O>, cache: IndexedCache) => {
    const referencedBuckets = binding.referencedBuckets;
    // Found by index: a scan of every referencing resource on each Bucket event grew as the
    // product of their numbers (10,000 Buckets with a policy each: 200 million checks to create).
    const referencing =
      referencedBuckets === undefined ? undefined : cache.index((object) => referencedBuckets(object).map((bucket) => keyOf(object.metadata.namespace, bucket)));
    manager.metrics.managedResources.trackState(gvkLabel(binding.type), () => cache.list());
    manager.register({
      name,
      type: binding.type,
      reconcile: makeManagedReconciler({
        binding,
        kube: manager.kubeApi,
        cache,
        providerConfigs: { cluster: clusterConfigs, namespaced: namespacedConfigs },
        providers: options.providers,
        pollInterval: options.pollInterval,
        namespaces,
        ...(options.minPollInterval === undefined ? {} : { minPollInterval: options.minPollInterval }),
        lifecycle: managedLifecycleMetrics(manager.metrics.managedResources, binding.type),
        ...(binding.resolve === undefined ? {} : { references }),
      }),
      triggers: [
        { type: clusterProviderConfigType, keysFor: managedUsing, changed: configChanged },
        { type: providerConfigType, keysFor: managedUsing, changed: configChanged },
        {
          type: CoreTypes.namespace,
          keysFor: (namespace: KubeObject) =>
            cache
              .list()
              .filter((object) => object.metadata.namespace === namespace.metadata.name)
              .map((object) => keyOf(object.metadata.namespace, object.metadata.name)),
          changed: labelsChanged,
        },
        ...(referencing === undefined
          ? []
          : [
              {
                type: bucketBinding.type,
                keysFor: (bucket: KubeObject) =>
                  referencing(keyOf(bucket.metadata.namespace, bucket.metadata.name)).map((object) => keyOf(object.metadata.namespace, object.metadata.name)),
                changed: (previous: KubeObject, bucket: KubeObject) =>
                  statusOf(previous, "Ready") !== statusOf(bucket, "Ready") || previous.metadata.deletionTimestamp !== bucket.metadata.deletionTimestamp,
              },
            ]),
      ],
    });
  };
  registerManaged("bucket", bucketBinding, buckets);
  registerManaged("bucketpolicy", bucketPolicyBinding, policies);
  registerManaged("accesskey", accessKeyBinding, accessKeys);

  for (const [name, type, cache, scope] of [
    ["clusterproviderconfig", clusterProviderConfigType, clusterConfigs, "Cluster"],
    ["providerconfig", providerConfigType, namespacedConfigs, "Namespaced"],
  ] as const) {
    manager.register({
      name,
      type,
      reconcile: makeProviderConfigReconciler({ type, kube: manager.kubeApi, cache, managed: managedCaches, providers: options.providers, pollInterval: options.pollInterval }),
      // Managed resources coming and going change a config's user count.
      triggers: [bucketBinding.type, bucketPolicyBinding.type, accessKeyBinding.type].map((managedType) => ({
        type: managedType,
        keysFor: (object: KubeObject) => providerConfigKeyOf(object, scope),
        changed: referenceChanged,
      })),
    });
  }
};
