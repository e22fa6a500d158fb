import { Effect, Redacted } from "effect";
import { isAdminCode } from "./errors.ts";
import { decodeJson, openBody, operation, sealJson, send, type AdminContext } from "./request.ts";
import { PolicyAssociationJson, UserInfoJson } from "./schema.ts";
import type { MinioAdmin, PolicyChange } from "./types.ts";

/** The answer to an attach or detach that had nothing to do (madmin errNoPolicyToAttachOrDetach). */
const alreadyApplied = "XMinioAdminPolicyChangeAlreadyApplied";

/**
 * Attaches or detaches canned policies (POST /idp/builtin/policy/{attach,detach}): the body is
 * madmin PolicyAssociationReq, encrypted, sent as application/octet-stream (the server refuses
 * any other type); the answer is PolicyAssociationResp, encrypted.
 */
const associate = (context: AdminContext, kind: "attach" | "detach", user: string, policies: ReadonlyArray<string>) =>
  operation(
    context,
    kind === "attach" ? "AttachPolicy" : "DetachPolicy",
    Effect.gen(function* () {
      const body = yield* sealJson(context, { policies, user });
      const response = yield* send(context, { method: "POST", path: `/idp/builtin/policy/${kind}`, body, contentType: "application/octet-stream" });
      const answer = yield* decodeJson(PolicyAssociationJson, yield* openBody(context, response.body));
      const changed = (kind === "attach" ? answer.policiesAttached : answer.policiesDetached) ?? [];
      return { changed, updatedAt: answer.updatedAt } satisfies PolicyChange;
    }).pipe(
      // Nothing to change is the desired state reached, not a failure.
      Effect.catchIf(
        (error) => isAdminCode(error, alreadyApplied),
        () => Effect.succeed({ changed: [], updatedAt: undefined } satisfies PolicyChange),
      ),
    ),
  );

/** Built-in users and their policy attachments. */
export const userOperations = (
  context: AdminContext,
): Pick<MinioAdmin, "addUser" | "removeUser" | "getUserInfo" | "setUserStatus" | "attachPolicy" | "detachPolicy"> => ({
  // PUT /add-user?accessKey=: madmin AddOrUpdateUserReq, encrypted (it carries the secret key).
  addUser: (accessKey, secretKey, status = "enabled") =>
    operation(
      context,
      "AddUser",
      Effect.gen(function* () {
        const body = yield* sealJson(context, { secretKey: Redacted.value(secretKey), status });
        yield* send(context, { method: "PUT", path: "/add-user", query: { accessKey }, body });
      }),
    ),
  // DELETE /remove-user?accessKey=
  removeUser: (accessKey) => operation(context, "RemoveUser", Effect.asVoid(send(context, { method: "DELETE", path: "/remove-user", query: { accessKey } }))),
  // GET /user-info?accessKey=: plain JSON.
  getUserInfo: (accessKey) =>
    operation(
      context,
      "GetUserInfo",
      Effect.gen(function* () {
        const response = yield* send(context, { method: "GET", path: "/user-info", query: { accessKey } });
        const info = yield* decodeJson(UserInfoJson, response.body);
        return {
          status: info.status,
          policies: (info.policyName ?? "").split(",").filter((name) => name !== ""),
          memberOf: info.memberOf ?? [],
          updatedAt: info.updatedAt,
        };
      }),
    ),
  // PUT /set-user-status?accessKey=&status=
  setUserStatus: (accessKey, status) =>
    operation(context, "SetUserStatus", Effect.asVoid(send(context, { method: "PUT", path: "/set-user-status", query: { accessKey, status } }))),
  attachPolicy: (user, policies) => associate(context, "attach", user, policies),
  detachPolicy: (user, policies) => associate(context, "detach", user, policies),
});
