import { assert, describe, it } from "@effect/vitest";
import { Clock, Effect, Fiber } from "effect";
import { TestClock } from "effect/testing";
import { makeLeaderElector, type LeaseSpec, type LeaseStore, type StoredLease } from "../src/leader/lease.ts";
import { KubeError } from "../src/kube/types.ts";

/** An in-memory Lease with the API server's optimistic concurrency; `down` makes it unreachable. Records who wrote when (test clock). */
const fakeLeaseStore = () => {
  let lease: StoredLease | undefined;
  let version = 0;
  const writes: Array<{ readonly holder: string | undefined; readonly at: number }> = [];
  const write = (spec: LeaseSpec) =>
    Effect.map(Clock.currentTimeMillis, (at) => {
      writes.push({ holder: spec.holderIdentity, at });
      lease = { spec, resourceVersion: String(++version) };
      return lease;
    });
  const state: { down: boolean; hangFor: string | undefined } = { down: false, hangFor: undefined };
  const unavailable = new KubeError({ operation: "lease", status: 0, reason: "Transport", message: "connection refused" });
  const guard = <A>(effect: Effect.Effect<A, KubeError>) => Effect.suspend(() => (state.down ? Effect.fail(unavailable) : effect));
  const store: LeaseStore = {
    get: guard(Effect.sync(() => lease)),
    create: (spec: LeaseSpec) =>
      guard(
        Effect.suspend(() => {
          if (lease !== undefined) return Effect.fail(new KubeError({ operation: "create", status: 409, reason: "AlreadyExists", message: "exists" }));
          return write(spec);
        }),
      ),
    update: (spec: LeaseSpec, resourceVersion: string) =>
      guard(
        Effect.suspend(() => {
          if (lease?.resourceVersion !== resourceVersion) return Effect.fail(new KubeError({ operation: "update", status: 409, reason: "Conflict", message: "changed" }));
          return write(spec);
        }),
      ),
  };
  /** The store as one candidate reaches it: its requests hang, never answering, while `state.hangFor` names it. */
  const storeAs = (identity: string): LeaseStore => {
    const hang = <A>(effect: Effect.Effect<A, KubeError>) => Effect.suspend(() => (state.hangFor === identity ? Effect.never : effect));
    return { get: hang(store.get), create: (spec) => hang(store.create(spec)), update: (spec, version) => hang(store.update(spec, version)) };
  };
  return {
    store,
    storeAs,
    state,
    holder: () => lease?.spec.holderIdentity,
    /** When `holder` last / first wrote the Lease. */
    lastWriteBy: (holder: string) => writes.findLast((w) => w.holder === holder)?.at,
    firstWriteBy: (holder: string) => writes.find((w) => w.holder === holder)?.at,
  };
};

const settle = Effect.gen(function* () {
  for (let i = 0; i < 20; i++) yield* Effect.yieldNow;
});

