import { describe, expect, it } from "vitest";
import { available, creating, reconcileError, reconcileSuccess, setConditions } from "../../src/managed/conditions.ts";

const t0 = new Date("2026-01-01T00:00:00.000Z");
const t1 = new Date("2026-01-01T00:05:00.000Z");

describe("setConditions", () => {
  it("returns the very same array when nothing changes, so the controller skips the write", () => {
    const once = setConditions([], [available(), reconcileSuccess()], t0, 1);
    expect(setConditions(once, [available(), reconcileSuccess()], t1, 1)).toBe(once);
  });
  it("keeps the transition time when only the reason changes", () => {
    const once = setConditions([], [reconcileError("boom")], t0, 1);
    const twice = setConditions(once, [reconcileError("other")], t1, 1);
    expect(twice[0]?.lastTransitionTime).toBe("2026-01-01T00:00:00Z");
    expect(twice[0]?.message).toBe("other");
  });
  it("moves the transition time when the status changes", () => {
    const once = setConditions([], [creating()], t0);
    expect(setConditions(once, [available()], t1)[0]?.lastTransitionTime).toBe("2026-01-01T00:05:00Z");
  });
  it("records the generation it observed, and a new generation is a change", () => {
    const once = setConditions([], [available()], t0, 1);
    expect(setConditions(once, [available()], t0, 2)).not.toBe(once);
  });
});
