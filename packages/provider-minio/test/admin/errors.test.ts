import { describe, expect, it } from "vitest";
import { AdminBodyError, AdminHttpError, adminReasonOf } from "../../src/admin/errors.ts";
import { errorCodeOf } from "../../src/admin/transport.ts";

const http = (status: number, code?: string) => new AdminHttpError(status, code);

describe("adminReasonOf", () => {
  it.each([
    { error: http(404, "XMinioAdminNoSuchUser"), reason: "NotFound", why: "the user is gone" },
    { error: http(404, "XMinioAdminNoSuchPolicy"), reason: "NotFound", why: "the canned policy is gone" },
    { error: http(404, "XMinioInvalidIAMCredentials"), reason: "NotFound", why: "a missing service account shares its code with refusals; 404 says absent" },
    { error: http(403, "XMinioInvalidIAMCredentials"), reason: "InvalidSpec", why: "the same code with 403: a key not allowed here (e.g. the root key)" },
    { error: http(400, "XMinioIAMPolicyInUse"), reason: "Conflict", why: "a policy still attached cannot be removed" },
    { error: http(400, "XMinioAdminPolicyChangeAlreadyApplied"), reason: "Conflict", why: "nothing to attach or detach (the client turns it into success)" },
    { error: http(400, "XMinioMalformedIAMPolicy"), reason: "InvalidSpec", why: "the policy document is refused" },
    { error: http(400, "XMinioAdminInvalidAccessKey"), reason: "InvalidSpec", why: "the user name is refused" },
    { error: http(400, "XMinioAdminInvalidSecretKey"), reason: "InvalidSpec", why: "the secret is refused" },
    { error: http(403, "XMinioIAMActionNotAllowed"), reason: "InvalidSpec", why: "a 403 about the target, not our credentials" },
    { error: http(503, "XMinioIAMNotInitialized"), reason: "Throttled", why: "IAM is still loading" },
    { error: http(503, "XMinioServerNotInitialized"), reason: "Throttled", why: "the server is still starting" },
    { error: http(503, "XMinioAdminConfigNoQuorum"), reason: "Transient", why: "a quorum loss passes" },
    { error: http(501, "XMinioLDAPNotEnabled"), reason: "Unsupported", why: "the server lacks the feature" },
    { error: http(403, "SignatureDoesNotMatch"), reason: "Unauthorized", why: "the secret key is wrong (S3's code)" },
    { error: http(403, "InvalidAccessKeyId"), reason: "Unauthorized", why: "the key id is unknown (S3's code)" },
    { error: http(403, "AccessDenied"), reason: "Unauthorized", why: "the key lacks an admin permission" },
    { error: http(400, "XMinioSomethingNew"), reason: "InvalidSpec", why: "an unknown code falls back to the status" },
    { error: http(500), reason: "Transient", why: "a bodiless 500" },
    { error: new AdminBodyError("NotAuthentic"), reason: "Transient", why: "a cut or altered answer is retried" },
    { error: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }), reason: "Transient", why: "nobody listens" },
    { error: Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }), reason: "Transient", why: "a network code on the cause" },
    { error: Object.assign(new Error("tls"), { code: "SELF_SIGNED_CERT_IN_CHAIN" }), reason: "InvalidEndpoint", why: "TLS trust is an endpoint problem, not rejected credentials" },
  ])("$error.message → $reason: $why", ({ error, reason }) => {
    expect(adminReasonOf(error, "AddUser")._tag).toBe(reason);
  });

  it("builds messages from the code and the status only", () => {
    expect(adminReasonOf(http(404, "XMinioAdminNoSuchUser"), "GetUserInfo").message).toBe("XMinioAdminNoSuchUser (HTTP 404)");
    expect(adminReasonOf(http(501, "XMinioLDAPNotEnabled"), "AddUser")).toMatchObject({ _tag: "Unsupported", field: "AddUser", provider: "minio" });
  });
});

describe("errorCodeOf", () => {
  it.each([
    { body: '{"Code":"XMinioAdminNoSuchUser","Message":"The specified user does not exist.","Resource":"/minio/admin/v3/user-info"}', code: "XMinioAdminNoSuchUser" },
    { body: "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Access Denied.</Message></Error>", code: "AccessDenied" },
    { body: "", code: undefined },
    { body: '{"Code":""}', code: undefined },
  ])("reads $code from a JSON or XML error body", ({ body, code }) => {
    expect(errorCodeOf(Buffer.from(body))).toBe(code);
  });
});
