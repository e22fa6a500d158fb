import type { Tag } from "@aws-sdk/client-s3";
import { Effect } from "effect";
import { S3Api } from "../../s3Api.ts";
import { isReservedTag } from "../ownership.ts";
import { subResource } from "./subresource.ts";

type Tags = Readonly<Record<string, string>>;

/**
 * The bucket's tags as a record. `aws:` tags are the provider's own (CloudFormation, ...) and
 * `s3.cloud37.dev/` ones the controller's (the ownership mark): users cannot set them, so they
 * are not compared.
 */
export const tagsFromS3 = (tagSet: ReadonlyArray<Tag>): Tags =>
  Object.fromEntries(
    tagSet.flatMap((tag) => (tag.Key === undefined || tag.Key.startsWith("aws:") || isReservedTag(tag.Key) ? [] : [[tag.Key, tag.Value ?? ""]])),
  );

/** Same keys and values; order means nothing. */
export const tagsUpToDate = (desired: Tags, observed: Tags): boolean => {
  const keys = Object.keys(desired);
  return keys.length === Object.keys(observed).length && keys.every((key) => observed[key] === desired[key]);
};

/** PutBucketTagging's tag set, sorted by key so equal specs make equal requests. */
export const tagsToInput = (tags: Tags): Array<Tag> =>
  Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] ?? "" }));

/**
 * Bucket tags; an empty record removes all of the user's. PutBucketTagging replaces the whole
 * set, so the write reads the set first and keeps the controller's own tags (the ownership
 * mark, which may have been written a moment ago).
 */
export const tags = subResource<Tags, Tags>({
  name: "tags",
  desired: (parameters) => parameters.tags,
  read: (bucket) => S3Api.use((s3) => s3.getBucketTagging({ Bucket: bucket })).pipe(Effect.map((output) => tagsFromS3(output?.TagSet ?? []))),
  isUpToDate: tagsUpToDate,
  apply: (bucket, desired) =>
    Effect.gen(function* () {
      const s3 = yield* S3Api;
      const kept = ((yield* s3.getBucketTagging({ Bucket: bucket }))?.TagSet ?? []).filter((tag) => tag.Key !== undefined && isReservedTag(tag.Key));
      const tagSet = [...tagsToInput(desired), ...kept];
      yield* tagSet.length === 0 ? s3.deleteBucketTagging({ Bucket: bucket }) : s3.putBucketTagging({ Bucket: bucket, Tagging: { TagSet: tagSet } });
    }),
});
