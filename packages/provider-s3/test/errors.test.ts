import { describe, expect, it } from "vitest";
import { reasonOf } from "../src/errors.ts";

const sdkError = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`message that must not be used ${Math.random()}`), {
    name,
    ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
    ...extra,
  });

const context = { provider: "minio", operation: "PutBucketCors" };

describe("reasonOf", () => {
  it.each([
    { error: sdkError("NoSuchBucket", 404), reason: "NotFound", why: "the bucket is gone" },
    { error: sdkError("NotFound", 404), reason: "NotFound", why: "HeadBucket has no body, only the 404" },
    { error: sdkError("Unknown", 404), reason: "NotFound", why: "an unknown code with 404 still means absent" },
    { error: sdkError("BucketAlreadyExists", 409), reason: "Conflict", why: "the name belongs to another account" },
    { error: sdkError("BucketNotEmpty", 409), reason: "Conflict", why: "the bucket still holds data" },
    { error: sdkError("AccessDenied", 403), reason: "Unauthorized", why: "the credentials lack a permission" },
    { error: sdkError("InvalidAccessKeyId", 403), reason: "Unauthorized", why: "the key id is unknown" },
    { error: sdkError("SignatureDoesNotMatch", 403), reason: "Unauthorized", why: "the secret is wrong" },
    { error: sdkError("InvalidClientTokenId", 403), reason: "Unauthorized", why: "STS: the key id is unknown" },
    { error: sdkError("Forbidden", 403), reason: "Unauthorized", why: "a bodiless 403" },
    { error: sdkError("Unknown", 401), reason: "Unauthorized", why: "401 without a code" },
    { error: sdkError("SlowDown", 503), reason: "Throttled", why: "S3 asks to slow down" },
    { error: sdkError("Throttling", 400), reason: "Throttled", why: "the code wins over the 400" },
    { error: sdkError("Unknown", 503), reason: "Throttled", why: "503 is S3's throttle status" },
    { error: sdkError("Unknown", 429), reason: "Throttled", why: "429 too many requests" },
    { error: sdkError("InvalidBucketName", 400), reason: "InvalidSpec", why: "the name is refused" },
    { error: sdkError("MalformedXML", 400), reason: "InvalidSpec", why: "the document is refused" },
    { error: sdkError("InvalidArgument", 400), reason: "InvalidSpec", why: "an argument is refused" },
    { error: sdkError("MalformedPolicy", 400), reason: "InvalidSpec", why: "the store refuses a policy document" },
    { error: sdkError("NoSuchBucketPolicy", 404), reason: "NotFound", why: "the bucket has no policy" },
    { error: sdkError("Unknown", 400), reason: "InvalidSpec", why: "a bare 400 is a bad request" },
    { error: sdkError("NotImplemented", 501), reason: "Unsupported", why: "the server lacks the API" },
    { error: sdkError("Unknown", 501), reason: "Unsupported", why: "a bare 501" },
    { error: sdkError("InternalError", 500), reason: "Transient", why: "a server fault passes" },
    { error: sdkError("Unknown", 502), reason: "Transient", why: "a gateway fault passes" },
    { error: sdkError("Error", undefined, { code: "ECONNREFUSED" }), reason: "Transient", why: "nobody listens at the endpoint" },
    { error: sdkError("TimeoutError"), reason: "Transient", why: "the request timed out" },
    { error: sdkError("Error", undefined, { code: "SELF_SIGNED_CERT_IN_CHAIN" }), reason: "InvalidEndpoint", why: "TLS trust is the endpoint's problem, not rejected credentials" },
    { error: sdkError("Error", undefined, { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }), reason: "InvalidEndpoint", why: "a self-signed endpoint needs a CA bundle, not new credentials" },
    { error: sdkError("OperationAborted", 409), reason: "Transient", why: "S3: a conflicting operation is in flight; try again soon" },
    { error: sdkError("ConcurrentModification", 409), reason: "Transient", why: "IAM: another change to the entity is in flight; try again soon" },
    { error: new TypeError("boom"), reason: "Transient", why: "an unknown failure is retried, not guessed at" },
  ])("$error.name ($reason): $why", ({ error, reason }) => {
    expect(reasonOf(error, context)._tag).toBe(reason);
  });

  it("builds messages from the code and status only, so they are deterministic and hold no request data", () => {
    const first = reasonOf(sdkError("SignatureDoesNotMatch", 403), context);
    const second = reasonOf(sdkError("SignatureDoesNotMatch", 403), context);
    expect(first.message).toBe("SignatureDoesNotMatch (HTTP 403)");
    expect(second.message).toBe(first.message);
  });

  it("names the operation and the provider when the server does not implement it", () => {
    expect(reasonOf(sdkError("NotImplemented", 501), context)).toMatchObject({
      _tag: "Unsupported",
      field: "PutBucketCors",
      provider: "minio",
      message: "PutBucketCors is not supported by minio",
    });
  });
});
