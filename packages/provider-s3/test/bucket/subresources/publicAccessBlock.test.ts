import { describe, expect, it } from "vitest";
import { flagsFromOutput, flagsFromSpec, flagsUpToDate } from "../../../src/bucket/subresources/publicAccessBlock.ts";

describe("public access block", () => {
  it.each([
    { spec: { blockPublicAcls: true }, observed: { BlockPublicAcls: true }, upToDate: true, why: "unset flags are false on both sides" },
    { spec: {}, observed: undefined, upToDate: true, why: "all false matches no configuration" },
    { spec: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, observed: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true }, upToDate: true, why: "all four set" },
    { spec: { blockPublicAcls: true }, observed: undefined, upToDate: false, why: "no configuration at S3" },
    { spec: {}, observed: { RestrictPublicBuckets: true }, upToDate: false, why: "a flag set out of band" },
  ])("$why", ({ spec, observed, upToDate }) => {
    expect(flagsUpToDate(flagsFromSpec(spec), flagsFromOutput(observed))).toBe(upToDate);
  });
});
