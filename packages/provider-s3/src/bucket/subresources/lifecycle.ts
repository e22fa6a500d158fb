import type { LifecycleRule as S3LifecycleRule } from "@aws-sdk/client-s3";
import { Effect } from "effect";
import type { LifecycleRule } from "@cloud37/core";
import { S3Api } from "../../s3Api.ts";
import { canonical } from "../convert.ts";
import { subResource } from "./subresource.ts";

/** A rule in comparable form: the spec's fields, plus the S3 fields the spec cannot express. */
interface ComparableRule {
  readonly id: string;
  readonly status: string;
  readonly prefix: string | undefined;
  readonly expirationDays: number | undefined;
  readonly noncurrentDays: number | undefined;
  readonly abortDays: number | undefined;
  /** S3 settings outside the spec (transitions, tag filters, ...): their presence is drift. */
  readonly other: ReadonlyArray<string> | undefined;
}

const emptyToUndefined = (value: string | undefined): string | undefined => (value === "" ? undefined : value);

const fromSpec = (rule: LifecycleRule): ComparableRule => ({
  id: rule.id,
  status: rule.status,
  prefix: emptyToUndefined(rule.prefix),
  expirationDays: rule.expiration?.days,
  noncurrentDays: rule.noncurrentVersionExpiration?.noncurrentDays,
  abortDays: rule.abortIncompleteMultipartUpload?.daysAfterInitiation,
  other: undefined,
});

const fromS3 = (rule: S3LifecycleRule): ComparableRule => {
  const other = [
    rule.Transitions?.length ? "Transitions" : undefined,
    rule.NoncurrentVersionTransitions?.length ? "NoncurrentVersionTransitions" : undefined,
    rule.Expiration?.Date === undefined ? undefined : "Expiration.Date",
    rule.Expiration?.ExpiredObjectDeleteMarker === true ? "Expiration.ExpiredObjectDeleteMarker" : undefined,
    rule.Filter?.Tag === undefined && rule.Filter?.And?.Tags?.length === undefined ? undefined : "Filter.Tag",
    rule.Filter?.ObjectSizeGreaterThan === undefined && rule.Filter?.And?.ObjectSizeGreaterThan === undefined ? undefined : "Filter.ObjectSize",
    rule.Filter?.ObjectSizeLessThan === undefined && rule.Filter?.And?.ObjectSizeLessThan === undefined ? undefined : "Filter.ObjectSize",
  ].filter((field) => field !== undefined);
  return {
    id: rule.ID ?? "",
    status: rule.Status ?? "Enabled",
    // The prefix sits in Filter (current API), Filter.And (with tags), or the rule (legacy).
    prefix: emptyToUndefined(rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix),
    expirationDays: rule.Expiration?.Days,
    noncurrentDays: rule.NoncurrentVersionExpiration?.NoncurrentDays,
    abortDays: rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation,
    other: other.length === 0 ? undefined : other,
  };
};

/** Rule order means nothing to S3 (ids are unique), so rules are compared sorted by id. */
const comparable = (rules: ReadonlyArray<ComparableRule>): string =>
  canonical([...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));

/** Same rules, in any order; defaults (status Enabled, empty prefix) normalized. */
export const lifecycleUpToDate = (desired: ReadonlyArray<LifecycleRule>, observed: ReadonlyArray<S3LifecycleRule>): boolean =>
  comparable(desired.map(fromSpec)) === comparable(observed.map(fromS3));

/** PutBucketLifecycleConfiguration's rules (the current Filter form). */
export const lifecycleToInput = (rules: ReadonlyArray<LifecycleRule>): Array<S3LifecycleRule> =>
  rules.map((rule) => ({
    ID: rule.id,
    Status: rule.status,
    Filter: { Prefix: rule.prefix ?? "" },
    ...(rule.expiration === undefined ? {} : { Expiration: { Days: rule.expiration.days } }),
    ...(rule.noncurrentVersionExpiration === undefined
      ? {}
      : { NoncurrentVersionExpiration: { NoncurrentDays: rule.noncurrentVersionExpiration.noncurrentDays } }),
    ...(rule.abortIncompleteMultipartUpload === undefined
      ? {}
      : { AbortIncompleteMultipartUpload: { DaysAfterInitiation: rule.abortIncompleteMultipartUpload.daysAfterInitiation } }),
  }));

/** Lifecycle rules; an empty list removes the configuration (S3 refuses an empty one). */
export const lifecycle = subResource<ReadonlyArray<LifecycleRule>, ReadonlyArray<S3LifecycleRule>>({
  name: "lifecycle",
  desired: (parameters) => parameters.lifecycle?.rules,
  read: (bucket) => S3Api.use((s3) => s3.getBucketLifecycleConfiguration({ Bucket: bucket })).pipe(Effect.map((output) => output?.Rules ?? [])),
  isUpToDate: lifecycleUpToDate,
  apply: (bucket, rules) =>
    Effect.asVoid(
      S3Api.use((s3) =>
        rules.length === 0
          ? s3.deleteBucketLifecycle({ Bucket: bucket })
          : s3.putBucketLifecycleConfiguration({ Bucket: bucket, LifecycleConfiguration: { Rules: lifecycleToInput(rules) } }),
      ),
    ),
});
