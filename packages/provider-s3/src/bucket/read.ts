import type { Tag } from "@aws-sdk/client-s3";
import { Effect, Result } from "effect";
import { isNotFound, type BucketParameters, type ExternalError } from "@cloud37/core";
import { S3Api, type S3Port } from "../s3Api.ts";
import type { Target } from "../target.ts";
import { objectLockProblem, regionFromLocation } from "./convert.ts";
import { markOf, type BucketMark } from "./ownership.ts";
import { subResources } from "./subresources/order.ts";
import type { SubResourceState } from "./subresources/subresource.ts";

/** What one read of a bucket found: its region, its ownership mark and each configured sub-resource. */
export interface BucketState {
  readonly region: string;
  /** True when the region was read from the bucket (the spec leaves it unset). */
  readonly regionRead: boolean;
  /** The configured sub-resources, in apply order. */
  readonly subResources: ReadonlyArray<SubResourceState>;
  /** Every tag of the bucket, the controller's included. */
  readonly tagSet: ReadonlyArray<Tag>;
  /** The ownership mark among them, if any. */
  readonly mark: BucketMark | undefined;
}

const readRegion = (bucket: string) =>
  S3Api.use((s3) => s3.getBucketLocation({ Bucket: bucket })).pipe(Effect.map((output) => regionFromLocation(output.LocationConstraint)));

const readObjectLock = (bucket: string) =>
  S3Api.use((s3) => s3.getObjectLockConfiguration({ Bucket: bucket })).pipe(
    Effect.map((output) => output?.ObjectLockConfiguration?.ObjectLockEnabled === "Enabled"),
  );

/**
 * Reads a bucket: its tags (always: they hold the ownership mark), one read per other
 * configured sub-resource, its location when the spec has no region and its object lock when
 * the spec sets it, all concurrently. The tags sub-resource shares the one GetBucketTagging.
 * HeadBucket is sent only when nothing else proved the bucket exists. Any read answering
 * NoSuchBucket means the bucket is absent (undefined). Reads only: nothing is changed.
 */
export const readBucket = (
  bucket: string,
  parameters: BucketParameters,
  target: Target,
): Effect.Effect<BucketState | undefined, ExternalError, S3Api> =>
  Effect.gen(function* () {
    const s3 = yield* S3Api;
    const tagging = yield* Effect.cached(s3.getBucketTagging({ Bucket: bucket }));
    const sharingTags: S3Port = { ...s3, getBucketTagging: () => tagging };
    const declared = subResources.flatMap((subResource) => {
      const observe = subResource.observe(bucket, parameters);
      return observe === undefined ? [] : [{ name: subResource.name, observe: Effect.provideService(observe, S3Api, sharingTags) }];
    });
    const configured = declared.map(({ observe }) => observe);
    const regionRead = parameters.region === undefined;
    const region = regionRead ? readRegion(bucket) : Effect.succeed(target.region);
    const objectLock = parameters.objectLockEnabled === undefined ? Effect.void : Effect.flatMap(readObjectLock(bucket), (enabled) => {
      const problem = objectLockProblem(parameters, enabled);
      return problem === undefined ? Effect.void : Effect.fail(problem);
    });
    // Every read runs to its end, and a failure is picked in this fixed order (absence first):
    // which read failed first is chance, and a message that changed with it would mean a
    // status write at every poll.
    const [tags, foundRegion, lock, states] = yield* Effect.all(
      [Effect.result(tagging), Effect.result(region), Effect.result(objectLock), Effect.all(configured.map(Effect.result), { concurrency: "unbounded" })],
      { concurrency: "unbounded" },
    );
    const results: ReadonlyArray<Result.Result<unknown, ExternalError>> = [tags, foundRegion, lock, ...states];
    const failures = results.flatMap((result) => (Result.isFailure(result) ? [result.failure] : []));
    if (failures.some(isNotFound)) return undefined;
    const failed = failures[0];
    if (failed !== undefined) return yield* Effect.fail(failed);
    const value = <A>(result: Result.Result<A, ExternalError>): A => (result as Result.Success<A, ExternalError>).success;
    const tagOutput = value(tags);
    // "No tags" does not prove the bucket exists (MinIO says NoSuchTagSet of a missing
    // bucket): when no other read did, HeadBucket does. A bucket of ours always has a tag.
    if (tagOutput === undefined && !regionRead && parameters.objectLockEnabled === undefined && declared.every(({ name }) => name === "tags")) {
      const head = yield* Effect.result(S3Api.use((port) => port.headBucket({ Bucket: bucket })));
      if (Result.isFailure(head)) return isNotFound(head.failure) ? undefined : yield* Effect.fail(head.failure);
    }
    const tagSet = tagOutput?.TagSet ?? [];
    return { region: value(foundRegion), regionRead, subResources: states.map(value), tagSet, mark: markOf(tagSet) } satisfies BucketState;
  });
