import { describe, expect, it } from "vitest";
import { Conflict, externalError, InvalidEndpoint, isRetryable, OwnedByOther, Throttled, Transient, Unauthorized, Unsupported } from "../src/errors.ts";

describe("ExternalError", () => {
  it("has a deterministic message naming the operation and the cause", () => {
    expect(externalError("PutBucketCors", new Unsupported({ message: "cors is not supported by minio", field: "spec.forProvider.cors", provider: "minio" })).message).toBe(
      "PutBucketCors: cors is not supported by minio",
    );
  });
  it.each([
    { why: "throttling passes", reason: new Throttled({ message: "SlowDown" }), retryable: true },
    { why: "a network fault passes", reason: new Transient({ message: "ECONNRESET" }), retryable: true },
    { why: "wrong credentials need a user", reason: new Unauthorized({ message: "InvalidAccessKeyId" }), retryable: false },
    { why: "a name taken elsewhere needs a user", reason: new Conflict({ message: "BucketAlreadyExists" }), retryable: false },
    { why: "a resource someone else owns stays theirs: no retry storm", reason: new OwnedByOther({ message: "user ops-admin is not ours" }), retryable: false },
    { why: "an untrusted TLS certificate needs a configuration change", reason: new InvalidEndpoint({ message: "TLS verification failed" }), retryable: false },
  ])("$why: retryable=$retryable", ({ reason, retryable }) => {
    expect(isRetryable(externalError("op", reason))).toBe(retryable);
  });
});
