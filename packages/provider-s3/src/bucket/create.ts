import { Effect } from "effect";
import type { BucketParameters, Creation, ExternalError, ManagedResource } from "@cloud37/core";
import { S3Api } from "../s3Api.ts";
import type { Target } from "../target.ts";
import { bucketConnectionDetails, createBucketInput, validateSpec } from "./convert.ts";
import { subResources } from "./subresources/order.ts";

/**
 * Creates a bucket, then applies every configured sub-resource in order, so one reconcile
 * leaves it complete. A bucket that is already ours (BucketAlreadyOwnedByYou) is a success;
 * one owned by someone else is a Conflict.
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
  for (const subResource of subResources) {
    const apply = subResource.apply(bucket, resource.forProvider);
    if (apply !== undefined) yield* apply;
  }
  return { connectionDetails: bucketConnectionDetails(bucket, target.region, target) };
});
