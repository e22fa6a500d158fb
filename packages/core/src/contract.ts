import { Context, type Effect, type Redacted } from "effect";
import type { BucketObservation, BucketParameters } from "./schema/bucket.ts";
import type { BucketPolicyObservation, BucketPolicyParameters } from "./schema/bucketPolicy.ts";
import type { AccessKeyObservation, AccessKeyRequest } from "./schema/accessKey.ts";
import type { ExternalError } from "./errors.ts";
import type { RetrySettings } from "./retry.ts";
import type { ProviderName } from "./schema/providerConfig.ts";

/** Credentials a provider signs with, as the controller resolved them from the ProviderConfig. */
export type AccountCredentials =
  | { readonly source: "Secret"; readonly accessKeyId: string; readonly secretAccessKey: Redacted.Redacted<string> }
  /** The SDK's default chain: the controller's environment, instance profile, web identity. */
  | { readonly source: "Environment" | "InjectedIdentity" }
  /** Anonymous requests. */
  | { readonly source: "None" };

/**
 * An object store account: everything a provider needs to reach it. The controller builds it
 * from a ProviderConfig and its Secrets; a provider never talks to Kubernetes.
 */
export interface Account {
  readonly provider: ProviderName;
  /** The ProviderConfig's name, for messages. */
  readonly configName: string;
  readonly region: string;
  /** Set when the ProviderConfig names one; otherwise the provider derives it. */
  readonly endpoint: string | undefined;
  readonly forcePathStyle: boolean | undefined;
  readonly credentials: AccountCredentials;
  readonly tls: { readonly insecureSkipVerify: boolean; readonly caBundle: string | undefined };
  readonly retry: RetrySettings;
}

/** What the identity check of an account found (ProviderConfig status). */
export interface AccountIdentity {
  /** Who the credentials are, e.g. an ARN or a MinIO user name. */
  readonly identity: string;
  /** The endpoint the provider talks to. */
  readonly endpoint: string;
}

/**
 * A managed resource as a provider sees it: names, desired state and a few facts the
 * controller established, nothing of Kubernetes.
 */
export interface ManagedResource<P> {
  readonly name: string;
  readonly namespace: string;
  /**
   * The managed resource's UID (metadata.uid). What the provider creates carries it as an
   * ownership mark (IAM: the user's path; MinIO: the user's policy; a bucket: a tag), and the
   * provider acts only on what carries it: anything else fails with OwnedByOther.
   */
  readonly uid: string;
  /** The name at the provider (`crossplane.io/external-name`, defaulting to metadata.name). */
  readonly externalName: string;
  readonly forProvider: P;
  /**
   * True when the connection Secret lacks a value only a create can give (an access key's
   * secret), e.g. because someone deleted the Secret: the provider should replace what holds
   * that value, since it cannot be read back.
   */
  readonly connectionSecretLost?: boolean;
  /**
   * True when the controller recorded a create of this resource that never finished
   * (`crossplane.io/external-create-pending` newer than its outcome): an unmarked resource of
   * this name may be what that create made before it could be marked.
   */
  readonly interruptedCreate?: boolean;
  /**
   * A hint, never a fact: true when the controller saw the external resource before (a create
   * of it was recorded, or a reconcile reported it). A provider may order its reads by it,
   * e.g. look a resource never seen up with one cheap existence check before reading all of
   * it; what it reports must not depend on it.
   */
  readonly seenBefore?: boolean;
}

/** Connection details: key to value. Values may be secret; they only ever go into a Secret. */
export type ConnectionDetails = Readonly<Record<string, Redacted.Redacted<string>>>;

/** Facts an observe found. Observe never changes anything at the provider. */
export type Observation<P, O> =
  | { readonly exists: false }
  | {
      readonly exists: true;
      /** True when the external resource matches the desired state. */
      readonly upToDate: boolean;
      /** The sub-resources that differ, e.g. ["versioning", "tags"]: for messages and events. */
      readonly drift: ReadonlyArray<string>;
      readonly atProvider: O;
      /** Desired-state fields the user left unset, filled in from what the provider has. */
      readonly lateInitialized?: Partial<P>;
      readonly connectionDetails?: ConnectionDetails;
    };

