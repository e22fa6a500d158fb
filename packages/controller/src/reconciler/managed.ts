import { Clock, Duration, Effect, Schema } from "effect";
import {
  Annotations,
  available,
  createIncomplete,
  createSucceededWithin,
  creating,
  deletesExternal,
  deleting,
  externalNameOf,
  isNotFound,
  isOwnedByOther,
  isPaused,
  isSpecProblem,
  managedFinalizer,
  observeMatched,
  pendingReconcileRequest,
  permissionsOf,
  pollIntervalOf,
  reconcilePaused,
  reconcileSuccess,
  unavailable,
  unsupportedPolicies,
  updateFailed,
  updateRequested,
  updateRestricted,
  upToDatePaused,
  type Connector,
  type ConnectionDetails,
  type DeletionPolicy,
  type ExternalClient,
  type ManagedResource,
  type ManagementAction,
  type Provider,
  type ProviderConfigReference,
  type ProviderName,
} from "@cloud37/core";
import type { KubeApi, KubeObject, MetadataPatch, ResourceType, SecretView } from "../kube/types.ts";
import { noLifecycle, type ManagedLifecycle } from "../observability/lifecycle.ts";
import { keyOf, type Cache, type ObjectKey, type ReconcileResult } from "../runtime/types.ts";
import { cachedAccountResolver } from "./account.ts";
import { connect, type ProviderConfigCaches } from "./connect.ts";
import { controlledConnectionSecret, publishConnectionDetails, publishFailure } from "./connection.ts";
import type { NameAtProvider } from "./tenancy.ts";
import { done, externalFailure, immediately, kubeFailure, noteReason, Stop, userFailure, type Outcome } from "./outcome.ts";
import { writeOutcome } from "./status.ts";

/** The spec fields every managed kind shares, decoded. */
export interface ManagedSpec<P> {
  readonly providerConfigRef: ProviderConfigReference;
  readonly deletionPolicy: DeletionPolicy;
  readonly managementPolicies: ReadonlyArray<ManagementAction>;
  readonly writeConnectionSecretToRef?: { readonly name: string };
  readonly forProvider: P;
}

/** How one managed kind is served: its type, its spec schema and each provider's connector. */
export interface ManagedBinding<P, O> {
  readonly type: ResourceType;
  readonly spec: Schema.Codec<ManagedSpec<P>, unknown>;
  readonly connector: (provider: Provider) => Connector<P, O>;
  /**
   * True when the external name is known before creation (a bucket name): it defaults to
   * metadata.name, and deletion deletes what observing finds. False when the provider assigns
   * it at creation (an access key id): there is no default, and deletion always asks the
   * provider to delete, since what an interrupted create left cannot be observed by name.
   * Either way an interrupted create is settled by observing and creating again: the provider
   * finds what it made (a bucket by name; the keys on the user it owns) and never leaves a
   * second one behind.
   */
  readonly nameKnownBeforeCreate: boolean;
  /**
   * Connection keys whose values only a create gives (an access key's secret). Once the
   * resource is recorded as created, a connection Secret without them is reported to the
   * provider as `connectionSecretLost`.
   */
  readonly secretConnectionKeys?: ReadonlyArray<string>;
  /**
   * Resolves references in `forProvider` (e.g. a BucketPolicy's `bucketRef` to the bucket's
   * name), from the informer caches. `waiting` says what is missing; the resource waits with
   * that message and is woken when the referenced object changes (a trigger).
   */
  readonly resolve?: (object: KubeObject, forProvider: P, references: References) => Resolution<P>;
  /** The Buckets (names in the object's namespace) its references name: their changes wake it. */
  readonly referencedBuckets?: (object: KubeObject) => ReadonlyArray<string>;
  /** The names it uses at the provider (references resolved), which a ProviderConfig's namePrefix governs. */
  readonly namesAtProvider?: (resource: ManagedResource<P>) => ReadonlyArray<NameAtProvider>;
}

/** What a binding can look up to resolve references: objects in the informer caches. */
export interface References {
  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined;
}

/**
 * A resolved `forProvider`, or why it cannot be resolved yet, or (while deleting) why there
 * is nothing at the provider it could name to delete.
 */
export type Resolution<P> =
  | { readonly _tag: "resolved"; readonly forProvider: P }
  | { readonly _tag: "waiting"; readonly message: string }
  | { readonly _tag: "nothingToDelete"; readonly message: string };

