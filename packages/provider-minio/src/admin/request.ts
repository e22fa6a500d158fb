import { Effect, Redacted, Schema } from "effect";
import type { ExternalError, RetrySettings } from "@cloud37/core";
import { adminCall } from "./call.ts";
import { MadminAlgorithm, decryptData, encryptData } from "./crypt.ts";
import { AdminBodyError } from "./errors.ts";
import type { AdminRequest, AdminResponse, AdminTransport } from "./transport.ts";

/** What every admin operation needs: how to send, the body key (the caller's secret key), retries. */
export interface AdminContext {
  readonly transport: AdminTransport;
  readonly password: Redacted.Redacted<string>;
  readonly retry: RetrySettings;
}

/** Sends one request; a failure stays raw until `operation` maps it. */
export const send = (context: AdminContext, request: AdminRequest): Effect.Effect<AdminResponse, unknown> =>
  Effect.tryPromise({ try: (signal) => context.transport(request, signal), catch: (error) => error });

/** A JSON value encrypted for the server, as madmin does for bodies carrying secrets or policies. */
export const sealJson = (context: AdminContext, value: unknown): Effect.Effect<Uint8Array> =>
  // PBKDF2 (MinIO's FIPS choice, which every server accepts) instead of argon2id: a few
  // milliseconds instead of ~0.1 s of CPU and 64 MiB per request. It does not weaken what a
  // wire observer learns: every request already carries a SigV4 signature, a cheaper test of a
  // guessed secret than either derivation.
  encryptData(context.password, Buffer.from(JSON.stringify(value), "utf8"), MadminAlgorithm.pbkdf2AesGcm);

/** Decrypts an encrypted answer; a body that does not authenticate is unreadable (not a secret leak). */
export const openBody = (context: AdminContext, body: Uint8Array): Effect.Effect<Uint8Array, AdminBodyError> =>
  decryptData(context.password, body).pipe(Effect.mapError((error) => new AdminBodyError(error.reason)));

/**
 * Decodes a JSON answer. The schema's issue is dropped, not put in the message: it can quote
 * values, and decrypted answers hold secret keys.
 */
export const decodeJson = <S extends Schema.Top & { readonly DecodingServices: never }>(
  schema: S,
  body: Uint8Array,
): Effect.Effect<S["Type"], AdminBodyError> =>
  Schema.decodeUnknownEffect(Schema.fromJsonString(schema))(Buffer.from(body).toString("utf8")).pipe(
    Effect.mapError(() => new AdminBodyError("unexpected JSON")),
  );

/** Runs one attempt as a named admin operation: mapped, recorded and retried. */
export const operation = <A>(context: AdminContext, name: string, attempt: Effect.Effect<A, unknown>): Effect.Effect<A, ExternalError> =>
  adminCall(name, attempt, context.retry);

/** Go's zero time and the Unix epoch both mean "no expiration" in madmin answers. */
export const expirationOf = (value: string | null | undefined): string | undefined =>
  value === undefined || value === null || value === "" || value.startsWith("0001-01-01") || value.startsWith("1970-01-01T00:00:00") ? undefined : value;