/** What a create reported. */
export interface Creation<P = never, O = never> {
  /** The name the provider chose, when the user could not choose it. */
  readonly externalName?: string;
  readonly connectionDetails?: ConnectionDetails;
  /** Things the user should know about, e.g. a leaked key removed first (Warning events). */
  readonly notes?: ReadonlyArray<string>;
  /**
   * Set when the create applied the whole desired state and knows what the resource is now:
   * the controller reports it available and up to date at once, instead of observing it again
   * right away (the next poll observes it as usual, after the creation grace period).
   */
  readonly applied?: {
    readonly atProvider: O;
    /** Desired-state fields the user left unset, as the create chose them (e.g. the region). */
    readonly lateInitialized?: Partial<P>;
  };
}

/** What an update reported. */
export interface Update {
  /** A new name at the provider, e.g. the key a rotation created. */
  readonly externalName?: string;
  readonly connectionDetails?: ConnectionDetails;
  /** Things the user should know about (Warning events). */
  readonly notes?: ReadonlyArray<string>;
}

/**
 * One provider's implementation of one kind. Create and Delete are idempotent: create that finds
 * the resource already ours succeeds; delete that finds nothing succeeds. Every failure is an
 * ExternalError whose reason says how it is retried.
 *
 * Ownership: every verb acts only on what carries this resource's mark (`uid`). One that finds
 * the external resource marked by another resource, or unmarked and not to be adopted, fails
 * with OwnedByOther and changes nothing; delete then deletes nothing.
 */
export interface ExternalClient<P, O> {
  observe(resource: ManagedResource<P>): Effect.Effect<Observation<P, O>, ExternalError>;
  create(resource: ManagedResource<P>): Effect.Effect<Creation<P, O>, ExternalError>;
  update(resource: ManagedResource<P>): Effect.Effect<Update, ExternalError>;
  delete(resource: ManagedResource<P>): Effect.Effect<void, ExternalError>;
}

/** Connects a kind's external client to an account. */
export type Connector<P, O> = (account: Account) => Effect.Effect<ExternalClient<P, O>, ExternalError>;

/** One external call: its operation name, how it ended ("ok" or a reason tag) and how long it took. */
export interface ExternalCall {
  readonly operation: string;
  readonly result: string;
  readonly seconds: number;
}

/**
 * Observes the external calls providers make (the controller counts them in metrics).
 * The default does nothing, so providers and their tests need not provide it.
 */
export const ExternalCalls = Context.Reference<{ readonly record: (call: ExternalCall) => void }>("cloud37/core/ExternalCalls", {
  defaultValue: () => ({ record: () => undefined }),
});

/**
 * One provider (aws, wasabi, minio, generic): how it checks an account and how it serves
 * each kind. The controller's entry point composes the enabled ones.
 */
export interface Provider {
  readonly name: ProviderName;
  /**
   * Checks that the account works: the credentials are accepted (Unauthorized otherwise) and
   * the endpoint answers (Transient otherwise). Changes nothing.
   */
  readonly checkAccount: (account: Account) => Effect.Effect<AccountIdentity, ExternalError>;
  /**
   * Buckets. A bucket this resource did not create (no ownership tag) is taken over only with
   * `forProvider.adoption`; one another resource owns never is (OwnedByOther).
   */
  readonly bucket: Connector<BucketParameters, BucketObservation>;
  /**
   * Bucket policies. The controller resolves `bucketRef` first: `forProvider.bucketName` is
   * always set when a client method is called.
   */
  readonly bucketPolicy: Connector<BucketPolicyParameters, BucketPolicyObservation>;
  /**
   * Access keys. The external name is the current key id, assigned at creation; the provider
   * owns the user named by `userName` (defaulting to `<namespace>-<name>`) and every key on it,
   * once it created that user with the AccessKey's mark: a user without it is never taken
   * over (OwnedByOther). Keys there that were never recorded (newer than the current one) are
   * what an interrupted create or rotation left: the provider deletes them and says so in `notes`.
   */
  readonly accessKey: Connector<AccessKeyRequest, AccessKeyObservation>;
}
