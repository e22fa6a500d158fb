import type { PublicAccessBlockConfiguration } from "@aws-sdk/client-s3";
import { Effect } from "effect";
import type { BucketParameters } from "@cloud37/core";
import { S3Api } from "../../s3Api.ts";
import { subResource } from "./subresource.ts";

/** The four flags, each set (an unset flag means false, in the spec and at S3). */
export interface Flags {
  readonly BlockPublicAcls: boolean;
  readonly BlockPublicPolicy: boolean;
  readonly IgnorePublicAcls: boolean;
  readonly RestrictPublicBuckets: boolean;
}

/** The spec's public access block as S3's four flags. */
export const flagsFromSpec = (spec: NonNullable<BucketParameters["publicAccessBlock"]>): Flags => ({
  BlockPublicAcls: spec.blockPublicAcls ?? false,
  BlockPublicPolicy: spec.blockPublicPolicy ?? false,
  IgnorePublicAcls: spec.ignorePublicAcls ?? false,
  RestrictPublicBuckets: spec.restrictPublicBuckets ?? false,
});

/** S3's answer as four flags; no configuration means all false. */
export const flagsFromOutput = (configuration: PublicAccessBlockConfiguration | undefined): Flags => ({
  BlockPublicAcls: configuration?.BlockPublicAcls ?? false,
  BlockPublicPolicy: configuration?.BlockPublicPolicy ?? false,
  IgnorePublicAcls: configuration?.IgnorePublicAcls ?? false,
  RestrictPublicBuckets: configuration?.RestrictPublicBuckets ?? false,
});

/** Every flag equal. */
export const flagsUpToDate = (desired: Flags, observed: Flags): boolean =>
  desired.BlockPublicAcls === observed.BlockPublicAcls &&
  desired.BlockPublicPolicy === observed.BlockPublicPolicy &&
  desired.IgnorePublicAcls === observed.IgnorePublicAcls &&
  desired.RestrictPublicBuckets === observed.RestrictPublicBuckets;

/** The bucket's public access block (GetPublicAccessBlock / PutPublicAccessBlock). */
export const publicAccessBlock = subResource<Flags, Flags>({
  name: "publicAccessBlock",
  desired: (parameters) => (parameters.publicAccessBlock === undefined ? undefined : flagsFromSpec(parameters.publicAccessBlock)),
  read: (bucket) =>
    S3Api.use((s3) => s3.getPublicAccessBlock({ Bucket: bucket })).pipe(Effect.map((output) => flagsFromOutput(output?.PublicAccessBlockConfiguration))),
  isUpToDate: flagsUpToDate,
  apply: (bucket, flags) => Effect.asVoid(S3Api.use((s3) => s3.putPublicAccessBlock({ Bucket: bucket, PublicAccessBlockConfiguration: { ...flags } }))),
});
