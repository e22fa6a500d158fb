import { describe, expect, it } from "vitest";
import { planKeys } from "../../src/accessKey/keys.ts";

const day = 86_400_000;
const at = (days: number) => new Date(Date.UTC(2026, 0, 1) + days * day);
const key = (id: string, days: number) => ({ id, created: at(days) });
const rotation = { enabled: true, intervalDays: 30, retainPreviousDays: 7 };

describe("planKeys", () => {
  it("sorts keys around the recorded one: older are previous (retained, then expired), newer were never recorded", () => {
    const keys = [key("OLD", 0), key("CUR", 30), key("LEAK", 31)];
    const early = planKeys({ keys, recorded: "CUR", rotation, requestedAt: undefined, now: at(32) });
    expect(early).toMatchObject({ current: key("CUR", 30), retained: [key("OLD", 0)], expired: [], unrecorded: [key("LEAK", 31)], rotationDue: false });
    expect(early.nextRotateTime).toEqual(at(60));
    const late = planKeys({ keys, recorded: "CUR", rotation, requestedAt: undefined, now: at(37) });
    expect(late).toMatchObject({ retained: [], expired: [key("OLD", 0)] });
  });

  it("treats every key as unrecorded while none is recorded", () => {
    const keys = [key("A", 0), key("B", 1)];
    expect(planKeys({ keys, recorded: undefined, rotation, requestedAt: undefined, now: at(2) })).toMatchObject({ current: undefined, unrecorded: keys, rotationDue: false });
    expect(planKeys({ keys, recorded: "GONE", rotation, requestedAt: undefined, now: at(2) }).unrecorded).toEqual(keys);
  });

  it("is due at intervalDays when enabled, never when disabled", () => {
    const keys = [key("CUR", 0)];
    expect(planKeys({ keys, recorded: "CUR", rotation, requestedAt: undefined, now: at(30) }).rotationDue).toBe(true);
    expect(planKeys({ keys, recorded: "CUR", rotation: { ...rotation, enabled: false }, requestedAt: undefined, now: at(300) })).toMatchObject({ rotationDue: false, nextRotateTime: undefined });
  });

  it("honours a rotation request once: only while the current key is older than it, and not before its time", () => {
    const keys = [key("CUR", 0)];
    const disabled = { ...rotation, enabled: false };
    expect(planKeys({ keys, recorded: "CUR", rotation: disabled, requestedAt: at(5), now: at(6) }).rotationDue).toBe(true);
    expect(planKeys({ keys, recorded: "CUR", rotation: disabled, requestedAt: at(5), now: at(4) })).toMatchObject({ rotationDue: false, nextRotateTime: at(5) });
    // The key made by that rotation is newer than the request: nothing more is due.
    expect(planKeys({ keys: [key("NEW", 6)], recorded: "NEW", rotation: disabled, requestedAt: at(5), now: at(7) }).rotationDue).toBe(false);
  });
});
