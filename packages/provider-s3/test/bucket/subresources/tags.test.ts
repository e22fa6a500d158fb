import { describe, expect, it } from "vitest";
import { tagsFromS3, tagsToInput, tagsUpToDate } from "../../../src/bucket/subresources/tags.ts";

describe("tags", () => {
  it.each([
    { desired: { team: "data", env: "prod" }, observed: [{ Key: "env", Value: "prod" }, { Key: "team", Value: "data" }], upToDate: true, why: "order means nothing" },
    { desired: { team: "data" }, observed: [{ Key: "team", Value: "data" }, { Key: "aws:cloudformation:stack-name", Value: "x" }], upToDate: true, why: "aws: tags are the provider's and are ignored" },
    { desired: {}, observed: [], upToDate: true, why: "no tags wanted, none there" },
    { desired: { team: "data" }, observed: [{ Key: "team", Value: "other" }], upToDate: false, why: "a changed value" },
    { desired: { team: "data" }, observed: [{ Key: "team", Value: "data" }, { Key: "extra", Value: "1" }], upToDate: false, why: "an extra tag" },
    { desired: {}, observed: [{ Key: "team", Value: "data" }], upToDate: false, why: "an empty record means no tags" },
  ])("$why", ({ desired, observed, upToDate }) => {
    expect(tagsUpToDate(desired, tagsFromS3(observed))).toBe(upToDate);
  });

  it("writes tags sorted by key, so equal specs make equal requests", () => {
    expect(tagsToInput({ b: "2", a: "1" })).toEqual([{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }]);
  });
});
