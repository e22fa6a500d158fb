import { Effect, Redacted } from "effect";
import { AdminBodyError } from "./errors.ts";
import { decodeJson, expirationOf, openBody, operation, sealJson, send, type AdminContext } from "./request.ts";
import { AddServiceAccountJson, InfoServiceAccountJson, ListServiceAccountsJson } from "./schema.ts";
import type { MinioAdmin, NewServiceAccount } from "./types.ts";

/** madmin AddServiceAccountReq: only the fields set, as Go's omitempty would send them. */
const addRequest = (options: NewServiceAccount) => ({
  ...(options.policy === undefined ? {} : { policy: options.policy }),
  ...(options.targetUser === undefined ? {} : { targetUser: options.targetUser }),
  ...(options.accessKey === undefined ? {} : { accessKey: options.accessKey }),
  ...(options.secretKey === undefined ? {} : { secretKey: Redacted.value(options.secretKey) }),
  ...(options.name === undefined ? {} : { name: options.name }),
  ...(options.description === undefined ? {} : { description: options.description }),
  ...(options.expiration === undefined ? {} : { expiration: options.expiration.toISOString() }),
});

/** A service account's own policy arrives as JSON text inside the JSON answer. */
const policyDocument = (text: string | undefined): Effect.Effect<unknown, AdminBodyError> =>
  text === undefined || text === "" ? Effect.succeed(undefined) : Effect.try({ try: (): unknown => JSON.parse(text), catch: () => new AdminBodyError("unexpected policy JSON") });

/** Service accounts (access keys derived from a user). Every answer here is encrypted. */
export const serviceAccountOperations = (
  context: AdminContext,
): Pick<MinioAdmin, "addServiceAccount" | "deleteServiceAccount" | "listServiceAccounts" | "infoServiceAccount"> => ({
  // PUT /add-service-account: request and answer (the new secret key) both encrypted.
  addServiceAccount: (options) =>
    operation(
      context,
      "AddServiceAccount",
      Effect.gen(function* () {
        const body = yield* sealJson(context, addRequest(options));
        const response = yield* send(context, { method: "PUT", path: "/add-service-account", body });
        const { credentials } = yield* decodeJson(AddServiceAccountJson, yield* openBody(context, response.body));
        return { accessKey: credentials.accessKey, secretKey: Redacted.make(credentials.secretKey), expiration: expirationOf(credentials.expiration) };
      }),
    ),
  // DELETE /delete-service-account?accessKey= (204).
  deleteServiceAccount: (accessKey) =>
    operation(context, "DeleteServiceAccount", Effect.asVoid(send(context, { method: "DELETE", path: "/delete-service-account", query: { accessKey } }))),
  // GET /list-service-accounts?user=
  listServiceAccounts: (user) =>
    operation(
      context,
      "ListServiceAccounts",
      Effect.gen(function* () {
        const response = yield* send(context, { method: "GET", path: "/list-service-accounts", query: { user } });
        const { accounts } = yield* decodeJson(ListServiceAccountsJson, yield* openBody(context, response.body));
        return (accounts ?? []).map((account) => ({
          accessKey: account.accessKey,
          parentUser: account.parentUser,
          accountStatus: account.accountStatus,
          name: account.name,
          description: account.description,
          expiration: expirationOf(account.expiration),
        }));
      }),
    ),
  // GET /info-service-account?accessKey=
  infoServiceAccount: (accessKey) =>
    operation(
      context,
      "InfoServiceAccount",
      Effect.gen(function* () {
        const response = yield* send(context, { method: "GET", path: "/info-service-account", query: { accessKey } });
        const info = yield* decodeJson(InfoServiceAccountJson, yield* openBody(context, response.body));
        const impliedPolicy = info.impliedPolicy ?? false;
        return {
          parentUser: info.parentUser,
          accountStatus: info.accountStatus,
          impliedPolicy,
          policy: impliedPolicy ? undefined : yield* policyDocument(info.policy),
          name: info.name,
          description: info.description,
          expiration: expirationOf(info.expiration),
        };
      }),
    ),
});
