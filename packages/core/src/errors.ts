import { Schema } from "effect";

/** The external resource does not exist. */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", { message: Schema.String }) {}

/** The name is taken by someone else (another account, or an object this resource does not own). */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", { message: Schema.String }) {}

/** The provider asked us to slow down. */
export class Throttled extends Schema.TaggedError<Throttled>()("Throttled", { message: Schema.String }) {}

/** The credentials are wrong, expired, or lack a permission. */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", { message: Schema.String }) {}

/** The desired state cannot be applied as written; only a change of the spec helps. */
export class InvalidSpec extends Schema.TaggedError<InvalidSpec>()("InvalidSpec", {
  message: Schema.String,
  field: Schema.optionalKey(Schema.String),
}) {}

/** The provider does not support a field the spec sets. */
export class Unsupported extends Schema.TaggedError<Unsupported>()("Unsupported", {
  message: Schema.String,
  field: Schema.String,
  provider: Schema.String,
}) {}

/** A passing fault: network, timeout, 5xx. */
export class Transient extends Schema.TaggedError<Transient>()("Transient", { message: Schema.String }) {}

/**
 * The external resource exists but is not this resource's: it carries another resource's
 * ownership mark, or none (made outside this controller) and adoption was not asked for.
 * Nothing was changed; only a change of the spec (another name, an adoption opt-in) helps.
 */
export class OwnedByOther extends Schema.TaggedError<OwnedByOther>()("OwnedByOther", { message: Schema.String }) {}

/**
 * The endpoint answers but cannot be used as configured, e.g. its TLS certificate is not
 * trusted: a problem of the ProviderConfig's endpoint or CA bundle, not of the credentials.
 */
export class InvalidEndpoint extends Schema.TaggedError<InvalidEndpoint>()("InvalidEndpoint", { message: Schema.String }) {}

/** Why an external call failed; each reason knows how it is retried. */
export const ExternalReason = Schema.Union([NotFound, Conflict, Throttled, Unauthorized, InvalidSpec, Unsupported, Transient, OwnedByOther, InvalidEndpoint]);
export type ExternalReason = typeof ExternalReason.Type;

/**
 * The one error a provider's external calls fail with. `operation` names the call (e.g.
 * `PutBucketVersioning`); the message is deterministic and never holds a secret, because it
 * lands in conditions and events (a changing message would mean a status write every poll).
 */
export class ExternalError extends Schema.TaggedError<ExternalError>()("ExternalError", {
  operation: Schema.String,
  reason: ExternalReason,
}) {
  override get message(): string {
    return `${this.operation}: ${this.reason.message}`;
  }
}

/**
 * How a reason is retried:
 * - `backoff`: a retry can fix it (throttling, a passing fault): retry the call with backoff;
 * - `wait`: only a change can fix it (spec, credentials, a name taken elsewhere): no fast retry,
 *   the resource is looked at again when it changes or at the next poll, so no retry storm.
 */
export type RetryClass = "backoff" | "wait";

/** The retry class of each reason. */
export const retryClassOf = (reason: ExternalReason): RetryClass => {
  switch (reason._tag) {
    case "Throttled":
    case "Transient":
      return "backoff";
    case "NotFound":
    case "Conflict":
    case "Unauthorized":
    case "InvalidSpec":
    case "Unsupported":
    case "OwnedByOther":
    case "InvalidEndpoint":
      return "wait";
  }
};

/** True when retrying the same call soon may succeed. */
export const isRetryable = (error: ExternalError): boolean => retryClassOf(error.reason) === "backoff";

/** Builds an ExternalError: `fail("GetBucketTagging", new Throttled({ message }))`. */
export const externalError = (operation: string, reason: ExternalReason): ExternalError => new ExternalError({ operation, reason });

/** True when the error says the external resource is absent. */
export const isNotFound = (error: ExternalError): boolean => error.reason._tag === "NotFound";

/** True when the error says the external resource is not this resource's (nothing was changed). */
export const isOwnedByOther = (error: ExternalError): boolean => error.reason._tag === "OwnedByOther";

/**
 * True when the spec itself is the problem (InvalidSpec, Unsupported): a call with this spec
 * cannot succeed, whatever exists at the provider.
 */
export const isSpecProblem = (error: ExternalError): boolean => error.reason._tag === "InvalidSpec" || error.reason._tag === "Unsupported";