/** What the managed reconciler needs. */
export interface ManagedReconcilerOptions<P, O> {
  readonly binding: ManagedBinding<P, O>;
  readonly kube: KubeApi;
  readonly cache: Cache;
  readonly providerConfigs: ProviderConfigCaches;
  readonly providers: ReadonlyMap<ProviderName, Provider>;
  readonly pollInterval: Duration.Duration;
  /** The shortest poll a `crossplane.io/poll-interval` annotation may ask for (default: none). */
  readonly minPollInterval?: Duration.Duration;
  /** Needed when the binding resolves references. */
  readonly references?: References;
  /** The Namespaces informer cache, for ClusterProviderConfig namespace selectors (none: no labels). */
  readonly namespaces?: Cache;
  /** How long a resolved Account (credentials read from their Secret) is reused; default 10 s. */
  readonly accountTtl?: Duration.Duration;
  /** Told each resource's lifecycle milestones (crossplane-runtime's MR metrics); records nothing by default. */
  readonly lifecycle?: ManagedLifecycle;
}

const nowDate = Effect.map(Clock.currentTimeMillis, (ms) => new Date(Number(ms)));

/**
 * The managed-resource reconciler (the Crossplane contract): decides when to observe, create,
 * update and delete, and what conditions, events and requeues follow. Providers only say what
 * an external call does. Every step that fails ends in the same place: an Outcome.
 */
