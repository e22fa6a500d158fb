import { randomBytes } from "node:crypto";
import { Clock, Effect, Redacted } from "effect";
import type { Account, ExternalError } from "@cloud37/core";
import type { IdentityFor, IdentityPort, KeyInfo } from "@cloud37/provider-s3";
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

/**
 * How long a listing of a user's keys is trusted. MinIO encrypts the answer with a key derived
 * by argon2id (~0.1 s of CPU and 64 MiB each), too dear for every poll of every AccessKey.
 * Keys this controller creates or deletes update the listing at once; a key deleted by hand is
 * noticed within this time.
 */
export const keyListingTtlMs = 5 * 60_000;

/** At most this many listings are kept; the oldest goes first. */
const maxListings = 10_000;

/** Cached listings of users' keys, by deployment, administrator and user. */
export class KeyListings {
  private readonly entries = new Map<string, { readonly expires: number; readonly keys: ReadonlyArray<KeyInfo> }>();

  get(key: string, now: number): ReadonlyArray<KeyInfo> | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.expires <= now) return undefined;
    return entry.keys;
  }

  set(key: string, keys: ReadonlyArray<KeyInfo>, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { expires: now + keyListingTtlMs, keys });
    if (this.entries.size > maxListings) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Changes a cached listing (a key this controller made or deleted); nothing when none is cached. */
  update(key: string, change: (keys: ReadonlyArray<KeyInfo>) => ReadonlyArray<KeyInfo>): void {
    const entry = this.entries.get(key);
    if (entry !== undefined) this.entries.set(key, { expires: entry.expires, keys: change(entry.keys) });
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

const listings = new KeyListings();

const orAbsent = <A>(effect: Effect.Effect<A, ExternalError>): Effect.Effect<A | undefined, ExternalError> =>
  effect.pipe(Effect.catchIf((error) => error.reason._tag === "NotFound", () => Effect.succeed(undefined)));

/**
 * The identity port over MinIO's admin API: the user is a built-in user whose own secret is
 * random and never published; its keys are service accounts that inherit its canned policy,
 * so a rotation can keep the previous key working beside the new one. Plain reads (user info,
 * canned policy) are preferred: an encrypted answer costs an argon2id derivation (64 MiB), so
 * the one encrypted read, the listing of a user's keys, is cached (see keyListingTtlMs).
 */
export const minioIdentityPort = (admin: MinioAdmin, scope: string, cache: KeyListings = listings): IdentityPort => {
  const cacheKey = (userName: string) => `${scope}\u0000${userName}`;
  const now = Clock.currentTimeMillis;
  const attached = (userName: string) => Effect.map(orAbsent(admin.getUserInfo(userName)), (info) => info?.policies.includes(userPolicyName(userName)) ?? false);
  return {
    maxKeysPerUser: 1000,
    userExists: (userName) => Effect.map(orAbsent(admin.getUserInfo(userName)), (info) => info !== undefined),
    createUser: (userName) =>
      Effect.gen(function* () {
        if ((yield* orAbsent(admin.getUserInfo(userName))) !== undefined) return;
        yield* admin.addUser(userName, Redacted.make(randomBytes(30).toString("base64url")));
        // A new user has no keys: no need to ask.
        cache.set(cacheKey(userName), [], yield* now);
      }),
    deleteUser: (userName) =>
      Effect.gen(function* () {
        cache.forget(cacheKey(userName));
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
      Effect.gen(function* () {
        const cached = cache.get(cacheKey(userName), yield* now);
        if (cached !== undefined) return cached;
        const accounts = yield* admin.listServiceAccounts(userName);
        const keys = accounts.map((account) => ({ id: account.accessKey, created: createdOf(account.description) }));
        cache.set(cacheKey(userName), keys, yield* now);
        return keys;
      }),
    createKey: (userName, created) =>
      Effect.gen(function* () {
        // A failed call may still have made the key: forget the listing, so the next one shows it.
        const key = yield* admin
          .addServiceAccount({ targetUser: userName, description: `${createdPrefix}${created.toISOString()}` })
          .pipe(Effect.tapError(() => Effect.sync(() => cache.forget(cacheKey(userName)))));
        cache.update(cacheKey(userName), (keys) => [...keys, { id: key.accessKey, created }]);
        return { id: key.accessKey, secret: key.secretKey, created };
      }),
    deleteKey: (userName, keyId) =>
      Effect.gen(function* () {
        yield* orAbsent(admin.deleteServiceAccount(keyId));
        cache.update(cacheKey(userName), (keys) => keys.filter((key) => key.id !== keyId));
      }),
  };
};

/** The identity service of a MinIO account: its admin API (listings cached per endpoint and administrator). */
export const minioIdentityService: IdentityFor = (account: Account, target) =>
  Effect.map(makeMinioAdmin(account), (admin) =>
    minioIdentityPort(admin, `${target.endpoint} ${account.credentials.source === "Secret" ? account.credentials.accessKeyId : account.credentials.source}`),
  );