describe("leader election", () => {
  it.effect("elects exactly one of two candidates; the other waits", () =>
    Effect.gen(function* () {
      const fake = fakeLeaseStore();
      const a = yield* makeLeaderElector(fake.store, { identity: "a" });
      const b = yield* makeLeaderElector(fake.store, { identity: "b" });
      const fa = yield* Effect.forkChild(a.acquire);
      const fb = yield* Effect.forkChild(b.acquire);
      yield* settle;
      yield* TestClock.adjust("10 seconds");
      assert.strictEqual([a.isLeader(), b.isLeader()].filter(Boolean).length, 1);
      assert.strictEqual(fake.holder(), "a");
      assert.isDefined(fa.pollUnsafe());
      assert.isUndefined(fb.pollUnsafe());
      yield* Fiber.interrupt(fb);
    }));

  it.effect("a standby takes over only after the leader stops renewing and the lease expires", () =>
    Effect.gen(function* () {
      const fake = fakeLeaseStore();
      const a = yield* makeLeaderElector(fake.store, { identity: "a" });
      const b = yield* makeLeaderElector(fake.store, { identity: "b" });
      yield* a.acquire;
      const renewing = yield* Effect.forkChild(a.renew);
      const fb = yield* Effect.forkChild(b.acquire);
      // While a renews, b never gets the lease, however long it waits.
      yield* TestClock.adjust("2 minutes");
      assert.isFalse(b.isLeader());
      // a dies without releasing: b takes over once 15s have passed since it last saw a change.
      yield* Fiber.interrupt(renewing);
      const lastRenewal = fake.lastWriteBy("a")!;
      // b sees a's last renewal at its next retry, so the lease cannot expire for b before 15s after it.
      yield* TestClock.setTime(lastRenewal + 15_000 - 1);
      assert.isFalse(b.isLeader(), "took over before the lease expired");
      // b's retries are 2s jittered by up to 20% (< 2.4s): it sees the last renewal less than 2.4s after it
      // happened and, 15s later, notices the expiry at its next retry, again less than 2.4s later.
      yield* TestClock.setTime(lastRenewal + 15_000 + 2 * 2_400);
      yield* Fiber.join(fb);
      assert.isTrue(b.isLeader());
      assert.strictEqual(fake.holder(), "b");
      const takeover = fake.firstWriteBy("b")! - lastRenewal;
      assert.isTrue(takeover >= 15_000 && takeover < 15_000 + 2 * 2_400, `took over ${takeover}ms after the last renewal`);
    }));

  it.effect("release hands over at the standby's next retry instead of after expiry", () =>
    Effect.gen(function* () {
      const fake = fakeLeaseStore();
      const a = yield* makeLeaderElector(fake.store, { identity: "a" });
      const b = yield* makeLeaderElector(fake.store, { identity: "b" });
      yield* a.acquire;
      const fb = yield* Effect.forkChild(b.acquire);
      yield* settle;
      yield* a.release;
      assert.isFalse(a.isLeader());
      assert.strictEqual(fake.holder(), "");
      // One retry period (2s, jittered up to 2.4s) is enough.
      yield* TestClock.adjust("2500 millis");
      yield* Fiber.join(fb);
      assert.isTrue(b.isLeader());
    }));

  it.effect("signals lost leadership when renewals fail past the renew deadline", () =>
    Effect.gen(function* () {
      const fake = fakeLeaseStore();
      const a = yield* makeLeaderElector(fake.store, { identity: "a" });
      yield* a.acquire;
      const renewing = yield* Effect.forkChild(a.renew);
      yield* TestClock.adjust("30 seconds");
      assert.isTrue(a.isLeader());
      fake.state.down = true;
      yield* TestClock.adjust("8 seconds");
      assert.isTrue(a.isLeader(), "lost before the renew deadline");
      yield* TestClock.adjust("4 seconds");
      const exit = yield* Fiber.await(renewing);
      assert.isTrue(exit._tag === "Failure");
      assert.isFalse(a.isLeader());
    }));

  it.effect("a renew that hangs is cut off at the renew deadline: there is never more than one leader (hung renew, virtual time)", () =>
    Effect.gen(function* () {
      const fake = fakeLeaseStore();
      const a = yield* makeLeaderElector(fake.storeAs("a"), { identity: "a" });
      const b = yield* makeLeaderElector(fake.storeAs("b"), { identity: "b" });
      yield* a.acquire;
      const renewing = yield* Effect.forkChild(a.renew);
      const fb = yield* Effect.forkChild(b.acquire);
      yield* TestClock.adjust("9 seconds");
      // From now on every request of a's hangs: the API server accepted the connection and never answers.
      fake.state.hangFor = "a";
      for (let elapsed = 0; elapsed < 60_000; elapsed += 100) {
        yield* TestClock.adjust("100 millis");
        assert.isFalse(a.isLeader() && b.isLeader(), `two leaders ${elapsed}ms after the renewals started hanging`);
      }
      assert.isFalse(a.isLeader());
      assert.isTrue(b.isLeader());
      assert.strictEqual(fake.holder(), "b");
      const exit = yield* Fiber.await(renewing);
      assert.isTrue(exit._tag === "Failure", "the hung renew must end in LeadershipLost");
      yield* Fiber.join(fb);
    }));

  it.effect("a standby judges expiry by the duration the Lease records, not by its own", () =>
    Effect.gen(function* () {
      const fake = fakeLeaseStore();
      const a = yield* makeLeaderElector(fake.store, { identity: "a", leaseDuration: "40 seconds", renewDeadline: "30 seconds" });
      const b = yield* makeLeaderElector(fake.store, { identity: "b" });
      yield* a.acquire;
      const renewing = yield* Effect.forkChild(a.renew);
      yield* TestClock.adjust("6 seconds");
      // a dies without releasing; b (15s of its own) must wait out a's recorded 40s.
      yield* Fiber.interrupt(renewing);
      const lastRenewal = fake.lastWriteBy("a")!;
      const fb = yield* Effect.forkChild(b.acquire);
      yield* TestClock.setTime(lastRenewal + 40_000 - 1);
      assert.isFalse(b.isLeader(), "took over before the lease a recorded expired");
      yield* TestClock.setTime(lastRenewal + 40_000 + 2 * 2_400);
      yield* Fiber.join(fb);
      assert.isTrue(b.isLeader());
    }));
});
