import { describe, expect, it } from "vitest";
import { versioningUpToDate } from "../../../src/bucket/subresources/versioning.ts";

describe("versioningUpToDate", () => {
  it.each([
    { desired: "Enabled", observed: "Enabled", upToDate: true, why: "the same status" },
    { desired: "Suspended", observed: "Suspended", upToDate: true, why: "the same status" },
    { desired: "Suspended", observed: undefined, upToDate: true, why: "never versioned behaves as suspended" },
    { desired: "Enabled", observed: undefined, upToDate: false, why: "never versioned is not enabled" },
    { desired: "Enabled", observed: "Suspended", upToDate: false, why: "suspended out of band" },
  ] as const)("$desired vs $observed: $why", ({ desired, observed, upToDate }) => {
    expect(versioningUpToDate(desired, observed)).toBe(upToDate);
  });
});
