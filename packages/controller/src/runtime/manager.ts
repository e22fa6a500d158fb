import { ExternalCalls } from "@cloud37/core";
import { Cause, Clock, Deferred, Duration, Effect, Exit, Fiber, Layer, Option, Schema, type Scope } from "effect";
import { KubeApi } from "../kube/client.ts";
import type { Informer, ListWatchSource } from "../kube/informer.ts";
import { makeScopedInformer } from "../kube/scope.ts";
import type { KubeApi as KubeApiShape, KubeObject, ResourceType } from "../kube/types.ts";
import { LeadershipLost, makeLeaderElector, type LeaderElectionOptions, type LeaderElector, type LeaseStore } from "../leader/lease.ts";
import { serveHealth } from "../observability/health.ts";
import { externalCallsFor, type MetricsShape } from "../observability/metrics.ts";
import { makeWorkQueue, type WorkQueue } from "../queue/workqueue.ts";
import { makeOwnWrites } from "./ownWrites.ts";
import { desiredStateChanged } from "./predicates.ts";
import { keyOf, type IndexedCache, type ControllerDefinition, type ObjectKey, type ReconcileResult } from "./types.ts";

/** What the manager talks to; the real ones come from `managerFromConfig`, tests pass fakes. */
export interface ManagerDependencies {
  readonly kubeApi: KubeApiShape;
  readonly listWatch: ListWatchSource;
  /** Required when leader election is enabled. */
  readonly leaseStore?: LeaseStore;
  readonly metrics: MetricsShape;
}

/** How the manager runs. */
export interface ManagerOptions {
  readonly maxConcurrentReconciles: number;
  /** Disabled when undefined. */
  readonly leaderElection?: LeaderElectionOptions;
  /** Port of /healthz, /readyz and /metrics; 0 picks one; undefined serves none (tests). */
  readonly healthPort?: number;
  /** Address that server listens on; every address when undefined. */
  readonly healthHost?: string;
  /** How long shutdown waits for in-flight reconciles before interrupting them. */
  readonly shutdownTimeout: Duration.Input;
  /** A reconcile running longer than this is interrupted and backed off (default 5 minutes). */
  readonly reconcileTimeout?: Duration.Input;
  /**
   * Watch namespaced types only in these namespaces, one list-watch each; every namespace when
   * empty or undefined. Cluster-scoped types are always watched cluster-wide.
   */
  readonly watchNamespaces?: ReadonlyArray<string>;
  /** Stop gracefully on SIGTERM/SIGINT (default true). */
  readonly handleSignals?: boolean;
}

/** The manager could not start (e.g. the health port is taken). */
export class ManagerError extends Schema.TaggedError<ManagerError>()("ManagerError", {
  message: Schema.String,
}) {}

/** Runs controllers: shared informers, one work queue per controller, leader election, health. */
export interface Manager {
  /** The shared cache of a type (one informer per type); call before `run`. */
  readonly informer: (type: ResourceType) => IndexedCache;
  /** Adds a controller; call before `run`. */
  readonly register: (definition: ControllerDefinition) => void;
  /** The Kubernetes client every reconciler should use. */
  readonly kubeApi: KubeApiShape;
  /** Provides `KubeApi` (the same client) and core's `ExternalCalls` (counted in metrics). */
  readonly layer: Layer.Layer<KubeApi | typeof ExternalCalls.Identifier>;
  readonly metrics: MetricsShape;
  readonly isLeader: () => boolean;
  /** /readyz: informers synced, or standing by for the lease. */
  readonly isReady: () => boolean;
  /**
   * Runs until stopped: succeeds after a graceful stop (signal or `stop`), fails with
   * LeadershipLost when the lease is lost (the process must exit non-zero).
   */
  readonly run: Effect.Effect<void, LeadershipLost | ManagerError>;
  /** Asks `run` to stop gracefully, as SIGTERM does. */
  readonly stop: Effect.Effect<void>;
}

const typeKey = (type: ResourceType) => `${type.group}/${type.version}/${type.plural}`;

const resultLabel = (exit: Exit.Exit<ReconcileResult, unknown>) =>
  Exit.isSuccess(exit) ? (exit.value._tag === "retry" ? "retry" : exit.value.requeueAfter === undefined ? "success" : "requeue") : "error";

