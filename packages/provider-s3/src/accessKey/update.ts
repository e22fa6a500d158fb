import { Effect } from "effect";
import { NotFound, externalError, samePolicy, type AccessKeyRequest, type ExternalError, type ManagedResource, type Update } from "@cloud37/core";
import type { Target } from "../target.ts";
import { keyRequestOf, keyConnectionDetails, notOwned, unrecordedNote } from "./convert.ts";
import { IdentityApi } from "./identityApi.ts";
import { byAge, planKeys } from "./keys.ts";
import { now } from "./observe.ts";

/**
 * Brings an AccessKey up to date, on a user of its own only (OwnedByOther otherwise): rewrites
 * a drifted policy, deletes unrecorded keys and previous keys whose retention ended, and
 * rotates when due: a new key becomes current (the external name) and the old one is kept
 * for `retainPreviousDays`. A key whose secret the connection Secret lost is replaced the
 * same way. When the user would hold more keys than the service allows, the oldest previous
 * key goes early, and a note says so.
 */
export const update = Effect.fn("AccessKey.update")(function* (
  resource: ManagedResource<AccessKeyRequest>,
  target: Target,
): Effect.fn.Return<Update, ExternalError, IdentityApi> {
  const request = keyRequestOf(resource, target);
  if (!("userName" in request)) return yield* request;
  const identity = yield* IdentityApi;
  const user = request.userName;
  const record = yield* identity.readUser(user);
  if (record === undefined) return yield* externalError("UpdateAccessKey", new NotFound({ message: `user ${user} does not exist` }));
  const refused = notOwned(user, record.owner, resource.uid);
  if (refused !== undefined) return yield* refused;
  if (!samePolicy(request.policy, record.policy)) yield* identity.putPolicy(user, resource.uid, request.policy);

  const plan = planKeys({
    keys: yield* identity.listKeys(user),
    recorded: resource.externalName,
    rotation: request.rotation,
    requestedAt: request.requestedAt,
    now: yield* now,
  });
  const notes: Array<string> = [];
  for (const key of plan.unrecorded) {
    yield* identity.deleteKey(user, key.id);
    notes.push(unrecordedNote(key.id, user));
  }
  for (const key of plan.expired) yield* identity.deleteKey(user, key.id);
  if (plan.current === undefined) return { notes };
  // A secret that is no longer stored cannot be read back: only a new key brings it back.
  const lost = resource.connectionSecretLost === true;
  if (!plan.rotationDue && !lost) return { notes };
  if (lost) notes.push(`replaced access key ${plan.current.id} of user ${user}: the connection Secret no longer held its secret key`);

  const retained = [...plan.retained].sort(byAge);
  while (retained.length + 2 > identity.maxKeysPerUser) {
    const oldest = retained.shift();
    if (oldest === undefined) break;
    yield* identity.deleteKey(user, oldest.id);
    notes.push(`deleted previous access key ${oldest.id} of user ${user} before its retention ended: the provider allows ${identity.maxKeysPerUser} keys per user`);
  }
  const key = yield* identity.createKey(user, resource.uid, yield* now);
  return { externalName: key.id, connectionDetails: keyConnectionDetails(target, request, key), notes };
});
