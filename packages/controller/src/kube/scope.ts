import { Effect } from "effect";
import { parseKey } from "../runtime/types.ts";
import { makeInformer, type Informer, type InformerOptions, type ListWatchSource } from "./informer.ts";
import type { ResourceType } from "./types.ts";

/**
 * One informer for a type within the watched namespaces: every namespace when `namespaces` is
 * empty; cluster-scoped types are always watched cluster-wide. For a namespaced type and a list,
 * it is one list-watch per namespace (what a Role per namespace allows, where a cluster-wide
 * list would be forbidden) behind a single cache: `get` goes to the key's namespace, `list`
 * joins them, and it has synced once every namespace has.
 */
export const makeScopedInformer = (
  source: ListWatchSource,
  type: ResourceType,
  namespaces: ReadonlyArray<string>,
  options: Omit<InformerOptions, "namespace"> = {},
): Effect.Effect<Informer> =>
  namespaces.length === 0 || !type.namespaced
    ? makeInformer(source, type, options)
    : Effect.map(
        Effect.forEach(namespaces, (namespace) => Effect.map(makeInformer(source, type, { ...options, namespace }), (informer) => [namespace, informer] as const)),
        (entries) => joinNamespaces(type, new Map(entries)),
      );

/** Presents per-namespace informers of one type as one. */
const joinNamespaces = (type: ResourceType, byNamespace: ReadonlyMap<string, Informer>): Informer => {
  const parts = Array.from(byNamespace.values());
  return {
    type,
    get: (key) => {
      const { namespace } = parseKey(key);
      return namespace === undefined ? undefined : byNamespace.get(namespace)?.get(key);
    },
    list: () => parts.flatMap((part) => part.list()),
    index: (valuesOf) => {
      const lookups = parts.map((part) => part.index(valuesOf));
      return (value) => lookups.flatMap((lookup) => lookup(value));
    },
    hasSynced: () => parts.every((part) => part.hasSynced()),
    awaitSynced: Effect.forEach(parts, (part) => part.awaitSynced, { discard: true }),
    addHandlers: (handlers) => parts.forEach((part) => part.addHandlers(handlers)),
    // Each namespace lists, watches and backs off on its own: one forbidden namespace does not stop the others.
    run: Effect.forEach(parts, (part) => part.run, { concurrency: "unbounded", discard: true }).pipe(Effect.andThen(Effect.never)),
  };
};
