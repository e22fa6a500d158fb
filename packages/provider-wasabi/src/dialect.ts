import { s3Arn, virtualHostedDomainName, type Dialect } from "@cloud37/provider-s3";

/** Wasabi: path-style, `s3.<region>.wasabisys.com`, no SSE-KMS. */
export const wasabiDialect: Dialect = {
  name: "wasabi",
  defaultEndpoint: (region) => `https://s3.${region}.wasabisys.com`,
  forcePathStyle: true,
  unsupported: [{ field: "spec.forProvider.encryption.algorithm", value: "aws:kms", usedBy: (parameters) => parameters.encryption?.algorithm === "aws:kms" }],
  arn: s3Arn,
  bucketDomainName: virtualHostedDomainName,
  omitUsEast1LocationConstraint: true,
  createRefusesOwnedBucket: () => false,
};
