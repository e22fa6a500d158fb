import { Conflict, InvalidEndpoint, InvalidSpec, NotFound, Throttled, Transient, Unauthorized, Unsupported, type ExternalReason } from "@cloud37/core";

/**
 * The fields of an SDK (or network) error this file looks at. Only the code and the HTTP
 * status are used, never the message: SDK messages can echo request data (a string to sign,
 * a key id) and hold timestamps, which would make status messages change on every poll.
 */
interface ErrorFacts {
  readonly code: string | undefined;
  readonly status: number | undefined;
}

const codeGroups = {
  notFound: ["NoSuchBucket", "NotFound", "NoSuchKey", "NoSuchBucketPolicy", "NoSuchEntity"],
  conflict: ["BucketAlreadyExists", "BucketNotEmpty", "ConditionalRequestConflict", "EntityAlreadyExists", "DeleteConflict", "LimitExceeded"],
  unauthorized: [
    "AccessDenied",
    "Forbidden",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidClientTokenId",
    "InvalidToken",
    "ExpiredToken",
    "TokenRefreshRequired",
    "AccountProblem",
    "AllAccessDisabled",
    "CredentialsProviderError",
  ],
  throttled: ["SlowDown", "Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "ServiceUnavailable", "XMinioServerNotInitialized"],
  invalidSpec: [
    "InvalidBucketName",
    "MalformedXML",
    "MalformedPolicy",
    "MalformedPolicyDocument",
    "ValidationError",
    "InvalidArgument",
    "InvalidRequest",
    "InvalidLocationConstraint",
    "IllegalLocationConstraintException",
    "InvalidTag",
    "InvalidEncryptionAlgorithmError",
    "KMS.NotFoundException",
    "KMSKeyNotFoundException",
    "InvalidBucketState",
    "TooManyBuckets",
    "PermanentRedirect",
    "AuthorizationHeaderMalformed",
  ],
  unsupported: ["NotImplemented", "XNotImplemented"],
  // OperationAborted (S3) and ConcurrentModification (IAM): another request on the same
  // resource is in flight; S3 and IAM both say to try again, so back off rather than wait a poll.
  transient: ["InternalError", "ServiceFailure", "RequestTimeout", "RequestTimeTooSkewed", "TimeoutError", "AbortError", "NetworkingError", "OperationAborted", "ConcurrentModification"],
} as const;

/** Node and undici network error codes: the endpoint did not answer properly. */
const networkCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * TLS failures: the endpoint answered but cannot be trusted as configured. Only a change of
 * the endpoint or its CA bundle helps; the credentials were never even sent.
 */
const tlsCodes = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_GET_ISSUER_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
]);

const stringField = (value: unknown, key: string): string | undefined => {
  if (typeof value !== "object" || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === "string" && field.length > 0 ? field : undefined;
};

const facts = (error: unknown): ErrorFacts => {
  const metadata = typeof error === "object" && error !== null ? (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata : undefined;
  const status = typeof metadata?.httpStatusCode === "number" ? metadata.httpStatusCode : undefined;
  // The S3 error code travels as `Code` (XML body) or `name` (the SDK's exception class).
  const code = stringField(error, "Code") ?? stringField(error, "code") ?? stringField(error, "name");
  return { code: code === "Error" || code === "S3ServiceException" || code === "UnknownError" ? undefined : code, status };
};

const isIn = (group: ReadonlyArray<string>, code: string | undefined): boolean => code !== undefined && group.includes(code);

const describe = ({ code, status }: ErrorFacts): string =>
  status === undefined ? (code ?? "unknown error") : `${code ?? "no error code"} (HTTP ${status})`;

/**
 * Maps an error thrown by an S3 (or STS) SDK call to the core reason that says how it is
 * retried. Codes decide first, then the HTTP status, then network error codes.
 */
export const reasonOf = (error: unknown, context: { readonly provider: string; readonly operation: string }): ExternalReason => {
  const { provider, operation } = context;
  const found = facts(error);
  const { code, status } = found;
  const message = describe(found);
  if (isIn(codeGroups.notFound, code)) return new NotFound({ message });
  if (isIn(codeGroups.conflict, code)) return new Conflict({ message });
  if (isIn(codeGroups.unauthorized, code)) return new Unauthorized({ message });
  if (isIn(codeGroups.throttled, code)) return new Throttled({ message });
  if (isIn(codeGroups.invalidSpec, code)) return new InvalidSpec({ message });
  if (isIn(codeGroups.unsupported, code)) return new Unsupported({ message: `${operation} is not supported by ${provider}`, field: operation, provider });
  if (isIn(codeGroups.transient, code)) return new Transient({ message });
  if (code !== undefined && tlsCodes.has(code)) return new InvalidEndpoint({ message: `TLS verification of the endpoint failed: ${code}` });
  if (code !== undefined && networkCodes.has(code)) return new Transient({ message: `endpoint unreachable: ${code}` });
  if (status !== undefined) {
    if (status === 404) return new NotFound({ message });
    if (status === 401 || status === 403) return new Unauthorized({ message });
    if (status === 409) return new Conflict({ message });
    if (status === 429 || status === 503) return new Throttled({ message });
    if (status === 501) return new Unsupported({ message: `${operation} is not supported by ${provider}`, field: operation, provider });
    if (status === 301 || status === 400 || status === 405 || status === 411 || status === 412) return new InvalidSpec({ message });
  }
  return new Transient({ message });
};

/** The error code of an SDK error (e.g. `NoSuchTagSet`), for predicates named by meaning. */
export const errorCode = (error: unknown): string | undefined => facts(error).code;
