import type { Rotation } from "@cloud37/core";
import type { KeyInfo } from "./identityApi.ts";

const dayMs = 86_400_000;

/** Rotation settings when the spec has none: never rotate on a schedule, retain a week. */
export const noRotation: Rotation = { enabled: false, intervalDays: 90, retainPreviousDays: 7 };

/**
 * Where each key of a user stands. The current key is the recorded one (the external name).
 * A key created before it is a previous key, kept for `retainPreviousDays` after the current
 * one was created, then expired. A key created at or after it (or any key while none is
 * recorded) was never recorded: an interrupted create or rotation left it, and its secret is
 * lost.
 */
export interface KeyPlan {
  readonly current: KeyInfo | undefined;
  readonly retained: ReadonlyArray<KeyInfo>;
  readonly expired: ReadonlyArray<KeyInfo>;
  readonly unrecorded: ReadonlyArray<KeyInfo>;
  /** True when the current key must be replaced now (its age, or a rotation request). */
  readonly rotationDue: boolean;
  /** When the current key will be replaced, if anything will replace it. */
  readonly nextRotateTime: Date | undefined;
}

/** Plans a user's keys at `now`. */
export const planKeys = (options: {
  readonly keys: ReadonlyArray<KeyInfo>;
  readonly recorded: string | undefined;
  readonly rotation: Rotation;
  readonly requestedAt: Date | undefined;
  readonly now: Date;
}): KeyPlan => {
  const { keys, recorded, rotation, requestedAt, now } = options;
  const current = recorded === undefined ? undefined : keys.find((key) => key.id === recorded);
  if (current === undefined) return { current, retained: [], expired: [], unrecorded: keys, rotationDue: false, nextRotateTime: undefined };
  const others = keys.filter((key) => key.id !== current.id);
  const previous = others.filter((key) => key.created.getTime() < current.created.getTime());
  const retentionEnds = current.created.getTime() + rotation.retainPreviousDays * dayMs;
  const scheduled = rotation.enabled ? new Date(current.created.getTime() + rotation.intervalDays * dayMs) : undefined;
  const requested = requestedAt !== undefined && requestedAt.getTime() > current.created.getTime() ? requestedAt : undefined;
  const nextRotateTime = scheduled === undefined ? requested : requested === undefined ? scheduled : new Date(Math.min(scheduled.getTime(), requested.getTime()));
  return {
    current,
    retained: now.getTime() < retentionEnds ? previous : [],
    expired: now.getTime() < retentionEnds ? [] : previous,
    unrecorded: others.filter((key) => key.created.getTime() >= current.created.getTime()),
    rotationDue: nextRotateTime !== undefined && now.getTime() >= nextRotateTime.getTime(),
    nextRotateTime,
  };
};

/** Oldest first. */
export const byAge = (a: KeyInfo, b: KeyInfo): number => a.created.getTime() - b.created.getTime();
