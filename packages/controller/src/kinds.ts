import {
  Annotations,
  BucketKind,
  BucketPolicyKind,
  BucketPolicySpec,
  BucketSpec,
  ClusterProviderConfigKind,
  group,
  ProviderConfigKind,
  version,
  type BucketObservation,
  type BucketParameters,
  type BucketPolicyObservation,
  type BucketPolicyParameters,
  type KindDefinition,
} from "@cloud37/core";
import type { KubeObject, ResourceType } from "./kube/types.ts";
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

const isReady = (object: KubeObject): boolean =>
  (object.status as { conditions?: ReadonlyArray<{ type: string; status: string }> } | undefined)?.conditions?.some(
    (condition) => condition.type === "Ready" && condition.status === "True",
  ) ?? false;

/**
 * BucketPolicy: `bucketRef` names a Bucket in the same namespace; the policy waits until that
 * Bucket is Ready and then targets its external name. While the policy is being deleted and the
 * Bucket is gone, the bucket name it last recorded is used.
 */
export const bucketPolicyBinding: ManagedBinding<BucketPolicyParameters, BucketPolicyObservation> = {
  type: resourceTypeOf(BucketPolicyKind),
  spec: BucketPolicySpec,
  connector: (provider) => provider.bucketPolicy,
  nameKnownBeforeCreate: true,
  resolve: (object, forProvider, references) => {
    const ref = forProvider.bucketRef;
    if (ref === undefined) return { _tag: "resolved", forProvider };
    const bucket = references.get(bucketBinding.type, object.metadata.namespace, ref.name);
    if (bucket !== undefined && isReady(bucket)) {
      const bucketName = bucket.metadata.annotations?.[Annotations.externalName] ?? bucket.metadata.name;
      return { _tag: "resolved", forProvider: { ...forProvider, bucketName } };
    }
    const recorded = (object.status as { atProvider?: { bucketName?: string } } | undefined)?.atProvider?.bucketName;
    if (object.metadata.deletionTimestamp !== undefined && recorded !== undefined) return { _tag: "resolved", forProvider: { ...forProvider, bucketName: recorded } };
    return {
      _tag: "waiting",
      message: `Bucket ${object.metadata.namespace ?? ""}/${ref.name} ${bucket === undefined ? "does not exist" : "is not Ready yet"}`,
    };
  },
};
