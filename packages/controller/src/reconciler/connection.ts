import { Effect, Redacted, type Duration } from "effect";
import { apiVersion, connectionSecretType, type ConnectionDetails } from "@cloud37/core";
import { notControlledReason, type KubeApi, type KubeObject, type ResourceType, type SecretView } from "../kube/types.ts";
import { kubeFailure, userFailure } from "./outcome.ts";

/** The message of a connection Secret this resource does not control: it is left untouched. */
const notControlledMessage = (namespace: string, name: string, by: string): string =>
  `cannot publish connection details: Secret ${namespace}/${name} exists and ${by}; it was left untouched: choose another spec.writeConnectionSecretToRef.name, or delete that Secret`;

const describeController = (secret: SecretView): string =>
  secret.controller === undefined ? "was not created by this resource (it has no controller)" : `is controlled by ${secret.controller.kind} ${secret.controller.name}`;

/**
 * Reads the connection Secret a resource names, before any external call: undefined when it
 * does not exist yet; the Secret when this resource controls it (an ownerReference with
 * `controller: true` and its uid). A Secret another resource controls, or one nobody does,
 * stops the reconcile with Synced=False: it is never written, and nothing at the provider is
 * created for it (an access key's secret would have nowhere to go).
 */
export const controlledConnectionSecret = (kube: KubeApi, owner: KubeObject, name: string, poll: Duration.Duration) => {
  const namespace = owner.metadata.namespace ?? "default";
  return kube.getSecret(namespace, name).pipe(
    Effect.mapError(kubeFailure),
    Effect.flatMap((secret) =>
      secret === undefined || secret.controller?.uid === owner.metadata.uid
        ? Effect.succeed(secret)
        : Effect.fail(userFailure("CannotPublishConnectionDetails", notControlledMessage(namespace, name, describeController(secret)), poll)),
    ),
  );
};

/**
 * Writes connection details to the Secret named by `writeConnectionSecretToRef`, controlled by
 * the managed resource so it is garbage-collected with it. Additive: keys not in `details`
 * stay. A Secret this resource does not control is refused (reason NotControlled).
 */
export const publishConnectionDetails = (kube: KubeApi, type: ResourceType, owner: KubeObject, name: string, details: ConnectionDetails) =>
  kube.applySecret({
    namespace: owner.metadata.namespace ?? "default",
    name,
    type: connectionSecretType,
    data: Object.fromEntries(Object.entries(details).map(([key, value]) => [key, Buffer.from(Redacted.value(value)).toString("base64")])),
    ownerReferences: [{ apiVersion, kind: type.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true }],
  }).pipe(Effect.withSpan("publishConnectionDetails"));

/** The outcome of a failed publish: a Secret taken by another says so; anything else is a Kubernetes failure. */
export const publishFailure = (owner: KubeObject, name: string, poll: Duration.Duration) => (error: { readonly reason: string; readonly message: string }) =>
  error.reason === notControlledReason
    ? userFailure("CannotPublishConnectionDetails", notControlledMessage(owner.metadata.namespace ?? "default", name, "is not controlled by this resource"), poll)
    : userFailure("CannotPublishConnectionDetails", `cannot publish connection details: ${error.reason}`, poll);
