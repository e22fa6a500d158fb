import type { ObjectIdentifier } from "@aws-sdk/client-s3";
import { Effect } from "effect";
import { Conflict, externalError, isNotFound, type BucketParameters, type ExternalError, type ManagedResource } from "@cloud37/core";
import { reasonOf } from "../errors.ts";
import { S3Api } from "../s3Api.ts";
import type { Target } from "../target.ts";
import { adoptedNotEmptyMessage, notEmptyMessage } from "./convert.ts";
import { hasContents, markOf, mayEmpty, standingOf } from "./ownership.ts";
import { bucketNameProblem } from "./names.ts";

/** S3 deletes at most this many objects per DeleteObjects call. */
export const deleteBatchSize = 1000;

/** Splits a page into DeleteObjects batches. */
export const batches = <A>(items: ReadonlyArray<A>, size: number = deleteBatchSize): ReadonlyArray<ReadonlyArray<A>> =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));

const notEmpty = (bucket: string, adopted: boolean): ExternalError =>
  externalError("DeleteBucket", new Conflict({ message: adopted ? adoptedNotEmptyMessage(bucket) : notEmptyMessage(bucket) }));

/**
 * Deletes every object version and delete marker, one listing page at a time (never more
 * than one page held). Each pass lists from the start: what the last pass listed is gone,
 * and a DeleteObjects error stops the loop, so it cannot spin.
 */
const emptyVersions = Effect.fn("Bucket.emptyVersions")(function* (bucket: string) {
  const s3 = yield* S3Api;
  while (true) {
    const page = yield* s3.listObjectVersions({ Bucket: bucket, MaxKeys: deleteBatchSize });
    const identifiers: Array<ObjectIdentifier> = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map(({ Key, VersionId }) => ({
      Key,
      ...(VersionId === undefined ? {} : { VersionId }),
    }));
    if (identifiers.length === 0) return;
    for (const batch of batches(identifiers)) {
      const result = yield* s3.deleteObjects({ Bucket: bucket, Delete: { Objects: [...batch], Quiet: true } });
      const failed = result.Errors?.[0];
      if (failed !== undefined) {
        const reason = reasonOf({ Code: failed.Code }, { provider: "s3", operation: "DeleteObjects" });
        return yield* externalError("DeleteObjects", new Conflict({ message: `objects of bucket ${bucket} could not be deleted: ${reason.message}` }));
      }
    }
  }
});

/** Aborts every unfinished multipart upload, a page at a time. */
const abortUploads = Effect.fn("Bucket.abortUploads")(function* (bucket: string) {
  const s3 = yield* S3Api;
  while (true) {
    const page = yield* s3.listMultipartUploads({ Bucket: bucket });
    const uploads = page.Uploads ?? [];
    yield* Effect.forEach(uploads, ({ Key, UploadId }) => s3.abortMultipartUpload({ Bucket: bucket, Key, UploadId }), { concurrency: 8, discard: true });
    if (uploads.length === 0 || page.IsTruncated !== true) return;
  }
});

/**
 * Deletes a bucket, if it is this Bucket's: one that is not fails with OwnedByOther and
 * nothing is deleted. Without forceDestroy a bucket holding anything is refused (Conflict):
 * data is never deleted unless asked. With it, every version, delete marker and unfinished
 * upload goes first, except in an adopted bucket, which only adoption AdoptWithForceDestroy
 * lets forceDestroy empty. A bucket that is already gone (or whose name S3 could never have
 * accepted) is a success.
 */
export const deleteBucket = Effect.fn("Bucket.delete")(function* (
  resource: ManagedResource<BucketParameters>,
  _target: Target,
): Effect.fn.Return<void, ExternalError, S3Api> {
  const bucket = resource.externalName;
  if (bucketNameProblem(bucket) !== undefined) return;
  const s3 = yield* S3Api;
  const run = Effect.gen(function* () {
    const tagging = yield* s3.getBucketTagging({ Bucket: bucket });
    // No tags does not prove the bucket exists (MinIO): a missing one ends here as deleted.
    if (tagging === undefined) yield* s3.headBucket({ Bucket: bucket });
    const tagSet = tagging?.TagSet ?? [];
    const { mark } = yield* standingOf(bucket, markOf(tagSet), resource);
    if (mayEmpty(mark, resource.forProvider)) {
      yield* emptyVersions(bucket);
      yield* abortUploads(bucket);
    } else if (yield* hasContents(bucket)) {
      return yield* notEmpty(bucket, mark.adopted);
    }
    yield* s3.deleteBucket({ Bucket: bucket }).pipe(
      // Someone wrote into the bucket since the check (or an upload is unfinished).
      Effect.mapError((error) => (error.reason._tag === "Conflict" ? notEmpty(bucket, mark.adopted) : error)),
    );
  });
  yield* run.pipe(Effect.catchIf(isNotFound, () => Effect.void));
});
