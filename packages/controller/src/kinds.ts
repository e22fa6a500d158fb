import {
  AccessKeyKind,
  AccessKeySpec,
  Annotations,
  BucketKind,
  BucketPolicyKind,
  BucketPolicySpec,
  BucketSpec,
  ClusterProviderConfigKind,
  defaultUserName,
  group,
  ProviderConfigKind,
  version,
  rotationRequestAnnotation,
  type AccessKeyObservation,
  type AccessKeyRequest,
  type BucketGrant,
  type BucketObservation,
  type BucketParameters,
  type BucketPolicyObservation,
  type BucketPolicyParameters,
  type KindDefinition,
} from "@cloud37/core";
import type { Schema } from "effect";
import type { KubeObject, ResourceType } from "./kube/types.ts";
import type { ManagedBinding, ManagedSpec, References } from "./reconciler/managed.ts";

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
  namesAtProvider: (resource) => [{ what: "bucket", name: resource.externalName }],
};

const isReady = (object: KubeObject): boolean =>
  (object.status as { conditions?: ReadonlyArray<{ type: string; status: string }> } | undefined)?.conditions?.some(
    (condition) => condition.type === "Ready" && condition.status === "True",
  ) ?? false;

/**
 * BucketPolicy: `bucketRef` names a Bucket in the same namespace; the policy waits until that
 * Bucket is Ready and then targets its external name. While the policy is being deleted and the
 * Bucket is gone, the bucket name it last recorded is used; when it never recorded one, it
 * never observed a policy it put, so there is nothing it could name to delete.
 */
export const bucketPolicyBinding: ManagedBinding<BucketPolicyParameters, BucketPolicyObservation> = {
  type: resourceTypeOf(BucketPolicyKind),
  spec: BucketPolicySpec,
  connector: (provider) => provider.bucketPolicy,
  nameKnownBeforeCreate: true,
  namesAtProvider: (resource) => (resource.forProvider.bucketName === undefined ? [] : [{ what: "bucket", name: resource.forProvider.bucketName }]),
  referencedBuckets: (object) => {
    const name = (object.spec as { forProvider?: { bucketRef?: { name?: string } } } | undefined)?.forProvider?.bucketRef?.name;
    return name === undefined ? [] : [name];
  },
  resolve: (object, forProvider, references) => {
    const ref = forProvider.bucketRef;
    if (ref === undefined) return { _tag: "resolved", forProvider };
    const found = readyBucketName(references, object.metadata.namespace, ref.name);
    if ("name" in found) return { _tag: "resolved", forProvider: { ...forProvider, bucketName: found.name } };
    if (object.metadata.deletionTimestamp !== undefined) {
      const recorded = (object.status as { atProvider?: { bucketName?: string } } | undefined)?.atProvider?.bucketName;
      if (recorded !== undefined) return { _tag: "resolved", forProvider: { ...forProvider, bucketName: recorded } };
      return { _tag: "nothingToDelete", message: `deleted nothing at the provider: ${found.waiting}, and no bucket name was ever recorded for this policy` };
    }
    return { _tag: "waiting", message: found.waiting };
  },
};

/** The external name of a Ready Bucket, or why there is none yet. */
const readyBucketName = (references: References, namespace: string | undefined, name: string): { readonly name: string } | { readonly waiting: string } => {
  const bucket = references.get(bucketBinding.type, namespace, name);
  if (bucket !== undefined && isReady(bucket)) return { name: bucket.metadata.annotations?.[Annotations.externalName] ?? bucket.metadata.name };
  return { waiting: `Bucket ${namespace ?? ""}/${name} ${bucket === undefined ? "does not exist" : "is not Ready yet"}` };
};

/**
 * AccessKey: the provider assigns the key id (the external name). Each grant's `bucketRef`
 * waits until that Bucket is Ready and then targets its external name; the rotation request
 * annotation is handed to the provider. Deleting needs no grants, so a deleted Bucket never
 * holds up deleting its keys.
 */
export const accessKeyBinding: ManagedBinding<AccessKeyRequest, AccessKeyObservation> = {
  type: resourceTypeOf(AccessKeyKind),
  spec: AccessKeySpec as unknown as Schema.Codec<ManagedSpec<AccessKeyRequest>, unknown>,
  connector: (provider) => provider.accessKey,
  nameKnownBeforeCreate: false,
  secretConnectionKeys: ["password", "AWS_SECRET_ACCESS_KEY"],
  namesAtProvider: (resource) => [
    { what: "user", name: resource.forProvider.userName ?? defaultUserName(resource.namespace, resource.name) },
    ...(resource.forProvider.buckets ?? []).flatMap((grant) => (grant.bucketName === undefined ? [] : [{ what: "bucket" as const, name: grant.bucketName }])),
  ],
  referencedBuckets: (object) =>
    ((object.spec as { forProvider?: { buckets?: ReadonlyArray<{ bucketRef?: { name?: string } }> } } | undefined)?.forProvider?.buckets ?? []).flatMap((grant) =>
      grant.bucketRef?.name === undefined ? [] : [grant.bucketRef.name],
    ),
  resolve: (object, forProvider, references) => {
    const deleting = object.metadata.deletionTimestamp !== undefined;
    const buckets: Array<BucketGrant> = [];
    for (const grant of forProvider.buckets ?? []) {
      if (grant.bucketRef === undefined) {
        buckets.push(grant);
        continue;
      }
      const found = readyBucketName(references, object.metadata.namespace, grant.bucketRef.name);
      if ("name" in found) buckets.push({ ...grant, bucketName: found.name });
      else if (!deleting) return { _tag: "waiting", message: found.waiting };
    }
    const requested = object.metadata.annotations?.[rotationRequestAnnotation];
    return {
      _tag: "resolved",
      forProvider: { ...forProvider, ...(forProvider.buckets === undefined ? {} : { buckets }), ...(requested === undefined ? {} : { rotationRequestedAt: requested }) },
    };
  },
};
