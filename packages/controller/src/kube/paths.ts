import type { ResourceType } from "./types.ts";

/** The REST path of a resource type, optionally of one namespace, one object and a subresource. */
export const resourcePath = (
  type: ResourceType,
  namespace?: string,
  name?: string,
  subresource?: string,
): string => {
  const base = type.group === "" ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  const scope = type.namespaced && namespace !== undefined && namespace !== "" ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  const object = name === undefined ? "" : `/${encodeURIComponent(name)}`;
  const sub = subresource === undefined ? "" : `/${subresource}`;
  return `${base}${scope}/${type.plural}${object}${sub}`;
};

/** The apiVersion string of a resource type ("v1" or "group/version"). */
export const apiVersionOf = (type: ResourceType): string => (type.group === "" ? type.version : `${type.group}/${type.version}`);

/** Core resource types the controller machinery itself uses. */
export const CoreTypes = {
  secret: { group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true },
  event: { group: "", version: "v1", kind: "Event", plural: "events", namespaced: true },
  lease: { group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true },
  namespace: { group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false },
} as const satisfies Record<string, ResourceType>;
