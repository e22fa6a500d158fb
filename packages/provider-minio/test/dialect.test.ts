import { assert, describe, it } from "@effect/vitest";
import { Effect, Redacted } from "effect";
import type { Account, BucketParameters } from "@cloud37/core";
import { makeMemoryS3, memoryBucketConnector } from "@cloud37/provider-s3/testing";
import { minioDialect } from "../src/dialect.ts";
import { minioIdentity } from "../src/provider.ts";

const account = (endpoint: string | undefined): Account => ({
  provider: "minio",
  configName: "minio",
  region: "us-east-1",
  endpoint,
  forcePathStyle: undefined,
  credentials: { source: "Secret", accessKeyId: "minio-root", secretAccessKey: Redacted.make("not-a-real-secret") },
  tls: { insecureSkipVerify: false, caBundle: undefined },
  retry: { maxAttempts: 1, backoff: "constant" },
});
const resource = (forProvider: Partial<BucketParameters>) => ({ name: "b", namespace: "n", uid: "uid-b", externalName: "minio-bucket", forProvider: { forceDestroy: false, ...forProvider } });

describe("minio dialect", () => {
  it.effect.each([
    { forProvider: { cors: { rules: [] } }, field: "spec.forProvider.cors", why: "MinIO has no CORS API" },
    { forProvider: { publicAccessBlock: {} }, field: "spec.forProvider.publicAccessBlock", why: "MinIO has no public access block" },
  ])("refuses $field: $why, and creates nothing", ({ forProvider, field }) =>
    Effect.gen(function* () {
      const memory = makeMemoryS3();
      const client = yield* memoryBucketConnector(minioDialect, memory)(account("http://minio.example:9000"));
      const observed = yield* Effect.flip(client.observe(resource(forProvider)));
      assert.deepInclude(observed.reason, { _tag: "Unsupported", field, provider: "minio", message: `${field} is not supported by minio` });
      assert.strictEqual((yield* Effect.flip(client.create(resource(forProvider)))).reason._tag, "Unsupported");
      assert.strictEqual(memory.buckets.size, 0);
    }),
  );

  it.effect("supports SSE-KMS with a MinIO KMS key name, and reports the endpoint's host as domain name", () =>
    Effect.gen(function* () {
      const forProvider = { encryption: { algorithm: "aws:kms" as const, kmsKeyId: "cloud37-key" }, versioning: { status: "Enabled" as const } };
      const client = yield* memoryBucketConnector(minioDialect, makeMemoryS3())(account("http://minio.example:9000"));
      yield* client.create(resource(forProvider));
      const observed = yield* client.observe(resource(forProvider));
      assert.isTrue(observed.exists && observed.upToDate);
      assert.strictEqual(observed.exists && observed.atProvider.bucketDomainName, "minio.example:9000");
    }),
  );

  it.effect("needs the Account's endpoint: MinIO has no well-known one", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(memoryBucketConnector(minioDialect, makeMemoryS3())(account(undefined)));
      assert.strictEqual(error.reason._tag, "InvalidSpec");
    }),
  );

  it("identifies the account as minio:<access key id>, never with the secret", () => {
    assert.strictEqual(minioIdentity(account("http://minio.example:9000"), { id: "x", displayName: "y" }), "minio:minio-root");
  });
});
