import { Conflict, InvalidSpec, NotFound, Throttled, Transient, Unsupported, type ExternalReason } from "@cloud37/core";
import { reasonOf } from "@cloud37/provider-s3";

/**
 * A MinIO admin API error answer: the HTTP status and the `Code` of its JSON (or XML) body.
 * The body's `Message` is never kept: it can echo names and changes wording between releases.
 */
export class AdminHttpError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  constructor(status: number, code: string | undefined) {
    super(`${code ?? "no error code"} (HTTP ${status})`);
    this.name = "AdminHttpError";
    this.status = status;
    this.code = code;
  }
}

/** The admin body could not be decrypted or decoded: a cut or altered answer, or a different server. */
export class AdminBodyError extends Error {
  constructor(what: string) {
    super(`unreadable admin response: ${what}`);
    this.name = "AdminBodyError";
  }
}

/**
 * MinIO admin codes (minio cmd/api-errors.go, cmd/admin-handler-utils.go at the pinned
 * version) by the reason they mean. S3's own codes (AccessDenied, SignatureDoesNotMatch,
 * InvalidAccessKeyId, ...) and bare statuses are left to the S3 mapping.
 */
const adminCodes: ReadonlyArray<readonly [code: string, reason: "NotFound" | "Conflict" | "InvalidSpec" | "Throttled" | "Transient" | "Unsupported"]> = [
  ["XMinioAdminNoSuchUser", "NotFound"],
  ["XMinioAdminNoSuchPolicy", "NotFound"],
  ["XMinioAdminNoSuchGroup", "NotFound"],
  ["XMinioAdminNoSuchAccessKey", "NotFound"],
  ["XMinioPolicyNotAttached", "NotFound"],
  ["XMinioIAMPolicyInUse", "Conflict"],
  ["XMinioPolicyAlreadyAttached", "Conflict"],
  ["XMinioAdminPolicyChangeAlreadyApplied", "Conflict"],
  ["XMinioMalformedIAMPolicy", "InvalidSpec"],
  ["XMinioAdminInvalidArgument", "InvalidSpec"],
  ["XMinioAdminInvalidAccessKey", "InvalidSpec"],
  ["XMinioAdminInvalidSecretKey", "InvalidSpec"],
  ["XMinioAdminNoAccessKey", "InvalidSpec"],
  ["XMinioAdminNoSecretKey", "InvalidSpec"],
  ["XMinioAdminConfigBadJSON", "InvalidSpec"],
  ["XMinioAdminConfigTooLarge", "InvalidSpec"],
  ["XMinioAdminInvalidRequest", "InvalidSpec"],
  ["XMinioInvalidResource", "InvalidSpec"],
  ["XMinioInvalidUTF", "InvalidSpec"],
  ["XMinioInvalidGroupName", "InvalidSpec"],
  ["XMinioMalformedJSON", "InvalidSpec"],
  ["XMinioIAMActionNotAllowed", "InvalidSpec"],
  ["XMinioIAMServiceAccountNotAllowed", "InvalidSpec"],
  ["XMinioIAMServiceAccountSessionPolicyTooLarge", "InvalidSpec"],
  ["XMinioIAMNotInitialized", "Throttled"],
  ["XMinioServerNotInitialized", "Throttled"],
  ["XMinioAdminConfigNoQuorum", "Transient"],
  ["XMinioLDAPNotEnabled", "Unsupported"],
];
const reasonByCode = new Map(adminCodes);

/** Codes whose meaning depends on the status. */
const byCodeAndStatus = (code: string | undefined, status: number): "NotFound" | "InvalidSpec" | undefined =>
  // One code, two meanings: a missing service account (404), or a key not allowed here (403).
  code === "XMinioInvalidIAMCredentials" ? (status === 404 ? "NotFound" : "InvalidSpec") : undefined;

/**
 * Maps a failed admin call to the core reason that says how it is retried: MinIO admin codes
 * first, then S3's codes, statuses and network errors (provider-s3's mapping).
 */
export const adminReasonOf = (error: unknown, operation: string): ExternalReason => {
  const context = { provider: "minio", operation };
  if (error instanceof AdminBodyError) return new Transient({ message: error.message });
  if (!(error instanceof AdminHttpError)) return reasonOf(networkError(error), context);
  const message = error.message;
  switch (reasonByCode.get(error.code ?? "") ?? byCodeAndStatus(error.code, error.status)) {
    case "NotFound":
      return new NotFound({ message });
    case "Conflict":
      return new Conflict({ message });
    case "InvalidSpec":
      return new InvalidSpec({ message });
    case "Throttled":
      return new Throttled({ message });
    case "Transient":
      return new Transient({ message });
    case "Unsupported":
      return new Unsupported({ message: `${operation} is not supported by minio`, field: operation, provider: "minio" });
    case undefined:
      return reasonOf({ Code: error.code, $metadata: { httpStatusCode: error.status } }, context);
  }
};

/** A network failure's code may sit on its cause (fetch, some handler errors): lift it for the S3 mapping. */
const networkError = (error: unknown): unknown => {
  if (typeof error !== "object" || error === null || "code" in error) return error;
  const cause = (error as { cause?: unknown }).cause;
  return typeof cause === "object" && cause !== null && "code" in cause ? cause : error;
};

/** True when a raw admin failure carries this MinIO error code (before it is mapped to a reason). */
export const isAdminCode = (error: unknown, code: string): boolean => error instanceof AdminHttpError && error.code === code;
