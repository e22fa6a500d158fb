import { Effect, Redacted } from "effect";
import { apiVersion, connectionSecretType, type ConnectionDetails } from "@cloud37/core";
import type { KubeApi, KubeObject, ResourceType } from "../kube/types.ts";

/**
 * Writes connection details to the Secret named by `writeConnectionSecretToRef`, owned by the
 * managed resource so it is garbage-collected with it. Additive: keys not in `details` stay.
 */
export const publishConnectionDetails = (kube: KubeApi, type: ResourceType, owner: KubeObject, name: string, details: ConnectionDetails) =>
  kube.applySecret({
    namespace: owner.metadata.namespace ?? "default",
    name,
    type: connectionSecretType,
    data: Object.fromEntries(Object.entries(details).map(([key, value]) => [key, Buffer.from(Redacted.value(value)).toString("base64")])),
    ownerReferences: [{ apiVersion, kind: type.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true }],
  }).pipe(Effect.withSpan("publishConnectionDetails"));
