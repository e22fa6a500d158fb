import { Effect, Result } from "effect";
import { isNotFound, type BucketObservation, type BucketParameters, type ExternalError, type ManagedResource, type Observation } from "@cloud37/core";
import { S3Api } from "../s3Api.ts";
import type { Target } from "../target.ts";
import { atProvider, bucketConnectionDetails, validateSpec } from "./convert.ts";
import { standingOf } from "./ownership.ts";
import { readBucket } from "./read.ts";

/**
 * Observes a bucket: validates the spec (name rules, unsupported fields), looks a bucket never
 * seen before up with HeadBucket first (`seenBefore`: only the read order), then reads its tags
 * and configured sub-resources and reports facts: exists, drift, atProvider, late-initialized
 * fields, connection details. A bucket that is not this Bucket's fails with OwnedByOther; one
 * it may claim (adoption, an interrupted create) reports the missing ownership tag as drift.
 * Never changes anything.
 */
export const observe = Effect.fn("Bucket.observe")(function* (
  resource: ManagedResource<BucketParameters>,
  target: Target,
): Effect.fn.Return<Observation<BucketParameters, BucketObservation>, ExternalError, S3Api> {
  const bucket = resource.externalName;
  const invalid = validateSpec(bucket, resource.forProvider, target.dialect);
  if (invalid !== undefined) return yield* invalid;

  // A bucket the controller never saw is most likely not there yet: one HeadBucket says so,
  // instead of every read the spec configures failing with NoSuchBucket.
  if (resource.seenBefore !== true) {
    const head = yield* Effect.result(S3Api.use((s3) => s3.headBucket({ Bucket: bucket })));
    if (Result.isFailure(head)) {
      if (isNotFound(head.failure)) return { exists: false };
      return yield* Effect.fail(head.failure);
    }
  }
  const state = yield* readBucket(bucket, resource.forProvider, target);
  if (state === undefined) return { exists: false };

  const standing = yield* standingOf(bucket, state.mark, resource);
  const drift = [
    ...(standing._tag === "Claimable" ? ["ownership tag"] : []),
    ...state.subResources.filter((subResource) => !subResource.upToDate).map((subResource) => subResource.name),
  ];
  const lateInitialized: Partial<BucketParameters> = Object.assign(
    {},
    ...state.subResources.map((subResource) => subResource.lateInitialized ?? {}),
    state.regionRead ? { region: state.region } : {},
  );
  return {
    exists: true,
    upToDate: drift.length === 0,
    drift,
    atProvider: atProvider(bucket, state.region, target),
    ...(Object.keys(lateInitialized).length === 0 ? {} : { lateInitialized }),
    connectionDetails: bucketConnectionDetails(bucket, state.region, target),
  };
});
