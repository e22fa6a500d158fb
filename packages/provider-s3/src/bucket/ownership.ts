import type { Tag } from "@aws-sdk/client-s3";
import { Effect } from "effect";
import { OwnedByOther, bucketOwnerTag, externalError, type BucketParameters, type ExternalError, type ManagedResource } from "@cloud37/core";
import { S3Api } from "../s3Api.ts";

/** The ownership mark a bucket carries: whose it is, and whether it was adopted rather than created. */
export interface BucketMark {
  readonly owner: string;
  readonly adopted: boolean;
}

const adoptedPrefix = "adopted:";

/** Tag keys the controller keeps for itself: users cannot set them, and tag writes preserve them. */
export const isReservedTag = (key: string): boolean => key.startsWith("s3.cloud37.dev/");

/** The mark in a bucket's tag set, or undefined when it carries none. */
export const markOf = (tagSet: ReadonlyArray<Tag>): BucketMark | undefined => {
  const value = tagSet.find((tag) => tag.Key === bucketOwnerTag)?.Value;
  if (value === undefined || value === "") return undefined;
  return value.startsWith(adoptedPrefix) ? { owner: value.slice(adoptedPrefix.length), adopted: true } : { owner: value, adopted: false };
};

/** The tag that says `mark`. */
export const markTag = (mark: BucketMark): Tag => ({ Key: bucketOwnerTag, Value: mark.adopted ? `${adoptedPrefix}${mark.owner}` : mark.owner });

/**
 * Where a Bucket stands with a bucket that exists:
 * - `Owned`: it carries this Bucket's mark;
 * - `Claimable`: it carries no mark and becomes this Bucket's once marked with `mark`: the
 *   Bucket opted in to adoption, or it is what an interrupted create of this Bucket made.
 * Anything else is refused with OwnedByOther.
 */
export type Standing = { readonly _tag: "Owned"; readonly mark: BucketMark } | { readonly _tag: "Claimable"; readonly mark: BucketMark };

/** True when the bucket holds any object, version or delete marker (one listing of one key). */
export const hasContents = (bucket: string): Effect.Effect<boolean, ExternalError, S3Api> =>
  S3Api.use((s3) => s3.listObjectVersions({ Bucket: bucket, MaxKeys: 1 })).pipe(
    Effect.map((page) => (page.Versions?.length ?? 0) + (page.DeleteMarkers?.length ?? 0) > 0),
  );

const refuse = (message: string): ExternalError => externalError("CheckBucketOwner", new OwnedByOther({ message }));

/**
 * Decides whether a Bucket may act on an existing bucket, from the bucket's mark. A bucket
 * another resource owns is refused whatever the spec says. An unmarked one is this Bucket's
 * to claim only if it opted in (`adoption`), or if it recorded a create that never finished
 * and the bucket is empty (what that create made before it could be marked: nothing else in
 * the account is an empty bucket this Bucket was about to create). Reads only.
 */
export const standingOf = (
  bucket: string,
  mark: BucketMark | undefined,
  resource: ManagedResource<BucketParameters>,
): Effect.Effect<Standing, ExternalError, S3Api> => {
  if (mark !== undefined) {
    return mark.owner === resource.uid
      ? Effect.succeed({ _tag: "Owned", mark })
      : Effect.fail(
          refuse(
            `bucket ${bucket} belongs to another Bucket (its ${bucketOwnerTag} tag names uid ${mark.owner}): nothing was changed; choose another name (crossplane.io/external-name): adoption never takes a bucket another resource owns`,
          ),
        );
  }
  const adoption = resource.forProvider.adoption ?? "Never";
  if (adoption !== "Never") return Effect.succeed({ _tag: "Claimable", mark: { owner: resource.uid, adopted: true } });
  const unmarked = refuse(
    `bucket ${bucket} exists but was not created by this Bucket (it has no ${bucketOwnerTag} tag): nothing was changed; to manage it, set spec.forProvider.adoption: Adopt (see docs/concepts.md), or choose another name`,
  );
  if (resource.interruptedCreate !== true) return Effect.fail(unmarked);
  return Effect.flatMap(hasContents(bucket), (full) => (full ? Effect.fail(unmarked) : Effect.succeed({ _tag: "Claimable", mark: { owner: resource.uid, adopted: false } } as const)));
};

/**
 * Whether deleting may empty the bucket first: `forceDestroy`, except for an adopted bucket,
 * whose objects were never this controller's: only adoption AdoptWithForceDestroy allows it.
 */
export const mayEmpty = (mark: BucketMark, parameters: BucketParameters): boolean =>
  parameters.forceDestroy && (!mark.adopted || parameters.adoption === "AdoptWithForceDestroy");

/**
 * Writes the mark into the bucket's tag set, keeping every other tag: the one write that
 * makes a bucket this Bucket's.
 */
export const writeMark = (bucket: string, mark: BucketMark, current: ReadonlyArray<Tag>): Effect.Effect<void, ExternalError, S3Api> =>
  Effect.asVoid(
    S3Api.use((s3) =>
      s3.putBucketTagging({
        Bucket: bucket,
        Tagging: { TagSet: [...current.filter((tag) => tag.Key !== bucketOwnerTag), markTag(mark)].sort((a, b) => ((a.Key ?? "") < (b.Key ?? "") ? -1 : 1)) },
      }),
    ),
  );
