import { Redacted } from "effect";
import {
  InvalidSpec,
  OwnedByOther,
  connectionDetails,
  defaultUserName,
  externalError,
  grantPolicy,
  rotationRequestAnnotation,
  validatePolicy,
  type AccessKeyObservation,
  type AccessKeyRequest,
  type ConnectionDetails,
  type ExternalError,
  type ManagedResource,
  type ResolvedGrant,
  type Rotation,
} from "@cloud37/core";
import type { Target } from "../target.ts";
import { noRotation, type KeyPlan } from "./keys.ts";

/** What an AccessKey asks for, checked and resolved: everything the calls need. */
export interface KeyRequest {
  readonly userName: string;
  /** The identity policy the user must hold. */
  readonly policy: unknown;
  readonly grants: ReadonlyArray<ResolvedGrant>;
  readonly rotation: Rotation;
  readonly requestedAt: Date | undefined;
}

const invalid = (message: string, field: string): ExternalError => externalError("ValidateAccessKey", new InvalidSpec({ message, field }));

const userNamePattern = /^[\w+=,.@-]{1,64}$/;

/** The user an AccessKey owns: `userName`, defaulting to `<namespace>-<name>`, if the provider can take it. */
export const userNameOf = (resource: ManagedResource<AccessKeyRequest>): string | ExternalError => {
  const userName = resource.forProvider.userName ?? defaultUserName(resource.namespace, resource.name);
  return userNamePattern.test(userName)
    ? userName
    : invalid(`user name ${userName} is not valid at the provider (1 to 64 of letters, digits and +=,.@_-): set spec.forProvider.userName`, "spec.forProvider.userName");
};

/**
 * Checks an AccessKey before any call and resolves what it asks for: the user name (default
 * `<namespace>-<name>`), the grants (the controller resolved every bucketRef to a bucketName)
 * and the policy they make with the extra document. Every problem is InvalidSpec naming the field.
 */
export const keyRequestOf = (resource: ManagedResource<AccessKeyRequest>, target: Target): KeyRequest | ExternalError => {
  const parameters = resource.forProvider;
  const userName = userNameOf(resource);
  if (typeof userName !== "string") return userName;
  const grants: Array<ResolvedGrant> = [];
  for (const [index, grant] of (parameters.buckets ?? []).entries()) {
    if (grant.bucketName === undefined) return invalid(`spec.forProvider.buckets[${index}] names no bucket: set bucketName, or a bucketRef to a Ready Bucket`, `spec.forProvider.buckets[${index}]`);
    grants.push({ bucketName: grant.bucketName, access: grant.access });
  }
  if (parameters.policy !== undefined) {
    const problem = validatePolicy(parameters.policy, { kind: "identity", path: "spec.forProvider.policy" });
    if (problem !== undefined) return invalid(problem, "spec.forProvider.policy");
  }
  let requestedAt: Date | undefined;
  if (parameters.rotationRequestedAt !== undefined) {
    requestedAt = new Date(parameters.rotationRequestedAt);
    if (Number.isNaN(requestedAt.getTime())) {
      return invalid(`annotation ${rotationRequestAnnotation} must be an RFC 3339 time, e.g. 2026-01-31T12:00:00Z`, `metadata.annotations.${rotationRequestAnnotation}`);
    }
  }
  return {
    userName,
    grants,
    policy: grantPolicy(grants, (bucket) => target.dialect.arn(bucket, target.region), parameters.policy),
    rotation: parameters.rotation ?? noRotation,
    requestedAt,
  };
};

/**
 * The connection details of a key. With its secret (just created) they are complete; without
 * (observed) they hold only what is not secret and can be said again on every poll, so a
 * publish adds them to the Secret without touching the secret keys.
 */
export const keyConnectionDetails = (target: Target, request: KeyRequest, key: { readonly id: string; readonly secret?: Redacted.Redacted<string> }): ConnectionDetails => {
  const secret = key.secret === undefined ? undefined : Redacted.value(key.secret);
  const onlyBucket = request.grants.length === 1 ? request.grants[0]?.bucketName : undefined;
  return connectionDetails({
    // Crossplane's AccessKey keys: the key id is the user name of S3's "basic auth".
    username: key.id,
    password: secret,
    AWS_ACCESS_KEY_ID: key.id,
    AWS_SECRET_ACCESS_KEY: secret,
    AWS_REGION: target.region,
    AWS_ENDPOINT_URL_S3: target.endpoint,
    COSI_S3_ENDPOINT: target.endpoint,
    COSI_S3_REGION: target.region,
    COSI_S3_ACCESS_KEY_ID: key.id,
    COSI_S3_ACCESS_SECRET_KEY: secret,
    COSI_S3_ADDRESSING_STYLE: target.forcePathStyle ? "path" : "virtual",
    COSI_S3_BUCKET_ID: onlyBucket,
  });
};

/** `status.atProvider` of an AccessKey. */
export const atProvider = (request: KeyRequest, plan: KeyPlan): AccessKeyObservation => ({
  userName: request.userName,
  ...(plan.current === undefined ? {} : { accessKeyId: plan.current.id, lastRotateTime: plan.current.created.toISOString() }),
  ...(plan.retained.length === 0 ? {} : { previousAccessKeyIds: plan.retained.map((key) => key.id) }),
  ...(plan.nextRotateTime === undefined ? {} : { nextRotateTime: plan.nextRotateTime.toISOString() }),
});

/** The note of a key deleted because it was never recorded. */
export const unrecordedNote = (keyId: string, userName: string): string =>
  `deleted access key ${keyId} of user ${userName}: it was never recorded (a create or rotation was interrupted), so its secret is lost`;

/**
 * Why a user is not this AccessKey's, or undefined when it is (it carries the mark `uid`).
 * Deterministic, and says what to do: the user name cannot be changed on an AccessKey.
 */
export const notOwned = (userName: string, owner: string | undefined, uid: string): ExternalError | undefined => {
  if (owner === uid) return undefined;
  const whose =
    owner === undefined
      ? `exists at the provider but was not created by this AccessKey (it carries no ownership mark of this controller)`
      : `belongs to another AccessKey (its ownership mark names uid ${owner})`;
  return externalError(
    "CheckUserOwner",
    new OwnedByOther({
      message: `user ${userName} ${whose}: nothing was changed and no Secret was written; create an AccessKey with another spec.forProvider.userName (see docs/security.md)`,
    }),
  );
};
