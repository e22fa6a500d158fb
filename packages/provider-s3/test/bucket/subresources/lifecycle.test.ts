import type { LifecycleRule as S3LifecycleRule } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import type { LifecycleRule } from "@cloud37/core";
import { lifecycleToInput, lifecycleUpToDate } from "../../../src/bucket/subresources/lifecycle.ts";

const tmp: LifecycleRule = { id: "expire-tmp", status: "Enabled", prefix: "tmp/", expiration: { days: 7 } };
const versions: LifecycleRule = { id: "old-versions", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 30 } };
const s3Tmp: S3LifecycleRule = { ID: "expire-tmp", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 7 } };
const s3Versions: S3LifecycleRule = { ID: "old-versions", Status: "Enabled", Filter: { Prefix: "" }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } };

describe("lifecycleUpToDate", () => {
  it.each([
    { desired: [tmp, versions], observed: [s3Tmp, s3Versions], upToDate: true, why: "the same rules" },
    { desired: [versions, tmp], observed: [s3Tmp, s3Versions], upToDate: true, why: "rule order means nothing to S3" },
    { desired: [versions], observed: [{ ...s3Versions, Filter: {} }], upToDate: true, why: "an empty prefix and no prefix are the same" },
    { desired: [tmp], observed: [{ ID: "expire-tmp", Status: "Enabled", Prefix: "tmp/", Expiration: { Days: 7 } }], upToDate: true, why: "the legacy top-level prefix is read too" },
    { desired: [tmp], observed: [{ ...s3Tmp, Filter: { And: { Prefix: "tmp/" } } }], upToDate: true, why: "a prefix inside Filter.And is read too" },
    { desired: [], observed: [], upToDate: true, why: "no rules wanted, none there" },
    { desired: [tmp], observed: [{ ...s3Tmp, Expiration: { Days: 8 } }], upToDate: false, why: "a changed expiration" },
    { desired: [tmp], observed: [{ ...s3Tmp, Status: "Disabled" as const }], upToDate: false, why: "a disabled rule" },
    { desired: [tmp], observed: [s3Tmp, s3Versions], upToDate: false, why: "an extra rule at S3" },
    { desired: [tmp], observed: [{ ...s3Tmp, Transitions: [{ Days: 30, StorageClass: "GLACIER" }] }], upToDate: false, why: "a setting the spec cannot express is drift" },
    { desired: [], observed: [s3Tmp], upToDate: false, why: "an empty list means no rules" },
  ] satisfies ReadonlyArray<{ desired: ReadonlyArray<LifecycleRule>; observed: ReadonlyArray<S3LifecycleRule>; upToDate: boolean; why: string }>)("$why", ({ desired, observed, upToDate }) => {
    expect(lifecycleUpToDate(desired, observed)).toBe(upToDate);
  });

  it("writes the current Filter form, and reads it back as up to date", () => {
    const input = lifecycleToInput([tmp, versions]);
    expect(input[1]?.Filter).toEqual({ Prefix: "" });
    expect(lifecycleUpToDate([tmp, versions], input)).toBe(true);
  });
});
