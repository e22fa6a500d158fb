import { Effect } from "effect";
import type { BucketPolicyObservation, BucketPolicyParameters, ExternalError, ManagedResource, Observation } from "@cloud37/core";
import { S3Api } from "../s3Api.ts";
import type { Target } from "../target.ts";
import { atProvider, bucketMissing, bucketNameOf, isUpToDate, validateDocument } from "./convert.ts";

/**
 * Observes a bucket's policy: validates the document (InvalidSpec), then reads the policy
 * with one GetBucketPolicy. No policy is `exists: false`; a missing bucket is NotFound (the
 * controller waits for it). The stored document is compared semantically. Never changes anything.
 */
export const observe = Effect.fn("BucketPolicy.observe")(function* (
  resource: ManagedResource<BucketPolicyParameters>,
  _target: Target,
): Effect.fn.Return<Observation<BucketPolicyParameters, BucketPolicyObservation>, ExternalError, S3Api> {
  const bucket = bucketNameOf(resource.forProvider);
  if (typeof bucket !== "string") return yield* bucket;
  const invalid = validateDocument(resource.forProvider);
  if (invalid !== undefined) return yield* invalid;

  const s3 = yield* S3Api;
  const output = yield* s3.getBucketPolicy({ Bucket: bucket }).pipe(Effect.mapError(bucketMissing(bucket)));
  const stored = output?.Policy;
  if (stored === undefined || stored === "") return { exists: false };
  const upToDate = isUpToDate(resource.forProvider, stored);
  return { exists: true, upToDate, drift: upToDate ? [] : ["policy"], atProvider: atProvider(bucket) };
});
