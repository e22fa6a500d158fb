import { Effect } from "effect";
import type { BucketPolicyParameters, ExternalError, ManagedResource } from "@cloud37/core";
import { S3Api } from "../s3Api.ts";
import type { Target } from "../target.ts";
import { bucketMissing, bucketNameOf, policyText, validateDocument } from "./convert.ts";

/**
 * Puts the spec's document as the bucket's policy (PutBucketPolicy replaces whatever is
 * there, so create and update are the same call, and both are idempotent). A malformed
 * document is refused before the call.
 */
export const putPolicy = Effect.fn("BucketPolicy.put")(function* (
  resource: ManagedResource<BucketPolicyParameters>,
  _target: Target,
): Effect.fn.Return<void, ExternalError, S3Api> {
  const bucket = bucketNameOf(resource.forProvider);
  if (typeof bucket !== "string") return yield* bucket;
  const invalid = validateDocument(resource.forProvider);
  if (invalid !== undefined) return yield* invalid;

  const s3 = yield* S3Api;
  yield* s3.putBucketPolicy({ Bucket: bucket, Policy: policyText(resource.forProvider) }).pipe(Effect.mapError(bucketMissing(bucket)));
});

/** Creates a bucket's policy. */
export const create = (resource: ManagedResource<BucketPolicyParameters>, target: Target) => Effect.as(putPolicy(resource, target), {});
