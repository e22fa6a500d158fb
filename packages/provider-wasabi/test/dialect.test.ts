import { assert, describe, it } from "@effect/vitest";
import { Effect, Redacted } from "effect";
import type { Account, BucketParameters } from "@cloud37/core";
import { makeMemoryS3, memoryBucketConnector } from "@cloud37/provider-s3/testing";
import { wasabiDialect } from "../src/dialect.ts";
import { wasabiStsEndpoint } from "../src/provider.ts";

const account: Account = {
  provider: "wasabi",
  configName: "wasabi",
  region: "eu-central-2",
  endpoint: undefined,
  forcePathStyle: undefined,
  credentials: { source: "Secret", accessKeyId: "AKIDTEST", secretAccessKey: Redacted.make("not-a-real-secret") },
  tls: { insecureSkipVerify: false, caBundle: undefined },
  retry: { maxAttempts: 1, backoff: "constant" },
};
const resource = (forProvider: Partial<BucketParameters>) => ({ name: "b", namespace: "n", uid: "uid-b", externalName: "wasabi-bucket", forProvider: { forceDestroy: false, ...forProvider } });

describe("wasabi dialect", () => {
  it("is path-style at s3.<region>.wasabisys.com, with one STS endpoint", () => {
    assert.isTrue(wasabiDialect.forcePathStyle);
    assert.strictEqual(wasabiDialect.defaultEndpoint("eu-central-2"), "https://s3.eu-central-2.wasabisys.com");
    assert.strictEqual(wasabiStsEndpoint(), "https://sts.wasabisys.com");
  });

  it.effect.each([
    { forProvider: { encryption: { algorithm: "aws:kms" as const } }, field: "spec.forProvider.encryption.algorithm", why: "Wasabi has no KMS" },
  ])("refuses $field: $why, and creates nothing", ({ forProvider, field }) =>
    Effect.gen(function* () {
      const memory = makeMemoryS3("eu-central-2");
      const client = yield* memoryBucketConnector(wasabiDialect, memory)(account);
      const observed = yield* Effect.flip(client.observe(resource(forProvider)));
      assert.deepInclude(observed.reason, { _tag: "Unsupported", field, provider: "wasabi", message: `${field} aws:kms is not supported by wasabi` });
      assert.strictEqual((yield* Effect.flip(client.create(resource(forProvider)))).reason._tag, "Unsupported");
      assert.strictEqual(memory.buckets.size, 0);
    }),
  );

  it.effect.each([
    { forProvider: { encryption: { algorithm: "AES256" as const } }, why: "SSE-S3 is supported" },
    { forProvider: { cors: { rules: [{ allowedOrigins: ["*"], allowedMethods: ["GET" as const] }] } }, why: "CORS is supported" },
  ])("accepts: $why", ({ forProvider }) =>
    Effect.gen(function* () {
      const client = yield* memoryBucketConnector(wasabiDialect, makeMemoryS3("eu-central-2"))(account);
      yield* client.create(resource(forProvider));
      const observed = yield* client.observe(resource(forProvider));
      assert.isTrue(observed.exists && observed.upToDate);
      assert.strictEqual(observed.exists && observed.atProvider.endpoint, "https://s3.eu-central-2.wasabisys.com");
    }),
  );
});
