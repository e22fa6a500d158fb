import { describe, expect, it } from "vitest";
import { ownerOfPath, ownerPath } from "../src/iam.ts";

describe("the IAM ownership mark (the user's path)", () => {
  it("names the AccessKey's uid, and reads back", () => {
    expect(ownerPath("2b1c-77aa")).toBe("/cloud37-s3-provider/2b1c-77aa/");
    expect(ownerOfPath(ownerPath("2b1c-77aa"))).toBe("2b1c-77aa");
  });

  it.each([
    { path: "/", why: "the default path: a user made without this controller" },
    { path: undefined, why: "an answer without a path" },
    { path: "/cloud37-s3-provider/", why: "the prefix alone names no owner" },
    { path: "/teams/cloud37-s3-provider/x/", why: "the prefix must start the path" },
    { path: "/cloud37-s3-provider/a/b/", why: "a deeper path is not one this provider writes" },
  ])("reads no owner from $path: $why", ({ path }) => {
    expect(ownerOfPath(path)).toBeUndefined();
  });
});
