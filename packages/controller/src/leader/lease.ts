import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { Clock, Deferred, Duration, Effect, Random, Schema } from "effect";
import type { KubeHttp } from "../kube/http.ts";
import { CoreTypes, resourcePath } from "../kube/paths.ts";
import type { KubeError } from "../kube/types.ts";
import type { MetricsShape } from "../observability/metrics.ts";

/** The fields of a coordination.k8s.io/v1 Lease spec that leader election uses. */
export interface LeaseSpec {
  readonly holderIdentity?: string;
  readonly leaseDurationSeconds?: number;
  readonly acquireTime?: string;
  readonly renewTime?: string;
  readonly leaseTransitions?: number;
}

/** A Lease as read: its spec and the resourceVersion that guards the next write. */
export interface StoredLease {
  readonly spec: LeaseSpec;
  readonly resourceVersion: string;
}

/** Where the Lease lives: the API server, or an in-memory fake in tests. */
export interface LeaseStore {
  readonly get: Effect.Effect<StoredLease | undefined, KubeError>;
  /** Fails with reason AlreadyExists when another candidate created it first. */
  readonly create: (spec: LeaseSpec) => Effect.Effect<StoredLease, KubeError>;
  /** Fails with reason Conflict when the Lease changed since `resourceVersion`. */
  readonly update: (spec: LeaseSpec, resourceVersion: string) => Effect.Effect<StoredLease, KubeError>;
}

/** Leadership was lost (the renew deadline passed); the process must stop reconciling. */
export class LeadershipLost extends Schema.TaggedError<LeadershipLost>()("LeadershipLost", {
  identity: Schema.String,
  message: Schema.String,
}) {}

/** Leader election timing, as in client-go. */
export interface LeaderElectionOptions {
  readonly identity?: string;
  readonly leaseDuration?: Duration.Input;
  readonly renewDeadline?: Duration.Input;
  readonly retryPeriod?: Duration.Input;
  readonly metrics?: MetricsShape;
}

/** One candidate in a Lease leader election. */
export interface LeaderElector {
  readonly identity: string;
  readonly isLeader: () => boolean;
  /** Campaigns until this candidate holds the Lease. */
  readonly acquire: Effect.Effect<void>;
  /** Renews while leader; fails with LeadershipLost when a renewal deadline passes. */
  readonly renew: Effect.Effect<never, LeadershipLost>;
  /** Gives the Lease up (holder cleared) so a standby takes over without waiting for expiry. */
  readonly release: Effect.Effect<void>;
}

/** An identity unique per process: `<hostname>_<random>`. */
export const defaultIdentity = () => `${hostname()}_${randomUUID().slice(0, 8)}`;

/** Lease times are MicroTime: RFC 3339 with microseconds. */
const microTime = (millis: number) => new Date(millis).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

const toMillis = (input: Duration.Input) => Duration.toMillis(Duration.fromInputUnsafe(input));

