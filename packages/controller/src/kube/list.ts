import { Effect } from "effect";
import type { KubeHttp } from "./http.ts";
import { apiVersionOf, resourcePath } from "./paths.ts";
import type { KubeObject, ResourceType } from "./types.ts";

/**
 * Lists every object of a type, 500 a page, with apiVersion and kind filled in (the API server
 * leaves them out of list items), and the list's resourceVersion to watch from.
 */
export const listAll = (kube: KubeHttp, type: ResourceType, namespace?: string) =>
  Effect.gen(function* () {
    const items: Array<KubeObject> = [];
    let continueToken: string | undefined;
    let resourceVersion = "";
    do {
      const page = (yield* kube.request({
        operation: `list ${type.plural}`,
        resource: type.plural,
        method: "GET",
        path: resourcePath(type, namespace),
        query: { limit: 500, continue: continueToken },
      })) as { items?: Array<KubeObject>; metadata?: { continue?: string; resourceVersion?: string } };
      for (const item of page.items ?? []) items.push({ ...item, apiVersion: item.apiVersion ?? apiVersionOf(type), kind: item.kind ?? type.kind });
      continueToken = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    } while (continueToken !== undefined);
    return { items, resourceVersion };
  });
