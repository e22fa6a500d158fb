import type { GetBucketEncryptionCommandOutput, ServerSideEncryptionConfiguration } from "@aws-sdk/client-s3";
import { Effect } from "effect";
import type { BucketParameters } from "@cloud37/core";
import { S3Api } from "../../s3Api.ts";
import { subResource } from "./subresource.ts";

/** Default encryption in the spec's terms. */
export type Encryption = NonNullable<BucketParameters["encryption"]>;

/** The bucket's default encryption, or undefined when it has none. */
export const encryptionFromOutput = (output: Omit<GetBucketEncryptionCommandOutput, "$metadata"> | undefined): Encryption | undefined => {
  const rule = output?.ServerSideEncryptionConfiguration?.Rules?.[0];
  const algorithm = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
  if (algorithm !== "AES256" && algorithm !== "aws:kms") return undefined;
  const kmsKeyId = rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
  return {
    algorithm,
    ...(kmsKeyId === undefined || kmsKeyId === "" ? {} : { kmsKeyId }),
    ...(rule?.BucketKeyEnabled === undefined ? {} : { bucketKeyEnabled: rule.BucketKeyEnabled }),
  };
};

/** PutBucketEncryption's configuration. */
export const encryptionToInput = (desired: Encryption): ServerSideEncryptionConfiguration => ({
  Rules: [
    {
      ApplyServerSideEncryptionByDefault: {
        SSEAlgorithm: desired.algorithm,
        ...(desired.kmsKeyId === undefined ? {} : { KMSMasterKeyID: desired.kmsKeyId }),
      },
      ...(desired.bucketKeyEnabled === undefined ? {} : { BucketKeyEnabled: desired.bucketKeyEnabled }),
    },
  ],
});

/**
 * The same KMS key: providers answer a key id with an ARN (`arn:aws:kms:...:key/<id>`, MinIO
 * `arn:aws:kms:<name>`), so a suffix after `/` or `:` matches too.
 */
export const sameKmsKey = (desired: string, observed: string | undefined): boolean =>
  observed !== undefined && (observed === desired || observed.endsWith(`/${desired}`) || observed.endsWith(`:${desired}`));

/** Fields the spec leaves unset are not compared (the provider chooses them). */
export const encryptionUpToDate = (desired: Encryption, observed: Encryption | undefined): boolean =>
  observed !== undefined &&
  observed.algorithm === desired.algorithm &&
  (desired.kmsKeyId === undefined || sameKmsKey(desired.kmsKeyId, observed.kmsKeyId)) &&
  (desired.bucketKeyEnabled === undefined || desired.bucketKeyEnabled === (observed.bucketKeyEnabled ?? false));

/** An SSE-KMS spec without a key id learns the key the bucket uses. */
export const encryptionLateInit = (desired: Encryption, observed: Encryption | undefined): Partial<BucketParameters> | undefined =>
  desired.algorithm === "aws:kms" && desired.kmsKeyId === undefined && observed?.algorithm === "aws:kms" && observed.kmsKeyId !== undefined
    ? { encryption: { ...desired, kmsKeyId: observed.kmsKeyId } }
    : undefined;

/** Default server-side encryption (GetBucketEncryption / PutBucketEncryption). */
export const encryption = subResource<Encryption, Encryption | undefined>({
  name: "encryption",
  desired: (parameters) => parameters.encryption,
  read: (bucket) => S3Api.use((s3) => s3.getBucketEncryption({ Bucket: bucket })).pipe(Effect.map(encryptionFromOutput)),
  isUpToDate: encryptionUpToDate,
  lateInit: encryptionLateInit,
  apply: (bucket, desired) =>
    Effect.asVoid(S3Api.use((s3) => s3.putBucketEncryption({ Bucket: bucket, ServerSideEncryptionConfiguration: encryptionToInput(desired) }))),
});
