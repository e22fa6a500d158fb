import type { Provider } from "@cloud37/core";
import { listBucketsCheck, makeS3Provider, type IdentityOf } from "@cloud37/provider-s3";
import { minioDialect } from "./dialect.ts";
import { minioIdentityService } from "./identity.ts";

/** `minio:<access key id>` (the key id is not secret); the admin API's user info comes later. */
export const minioIdentity: IdentityOf = (account) =>
  `minio:${account.credentials.source === "Secret" ? account.credentials.accessKeyId : account.credentials.source}`;

/** The `minio` provider: MinIO's S3 API, accounts checked with ListBuckets, users and keys through the admin API. */
export const minioProvider: Provider = makeS3Provider({
  dialect: minioDialect,
  checkAccount: listBucketsCheck(minioDialect, minioIdentity),
  identityFor: minioIdentityService,
});
