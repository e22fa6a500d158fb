import { Effect } from "effect";
import type { AccessKeyRequest, Creation, ExternalError, ManagedResource } from "@cloud37/core";
import type { Target } from "../target.ts";
import { keyRequestOf, keyConnectionDetails, notOwned, unrecordedNote } from "./convert.ts";
import { IdentityApi } from "./identityApi.ts";
import { now } from "./observe.ts";

/**
 * Creates an AccessKey: the user marked as this AccessKey's (if missing) with its policy, and
 * one key. A user that exists without this AccessKey's mark is refused (OwnedByOther) before
 * anything changes. No key is recorded yet, so any key already on a user of ours was left by
 * an interrupted create: it is deleted first (its secret is lost) and reported, never kept
 * beside the new one.
 */
export const create = Effect.fn("AccessKey.create")(function* (
  resource: ManagedResource<AccessKeyRequest>,
  target: Target,
): Effect.fn.Return<Creation, ExternalError, IdentityApi> {
  const request = keyRequestOf(resource, target);
  if (!("userName" in request)) return yield* request;
  const identity = yield* IdentityApi;
  const user = yield* identity.readUser(request.userName);
  if (user === undefined) {
    yield* identity.createUser(request.userName, resource.uid, request.policy);
  } else {
    const refused = notOwned(request.userName, user.owner, resource.uid);
    if (refused !== undefined) return yield* refused;
    yield* identity.putPolicy(request.userName, resource.uid, request.policy);
  }
  const notes: Array<string> = [];
  for (const key of yield* identity.listKeys(request.userName)) {
    yield* identity.deleteKey(request.userName, key.id);
    notes.push(unrecordedNote(key.id, request.userName));
  }
  const key = yield* identity.createKey(request.userName, resource.uid, yield* now);
  return { externalName: key.id, connectionDetails: keyConnectionDetails(target, request, key), notes };
});
