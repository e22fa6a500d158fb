import { Schema } from "effect";
import { Conditions, LabelSelector, SecretKeySelector, ObjectName, cel, doc, withDefault } from "./fields.ts";

/** The kinds of object store account a ProviderConfig can describe. */
export const ProviderName = Schema.Literals(["aws", "wasabi", "minio", "generic"]);
export type ProviderName = typeof ProviderName.Type;

/** Where a ProviderConfig's credentials come from. */
export const CredentialsSource = Schema.Literals(["Secret", "Environment", "InjectedIdentity", "None"]);

const CredentialsSecretRef = Schema.Struct({
  name: ObjectName,
  namespace: Schema.optionalKey(ObjectName.pipe(doc("Namespace of the Secret; a ProviderConfig may only use its own namespace."))),
  accessKeyIdKey: withDefault(Schema.String, "access-key-id"),
  secretAccessKeyKey: withDefault(Schema.String, "secret-access-key"),
});

const Credentials = Schema.Struct({
  source: withDefault(CredentialsSource, "Secret"),
  secretRef: Schema.optionalKey(CredentialsSecretRef),
}).pipe(cel({ rule: "self.source != 'Secret' || has(self.secretRef)", message: "credentials.secretRef is required when source is Secret" }));

const Tls = Schema.Struct({
  insecureSkipVerify: withDefault(Schema.Boolean, false),
  caBundleSecretRef: Schema.optionalKey(SecretKeySelector),
});

const Retry = Schema.Struct({
  maxAttempts: withDefault(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 10 })), 3),
  backoff: withDefault(Schema.Literals(["exponential", "constant"]), "exponential"),
});

/**
 * A prefix every bucket and user name must start with, built from the namespace of the
 * resource: `{namespace}` stands for it, e.g. `{namespace}-`.
 */
const NamePrefix = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(63), Schema.isPattern(/^([a-z0-9.-]|\{namespace\})+$/)).pipe(
  doc(
    "Names at the provider (buckets, including those a BucketPolicy or an AccessKey grant names, and users) must start with this prefix; {namespace} stands for the resource's namespace, e.g. {namespace}-. Checked before any call.",
  ),
  cel({ rule: "self.matches('^([a-z0-9.-]|[{]namespace[}])+$')", message: "namePrefix may hold only lowercase letters, digits, '.', '-' and {namespace}" }),
);

const providerConfigFields = {
  provider: ProviderName.pipe(doc("Which provider serves this account: aws, wasabi, minio or generic (any S3-compatible endpoint).")),
  region: Schema.optionalKey(
    Schema.String.check(Schema.isMinLength(1)).pipe(doc("Region. Required for aws and wasabi; others default to us-east-1.")),
  ),
  endpoint: Schema.optionalKey(
    Schema.String.check(Schema.isPattern(/^https?:\/\/[^\s/]+(\/.*)?$/)).pipe(
      doc("S3 endpoint URL. aws and wasabi derive it from the region unless set."),
    ),
  ),
  forcePathStyle: Schema.optionalKey(Schema.Boolean.pipe(doc("Path-style addressing. Defaults to true except for aws."))),
  credentials: Credentials.pipe(doc("Where the credentials come from.")),
  tls: Schema.optionalKey(Tls),
  retry: Schema.optionalKey(Retry),
  namePrefix: Schema.optionalKey(NamePrefix),
};

const accountRules = cel(
  { rule: "!(self.provider in ['aws', 'wasabi']) || has(self.region)", message: "region is required for provider aws and wasabi" },
  { rule: "self.provider != 'generic' || has(self.endpoint)", message: "endpoint is required for provider generic" },
);

/** `spec` of a ProviderConfig: one object store account, usable from its own namespace. */
export const ProviderConfigSpec = Schema.Struct(providerConfigFields).pipe(accountRules);
export type ProviderConfigSpec = typeof ProviderConfigSpec.Type;

/** `spec` of a ClusterProviderConfig: one object store account, and which namespaces may use it. */
export const ClusterProviderConfigSpec = Schema.Struct({
  ...providerConfigFields,
  namespaceSelector: Schema.optionalKey(
    LabelSelector.pipe(
      doc("The namespaces whose resources may use this config, by their labels; empty or absent: every namespace. Checked before any call."),
    ),
  ),
}).pipe(accountRules);
export type ClusterProviderConfigSpec = typeof ClusterProviderConfigSpec.Type;

/** The tenancy rules of a (Cluster)ProviderConfig: who may use it, and which names. */
export const TenancyRules = Schema.Struct({
  namespaceSelector: Schema.optionalKey(LabelSelector),
  namePrefix: Schema.optionalKey(NamePrefix),
});
export type TenancyRules = typeof TenancyRules.Type;

/** `status` of a ProviderConfig: whether the account works, who it is, and how many resources use it. */
export const ProviderConfigStatus = Schema.Struct({
  conditions: Schema.optionalKey(Conditions),
  identity: Schema.optionalKey(Schema.String.pipe(doc("Who the credentials are, as the provider reports it."))),
  users: Schema.optionalKey(Schema.Int.pipe(doc("Managed resources using this config; it cannot be deleted while > 0."))),
  observedGeneration: Schema.optionalKey(Schema.Int),
});
export type ProviderConfigStatus = typeof ProviderConfigStatus.Type;
