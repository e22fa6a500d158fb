import type { Schema } from "effect";
import { BucketSpec, BucketStatus } from "./schema/bucket.ts";
import { BucketPolicySpec, BucketPolicyStatus } from "./schema/bucketPolicy.ts";
import { AccessKeySpec, AccessKeyStatus } from "./schema/accessKey.ts";
import { ClusterProviderConfigSpec, ProviderConfigSpec, ProviderConfigStatus } from "./schema/providerConfig.ts";
import { cel } from "./schema/fields.ts";

/** The API group of every kind. */
export const group = "s3.cloud37.dev";
/** The served and stored version. */
export const version = "v1alpha1";
/** `apiVersion` of every kind. */
export const apiVersion = `${group}/${version}`;

/** An extra `kubectl get` column. */
export interface PrinterColumn {
  readonly name: string;
  readonly type: "string" | "integer" | "date" | "boolean";
  readonly jsonPath: string;
  readonly priority?: number;
  readonly description?: string;
}

/** Everything that defines one kind: the CRD is generated from it and the controller serves it. */
export interface KindDefinition {
  readonly kind: string;
  readonly plural: string;
  readonly scope: "Namespaced" | "Cluster";
  readonly spec: Schema.Top;
  readonly status: Schema.Top;
  readonly categories: ReadonlyArray<string>;
  readonly shortNames: ReadonlyArray<string>;
  readonly columns: ReadonlyArray<PrinterColumn>;
  readonly description: string;
  /** Managed kinds follow the managed-resource contract; ProviderConfigs do not. */
  readonly managed: boolean;
}

const conditionColumn = (name: string, type: string): PrinterColumn => ({
  name,
  type: "string",
  jsonPath: `.status.conditions[?(@.type=='${type}')].status`,
});

const age: PrinterColumn = { name: "AGE", type: "date", jsonPath: ".metadata.creationTimestamp" };

const managedColumns: ReadonlyArray<PrinterColumn> = [
  conditionColumn("READY", "Ready"),
  conditionColumn("SYNCED", "Synced"),
  { name: "EXTERNAL-NAME", type: "string", jsonPath: ".metadata.annotations.crossplane\\.io/external-name" },
  age,
];

const providerConfigColumns: ReadonlyArray<PrinterColumn> = [
  { name: "PROVIDER", type: "string", jsonPath: ".spec.provider" },
  conditionColumn("READY", "Ready"),
  { name: "IDENTITY", type: "string", jsonPath: ".status.identity", priority: 1 },
  { name: "ENDPOINT", type: "string", jsonPath: ".spec.endpoint", priority: 1 },
  { name: "USERS", type: "integer", jsonPath: ".status.users" },
  age,
];

/** A ProviderConfig may only read Secrets of its own namespace, so it names none. */
const namespacedProviderConfigSpec = ProviderConfigSpec.pipe(
  cel({
    rule: "!has(self.credentials.secretRef) || !has(self.credentials.secretRef.__namespace__)",
    message: "a ProviderConfig reads Secrets from its own namespace: remove credentials.secretRef.namespace (or use a ClusterProviderConfig)",
  }),
);

/** A ClusterProviderConfig has no namespace of its own, so its Secret must name one. */
const clusterProviderConfigSpec = ClusterProviderConfigSpec.pipe(
  cel({
    rule: "!has(self.credentials.secretRef) || has(self.credentials.secretRef.__namespace__)",
    message: "credentials.secretRef.namespace is required in a ClusterProviderConfig",
  }),
);

/** ClusterProviderConfig: an object store account usable from every namespace. */
export const ClusterProviderConfigKind: KindDefinition = {
  kind: "ClusterProviderConfig",
  plural: "clusterproviderconfigs",
  scope: "Cluster",
  spec: clusterProviderConfigSpec,
  status: ProviderConfigStatus,
  categories: ["cloud37", "providerconfig"],
  shortNames: ["cpc"],
  columns: providerConfigColumns,
  description: "An object store account (which provider, where, which credentials), usable from every namespace.",
  managed: false,
};

/** ProviderConfig: an object store account usable only from its own namespace. */
export const ProviderConfigKind: KindDefinition = {
  kind: "ProviderConfig",
  plural: "providerconfigs",
  scope: "Namespaced",
  spec: namespacedProviderConfigSpec,
  status: ProviderConfigStatus,
  categories: ["cloud37", "providerconfig"],
  shortNames: ["pc"],
  columns: providerConfigColumns,
  description: "An object store account (which provider, where, which credentials), usable only from its own namespace.",
  managed: false,
};

/** Bucket: one bucket and its configuration. */
export const BucketKind: KindDefinition = {
  kind: "Bucket",
  plural: "buckets",
  scope: "Namespaced",
  spec: BucketSpec,
  status: BucketStatus,
  categories: ["crossplane", "managed", "cloud37"],
  shortNames: [],
  columns: managedColumns,
  description: "A bucket and its configuration (versioning, encryption, public access block, lifecycle, CORS, tags).",
  managed: true,
};

/** BucketPolicy: a policy document attached to a bucket. */
export const BucketPolicyKind: KindDefinition = {
  kind: "BucketPolicy",
  plural: "bucketpolicies",
  scope: "Namespaced",
  spec: BucketPolicySpec,
  status: BucketPolicyStatus,
  categories: ["crossplane", "managed", "cloud37"],
  shortNames: [],
  columns: [
    ...managedColumns.slice(0, 2),
    { name: "BUCKET", type: "string", jsonPath: ".status.atProvider.bucketName" },
    managedColumns[3]!,
  ],
  description: "A bucket policy document attached to a Bucket, or to a bucket by name.",
  managed: true,
};

/** AccessKey: a user with least-privilege grants and a key pair, written to a Secret. */
export const AccessKeyKind: KindDefinition = {
  kind: "AccessKey",
  plural: "accesskeys",
  scope: "Namespaced",
  spec: AccessKeySpec,
  status: AccessKeyStatus,
  categories: ["crossplane", "managed", "cloud37"],
  shortNames: [],
  columns: [
    ...managedColumns.slice(0, 2),
    { name: "USER", type: "string", jsonPath: ".status.atProvider.userName" },
    managedColumns[2]!,
    { name: "SECRET", type: "string", jsonPath: ".spec.writeConnectionSecretToRef.name", priority: 1 },
    // A string: kubectl shows a date column as an age, and a future time as <invalid>.
    { name: "NEXT-ROTATION", type: "string", jsonPath: ".status.atProvider.nextRotateTime", priority: 1 },
    managedColumns[3]!,
  ],
  description: "A user at the provider with least-privilege bucket grants and a key pair, written to a connection Secret; rotated on a schedule.",
  managed: true,
};

/** Every kind this project serves, in the order the CRDs are listed. */
export const kinds: ReadonlyArray<KindDefinition> = [ClusterProviderConfigKind, ProviderConfigKind, BucketKind, BucketPolicyKind, AccessKeyKind];