export const makeManagedReconciler = <P, O>(options: ManagedReconcilerOptions<P, O>) => {
  const { binding, kube } = options;
  const lifecycle = options.lifecycle ?? noLifecycle;
  const decodeSpec = Schema.decodeUnknownEffect(binding.spec);
  const accounts = cachedAccountResolver(options.accountTtl === undefined ? undefined : Duration.toMillis(options.accountTtl));
  // Our own writes outrun the informer: per key, the resourceVersions they superseded, so a
  // reconcile that finds one of them in the cache reads the live object instead of acting on
  // a stale one (say, on the key a rotation replaced, deleting the one it just published).
  const superseded = new Map<ObjectKey, Set<string>>();
  const recordWrite = (before: KubeObject) => (after: KubeObject) =>
    Effect.sync(() => {
      const key = keyOf(before.metadata.namespace, before.metadata.name);
      const versions = superseded.get(key) ?? new Set<string>();
      versions.add(before.metadata.resourceVersion);
      versions.delete(after.metadata.resourceVersion);
      superseded.set(key, versions);
    });

  const patchMetadata = (object: KubeObject, patch: MetadataPatch) =>
    kube.patchMetadata(binding.type, object, patch).pipe(Effect.tap(recordWrite(object)), Effect.mapError(kubeFailure));

  const patchObject = (object: KubeObject, patch: { readonly metadata?: MetadataPatch; readonly spec?: unknown }) =>
    kube.patchObject(binding.type, object, patch).pipe(Effect.tap(recordWrite(object)), Effect.mapError(kubeFailure));

  const timestamp = Effect.map(nowDate, (date) => date.toISOString());
  const resourceOf = (object: KubeObject, spec: ManagedSpec<P>) => managedResourceOf(object, spec, binding.nameKnownBeforeCreate);

  /** The object's poll interval: its `crossplane.io/poll-interval`, at least the minimum, else the controller's. */
  const pollOf = (object: KubeObject): Duration.Duration =>
    Duration.millis(pollIntervalOf(object.metadata, Duration.toMillis(options.pollInterval), Duration.toMillis(options.minPollInterval ?? Duration.zero)));

  /** Lets a deleted object go: its finalizer is removed. */
  const release = Effect.fn("release")(function* (object: KubeObject, events: Outcome["events"]) {
    yield* patchMetadata(object, { finalizers: (object.metadata.finalizers ?? []).filter((f) => f !== managedFinalizer) });
    return { conditions: [deleting(), reconcileSuccess()], events, result: done(), objectGone: true, milestone: "deleted" } satisfies Outcome;
  });

  /**
   * Deletion: delete the external resource unless orphaned, then let the object go. One that
   * is not this resource's (OwnedByOther) is left alone: nothing is deleted, and it goes. The
   * finalizer is removed only once an observe confirms the external resource is gone (or,
   * when the spec cannot be observed, once the idempotent delete succeeded); a store that
   * still shows it is looked at again with backoff, and deleted again if need be. A name the
   * provider assigns cannot find what an interrupted create left, so such a resource is
   * always deleted first and observed after.
   */
  const finalize = Effect.fn("finalize")(function* (
    object: KubeObject,
    spec: ManagedSpec<P>,
    client: () => Effect.Effect<ExternalClient<P, O>, Stop>,
    poll: Duration.Duration,
  ) {
    const events: Array<Outcome["events"][number]> = [];
    if (deletesExternal(spec.deletionPolicy, spec.managementPolicies)) {
      const external = yield* client();
      const resource = resourceOf(object, spec);
      // Whether it exists, as far as deleting needs to know: NotFound is gone; undefined when
      // the spec keeps the provider from observing (invalid or unsupported), which must not
      // hold up a deletion, since deleting needs only the names.
      const exists = external.observe(resource).pipe(
        Effect.map((observation): boolean | undefined => observation.exists),
        Effect.catchIf(isNotFound, () => Effect.succeed(false)),
        Effect.catchIf(isSpecProblem, () => Effect.succeed(undefined)),
        Effect.mapError((e) => ({ what: "observe" as const, reason: "CannotObserveExternalResource", error: e })),
      );
      const deleted = Effect.gen(function* () {
        if (binding.nameKnownBeforeCreate && (yield* exists) === false) return "absent" as const;
        yield* external.delete(resource).pipe(Effect.mapError((e) => ({ what: "delete" as const, reason: "CannotDeleteExternalResource", error: e })));
        return (yield* exists) === true ? ("lingering" as const) : ("deleted" as const);
      });
      const outcome = yield* deleted.pipe(
        Effect.catch((failed) =>
          isOwnedByOther(failed.error)
            ? Effect.succeed({ type: "Normal", reason: "ExternalResourceLeftAlone", message: `deleted nothing at the provider: ${failed.error.message}` } as const)
            : Effect.fail(externalFailure(failed.what, failed.reason, failed.error, poll, [deleting()])),
        ),
      );
      if (outcome === "deleted" || outcome === "lingering") events.push({ type: "Normal", reason: "DeletedExternalResource", message: `deleted ${resource.externalName}` });
      else if (outcome !== "absent") events.push(outcome);
      if (outcome === "lingering") {
        return { conditions: [deleting(), reconcileSuccess()], events, result: { _tag: "retry", reason: "the external resource still exists after its deletion" } } satisfies Outcome;
      }
    }
    return yield* release(object, events);
  });

  /**
   * Creation, guarded: record that a create is pending before making the call (in the same
   * write as the finalizer and external name a first reconcile adds). The connection details
   * are published before the create is recorded: a secret the provider shows only once (an
   * access key's) is never recorded as created without being stored. A create that applied
   * the whole spec (`applied`) is reported available at once, its late-initialized fields
   * recorded with its success: three object writes in all (pending, succeeded, status).
   */
  const create = Effect.fn("create")(function* (
    object: KubeObject,
    initialize: MetadataPatch,
    spec: ManagedSpec<P>,
    external: ExternalClient<P, O>,
    poll: Duration.Duration,
  ) {
    const pending = yield* patchMetadata(object, { ...initialize, annotations: { ...initialize.annotations, [Annotations.createPending]: yield* timestamp } });
    const markFailed = Effect.flatMap(timestamp, (at) => patchMetadata(pending, { annotations: { [Annotations.createFailed]: at } })).pipe(Effect.ignore);
    const creation = yield* external.create(resourceOf(pending, spec)).pipe(
      Effect.tapError(() => markFailed),
      Effect.mapError((e) => externalFailure("create", "CannotCreateExternalResource", e, poll, [creating()])),
    );
    yield* publish(pending, spec, creation.connectionDetails, poll).pipe(Effect.tapError(() => markFailed));
    const applied = creation.applied;
    const permissions = permissionsOf(spec.managementPolicies);
    const missing = applied !== undefined && permissions.lateInitialize ? unsetFields(spec.forProvider, applied.lateInitialized) : undefined;
    const succeeded = yield* patchObject(pending, {
      metadata: {
        annotations: {
          [Annotations.createSucceeded]: yield* timestamp,
          ...(creation.externalName === undefined ? {} : { [Annotations.externalName]: creation.externalName }),
        },
      },
      ...(missing === undefined ? {} : { spec: { forProvider: missing } }),
    });
    const events = [...notesOf(creation.notes), { type: "Normal" as const, reason: "CreatedExternalResource", message: `created ${resourceOf(succeeded, spec).externalName}` }];
    if (applied !== undefined) {
      return {
        conditions: [available(), reconcileSuccess(), observeMatched()],
        atProvider: applied.atProvider,
        events,
        result: done(poll),
        latest: succeeded,
        milestone: "upToDate",
      } satisfies Outcome;
    }
    return { conditions: [creating(), reconcileSuccess()], events, result: immediately, latest: succeeded } satisfies Outcome;
  });

  const publish = (object: KubeObject, spec: ManagedSpec<P>, details: ConnectionDetails | undefined, poll: Duration.Duration) =>
    spec.writeConnectionSecretToRef === undefined || details === undefined
      ? Effect.void
      : publishConnectionDetails(kube, binding.type, object, spec.writeConnectionSecretToRef.name, details).pipe(
          Effect.mapError(publishFailure(object, spec.writeConnectionSecretToRef.name, poll)),
        );

  /** True when a created resource's connection Secret (read before) lacks a value only a create gives. */
  const connectionSecretLost = (object: KubeObject, spec: ManagedSpec<P>, secret: SecretView | undefined): boolean => {
    const keys = binding.secretConnectionKeys ?? [];
    if (keys.length === 0 || spec.writeConnectionSecretToRef === undefined || object.metadata.annotations?.[Annotations.externalName] === undefined) return false;
    return keys.some((key) => secret?.data[key] === undefined);
  };

  /** The whole pipeline for one object that exists in the cache. */
  const pipeline = Effect.fn("pipeline")(function* (object: KubeObject) {
    const poll = pollOf(object);
    let spec = yield* decodeSpec(object.spec).pipe(
      Effect.mapError((error) => userFailure("CannotInitializeManagedResource", `invalid spec: ${error.message}`, poll)),
    );
    if (isPaused(object.metadata) || spec.managementPolicies.length === 0) {
      return { conditions: [reconcilePaused(), upToDatePaused()], events: [], result: done(), paused: true } satisfies Outcome;
    }
    const refused = unsupportedPolicies(spec.managementPolicies);
    if (refused !== undefined) return yield* userFailure("CannotUseInvalidManagementPolicy", refused, poll);
    if (binding.resolve !== undefined && options.references !== undefined) {
      const resolution = binding.resolve(object, spec.forProvider, options.references);
      if (resolution._tag === "nothingToDelete" && object.metadata.deletionTimestamp !== undefined) {
        if (!(object.metadata.finalizers ?? []).includes(managedFinalizer)) return { conditions: [], events: [], result: done(), objectGone: true } satisfies Outcome;
        return yield* release(object, [{ type: "Normal", reason: "ExternalResourceLeftAlone", message: resolution.message }]);
      }
      if (resolution._tag !== "resolved") {
        return yield* userFailure("CannotResolveResourceReferences", `cannot resolve references: ${resolution.message}`, poll, [unavailable()]);
      }
      spec = { ...spec, forProvider: resolution.forProvider };
    }

    const connectClient = () =>
      connect({
        kube,
        caches: options.providerConfigs,
        namespaces: options.namespaces,
        providers: options.providers,
        connector: binding.connector,
        ref: spec.providerConfigRef,
        namespace: object.metadata.namespace,
        names: binding.namesAtProvider?.(resourceOf(object, spec)) ?? [],
        poll,
        resolveAccount: accounts,
      });

    if (object.metadata.deletionTimestamp !== undefined) {
      if (!(object.metadata.finalizers ?? []).includes(managedFinalizer)) return { conditions: [], events: [], result: done(), objectGone: true } satisfies Outcome;
      return yield* finalize(object, spec, connectClient, poll);
    }

    // A Secret another resource controls is refused before anything is made for it.
    const secretRef = spec.writeConnectionSecretToRef;
    const secret = secretRef === undefined ? undefined : yield* controlledConnectionSecret(kube, object, secretRef.name, poll);
    const external = yield* connectClient();
    // What a first reconcile records (the finalizer, the external name) waits for the observe,
    // and goes in the same write as whatever follows it (the pending create, or the record of
    // an interrupted one): a spec the provider refuses leaves the object as it was.
    const initialize: { annotations?: Record<string, string>; finalizers?: ReadonlyArray<string> } = {};
    if (!(object.metadata.finalizers ?? []).includes(managedFinalizer)) initialize.finalizers = [...(object.metadata.finalizers ?? []), managedFinalizer];
    if (binding.nameKnownBeforeCreate && object.metadata.annotations?.[Annotations.externalName] === undefined) initialize.annotations = { [Annotations.externalName]: object.metadata.name };

    const incomplete = createIncomplete(object.metadata);
    const permissions = permissionsOf(spec.managementPolicies);
    const resource = {
      ...resourceOf(object, spec),
      ...(seenBefore(object) ? { seenBefore: true } : {}),
      ...(connectionSecretLost(object, spec, secret) ? { connectionSecretLost: true } : {}),
    };
    const observation = yield* external.observe(resource).pipe(Effect.mapError((e) => externalFailure("observe", "CannotObserveExternalResource", e, poll)));

    if (!observation.exists) {
      if (!permissions.create) {
        return yield* userFailure(
          "CannotObserveExternalResource",
          `external resource ${resource.externalName} does not exist, and managementPolicies do not permit Create`,
          poll,
          [unavailable()],
        );
      }
      // A create that just succeeded is trusted for a while: an eventually consistent store
      // may not show it yet, and creating again could make a second one.
      if (createSucceededWithin(object.metadata, Number(yield* Clock.currentTimeMillis))) return pendingExistence;
      return yield* create(object, initialize, spec, external, poll);
    }

    // Late initialization: fields the user left unset take the provider's values, once, so
    // later polls need not read them again (Crossplane's LateInitialize).
    const missing = permissions.lateInitialize ? unsetFields(spec.forProvider, observation.lateInitialized) : undefined;
    // A create that was interrupted did happen: record it, so the guard stands down.
    const annotations = { ...initialize.annotations, ...(incomplete ? { [Annotations.createSucceeded]: yield* timestamp } : {}) };
    const metadata: MetadataPatch = { ...(initialize.finalizers === undefined ? {} : { finalizers: initialize.finalizers }), ...(Object.keys(annotations).length === 0 ? {} : { annotations }) };
    let current = object;
    if (missing !== undefined || metadata.finalizers !== undefined || metadata.annotations !== undefined) {
      current = yield* patchObject(current, { metadata, ...(missing === undefined ? {} : { spec: { forProvider: missing } }) });
    }
    yield* publish(current, spec, observation.connectionDetails, poll);

    if (!observation.upToDate && permissions.update) {
      const difference = differenceOf(observation.drift);
      const updated = yield* external
        .update(resource)
        .pipe(Effect.mapError((e) => externalFailure("update", "CannotUpdateExternalResource", e, poll, [available(), updateFailed(difference)])));
      // A new external name (a rotated key) is recorded only once its details are stored.
      yield* publish(current, spec, updated.connectionDetails, poll);
      if (updated.externalName !== undefined && updated.externalName !== resource.externalName) {
        current = yield* patchMetadata(current, { annotations: { [Annotations.externalName]: updated.externalName } });
      }
      return {
        // UpToDate stays False until an observe finds that the update held (the next poll).
        conditions: [available(), reconcileSuccess(), updateRequested(difference)],
        atProvider: observation.atProvider,
        events: [...notesOf(updated.notes), { type: "Normal", reason: "UpdatedExternalResource", message: `repaired drift in ${observation.drift.join(", ")}` }],
        // A new name is observed at once, so the status shows it.
        result: updated.externalName === undefined ? done(poll) : immediately,
        latest: current,
        milestone: "updated",
      } satisfies Outcome;
    }
    return {
      conditions: [available(), reconcileSuccess(), observation.upToDate ? observeMatched() : updateRestricted(differenceOf(observation.drift))],
      atProvider: observation.atProvider,
      events: [],
      result: done(poll),
      latest: current,
      ...(observation.upToDate ? { milestone: "upToDate" as const } : {}),
    } satisfies Outcome;
  });

  /** Reconciles one object by key; never fails: every error is an outcome. */
  return (key: ObjectKey): Effect.Effect<ReconcileResult> =>
    Effect.gen(function* () {
      const cached = options.cache.get(key);
      const stale = cached !== undefined && (superseded.get(key)?.has(cached.metadata.resourceVersion) ?? false);
      superseded.delete(key);
      let object = cached;
      if (stale && cached !== undefined) {
        const live = yield* Effect.result(kube.get(binding.type, cached.metadata.namespace, cached.metadata.name));
        if (live._tag === "Failure") return { _tag: "retry", reason: `kube ${live.failure.reason}` } as const;
        object = live.success;
      }
      if (object === undefined) return done();
      lifecycle.reconciling(object, yield* nowDate);
      const decided: Outcome = yield* pipeline(object).pipe(Effect.catchTag("Stop", (stop) => Effect.succeed(stop.outcome as Outcome)));
      const outcome = withReconcileRequest(object, decided);
      const now = yield* nowDate;
      if (outcome.milestone !== undefined) lifecycle.reached(outcome.latest ?? object, outcome.milestone, now);
      const written = yield* writeOutcome(kube, binding.type, outcome.latest ?? object, outcome, now).pipe(
        Effect.as(true),
        Effect.catchTag("KubeError", (error) => Effect.succeed(error.reason === "NotFound")),
      );
      return written ? outcome.result : ({ _tag: "retry", reason: "status write failed" } as const);
    });
};