/** Creates a candidate; nothing happens until `acquire`. */
export const makeLeaderElector = (store: LeaseStore, options: LeaderElectionOptions = {}): Effect.Effect<LeaderElector> =>
  Effect.gen(function* () {
    const identity = options.identity ?? defaultIdentity();
    const leaseMillis = toMillis(options.leaseDuration ?? "15 seconds");
    const renewDeadlineMillis = toMillis(options.renewDeadline ?? "10 seconds");
    const retryMillis = toMillis(options.retryPeriod ?? "2 seconds");
    let leader = false;
    // Expiry is judged by when *we* saw the record change, not by its timestamps: clocks of
    // different nodes may disagree, our own clock does not. The duration is the one the record
    // states: the holder's, which may differ from ours.
    let observed: { readonly spec: LeaseSpec; readonly resourceVersion: string; readonly at: number } | undefined;
    // When the last attempt that left us holding the Lease *started*: the write it made landed
    // at or after then, so no standby can see the Lease expire before this + its duration.
    let heldSince = 0;
    const released = yield* Deferred.make<void>();

    const setLeader = (value: boolean) => {
      leader = value;
      options.metrics?.leader.set(value ? 1 : 0);
    };

    /** One attempt to take or keep the Lease; true when we hold it afterwards. */
    const tryAcquireOrRenew = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis;
      const fresh = {
        holderIdentity: identity,
        leaseDurationSeconds: Math.ceil(leaseMillis / 1000),
        acquireTime: microTime(now),
        renewTime: microTime(now),
        leaseTransitions: 0,
      } satisfies LeaseSpec;
      const current = yield* store.get;
      if (current === undefined) {
        const created = yield* store.create(fresh);
        observed = { ...created, at: now };
        heldSince = now;
        return true;
      }
      if (observed?.resourceVersion !== current.resourceVersion) observed = { ...current, at: now };
      const holder = current.spec.holderIdentity ?? "";
      const recordedMillis = (current.spec.leaseDurationSeconds ?? 0) > 0 ? (current.spec.leaseDurationSeconds ?? 0) * 1000 : leaseMillis;
      const held = holder !== "" && holder !== identity && observed.at + recordedMillis > now;
      if (held) return false;
      const spec: LeaseSpec =
        holder === identity
          ? { ...current.spec, renewTime: microTime(now), leaseDurationSeconds: fresh.leaseDurationSeconds }
          : { ...fresh, leaseTransitions: (current.spec.leaseTransitions ?? 0) + 1 };
      const updated = yield* store.update(spec, current.resourceVersion);
      observed = { ...updated, at: now };
      heldSince = now;
      return true;
    }).pipe(
      // Conflicts and transient errors just mean "not this time".
      Effect.catch((error) => Effect.logDebug("lease attempt failed", { reason: error.reason, message: error.message }).pipe(Effect.as(false))),
    );

    const jittered = Effect.map(Random.next, (r) => Duration.millis(retryMillis * (1 + 0.2 * r)));

    const acquire = Effect.gen(function* () {
      let loggedWaiting = false;
      while (!(yield* tryAcquireOrRenew)) {
        if (!loggedWaiting) {
          yield* Effect.logInfo("waiting for leader lease", { identity, holder: observed?.spec.holderIdentity });
          loggedWaiting = true;
        }
        yield* Effect.sleep(yield* jittered);
      }
      setLeader(true);
      yield* Effect.logInfo("acquired leader lease", { identity });
    });

    /**
     * Renews every retryPeriod. Leadership ends at renewDeadline after the start of the last
     * attempt that held the Lease, and an attempt in flight then is cut off at that moment (its
     * HTTP call aborted), never waited for: the deadline is shorter than the lease duration, so
     * this candidate stops leading before any standby can see the Lease expire.
     */
    const renew = Effect.gen(function* () {
      const lost = Effect.suspend(() => {
        setLeader(false);
        return Effect.fail(new LeadershipLost({ identity, message: `could not renew the leader lease within ${renewDeadlineMillis}ms` }));
      });
      while (true) {
        const deadline = heldSince + renewDeadlineMillis;
        const untilDeadline = deadline - (yield* Clock.currentTimeMillis);
        if (untilDeadline <= 0) return yield* lost;
        yield* Effect.sleep(Duration.millis(Math.min(retryMillis, untilDeadline)));
        if (yield* Deferred.isDone(released)) {
          heldSince = yield* Clock.currentTimeMillis;
          continue;
        }
        const remaining = deadline - (yield* Clock.currentTimeMillis);
        if (remaining <= 0) return yield* lost;
        // Keep retrying until the deadline; then someone else may lead.
        yield* tryAcquireOrRenew.pipe(Effect.timeoutOption(Duration.millis(remaining)));
      }
    });

    const release = Effect.gen(function* () {
      if (!leader) return;
      yield* Deferred.succeed(released, undefined);
      setLeader(false);
      const current = yield* store.get;
      if (current === undefined || current.spec.holderIdentity !== identity) return;
      const now = yield* Clock.currentTimeMillis;
      // An empty holder lets a standby acquire at once instead of waiting for expiry.
      yield* store.update({ ...current.spec, holderIdentity: "", leaseDurationSeconds: 1, renewTime: microTime(now) }, current.resourceVersion);
      yield* Effect.logInfo("released leader lease", { identity });
    }).pipe(Effect.catch((error) => Effect.logWarning("could not release leader lease", { reason: error.reason, message: error.message })));

    return { identity, isLeader: () => leader, acquire, renew, release } satisfies LeaderElector;
  });

/** The Lease `namespace/name` on the API server, written with optimistic concurrency. */
export const leaseStoreFromHttp = (kube: KubeHttp, namespace: string, name: string): LeaseStore => {
  const toStored = (body: unknown): StoredLease => {
    const lease = body as { spec?: LeaseSpec; metadata: { resourceVersion: string } };
    return { spec: lease.spec ?? {}, resourceVersion: lease.metadata.resourceVersion };
  };
  const path = resourcePath(CoreTypes.lease, namespace, name);
  return {
    get: kube.request({ operation: "get leases", resource: "leases", method: "GET", path }).pipe(
      Effect.map(toStored),
      Effect.catchIf((error) => error.reason === "NotFound", () => Effect.succeed(undefined)),
    ),
    create: (spec) =>
      kube
        .request({
          operation: "create leases",
          resource: "leases",
          method: "POST",
          path: resourcePath(CoreTypes.lease, namespace),
          body: { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name, namespace }, spec },
        })
        .pipe(Effect.map(toStored)),
    update: (spec, resourceVersion) =>
      kube
        .request({
          operation: "update leases",
          resource: "leases",
          method: "PUT",
          path,
          body: { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name, namespace, resourceVersion }, spec },
        })
        .pipe(Effect.map(toStored)),
  };
};
