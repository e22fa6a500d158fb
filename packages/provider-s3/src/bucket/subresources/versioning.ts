import { Effect } from "effect";
import { S3Api } from "../../s3Api.ts";
import { subResource } from "./subresource.ts";

type Status = "Enabled" | "Suspended";

/**
 * Desired Suspended matches a bucket that never had versioning: both store new objects
 * without versions, so writing Suspended would only change a label.
 */
export const versioningUpToDate = (desired: Status, observed: Status | undefined): boolean => desired === (observed ?? "Suspended");

/** Bucket versioning (GetBucketVersioning / PutBucketVersioning). */
export const versioning = subResource<Status, Status | undefined>({
  name: "versioning",
  desired: (parameters) => parameters.versioning?.status,
  read: (bucket) =>
    S3Api.use((s3) => s3.getBucketVersioning({ Bucket: bucket })).pipe(
      Effect.map((output) => (output.Status === "Enabled" || output.Status === "Suspended" ? output.Status : undefined)),
    ),
  isUpToDate: versioningUpToDate,
  apply: (bucket, status) => Effect.asVoid(S3Api.use((s3) => s3.putBucketVersioning({ Bucket: bucket, VersioningConfiguration: { Status: status } }))),
});
