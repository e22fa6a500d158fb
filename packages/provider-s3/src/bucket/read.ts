import type { Tag } from "@aws-sdk/client-s3";
import { Effect } from "effect";
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
 * Reads a bucket: its tags (always: they hold the ownership mark, and they answer whether the
 * bucket exists), one read per other configured sub-resource, its location when the spec has
 * no region and its object lock when the spec sets it, all concurrently. The tags sub-resource
 * shares the one GetBucketTagging. Any read answering NoSuchBucket means the bucket is absent
 * (undefined). Reads only: nothing is changed.
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
    const configured = subResources.flatMap((subResource) => {
      const observe = subResource.observe(bucket, parameters);
      return observe === undefined ? [] : [Effect.provideService(observe, S3Api, sharingTags)];
    });
    const regionRead = parameters.region === undefined;
    const region = regionRead ? readRegion(bucket) : Effect.succeed(target.region);
    const objectLock = parameters.objectLockEnabled === undefined ? Effect.void : Effect.flatMap(readObjectLock(bucket), (enabled) => {
      const problem = objectLockProblem(parameters, enabled);
      return problem === undefined ? Effect.void : Effect.fail(problem);
    });
    return yield* Effect.all([region, Effect.all(configured, { concurrency: "unbounded" }), objectLock, tagging], { concurrency: "unbounded" }).pipe(
      Effect.map(([foundRegion, states, , tags]): BucketState | undefined => {
        const tagSet = tags?.TagSet ?? [];
        return { region: foundRegion, regionRead, subResources: states, tagSet, mark: markOf(tagSet) };
      }),
      Effect.catchIf(isNotFound, () => Effect.succeed(undefined)),
    );
  });
