import { describe, expect, it } from "vitest";
import { encryptionFromOutput, encryptionLateInit, encryptionToInput, encryptionUpToDate, type Encryption } from "../../../src/bucket/subresources/encryption.ts";

const read = (desired: Encryption) => encryptionFromOutput({ ServerSideEncryptionConfiguration: encryptionToInput(desired) });

describe("encryptionUpToDate", () => {
  it.each([
    { desired: { algorithm: "AES256" }, observed: { algorithm: "AES256" }, upToDate: true, why: "the same algorithm" },
    { desired: { algorithm: "AES256" }, observed: { algorithm: "AES256", bucketKeyEnabled: false }, upToDate: true, why: "an unset bucket key is not compared" },
    { desired: { algorithm: "aws:kms" }, observed: { algorithm: "aws:kms", kmsKeyId: "any" }, upToDate: true, why: "an unset key id lets the provider choose" },
    { desired: { algorithm: "aws:kms", kmsKeyId: "k1" }, observed: { algorithm: "aws:kms", kmsKeyId: "arn:aws:kms:us-east-1:1:key/k1" }, upToDate: true, why: "AWS answers a key id with its ARN" },
    { desired: { algorithm: "aws:kms", kmsKeyId: "k1" }, observed: { algorithm: "aws:kms", kmsKeyId: "arn:aws:kms:k1" }, upToDate: true, why: "MinIO answers a key name with an ARN" },
    { desired: { algorithm: "aws:kms", bucketKeyEnabled: false }, observed: { algorithm: "aws:kms" }, upToDate: true, why: "no bucket key at S3 means false" },
    { desired: { algorithm: "aws:kms", kmsKeyId: "k1" }, observed: { algorithm: "aws:kms", kmsKeyId: "k2" }, upToDate: false, why: "another key" },
    { desired: { algorithm: "aws:kms" }, observed: { algorithm: "AES256" }, upToDate: false, why: "another algorithm" },
    { desired: { algorithm: "AES256" }, observed: undefined, upToDate: false, why: "no default encryption at S3" },
    { desired: { algorithm: "AES256", bucketKeyEnabled: true }, observed: { algorithm: "AES256" }, upToDate: false, why: "the bucket key is off" },
  ] satisfies ReadonlyArray<{ desired: Encryption; observed: Encryption | undefined; upToDate: boolean; why: string }>)("$why", ({ desired, observed, upToDate }) => {
    expect(encryptionUpToDate(desired, observed)).toBe(upToDate);
  });

  it("writes a configuration that reads back as up to date", () => {
    const desired: Encryption = { algorithm: "aws:kms", kmsKeyId: "k1", bucketKeyEnabled: true };
    expect(encryptionUpToDate(desired, read(desired))).toBe(true);
  });

  it("late-initializes the KMS key an SSE-KMS spec leaves unset, and nothing else", () => {
    expect(encryptionLateInit({ algorithm: "aws:kms" }, { algorithm: "aws:kms", kmsKeyId: "k9" })).toEqual({ encryption: { algorithm: "aws:kms", kmsKeyId: "k9" } });
    expect(encryptionLateInit({ algorithm: "aws:kms", kmsKeyId: "k1" }, { algorithm: "aws:kms", kmsKeyId: "k9" })).toBeUndefined();
    expect(encryptionLateInit({ algorithm: "AES256" }, { algorithm: "AES256" })).toBeUndefined();
  });
});
