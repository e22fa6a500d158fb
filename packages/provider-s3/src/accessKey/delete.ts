import { Effect } from "effect";
import type { AccessKeyRequest, ExternalError, ManagedResource } from "@cloud37/core";
import type { Target } from "../target.ts";
import { userNameOf } from "./convert.ts";
import { IdentityApi } from "./identityApi.ts";

/**
 * Deletes an AccessKey: every key of its user (recorded or not), its policy and the user.
 * Succeeds when they are gone already. Only the user name is needed, so a spec that became
 * invalid (a grant, the extra policy) never holds up a deletion.
 */
export const deleteAccessKey = Effect.fn("AccessKey.delete")(function* (
  resource: ManagedResource<AccessKeyRequest>,
  _target: Target,
): Effect.fn.Return<void, ExternalError, IdentityApi> {
  const userName = userNameOf(resource);
  if (typeof userName !== "string") return yield* userName;
  const identity = yield* IdentityApi;
  yield* identity.deleteUser(userName);
});
