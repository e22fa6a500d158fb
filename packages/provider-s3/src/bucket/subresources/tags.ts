import type { Tag } from "@aws-sdk/client-s3";
import { Effect } from "effect";
import { S3Api } from "../../s3Api.ts";
import { subResource } from "./subresource.ts";

type Tags = Readonly<Record<string, string>>;

/**
 * The bucket's tags as a record. `aws:` tags are the provider's own (CloudFormation, ...):
 * users cannot set them, so they are not compared.
 */
export const tagsFromS3 = (tagSet: ReadonlyArray<Tag>): Tags =>
  Object.fromEntries(tagSet.flatMap((tag) => (tag.Key === undefined || tag.Key.startsWith("aws:") ? [] : [[tag.Key, tag.Value ?? ""]])));

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

/** Bucket tags; an empty record removes them all. */
export const tags = subResource<Tags, Tags>({
  name: "tags",
  desired: (parameters) => parameters.tags,
  read: (bucket) => S3Api.use((s3) => s3.getBucketTagging({ Bucket: bucket })).pipe(Effect.map((output) => tagsFromS3(output?.TagSet ?? []))),
  isUpToDate: tagsUpToDate,
  apply: (bucket, desired) =>
    Effect.asVoid(
      S3Api.use((s3) =>
        Object.keys(desired).length === 0
          ? s3.deleteBucketTagging({ Bucket: bucket })
          : s3.putBucketTagging({ Bucket: bucket, Tagging: { TagSet: tagsToInput(desired) } }),
      ),
    ),
});
