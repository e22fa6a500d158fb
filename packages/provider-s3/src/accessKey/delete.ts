import { Effect } from "effect";
import type { AccessKeyRequest, ExternalError, ManagedResource } from "@cloud37/core";
import type { Target } from "../target.ts";
import { notOwned, userNameOf } from "./convert.ts";
import { IdentityApi } from "./identityApi.ts";

/**
 * Deletes an AccessKey: every key of its user (recorded or not), its policy and the user.
 * Succeeds when they are gone already. A user that is not this AccessKey's is left alone:
 * OwnedByOther, and nothing is deleted. Only the user name is needed, so a spec that became
 * invalid (a grant, the extra policy) never holds up a deletion.
 */
export const deleteAccessKey = Effect.fn("AccessKey.delete")(function* (
  resource: ManagedResource<AccessKeyRequest>,
  _target: Target,
): Effect.fn.Return<void, ExternalError, IdentityApi> {
  const userName = userNameOf(resource);
  if (typeof userName !== "string") return yield* userName;
  const identity = yield* IdentityApi;
  const user = yield* identity.readUser(userName);
  if (user === undefined) return;
  const refused = notOwned(userName, user.owner, resource.uid);
  if (refused !== undefined) return yield* refused;
  yield* identity.deleteUser(userName);
});
