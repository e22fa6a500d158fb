import { Effect } from "effect";
import type { BucketParameters, Creation, ExternalError, ManagedResource } from "@cloud37/core";
import { S3Api } from "../s3Api.ts";
import type { Target } from "../target.ts";
import { bucketConnectionDetails, createBucketInput, validateSpec } from "./convert.ts";
import { markOf, standingOf, writeMark } from "./ownership.ts";
import { subResources } from "./subresources/order.ts";

/**
 * Creates a bucket and marks it as this Bucket's (the ownership tag, first, so the window in
 * which an interrupted create leaves an unmarked bucket is one call), then applies every
 * configured sub-resource in order, so one reconcile leaves it complete. A bucket that is
 * already ours (BucketAlreadyOwnedByYou) is a success; one in another account is a Conflict;
 * one in this account marked by another resource is OwnedByOther, and nothing is written.
 */
export const create = Effect.fn("Bucket.create")(function* (
  resource: ManagedResource<BucketParameters>,
  target: Target,
): Effect.fn.Return<Creation, ExternalError, S3Api> {
  const bucket = resource.externalName;
  const invalid = validateSpec(bucket, resource.forProvider, target.dialect);
  if (invalid !== undefined) return yield* invalid;

  const s3 = yield* S3Api;
  yield* s3.createBucket(createBucketInput(bucket, resource.forProvider, target));
  // Observe found no bucket; one made in the meantime by someone else must not be marked.
  const tagSet = (yield* s3.getBucketTagging({ Bucket: bucket }))?.TagSet ?? [];
  const mark = markOf(tagSet);
  if (mark === undefined) yield* writeMark(bucket, { owner: resource.uid, adopted: false }, tagSet);
  else yield* standingOf(bucket, mark, resource);
  for (const subResource of subResources) {
    const apply = subResource.apply(bucket, resource.forProvider);
    if (apply !== undefined) yield* apply;
  }
  return { connectionDetails: bucketConnectionDetails(bucket, target.region, target) };
});
