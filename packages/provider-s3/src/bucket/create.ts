import type { Tag } from "@aws-sdk/client-s3";
import { Effect } from "effect";
import { bucketOwnerTag, type BucketObservation, type BucketParameters, type Creation, type ExternalError, type ManagedResource } from "@cloud37/core";
import { S3Api } from "../s3Api.ts";
import type { Target } from "../target.ts";
import { atProvider, bucketConnectionDetails, createBucketInput, validateSpec } from "./convert.ts";
import { isReservedTag, markOf, markTag, standingOf } from "./ownership.ts";
import { subResources } from "./subresources/order.ts";
import { tags, tagsToInput } from "./subresources/tags.ts";

/** The tag set of a new bucket: the user's tags and the ownership mark, in one PutBucketTagging. */
const markedTagSet = (resource: ManagedResource<BucketParameters>, kept: ReadonlyArray<Tag>): Array<Tag> =>
  [...tagsToInput(resource.forProvider.tags ?? {}), ...kept, markTag({ owner: resource.uid, adopted: false })].sort((a, b) =>
    (a.Key ?? "") < (b.Key ?? "") ? -1 : 1,
  );

/**
 * Creates a bucket and marks it as this Bucket's, then applies every configured sub-resource
 * in order, so one reconcile leaves it complete and reports what it applied (the controller
 * then needs no second observe). The mark goes first, with the user's tags in the same
 * PutBucketTagging, so the window in which an interrupted create leaves an unmarked bucket is
 * one call. Where CreateBucket refuses a bucket the account already owns, its success proves
 * the bucket is new and has no tags; elsewhere (AWS us-east-1, unknown servers), and when the
 * bucket was already ours (BucketAlreadyOwnedByYou), its tags are read first: one marked by
 * another resource is OwnedByOther, and nothing is written. One in another account is a Conflict.
 */
export const create = Effect.fn("Bucket.create")(function* (
  resource: ManagedResource<BucketParameters>,
  target: Target,
): Effect.fn.Return<Creation<BucketParameters, BucketObservation>, ExternalError, S3Api> {
  const bucket = resource.externalName;
  const invalid = validateSpec(bucket, resource.forProvider, target.dialect);
  if (invalid !== undefined) return yield* invalid;

  const s3 = yield* S3Api;
  const created = yield* s3.createBucket(createBucketInput(bucket, resource.forProvider, target));
  const provenNew = created !== undefined && target.dialect.createRefusesOwnedBucket(target.region);
  // Observe found no bucket; one that has a mark now is ours only if the mark says so.
  const tagSet = provenNew ? [] : ((yield* s3.getBucketTagging({ Bucket: bucket }))?.TagSet ?? []);
  const mark = markOf(tagSet);
  if (mark !== undefined) yield* standingOf(bucket, mark, resource);
  const tagsWritten = mark === undefined;
  if (tagsWritten) {
    // Tags already there are kept unless the spec manages tags (then only the controller's own).
    const kept = tagSet.filter((tag) => tag.Key !== undefined && tag.Key !== bucketOwnerTag && (resource.forProvider.tags === undefined || isReservedTag(tag.Key)));
    yield* s3.putBucketTagging({ Bucket: bucket, Tagging: { TagSet: markedTagSet(resource, kept) } });
  }
  for (const subResource of subResources) {
    if (tagsWritten && subResource === tags) continue;
    const apply = subResource.apply(bucket, resource.forProvider);
    if (apply !== undefined) yield* apply;
  }
  return {
    connectionDetails: bucketConnectionDetails(bucket, target.region, target),
    applied: {
      atProvider: atProvider(bucket, target.region, target),
      ...(resource.forProvider.region === undefined ? { lateInitialized: { region: target.region } } : {}),
    },
  };
});
