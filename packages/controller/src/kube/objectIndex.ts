import type { ObjectKey } from "../runtime/types.ts";
import type { KubeObject } from "./types.ts";

/** One index of a cache: per value, the objects that have it (client-go's indexer). */
export interface ObjectIndex {
  /** Keeps the index in step with one change of the cache: `previous` out, `object` in. */
  readonly replace: (key: ObjectKey, previous: KubeObject | undefined, object: KubeObject | undefined) => void;
  /** The objects one of whose values is `value`. */
  readonly lookup: (value: string) => ReadonlyArray<KubeObject>;
}

/** An empty index of the values `valuesOf` computes from each object. */
export const makeObjectIndex = (valuesOf: (object: KubeObject) => ReadonlyArray<string>): ObjectIndex => {
  const byValue = new Map<string, Map<ObjectKey, KubeObject>>();
  return {
    replace: (key, previous, object) => {
      if (previous !== undefined) {
        for (const value of valuesOf(previous)) {
          const objects = byValue.get(value);
          objects?.delete(key);
          if (objects?.size === 0) byValue.delete(value);
        }
      }
      if (object !== undefined) {
        for (const value of valuesOf(object)) {
          let objects = byValue.get(value);
          if (objects === undefined) byValue.set(value, (objects = new Map()));
          objects.set(key, object);
        }
      }
    },
    lookup: (value) => Array.from(byValue.get(value)?.values() ?? []),
  };
};
