import { Effect } from "effect";
import { isNotFound, type BucketParameters, type ExternalError } from "@cloud37/core";
import { S3Api } from "../s3Api.ts";
import type { Target } from "../target.ts";
import { objectLockProblem, regionFromLocation } from "./convert.ts";
import { subResources } from "./subresources/order.ts";
import type { SubResourceState } from "./subresources/subresource.ts";

/** What one read of a bucket found: its region and each configured sub-resource. */
export interface BucketState {
  readonly region: string;
  /** True when the region was read from the bucket (the spec leaves it unset). */
  readonly regionRead: boolean;
  /** The configured sub-resources, in apply order. */
  readonly subResources: ReadonlyArray<SubResourceState>;
}

const readRegion = (bucket: string) =>
  S3Api.use((s3) => s3.getBucketLocation({ Bucket: bucket })).pipe(Effect.map((output) => regionFromLocation(output.LocationConstraint)));

const readObjectLock = (bucket: string) =>
  S3Api.use((s3) => s3.getObjectLockConfiguration({ Bucket: bucket })).pipe(
    Effect.map((output) => output?.ObjectLockConfiguration?.ObjectLockEnabled === "Enabled"),
  );

/**
 * Reads a bucket: one read per configured sub-resource, plus its location when the spec
 * has no region and its object lock when the spec sets it, all concurrently. HeadBucket is
 * sent only when nothing else is read. Any read answering NoSuchBucket means the bucket is
 * absent (undefined). Reads only: nothing is changed.
 */
export const readBucket = (
  bucket: string,
  parameters: BucketParameters,
  target: Target,
): Effect.Effect<BucketState | undefined, ExternalError, S3Api> => {
  const configured = subResources.flatMap((subResource) => {
    const observe = subResource.observe(bucket, parameters);
    return observe === undefined ? [] : [observe];
  });
  const regionRead = parameters.region === undefined;
  const region = regionRead ? readRegion(bucket) : Effect.succeed(target.region);
  const objectLock = parameters.objectLockEnabled === undefined ? Effect.void : Effect.flatMap(readObjectLock(bucket), (enabled) => {
    const problem = objectLockProblem(parameters, enabled);
    return problem === undefined ? Effect.void : Effect.fail(problem);
  });
  const existence =
    configured.length === 0 && !regionRead && parameters.objectLockEnabled === undefined
      ? Effect.asVoid(S3Api.use((s3) => s3.headBucket({ Bucket: bucket })))
      : Effect.void;
  return Effect.all([region, Effect.all(configured, { concurrency: "unbounded" }), objectLock, existence], { concurrency: "unbounded" }).pipe(
    Effect.map(([foundRegion, states]): BucketState | undefined => ({ region: foundRegion, regionRead, subResources: states })),
    Effect.catchIf(isNotFound, () => Effect.succeed(undefined)),
  );
};
