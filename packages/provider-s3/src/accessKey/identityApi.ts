import { Context, type Effect, type Redacted } from "effect";
import type { ExternalError } from "@cloud37/core";

/** An access key of a user, as a listing reports it (never its secret). */
export interface KeyInfo {
  readonly id: string;
  /** When the key was created: it orders keys (which is current, which came after). */
  readonly created: Date;
}

/** A key just created: the only time its secret is known. */
export interface NewKey extends KeyInfo {
  readonly secret: Redacted.Redacted<string>;
}

/** A user as the identity service holds it. */
export interface UserRecord {
  /**
   * The UID of the AccessKey whose ownership mark the user carries (IAM: its path; MinIO: the
   * ID of its policy), or undefined when it carries none: this controller did not create it.
   */
  readonly owner: string | undefined;
  /** The policy document this provider writes on the user (without the mark), or undefined. */
  readonly policy: unknown;
}

/**
 * What an AccessKey needs from a provider's identity service (AWS and Wasabi: IAM; MinIO:
 * the admin API). The user holds one identity policy written by this provider, and carries
 * the ownership mark of the AccessKey that created it. Deletes of absent things succeed;
 * every failure is an ExternalError.
 */
export interface IdentityPort {
  /** How many keys a user may hold at once (IAM: 2). */
  readonly maxKeysPerUser: number;
  /** The user, or undefined when it does not exist. */
  readonly readUser: (userName: string) => Effect.Effect<UserRecord | undefined, ExternalError>;
  /** Creates the user marked as `owner`'s, with its policy. The caller checked it was absent. */
  readonly createUser: (userName: string, owner: string, document: unknown) => Effect.Effect<void, ExternalError>;
  /** Deletes the user, its keys and its policy; succeeds when it is gone already. */
  readonly deleteUser: (userName: string) => Effect.Effect<void, ExternalError>;
  /** Creates or replaces the policy of the user `owner` owns (keeping the mark). */
  readonly putPolicy: (userName: string, owner: string, document: unknown) => Effect.Effect<void, ExternalError>;
  readonly listKeys: (userName: string) => Effect.Effect<ReadonlyArray<KeyInfo>, ExternalError>;
  /** Creates a key of the user `owner` owns; `now` is the creation time where the service does not record one. */
  readonly createKey: (userName: string, owner: string, now: Date) => Effect.Effect<NewKey, ExternalError>;
  readonly deleteKey: (userName: string, keyId: string) => Effect.Effect<void, ExternalError>;
}

/** The identity service of the account a call is for. */
export class IdentityApi extends Context.Service<IdentityApi, IdentityPort>()("cloud37/provider-s3/IdentityApi") {}