/** Creates a manager on the given dependencies; nothing runs until `run`. */
export const makeManager = Effect.fnUntraced(function* (deps: ManagerDependencies, options: ManagerOptions): Effect.fn.Return<Manager> {
  const informers = new Map<string, Informer>();
  const controllers: Array<ControllerDefinition> = [];
  const stopRequested = yield* Deferred.make<void>();
  let started = false;
  let elector: LeaderElector | undefined;
  const externalCalls = externalCallsFor(deps.metrics);
  const ownWrites = makeOwnWrites();
  const kubeApi = ownWrites.track(deps.kubeApi);

  const informerFor = (type: ResourceType): Informer => {
    const existing = informers.get(typeKey(type));
    if (existing !== undefined) return existing;
    if (started) throw new Error(`informer for ${type.plural} requested after the manager started`);
    const informer = Effect.runSync(makeScopedInformer(deps.listWatch, type, options.watchNamespaces ?? []));
    informers.set(typeKey(type), informer);
    return informer;
  };

  const allSynced = () => Array.from(informers.values()).every((informer) => informer.hasSynced());
  const isLeader = () => options.leaderElection === undefined || (elector?.isLeader() ?? false);
  const isReady = () => (options.leaderElection !== undefined && !isLeader()) || (started && allSynced());

  /** Reconciles one key and tells the queue what next; a defect is logged and backed off. */
  const reconcileOne = (definition: ControllerDefinition, queue: WorkQueue) => (key: ObjectKey) =>
    Effect.gen(function* () {
      const startedAt = yield* Clock.currentTimeMillis;
      const exit = yield* definition.reconcile(key).pipe(
        Effect.timeoutOrElse({
          duration: options.reconcileTimeout ?? "5 minutes",
          orElse: () => Effect.die(new Error("reconcile timed out")),
        }),
        Effect.provideService(ExternalCalls, externalCalls),
        Effect.exit,
      );
      if (Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause)) return yield* Effect.interrupt;
      const seconds = ((yield* Clock.currentTimeMillis) - startedAt) / 1000;
      deps.metrics.reconcileDuration.observe({ controller: definition.name }, seconds);
      deps.metrics.reconcileTotal.inc({ controller: definition.name, result: resultLabel(exit) });
      if (Exit.isFailure(exit)) {
        yield* Effect.logError("reconcile failed unexpectedly", exit.cause);
        return yield* queue.addRateLimited(key);
      }
      const result = exit.value;
      if (result._tag === "retry") {
        yield* Effect.logDebug("reconcile will be retried", { reason: result.reason, failures: queue.failures(key) + 1 });
        return yield* queue.addRateLimited(key);
      }
      yield* queue.forget(key);
      if (result.requeueAfter !== undefined) yield* queue.addAfter(key, result.requeueAfter);
    }).pipe(Effect.annotateLogs({ controller: definition.name, key }));

  /** Wires the controller's own type and its triggers to its queue. */
  const wire = (definition: ControllerDefinition, queue: WorkQueue, scope: Scope.Scope) => {
    const enqueue = (object: KubeObject) => queue.add(keyOf(object.metadata.namespace, object.metadata.name));
    informerFor(definition.type).addHandlers({
      onAdd: enqueue,
      onUpdate: (previous, object) => {
        const decide = Effect.suspend(() => (!ownWrites.isOwn(definition.type, object) && desiredStateChanged(previous, object) ? enqueue(object) : Effect.void));
        // The event may be of a write whose response is not read yet: decide once it is.
        return ownWrites.writing(definition.type, object) ? Effect.asVoid(Effect.forkIn(Effect.andThen(ownWrites.settled(definition.type, object), decide), scope)) : decide;
      },
      onDelete: (object) => Effect.andThen(Effect.sync(() => ownWrites.forget(definition.type, object)), enqueue(object)),
    });
    for (const trigger of definition.triggers ?? []) {
      const enqueueFor = (...objects: ReadonlyArray<KubeObject>) =>
        Effect.forEach(new Set(objects.flatMap((object) => trigger.keysFor(object))), queue.add, { discard: true });
      informerFor(trigger.type).addHandlers({
        onAdd: enqueueFor,
        onUpdate: (previous, object) => (trigger.changed === undefined || trigger.changed(previous, object) ? enqueueFor(previous, object) : Effect.void),
        onDelete: enqueueFor,
      });
    }
  };

  const waitForSignal = Effect.callback<void>((resume) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      // A second signal means "now": exit without waiting for in-flight work, as controller-runtime does.
      if (signals > 1) process.exit(1);
      resume(Effect.logInfo("received signal, shutting down", { signal }));
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    return Effect.sync(() => {
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
    });
  });

  const run = Effect.gen(function* () {
    const scope = yield* Effect.scope;
    if (options.handleSignals !== false) yield* Effect.forkIn(Effect.andThen(waitForSignal, Deferred.succeed(stopRequested, undefined)), scope);
    if (options.healthPort !== undefined) {
      const host = options.healthHost;
      const port = yield* serveHealth({ port: options.healthPort, ...(host === undefined ? {} : { host }), registry: deps.metrics.registry, isReady }).pipe(
        Effect.mapError((error) => new ManagerError({ message: `health server: ${error.message}` })),
      );
      yield* Effect.logInfo("serving /healthz, /readyz and /metrics", { port, address: host ?? "all" });
    }
    const lost = yield* Deferred.make<LeadershipLost>();
    if (options.leaderElection !== undefined) {
      if (deps.leaseStore === undefined) return yield* new ManagerError({ message: "leader election needs a lease store" });
      const candidate = yield* makeLeaderElector(deps.leaseStore, { ...options.leaderElection, metrics: deps.metrics });
      elector = candidate;
      const acquired = yield* Effect.raceFirst(Effect.as(candidate.acquire, true), Effect.as(Deferred.await(stopRequested), false));
      if (!acquired) return;
      // Any end of renewing (a missed deadline, or a defect) means we can no longer claim to lead.
      const renewing = candidate.renew.pipe(
        Effect.catchCause((cause) =>
          Cause.hasInterruptsOnly(cause)
            ? Effect.failCause(cause)
            : Deferred.succeed(lost, Cause.findErrorOption(cause).pipe(Option.getOrElse(() => new LeadershipLost({ identity: candidate.identity, message: Cause.pretty(cause) })))),
        ),
      );
      yield* Effect.forkIn(renewing, scope);
      yield* Effect.addFinalizer(() => candidate.release);
    }

    const queues = new Map<string, WorkQueue>();
    for (const definition of controllers) {
      const queue = yield* makeWorkQueue({ name: definition.name, workers: options.maxConcurrentReconciles, metrics: deps.metrics });
      queues.set(definition.name, queue);
      wire(definition, queue, scope);
    }
    started = true;
    const informerFibers = yield* Effect.forEach(informers.values(), (informer) => Effect.forkIn(informer.run, scope));
    const stopping = Effect.raceFirst(Deferred.await(stopRequested), Effect.asVoid(Deferred.await(lost)));
    const synced = yield* Effect.raceFirst(
      Effect.as(Effect.forEach(informers.values(), (informer) => informer.awaitSynced, { discard: true }), true),
      Effect.as(stopping, false),
    );
    const workers: Array<Fiber.Fiber<void>> = [];
    if (synced) {
      yield* Effect.logInfo("caches synced, starting workers", { controllers: controllers.map((c) => c.name) });
      for (const definition of controllers) {
        const queue = queues.get(definition.name)!;
        // Every cached object is reconciled once at start (the informer's adds did so too; the queue dedups).
        for (const object of informerFor(definition.type).list()) yield* queue.add(keyOf(object.metadata.namespace, object.metadata.name));
        workers.push(yield* Effect.forkIn(queue.run(reconcileOne(definition, queue)), scope));
      }
      yield* stopping;
    }

    if (Deferred.isDoneUnsafe(lost)) {
      // Another replica may already lead: stop at once rather than finish in-flight work.
      yield* Effect.logError("lost leader lease, exiting");
      yield* Fiber.interruptAll([...workers, ...informerFibers]);
      return yield* Effect.fail(yield* Deferred.await(lost));
    }
    yield* Effect.logInfo("stopping: finishing in-flight reconciles");
    const drained = yield* Effect.forEach(queues.values(), (queue) => queue.shutdown, { concurrency: "unbounded", discard: true }).pipe(
      Effect.timeoutOption(options.shutdownTimeout),
    );
    if (Option.isNone(drained)) yield* Effect.logWarning("in-flight reconciles did not finish in time; interrupting them");
    yield* Fiber.interruptAll([...workers, ...informerFibers]);
    // The Events of the last reconciles are still being written in the background.
    yield* kubeApi.flushEvents.pipe(Effect.timeoutOption("5 seconds"));
    yield* Effect.logInfo("stopped");
  }).pipe(Effect.scoped);

  return {
    informer: informerFor,
    register: (definition) => {
      if (started) throw new Error(`controller ${definition.name} registered after the manager started`);
      controllers.push(definition);
      informerFor(definition.type);
      for (const trigger of definition.triggers ?? []) informerFor(trigger.type);
    },
    kubeApi,
    layer: Layer.mergeAll(Layer.succeed(KubeApi, kubeApi), Layer.succeed(ExternalCalls, externalCalls)),
    metrics: deps.metrics,
    isLeader,
    isReady,
    run,
    stop: Deferred.succeed(stopRequested, undefined).pipe(Effect.asVoid),
  } satisfies Manager;
});
