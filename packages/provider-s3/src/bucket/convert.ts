import type { CreateBucketCommandInput } from "@aws-sdk/client-s3";
import {
  InvalidSpec,
  Unsupported,
  connectionDetails,
  externalError,
  type BucketObservation,
  type BucketParameters,
  type ConnectionDetails,
  type ExternalError,
} from "@cloud37/core";
import { unsupportedMessage, type Dialect } from "../dialect.ts";
import { endpointHost, type Target } from "../target.ts";
import { bucketNameProblem } from "./names.ts";

/**
 * A JSON text of a value with object keys sorted and `undefined` fields dropped: two values
 * that mean the same configuration give the same text.
 */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );

/** True when two values are the same configuration (see `canonical`). */
export const sameConfiguration = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/** A sorted copy of a list (for fields S3 treats as sets); empty and unset are the same. */
export const asSet = (values: ReadonlyArray<string> | undefined): ReadonlyArray<string> | undefined =>
  values === undefined || values.length === 0 ? undefined : [...values].sort();

/**
 * Checks a spec before any call: the name follows S3's rules (InvalidSpec) and the dialect
 * supports every field it sets (Unsupported, naming the field and the provider). Nothing is
 * created for a spec that fails here.
 */
export const validateSpec = (bucket: string, parameters: BucketParameters, dialect: Dialect): ExternalError | undefined => {
  const problem = bucketNameProblem(bucket);
  if (problem !== undefined) return externalError("ValidateBucket", new InvalidSpec({ message: problem, field: "metadata.name" }));
  const feature = dialect.unsupported.find((candidate) => candidate.usedBy(parameters));
  if (feature !== undefined) {
    return externalError(
      "ValidateBucket",
      new Unsupported({ message: unsupportedMessage(feature, dialect.name), field: feature.field, provider: dialect.name }),
    );
  }
  return undefined;
};

/** The region of a GetBucketLocation answer: empty means us-east-1, `EU` is eu-west-1's old name. */
export const regionFromLocation = (location: string | undefined): string =>
  location === undefined || location === "" ? "us-east-1" : location === "EU" ? "eu-west-1" : location;

/** CreateBucket's input: the location constraint (unless the dialect omits it) and object lock. */
export const createBucketInput = (bucket: string, parameters: BucketParameters, target: Target): CreateBucketCommandInput => {
  const omitLocation = target.region === "us-east-1" && target.dialect.omitUsEast1LocationConstraint;
  return {
    Bucket: bucket,
    ...(omitLocation ? {} : { CreateBucketConfiguration: { LocationConstraint: target.region as never } }),
    ...(parameters.objectLockEnabled === true ? { ObjectLockEnabledForBucket: true } : {}),
  };
};

/** Object lock is chosen at creation only: a spec that disagrees with the bucket cannot be applied. */
export const objectLockProblem = (parameters: BucketParameters, enabled: boolean): ExternalError | undefined =>
  parameters.objectLockEnabled === undefined || parameters.objectLockEnabled === enabled
    ? undefined
    : externalError(
        "GetObjectLockConfiguration",
        new InvalidSpec({
          message: `spec.forProvider.objectLockEnabled is ${String(parameters.objectLockEnabled)} but the bucket has object lock ${enabled ? "enabled" : "disabled"}; it can only be chosen when the bucket is created`,
          field: "spec.forProvider.objectLockEnabled",
        }),
      );

/**
 * The bucket's DNS name: the dialect's form, except at an endpoint the Account names and
 * reaches path-style (a test bed, an appliance by IP), where `<bucket>.<host>` would not resolve.
 */
export const bucketDomainName = (bucket: string, target: Target): string =>
  target.account.endpoint !== undefined && target.forcePathStyle ? endpointHost(target) : target.dialect.bucketDomainName(bucket, endpointHost(target));

/** `status.atProvider` of a bucket. */
export const atProvider = (bucket: string, region: string, target: Target): BucketObservation => ({
  arn: target.dialect.arn(bucket, region),
  region,
  endpoint: target.endpoint,
  bucketDomainName: bucketDomainName(bucket, target),
});

/** The connection details of a bucket: where it is, nothing secret. */
export const bucketConnectionDetails = (bucket: string, region: string, target: Target): ConnectionDetails =>
  connectionDetails({ bucket, endpoint: target.endpoint, region });

/** The message of a bucket that cannot be deleted because it holds data. */
export const notEmptyMessage = (bucket: string): string =>
  `bucket ${bucket} is not empty; set spec.forProvider.forceDestroy: true to delete it with its contents`;

/** The message of an adopted bucket that cannot be deleted because it holds data this controller never wrote. */
export const adoptedNotEmptyMessage = (bucket: string): string =>
  `bucket ${bucket} is not empty and was adopted: forceDestroy empties an adopted bucket only with spec.forProvider.adoption: AdoptWithForceDestroy; or set deletionPolicy: Orphan to keep it`;
