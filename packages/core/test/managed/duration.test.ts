import { describe, expect, it } from "vitest";
import { parseGoDuration } from "../../src/managed/duration.ts";

describe("parseGoDuration", () => {
  it.each([
    { text: "90s", millis: 90_000 },
    { text: "1m30s", millis: 90_000 },
    { text: "1.5h", millis: 5_400_000 },
    { text: "500ms", millis: 500 },
    { text: "250us", millis: 0.25 },
    { text: "2h45m", millis: 9_900_000 },
  ])("reads $text", ({ text, millis }) => {
    expect(parseGoDuration(text)).toBeCloseTo(millis);
  });
  it.each(["", "60", "1d", "-5s", "5 s", "s"])("refuses %j", (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});
