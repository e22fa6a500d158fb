import { Effect } from "effect";
import { NotFound, externalError, type BucketParameters, type ConnectionDetails, type ExternalError, type ManagedResource } from "@cloud37/core";
import type { S3Api } from "../s3Api.ts";
import type { Target } from "../target.ts";
import { bucketConnectionDetails, validateSpec } from "./convert.ts";
import { standingOf, writeMark } from "./ownership.ts";
import { readBucket } from "./read.ts";

/**
 * Repairs drift: reads the bucket once more (the state may have moved since observe), writes
 * the ownership tag first when this Bucket is claiming the bucket, then applies only the
 * sub-resources that differ, in the fixed order. A bucket that is not this Bucket's fails
 * with OwnedByOther before anything is written.
 */
export const update = Effect.fn("Bucket.update")(function* (
  resource: ManagedResource<BucketParameters>,
  target: Target,
): Effect.fn.Return<{ readonly connectionDetails?: ConnectionDetails }, ExternalError, S3Api> {
  const bucket = resource.externalName;
  const invalid = validateSpec(bucket, resource.forProvider, target.dialect);
  if (invalid !== undefined) return yield* invalid;

  const state = yield* readBucket(bucket, resource.forProvider, target);
  if (state === undefined) return yield* externalError("UpdateBucket", new NotFound({ message: `bucket ${bucket} does not exist` }));
  const standing = yield* standingOf(bucket, state.mark, resource);
  if (standing._tag === "Claimable") yield* writeMark(bucket, standing.mark, state.tagSet);
  for (const subResource of state.subResources) {
    if (!subResource.upToDate) yield* subResource.apply;
  }
  return { connectionDetails: bucketConnectionDetails(bucket, state.region, target) };
});
