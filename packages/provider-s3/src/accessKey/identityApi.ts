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

/**
 * What an AccessKey needs from a provider's identity service (AWS and Wasabi: IAM; MinIO:
 * the admin API). The user holds one identity policy written by this provider. Deletes of
 * absent things succeed; every failure is an ExternalError.
 */
export interface IdentityPort {
  /** How many keys a user may hold at once (IAM: 2). */
  readonly maxKeysPerUser: number;
  readonly userExists: (userName: string) => Effect.Effect<boolean, ExternalError>;
  /** Creates the user; succeeds when it exists already. */
  readonly createUser: (userName: string) => Effect.Effect<void, ExternalError>;
  /** Deletes the user, its keys and its policy; succeeds when it is gone already. */
  readonly deleteUser: (userName: string) => Effect.Effect<void, ExternalError>;
  /** The user's policy document, or undefined when it has none. */
  readonly getPolicy: (userName: string) => Effect.Effect<unknown, ExternalError>;
  /** Creates or replaces the user's policy. */
  readonly putPolicy: (userName: string, document: unknown) => Effect.Effect<void, ExternalError>;
  readonly listKeys: (userName: string) => Effect.Effect<ReadonlyArray<KeyInfo>, ExternalError>;
  /** Creates a key; `now` is the creation time where the service does not record one. */
  readonly createKey: (userName: string, now: Date) => Effect.Effect<NewKey, ExternalError>;
  readonly deleteKey: (userName: string, keyId: string) => Effect.Effect<void, ExternalError>;
}

/** The identity service of the account a call is for. */
export class IdentityApi extends Context.Service<IdentityApi, IdentityPort>()("cloud37/provider-s3/IdentityApi") {}
