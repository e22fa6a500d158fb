import { Effect } from "effect";
import type { AccessKeyRequest, ExternalError, ManagedResource } from "@cloud37/core";
import type { Target } from "../target.ts";
import { keyRequestOf } from "./convert.ts";
import { IdentityApi } from "./identityApi.ts";

/**
 * Deletes an AccessKey: every key of its user (recorded or not), its policy and the user.
 * Succeeds when they are gone already.
 */
export const deleteAccessKey = Effect.fn("AccessKey.delete")(function* (
  resource: ManagedResource<AccessKeyRequest>,
  target: Target,
): Effect.fn.Return<void, ExternalError, IdentityApi> {
  const request = keyRequestOf(resource, target);
  if (!("userName" in request)) return yield* request;
  const identity = yield* IdentityApi;
  yield* identity.deleteUser(request.userName);
});
