import { randomBytes } from "node:crypto";
import { Effect, Redacted } from "effect";
import type { Account, ExternalError } from "@cloud37/core";
import type { IdentityFor, IdentityPort } from "@cloud37/provider-s3";
import { makeMinioAdmin } from "./admin/client.ts";
import type { MinioAdmin } from "./admin/types.ts";

/** The canned policy this provider writes for a user (the generated grants and the extra document). */
export const userPolicyName = (userName: string): string => `cloud37-${userName}`;

const createdPrefix = "cloud37 s3-provider key, created ";

/**
 * MinIO records no creation time for a service account, so the key's description carries it:
 * the time orders keys (which is current, which came after). A key without one reads as
 * the oldest possible.
 */
export const createdOf = (description: string | undefined): Date => {
  const at = description?.startsWith(createdPrefix) === true ? new Date(description.slice(createdPrefix.length)) : undefined;
  return at === undefined || Number.isNaN(at.getTime()) ? new Date(0) : at;
};

const orAbsent = <A>(effect: Effect.Effect<A, ExternalError>): Effect.Effect<A | undefined, ExternalError> =>
  effect.pipe(Effect.catchIf((error) => error.reason._tag === "NotFound", () => Effect.succeed(undefined)));

/**
 * The identity port over MinIO's admin API: the user is a built-in user whose own secret is
 * random and never published; its keys are service accounts that inherit its canned policy,
 * so a rotation can keep the previous key working beside the new one. Plain reads (user info,
 * canned policy) are preferred: an encrypted answer costs an argon2id derivation (64 MiB).
 */
export const minioIdentityPort = (admin: MinioAdmin): IdentityPort => {
  const attached = (userName: string) => Effect.map(orAbsent(admin.getUserInfo(userName)), (info) => info?.policies.includes(userPolicyName(userName)) ?? false);
  return {
    maxKeysPerUser: 1000,
    userExists: (userName) => Effect.map(orAbsent(admin.getUserInfo(userName)), (info) => info !== undefined),
    createUser: (userName) =>
      Effect.gen(function* () {
        if ((yield* orAbsent(admin.getUserInfo(userName))) !== undefined) return;
        yield* admin.addUser(userName, Redacted.make(randomBytes(30).toString("base64url")));
      }),
    deleteUser: (userName) =>
      Effect.gen(function* () {
        for (const account of (yield* orAbsent(admin.listServiceAccounts(userName))) ?? []) yield* orAbsent(admin.deleteServiceAccount(account.accessKey));
        yield* orAbsent(admin.removeUser(userName));
        yield* orAbsent(admin.removeCannedPolicy(userPolicyName(userName)));
      }),
    getPolicy: (userName) =>
      Effect.gen(function* () {
        if (!(yield* attached(userName))) return undefined;
        return (yield* orAbsent(admin.infoCannedPolicy(userPolicyName(userName))))?.document;
      }),
    putPolicy: (userName, document) =>
      Effect.gen(function* () {
        yield* admin.addCannedPolicy(userPolicyName(userName), document);
        if (!(yield* attached(userName))) yield* admin.attachPolicy(userName, [userPolicyName(userName)]);
      }),
    listKeys: (userName) =>
      Effect.map(admin.listServiceAccounts(userName), (accounts) => accounts.map((account) => ({ id: account.accessKey, created: createdOf(account.description) }))),
    createKey: (userName, now) =>
      Effect.map(admin.addServiceAccount({ targetUser: userName, description: `${createdPrefix}${now.toISOString()}` }), (key) => ({
        id: key.accessKey,
        secret: key.secretKey,
        created: now,
      })),
    deleteKey: (_userName, keyId) => Effect.asVoid(orAbsent(admin.deleteServiceAccount(keyId))),
  };
};

/** The identity service of a MinIO account: its admin API. */
export const minioIdentityService: IdentityFor = (account: Account) => Effect.map(makeMinioAdmin(account), minioIdentityPort);
