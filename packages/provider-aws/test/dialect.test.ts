import { assert, describe, it } from "@effect/vitest";
import { Effect, Redacted } from "effect";
import type { Account } from "@cloud37/core";
import { makeMemoryS3, memoryBucketConnector } from "@cloud37/provider-s3/testing";
import { awsStsEndpoint } from "../src/checkAccount.ts";
import { awsDialect, awsS3Endpoint } from "../src/dialect.ts";

const account = (region: string, endpoint?: string): Account => ({
  provider: "aws",
  configName: "aws",
  region,
  endpoint,
  forcePathStyle: undefined,
  credentials: { source: "Secret", accessKeyId: "AKIDTEST", secretAccessKey: Redacted.make("not-a-real-secret") },
  tls: { insecureSkipVerify: false, caBundle: undefined },
  retry: { maxAttempts: 1, backoff: "constant" },
});

describe("aws dialect", () => {
  it.each([
    { region: "eu-central-1", s3: "https://s3.eu-central-1.amazonaws.com", sts: "https://sts.eu-central-1.amazonaws.com", why: "regional endpoints" },
    { region: "cn-north-1", s3: "https://s3.cn-north-1.amazonaws.com.cn", sts: "https://sts.cn-north-1.amazonaws.com.cn", why: "China lives under .com.cn" },
  ])("$region: $why", ({ region, s3, sts }) => {
    assert.strictEqual(awsS3Endpoint(region), s3);
    assert.strictEqual(awsStsEndpoint(region), sts);
  });

  it("uses virtual-hosted style, omits the us-east-1 location constraint, and supports every field", () => {
    assert.isFalse(awsDialect.forcePathStyle);
    assert.isTrue(awsDialect.omitUsEast1LocationConstraint);
    assert.deepStrictEqual(awsDialect.unsupported, []);
  });

  it.effect("reports AWS's ARN, regional endpoint and virtual-hosted domain name", () =>
    Effect.gen(function* () {
      const memory = makeMemoryS3("eu-central-1");
      const client = yield* memoryBucketConnector(awsDialect, memory)(account("eu-central-1"));
      const resource = { name: "b", namespace: "n", uid: "uid-b", externalName: "logs-bucket", forProvider: { forceDestroy: false, encryption: { algorithm: "aws:kms" as const } } };
      yield* client.create(resource);
      const observed = yield* client.observe(resource);
      assert.deepStrictEqual(observed.exists && observed.atProvider, {
        arn: "arn:aws:s3:::logs-bucket",
        region: "eu-central-1",
        endpoint: "https://s3.eu-central-1.amazonaws.com",
        bucketDomainName: "logs-bucket.s3.eu-central-1.amazonaws.com",
      });
    }),
  );

  it.effect("prefers the Account's endpoint (a test bed, a VPC endpoint)", () =>
    Effect.gen(function* () {
      const client = yield* memoryBucketConnector(awsDialect, makeMemoryS3())(account("us-east-1", "http://127.0.0.1:5000"));
      const resource = { name: "b", namespace: "n", uid: "uid-b", externalName: "here-bucket", forProvider: { forceDestroy: false } };
      yield* client.create(resource);
      const observed = yield* client.observe(resource);
      assert.strictEqual(observed.exists && observed.atProvider.endpoint, "http://127.0.0.1:5000");
    }),
  );
});
