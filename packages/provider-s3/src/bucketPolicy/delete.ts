import { Effect } from "effect";
import { isNotFound, type BucketPolicyParameters, type ExternalError, type ManagedResource } from "@cloud37/core";
import { S3Api } from "../s3Api.ts";
import type { Target } from "../target.ts";
import { bucketNameOf } from "./convert.ts";

/**
 * Removes a bucket's policy. Idempotent: a policy or bucket that is already gone
 * (NoSuchBucketPolicy, NoSuchBucket) is a success. The document is not validated: a
 * malformed spec must not block deletion.
 */
export const deletePolicy = Effect.fn("BucketPolicy.delete")(function* (
  resource: ManagedResource<BucketPolicyParameters>,
  _target: Target,
): Effect.fn.Return<void, ExternalError, S3Api> {
  const bucket = bucketNameOf(resource.forProvider);
  if (typeof bucket !== "string") return yield* bucket;
  const s3 = yield* S3Api;
  yield* s3.deleteBucketPolicy({ Bucket: bucket }).pipe(Effect.catchIf(isNotFound, () => Effect.void));
});