/**
 * The outcome of an observe that found nothing shortly after a create succeeded: nothing is
 * changed and the resource is looked at again with backoff (crossplane-runtime's creation
 * grace period, with its event).
 */
const pendingExistence: Outcome = {
  conditions: [],
  events: [{ type: "Normal", reason: "PendingExternalResource", message: "Waiting for external resource existence to be confirmed" }],
  result: { _tag: "retry", reason: "waiting for a created external resource to show" },
};

/** What differs, for UpToDate's message and the update event: deterministic, so it writes nothing twice. */
const differenceOf = (drift: ReadonlyArray<string>): string =>
  drift.length === 0 ? "the external resource differs from the spec" : `drift in ${drift.join(", ")}`;

/**
 * A reconcile handles a pending `crossplane.io/reconcile-requested-at` (any reconcile that
 * is not paused, whatever it decided): it says so in an event, as crossplane-runtime does,
 * and records the token in `status.lastHandledReconcileAt`, so tools can wait for it.
 */
const withReconcileRequest = (object: KubeObject, outcome: Outcome): Outcome => {
  const lastHandled = (object.status as { lastHandledReconcileAt?: string } | undefined)?.lastHandledReconcileAt;
  const token = outcome.paused === true ? undefined : pendingReconcileRequest(object.metadata, lastHandled);
  if (token === undefined) return outcome;
  return {
    ...outcome,
    events: [...outcome.events, { type: "Normal", reason: "ReconcileRequestHandled", message: "Handling reconcile request" }],
    handledReconcileRequest: token,
  };
};

