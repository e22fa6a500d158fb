import { Effect } from "effect";
import type { KubeApi, KubeObject, ResourceType } from "../kube/types.ts";
import { keyOf } from "./types.ts";

/**
 * The object versions this controller wrote itself, so the watch events they cause wake no
 * reconcile: the reconcile that wrote a version already acted on everything in it (a create's
 * pending and succeeded records, its late-initialized spec, a status). Without this, every
 * create was observed once more for each of its own writes. A version someone else wrote is
 * never in here, so their changes always wake the object.
 *
 * The watch may deliver a write's event before the write's own response is read: while a
 * write of an object is in flight, `writing` says so, and `settled` waits for it, after which
 * `isOwn` knows.
 */
export interface OwnWrites {
  /** The Kubernetes API, recording the version each successful object write produced. */
  readonly track: (kube: KubeApi) => KubeApi;
  /** True while a write of the object is in flight. */
  readonly writing: (type: ResourceType, object: KubeObject) => boolean;
  /** Completes once no write of the object is in flight. */
  readonly settled: (type: ResourceType, object: KubeObject) => Effect.Effect<void>;
  /** True (and forgotten) when this version is one this controller wrote. */
  readonly isOwn: (type: ResourceType, object: KubeObject) => boolean;
  /** Forgets an object's versions (it is gone). */
  readonly forget: (type: ResourceType, object: KubeObject) => void;
}

const entryOf = (type: ResourceType, object: KubeObject) => `${type.plural}.${type.group}/${keyOf(object.metadata.namespace, object.metadata.name)}`;

/** Versions kept per object: a reconcile writes at most four; older unseen ones are dropped. */
const keptVersions = 8;

export const makeOwnWrites = (): OwnWrites => {
  const written = new Map<string, Array<string>>();
  const inFlight = new Map<string, { count: number; readonly waiters: Array<() => void> }>();

  const begin = (entry: string) => {
    const flight = inFlight.get(entry) ?? { count: 0, waiters: [] };
    flight.count++;
    inFlight.set(entry, flight);
  };
  const end = (entry: string) => {
    const flight = inFlight.get(entry);
    if (flight === undefined || --flight.count > 0) return;
    inFlight.delete(entry);
    for (const wake of flight.waiters) wake();
  };
  const remember = (entry: string, before: KubeObject, after: KubeObject) => {
    // A write that changed nothing (an unchanged status is not sent) made no new version.
    if (after.metadata.resourceVersion === before.metadata.resourceVersion) return;
    const versions = written.get(entry) ?? [];
    versions.push(after.metadata.resourceVersion);
    if (versions.length > keptVersions) versions.shift();
    written.set(entry, versions);
  };
  const tracked = <E>(type: ResourceType, object: KubeObject, write: Effect.Effect<KubeObject, E>): Effect.Effect<KubeObject, E> =>
    Effect.suspend(() => {
      const entry = entryOf(type, object);
      begin(entry);
      return write.pipe(
        Effect.tap((after) => Effect.sync(() => remember(entry, object, after))),
        Effect.ensuring(Effect.sync(() => end(entry))),
      );
    });

  return {
    track: (kube) => ({
      ...kube,
      patchMetadata: (type, object, patch) => tracked(type, object, kube.patchMetadata(type, object, patch)),
      patchSpec: (type, object, spec) => tracked(type, object, kube.patchSpec(type, object, spec)),
      patchObject: (type, object, patch) => tracked(type, object, kube.patchObject(type, object, patch)),
      patchStatus: (type, object, status) => tracked(type, object, kube.patchStatus(type, object, status)),
    }),
    writing: (type, object) => inFlight.has(entryOf(type, object)),
    settled: (type, object) =>
      Effect.callback<void>((resume) => {
        const flight = inFlight.get(entryOf(type, object));
        if (flight === undefined) resume(Effect.void);
        else flight.waiters.push(() => resume(Effect.void));
      }),
    isOwn: (type, object) => {
      const entry = entryOf(type, object);
      const versions = written.get(entry);
      const index = versions?.indexOf(object.metadata.resourceVersion) ?? -1;
      if (versions === undefined || index < 0) return false;
      versions.splice(index, 1);
      if (versions.length === 0) written.delete(entry);
      return true;
    },
    forget: (type, object) => {
      written.delete(entryOf(type, object));
    },
  };
};
