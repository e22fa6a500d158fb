import { s3Arn, type Dialect } from "@cloud37/provider-s3";

/**
 * MinIO: path-style at the Account's endpoint; no CORS and no public access block API.
 * SSE-KMS works, with kmsKeyId naming a key of MinIO's KMS.
 */
export const minioDialect: Dialect = {
  name: "minio",
  defaultEndpoint: () => undefined,
  forcePathStyle: true,
  unsupported: [
    { field: "spec.forProvider.cors", usedBy: (parameters) => parameters.cors !== undefined },
    { field: "spec.forProvider.publicAccessBlock", usedBy: (parameters) => parameters.publicAccessBlock !== undefined },
  ],
  arn: s3Arn,
  // MinIO is rarely set up for virtual-hosted buckets: the domain name is the endpoint's host.
  bucketDomainName: (_bucket, endpointHost) => endpointHost,
  omitUsEast1LocationConstraint: true,
  createRefusesOwnedBucket: () => true,
};
