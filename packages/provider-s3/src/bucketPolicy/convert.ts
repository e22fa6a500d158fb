import {
  InvalidSpec,
  NotFound,
  externalError,
  samePolicy,
  validatePolicy,
  type BucketPolicyObservation,
  type BucketPolicyParameters,
  type ExternalError,
} from "@cloud37/core";

/** The spec field of the document, named in messages. */
export const policyField = "spec.forProvider.policy";

/**
 * The bucket a policy is attached to. The controller resolves `bucketRef` into `bucketName`
 * before any call, so an unset name is a spec the controller could not resolve.
 */
export const bucketNameOf = (parameters: BucketPolicyParameters): string | ExternalError =>
  parameters.bucketName ??
  externalError(
    "ValidateBucketPolicy",
    new InvalidSpec({ message: "spec.forProvider.bucketName is not set: set it, or a bucketRef to a Ready Bucket", field: "spec.forProvider.bucketName" }),
  );

/** Checks the document's grammar before any call: InvalidSpec with a message naming the field. */
export const validateDocument = (parameters: BucketPolicyParameters): ExternalError | undefined => {
  const problem = validatePolicy(parameters.policy, { kind: "resource", path: policyField });
  return problem === undefined ? undefined : externalError("ValidateBucketPolicy", new InvalidSpec({ message: problem, field: policyField }));
};

/** The text PutBucketPolicy sends: the document as written (stores keep their own form anyway). */
export const policyText = (parameters: BucketPolicyParameters): string => JSON.stringify(parameters.policy);

/** The document a GetBucketPolicy answered, or undefined when it is not JSON (then it differs). */
export const parsePolicy = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** True when the policy a store holds means the same as the spec's (see core's samePolicy). */
export const isUpToDate = (parameters: BucketPolicyParameters, stored: string): boolean => {
  const parsed = parsePolicy(stored);
  return parsed !== undefined && samePolicy(parameters.policy, parsed);
};

/**
 * An operation's NotFound (NoSuchBucket: a missing policy is an answer, not an error) said as
 * the bucket's absence, so the message names what the user must create.
 */
export const bucketMissing =
  (bucket: string) =>
  (error: ExternalError): ExternalError =>
    error.reason._tag === "NotFound" ? externalError(error.operation, new NotFound({ message: `bucket ${bucket} does not exist` })) : error;

/** `status.atProvider` of a bucket policy. */
export const atProvider = (bucket: string): BucketPolicyObservation => ({ bucketName: bucket });