/** A provider's notes (things the user should know about) as Warning events. */
const notesOf = (notes: ReadonlyArray<string> | undefined): Array<Outcome["events"][number]> =>
  (notes ?? []).map((message) => ({ type: "Warning" as const, reason: noteReason, message }));

/**
 * Whether the controller saw the external resource before: a create of it was recorded, or a
 * reconcile reported it (status.atProvider). Only a hint for the provider's read order.
 */
const seenBefore = (object: KubeObject): boolean =>
  object.metadata.annotations?.[Annotations.createSucceeded] !== undefined || (object.status as { atProvider?: unknown } | undefined)?.atProvider !== undefined;

/** The late-initialized fields the spec does not set yet, or undefined when there are none. */
export const unsetFields = <P>(forProvider: P, lateInitialized: Partial<P> | undefined): Partial<P> | undefined => {
  if (lateInitialized === undefined) return undefined;
  const set = forProvider as Record<string, unknown>;
  const missing = Object.fromEntries(Object.entries(lateInitialized).filter(([field, value]) => value !== undefined && set[field] === undefined));
  return Object.keys(missing).length === 0 ? undefined : (missing as Partial<P>);
};

/**
 * The provider's view of a managed object, with the facts it decides ownership by: its uid,
 * and whether a create of it was interrupted. A name the provider assigns is empty until the
 * create that assigned it is recorded.
 */
export const managedResourceOf = <P>(object: KubeObject, spec: ManagedSpec<P>, nameKnownBeforeCreate = true): ManagedResource<P> => ({
  name: object.metadata.name,
  namespace: object.metadata.namespace ?? "",
  uid: object.metadata.uid,
  ...(createIncomplete(object.metadata) ? { interruptedCreate: true } : {}),
  externalName: nameKnownBeforeCreate ? externalNameOf(object.metadata) : (object.metadata.annotations?.[Annotations.externalName] ?? ""),
  forProvider: spec.forProvider,
});
