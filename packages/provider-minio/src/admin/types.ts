import type { Effect, Redacted } from "effect";
import type { ExternalError } from "@cloud37/core";

/** A user's or service account's state. */
export type AccountStatus = "enabled" | "disabled";

/** What server info says about the deployment (the admin identity check). */
export interface ServerInfo {
  readonly mode: string | undefined;
  readonly deploymentId: string | undefined;
  readonly region: string | undefined;
  /** The MinIO release of each server, e.g. `2026-02-12T20:18:48Z`. */
  readonly versions: ReadonlyArray<string>;
}

/** A built-in user, as user-info reports it (never its secret key). */
export interface UserInfo {
  readonly status: AccountStatus;
  /** The attached canned policies, comma-separated by MinIO; empty when none. */
  readonly policies: ReadonlyArray<string>;
  readonly memberOf: ReadonlyArray<string>;
  readonly updatedAt: string | undefined;
}

/** A canned policy and its document. */
export interface CannedPolicy {
  readonly name: string;
  readonly document: unknown;
  readonly createDate: string | undefined;
  readonly updateDate: string | undefined;
}

/** What an attach or detach changed: empty when the policies were already so (idempotent). */
export interface PolicyChange {
  readonly changed: ReadonlyArray<string>;
  readonly updatedAt: string | undefined;
}

/** Options of a new service account (madmin AddServiceAccountReq). */
export interface NewServiceAccount {
  /** Whose account it is; defaults to the caller. */
  readonly targetUser?: string;
  /** A session policy restricting it below its parent's; the parent's applies when absent. */
  readonly policy?: unknown;
  /** Chosen keys; MinIO generates them when absent. */
  readonly accessKey?: string;
  readonly secretKey?: Redacted.Redacted<string>;
  readonly name?: string;
  readonly description?: string;
  readonly expiration?: Date;
}

/** The key pair of a new service account. */
export interface ServiceAccountCredentials {
  readonly accessKey: string;
  readonly secretKey: Redacted.Redacted<string>;
  readonly expiration: string | undefined;
}

/** A service account as the list reports it. */
export interface ServiceAccountSummary {
  readonly accessKey: string;
  readonly parentUser: string;
  readonly accountStatus: string;
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly expiration: string | undefined;
}

/** A service account as info-service-account reports it. */
export interface ServiceAccountInfo {
  readonly parentUser: string;
  readonly accountStatus: string;
  /** True when it has no policy of its own and inherits its parent's. */
  readonly impliedPolicy: boolean;
  /** Its own (session) policy document; undefined when implied. */
  readonly policy: unknown;
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly expiration: string | undefined;
}

/**
 * The MinIO admin API v3 operations this provider uses. Every failure is an ExternalError
 * whose reason comes from the HTTP status and MinIO's error code; deletes of absent things
 * fail with NotFound (callers decide whether that is success).
 */
export interface MinioAdmin {
  readonly serverInfo: () => Effect.Effect<ServerInfo, ExternalError>;
  /** Creates a user, or sets the secret key and status of an existing one. */
  readonly addUser: (accessKey: string, secretKey: Redacted.Redacted<string>, status?: AccountStatus) => Effect.Effect<void, ExternalError>;
  readonly removeUser: (accessKey: string) => Effect.Effect<void, ExternalError>;
  readonly getUserInfo: (accessKey: string) => Effect.Effect<UserInfo, ExternalError>;
  readonly setUserStatus: (accessKey: string, status: AccountStatus) => Effect.Effect<void, ExternalError>;
  /** Creates or replaces a canned policy. */
  readonly addCannedPolicy: (name: string, document: unknown) => Effect.Effect<void, ExternalError>;
  readonly removeCannedPolicy: (name: string) => Effect.Effect<void, ExternalError>;
  readonly infoCannedPolicy: (name: string) => Effect.Effect<CannedPolicy, ExternalError>;
  readonly attachPolicy: (user: string, policies: ReadonlyArray<string>) => Effect.Effect<PolicyChange, ExternalError>;
  readonly detachPolicy: (user: string, policies: ReadonlyArray<string>) => Effect.Effect<PolicyChange, ExternalError>;
  readonly addServiceAccount: (options: NewServiceAccount) => Effect.Effect<ServiceAccountCredentials, ExternalError>;
  readonly deleteServiceAccount: (accessKey: string) => Effect.Effect<void, ExternalError>;
  readonly listServiceAccounts: (user: string) => Effect.Effect<ReadonlyArray<ServiceAccountSummary>, ExternalError>;
  readonly infoServiceAccount: (accessKey: string) => Effect.Effect<ServiceAccountInfo, ExternalError>;
}
