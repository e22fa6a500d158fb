import type { BucketParameters, ProviderName } from "@cloud37/core";

/** A field one provider does not support, and when a spec uses it. */
export interface UnsupportedFeature {
  /** The field path, e.g. `spec.forProvider.cors`. */
  readonly field: string;
  /** The value that is unsupported, when only one value of the field is (e.g. `aws:kms`). */
  readonly value?: string;
  readonly usedBy: (parameters: BucketParameters) => boolean;
}

/** What varies between S3 dialects: everything else is the same S3 code. */
export interface Dialect {
  readonly name: ProviderName;
  /** The S3 endpoint of a region, when the provider has a well-known one (generic has none). */
  readonly defaultEndpoint: (region: string) => string | undefined;
  /** Path-style addressing unless the Account says otherwise. */
  readonly forcePathStyle: boolean;
  /** Fields this provider does not support; a spec using one fails with Unsupported. */
  readonly unsupported: ReadonlyArray<UnsupportedFeature>;
  /** The bucket's ARN. */
  readonly arn: (bucket: string, region: string) => string;
  /** The bucket's DNS name, given the endpoint host (`host[:port]`). */
  readonly bucketDomainName: (bucket: string, endpointHost: string) => string;
  /** True when CreateBucket in us-east-1 must not send a LocationConstraint (AWS rejects it). */
  readonly omitUsEast1LocationConstraint: boolean;
  /**
   * True when, in this region, CreateBucket of a bucket the account already owns fails with
   * BucketAlreadyOwnedByYou, so a success proves the call made the bucket (empty and without
   * tags). AWS answers 200 instead in us-east-1; servers not known to refuse are assumed not to.
   */
  readonly createRefusesOwnedBucket: (region: string) => boolean;
}

/** `arn:<partition>:s3:::<bucket>`: the partition follows the region (China, GovCloud). */
export const s3Arn = (bucket: string, region: string): string => {
  const partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  return `arn:${partition}:s3:::${bucket}`;
};

/** Virtual-hosted DNS name: `<bucket>.<endpoint host>`. */
export const virtualHostedDomainName = (bucket: string, endpointHost: string): string => `${bucket}.${endpointHost}`;

/** The message of an unsupported field: deterministic, names the field and the provider. */
export const unsupportedMessage = (feature: UnsupportedFeature, provider: string): string =>
  `${feature.field}${feature.value === undefined ? "" : ` ${feature.value}`} is not supported by ${provider}`;

/** The `generic` dialect: any S3-compatible endpoint (the Account must name it), path-style. */
export const genericDialect: Dialect = {
  name: "generic",
  defaultEndpoint: () => undefined,
  forcePathStyle: true,
  unsupported: [],
  arn: s3Arn,
  bucketDomainName: (_bucket, endpointHost) => endpointHost,
  omitUsEast1LocationConstraint: true,
  createRefusesOwnedBucket: () => false,
};
