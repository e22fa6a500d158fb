import { randomBytes } from "node:crypto";
import { Clock, Effect, Redacted } from "effect";
import { Conflict, externalError, type Account, type ExternalError } from "@cloud37/core";
import type { IdentityFor, IdentityPort, KeyInfo } from "@cloud37/provider-s3";
import { makeMinioAdmin } from "./admin/client.ts";
import type { MinioAdmin } from "./admin/types.ts";

/** The canned policy this provider writes for a user (the generated grants and the extra document). */
export const userPolicyName = (userName: string): string => `cloud37-${userName}`;

/**
 * The ownership mark of a user: MinIO users have no tags or paths, so the mark is the `ID` of
 * the user's canned policy (`cloud37-<user>`), which the admin API gives back as written. Only
 * an administrator can write a canned policy, so a tenant cannot forge it.
 */
export const ownerIdPrefix = "cloud37-s3-provider/";

/** The policy document as stored: the grants with the ID that names the owning AccessKey. */
export const markedDocument = (document: unknown, owner: string): unknown => ({ ...(document as Record<string, unknown>), ID: `${ownerIdPrefix}${owner}` });

/** The owner a stored policy's ID names, and the document without it (what the spec is compared with). */
export const readMarkedDocument = (stored: unknown): { readonly owner: string | undefined; readonly document: unknown } => {
  if (typeof stored !== "object" || stored === null || Array.isArray(stored)) return { owner: undefined, document: stored };
  const { ID, Id, ...document } = stored as Record<string, unknown>;
  const id = typeof ID === "string" ? ID : typeof Id === "string" ? Id : "";
  const owner = id.startsWith(ownerIdPrefix) && id.length > ownerIdPrefix.length ? id.slice(ownerIdPrefix.length) : undefined;
  return { owner, document };
};

/** The description of a key the AccessKey `owner` made: it names the owner and the creation time. */
export const keyDescription = (owner: string, created: Date): string => `cloud37 s3-provider key of ${owner}, created ${created.toISOString()}`;

/**
 * MinIO records no creation time for a service account, so the key's description carries it
 * (`..., created <time>`, as written by this and earlier versions): the time orders keys
 * (which is current, which came after). A key without one reads as the oldest possible.
 */
export const createdOf = (description: string | undefined): Date => {
  const found = description?.startsWith("cloud37 s3-provider key") === true ? /, created (\S+)$/.exec(description)?.[1] : undefined;
  const at = found === undefined ? undefined : new Date(found);
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
    readUser: (userName) =>
      Effect.gen(function* () {
        const info = yield* orAbsent(admin.getUserInfo(userName));
        if (info === undefined) return undefined;
        const stored = yield* orAbsent(admin.infoCannedPolicy(userPolicyName(userName)));
        const { owner, document } = readMarkedDocument(stored?.document);
        const isAttached = info.policies.includes(userPolicyName(userName));
        // Our create writes the marked policy, then the user, then attaches it. A user with the
        // marked policy not yet attached and no other policy or group is what an interrupted
        // create left: still ours. Anything else without the attached mark is not.
        const interrupted = !isAttached && info.policies.length === 0 && info.memberOf.length === 0;
        if (owner === undefined || !(isAttached || interrupted)) return { owner: undefined, policy: undefined };
        return { owner, policy: isAttached ? document : undefined };
      }),
    createUser: (userName, owner, document) =>
      Effect.gen(function* () {
        yield* admin.addCannedPolicy(userPolicyName(userName), markedDocument(document, owner));
        // AddUser on an existing user would reset its secret: one that appeared since the caller
        // looked is someone else's.
        if ((yield* orAbsent(admin.getUserInfo(userName))) !== undefined) {
          return yield* externalError("AddUser", new Conflict({ message: `user ${userName} appeared while it was being created; it is not this AccessKey's` }));
        }
        yield* admin.addUser(userName, Redacted.make(randomBytes(30).toString("base64url")));
        // A new user has no keys: no need to ask.
        cache.set(cacheKey(userName), [], yield* now);
        yield* admin.attachPolicy(userName, [userPolicyName(userName)]);
      }),
    deleteUser: (userName) =>
      Effect.gen(function* () {
        cache.forget(cacheKey(userName));
        for (const account of (yield* orAbsent(admin.listServiceAccounts(userName))) ?? []) yield* orAbsent(admin.deleteServiceAccount(account.accessKey));
        yield* orAbsent(admin.removeUser(userName));
        yield* orAbsent(admin.removeCannedPolicy(userPolicyName(userName)));
      }),
    putPolicy: (userName, owner, document) =>
      Effect.gen(function* () {
        yield* admin.addCannedPolicy(userPolicyName(userName), markedDocument(document, owner));
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
    createKey: (userName, owner, created) =>
      Effect.gen(function* () {
        // A failed call may still have made the key: forget the listing, so the next one shows it.
        const key = yield* admin
          .addServiceAccount({ targetUser: userName, description: keyDescription(owner, created) })
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
