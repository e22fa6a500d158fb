import { assert, describe, it } from "@effect/vitest";
import { Effect } from "effect";
import { genericDialect } from "../src/dialect.ts";
import { makeMemoryS3 } from "../src/memoryS3.ts";
import { makeS3Provider } from "../src/provider.ts";
import { makeS3Port } from "../src/s3Api.ts";
import { account, bucket, bucketPolicy } from "./fixtures.ts";

describe("makeS3Provider", () => {
  it.effect("serves buckets and bucket policies over the same S3 port", () =>
    Effect.gen(function* () {
      const memory = makeMemoryS3();
      const provider = makeS3Provider({
        dialect: genericDialect,
        checkAccount: () => Effect.die("not used"),
        portFor: (target) => makeS3Port(memory.operations, { provider: target.dialect.name, retry: target.account.retry }),
      });
      const policy = bucketPolicy("shared-bucket", {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::shared-bucket/*" }],
      });
      yield* (yield* provider.bucket(account())).create(bucket("shared-bucket"));
      const policies = yield* provider.bucketPolicy(account());
      yield* policies.create(policy);
      const observed = yield* policies.observe(policy);
      assert.isTrue(observed.exists && observed.upToDate);
    }),
  );
});
