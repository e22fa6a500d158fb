import {
  BucketKind,
  BucketSpec,
  ClusterProviderConfigKind,
  group,
  ProviderConfigKind,
  version,
  type BucketObservation,
  type BucketParameters,
  type KindDefinition,
} from "@cloud37/core";
import type { ResourceType } from "./kube/types.ts";
import type { ManagedBinding } from "./reconciler/managed.ts";

/** How the API server addresses a kind. */
export const resourceTypeOf = (kind: KindDefinition): ResourceType => ({
  group,
  version,
  kind: kind.kind,
  plural: kind.plural,
  namespaced: kind.scope === "Namespaced",
});

export const clusterProviderConfigType = resourceTypeOf(ClusterProviderConfigKind);
export const providerConfigType = resourceTypeOf(ProviderConfigKind);

/** Bucket: the name is the bucket name, known before creation. */
export const bucketBinding: ManagedBinding<BucketParameters, BucketObservation> = {
  type: resourceTypeOf(BucketKind),
  spec: BucketSpec,
  connector: (provider) => provider.bucket,
  nameKnownBeforeCreate: true,
};
