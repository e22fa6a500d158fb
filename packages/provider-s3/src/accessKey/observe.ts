import { Clock, Effect } from "effect";
import { samePolicy, type AccessKeyObservation, type AccessKeyRequest, type ExternalError, type ManagedResource, type Observation } from "@cloud37/core";
import type { Target } from "../target.ts";
import { atProvider, keyConnectionDetails, keyRequestOf, notOwned } from "./convert.ts";
import { IdentityApi } from "./identityApi.ts";
import { planKeys } from "./keys.ts";

/** The time now, as a Date (the Clock, so tests can move it). */
export const now = Effect.map(Clock.currentTimeMillis, (ms) => new Date(Number(ms)));

/**
 * Observes an AccessKey: the user (with its policy) and its keys. A user that is not this
 * AccessKey's (no ownership mark, or another's) fails with OwnedByOther. It exists when the
 * recorded key (the external name) is on the user. It is up to date when the policy means
 * the spec's, no unrecorded or expired key is left, no rotation is due, and the connection
 * Secret still holds the key's secret. Changes nothing.
 */
export const observe = Effect.fn("AccessKey.observe")(function* (
  resource: ManagedResource<AccessKeyRequest>,
  target: Target,
): Effect.fn.Return<Observation<AccessKeyRequest, AccessKeyObservation>, ExternalError, IdentityApi> {
  const request = keyRequestOf(resource, target);
  if (!("userName" in request)) return yield* request;
  const identity = yield* IdentityApi;
  const user = yield* identity.readUser(request.userName);
  if (user === undefined) return { exists: false };
  const refused = notOwned(request.userName, user.owner, resource.uid);
  if (refused !== undefined) return yield* refused;
  const plan = planKeys({
    keys: yield* identity.listKeys(request.userName),
    recorded: resource.externalName === "" ? undefined : resource.externalName,
    rotation: request.rotation,
    requestedAt: request.requestedAt,
    now: yield* now,
  });
  if (plan.current === undefined) return { exists: false };
  const policyHeld = samePolicy(request.policy, user.policy);
  const drift = [
    ...(policyHeld ? [] : ["policy"]),
    ...(plan.unrecorded.length === 0 ? [] : ["unrecorded keys"]),
    ...(plan.expired.length === 0 ? [] : ["expired previous keys"]),
    ...(plan.rotationDue ? ["rotation due"] : []),
    ...(resource.connectionSecretLost === true ? ["connection Secret lost its secret key"] : []),
  ];
  return {
    exists: true,
    upToDate: drift.length === 0,
    drift,
    atProvider: atProvider(request, plan),
    ...(resource.forProvider.userName === undefined ? { lateInitialized: { userName: request.userName } } : {}),
    connectionDetails: keyConnectionDetails(target, request, plan.current),
  };
});
