import { describe, expect, it } from "vitest";
import { Annotations } from "../../src/managed/annotations.ts";
import { createIncomplete } from "../../src/managed/createGuard.ts";

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
