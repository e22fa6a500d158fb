import { describe, expect, it } from "vitest";
import { Annotations } from "../../src/managed/annotations.ts";
import { createIncomplete, createSucceededWithin } from "../../src/managed/createGuard.ts";

const meta = (annotations: Record<string, string>) => ({ name: "b", annotations });

describe("createIncomplete", () => {
  it.each([
    { why: "no create was ever started", annotations: {}, incomplete: false },
    { why: "a create is pending with no result", annotations: { [Annotations.createPending]: "2026-01-01T00:00:01.000Z" }, incomplete: true },
    {
      why: "the create succeeded after it was started",
      annotations: { [Annotations.createPending]: "2026-01-01T00:00:01.000Z", [Annotations.createSucceeded]: "2026-01-01T00:00:02.000Z" },
      incomplete: false,
    },
    {
      why: "the create failed after it was started",
      annotations: { [Annotations.createPending]: "2026-01-01T00:00:01.000Z", [Annotations.createFailed]: "2026-01-01T00:00:02.000Z" },
      incomplete: false,
    },
    {
      why: "a newer create started after an old success",
      annotations: { [Annotations.createPending]: "2026-01-01T00:00:03.000Z", [Annotations.createSucceeded]: "2026-01-01T00:00:02.000Z" },
      incomplete: true,
    },
  ])("$why → $incomplete", ({ annotations, incomplete }) => {
    expect(createIncomplete(meta(annotations))).toBe(incomplete);
  });
});

describe("createSucceededWithin (the creation grace period)", () => {
  const succeeded = meta({ [Annotations.createSucceeded]: "2026-01-01T00:00:00.000Z" });
  const at = (iso: string) => Date.parse(iso);
  it.each([
    { why: "just after the create", now: "2026-01-01T00:00:01.000Z", within: true },
    { why: "29 s after", now: "2026-01-01T00:00:29.999Z", within: true },
    { why: "30 s after: an observe that finds nothing is trusted again", now: "2026-01-01T00:00:30.000Z", within: false },
  ])("$why → $within", ({ now, within }) => {
    expect(createSucceededWithin(succeeded, at(now))).toBe(within);
  });
  it("is false when no create succeeded", () => {
    expect(createSucceededWithin(meta({}), Date.now())).toBe(false);
    expect(createSucceededWithin(meta({ [Annotations.createSucceeded]: "not a time" }), Date.now())).toBe(false);
  });
});
