import { s3Arn, virtualHostedDomainName, type Dialect } from "@cloud37/provider-s3";

/** The AWS regional S3 endpoint (China regions live under amazonaws.com.cn). */
export const awsS3Endpoint = (region: string): string =>
  `https://s3.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`;

/** AWS: virtual-hosted style, regional endpoints, no LocationConstraint in us-east-1, everything supported. */
export const awsDialect: Dialect = {
  name: "aws",
  defaultEndpoint: awsS3Endpoint,
  forcePathStyle: false,
  unsupported: [],
  arn: s3Arn,
  bucketDomainName: virtualHostedDomainName,
  omitUsEast1LocationConstraint: true,
  createRefusesOwnedBucket: (region) => region !== "us-east-1",
};
