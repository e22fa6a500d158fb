import { Duration } from "effect";
import type { Provider, ProviderName } from "@cloud37/core";
import { bucketBinding, clusterProviderConfigType, providerConfigType } from "../../src/kinds.ts";
import type { ObjectMeta } from "../../src/kube/types.ts";
import type { ManagedLifecycle } from "../../src/observability/lifecycle.ts";
import { makeManagedReconciler } from "../../src/reconciler/managed.ts";
import { FakeKube } from "../fakes/kube.ts";
import { FakeProvider } from "../fakes/provider.ts";

/** The poll interval the Bucket reconciler tests run with. */
export const poll = Duration.seconds(60);

/**
 * A Bucket `team/<name>` (versioning Enabled, a connection Secret `<name>-conn`) in a fake API
 * server, the fake provider, and its reconciler, with the default ClusterProviderConfig.
 */
export const setupBucket = (
  bucket: { name?: string; annotations?: Record<string, string>; spec?: Record<string, unknown>; metadata?: Partial<ObjectMeta> } = {},
  options: { minPollInterval?: Duration.Duration; lifecycle?: ManagedLifecycle } = {},
) => {
  const kube = new FakeKube();
  const fake = new FakeProvider();
  kube.putDefaultProviderConfig();
  const name = bucket.name ?? "photos";
  kube.put(bucketBinding.type, {
    apiVersion: "s3.cloud37.dev/v1alpha1",
    kind: "Bucket",
    metadata: { name, namespace: "team", ...bucket.metadata, ...(bucket.annotations === undefined ? {} : { annotations: bucket.annotations }) },
    spec: { forProvider: { versioning: { status: "Enabled" } }, writeConnectionSecretToRef: { name: `${name}-conn` }, ...bucket.spec },
  });
  const providers = new Map<ProviderName, Provider>([["minio", fake.provider]]);
  const reconcile = makeManagedReconciler({
    binding: bucketBinding,
    kube: kube.api,
    cache: kube.cache(bucketBinding.type),
    providerConfigs: { cluster: kube.cache(clusterProviderConfigType), namespaced: kube.cache(providerConfigType) },
    providers,
    pollInterval: poll,
    ...options,
  });
  const key = `team/${name}`;
  const object = () => kube.cache(bucketBinding.type).get(key);
  const condition = (type: string) =>
    (object()?.status as { conditions?: Array<{ type: string; status: string; reason: string; message?: string }> } | undefined)?.conditions?.find((c) => c.type === type);
  return { kube, fake, reconcile: () => reconcile(key), object, condition, key };
};
