import { Effect, Redacted } from "effect";
import {
  ExternalCalls,
  type Account,
  type BucketParameters,
  type BucketPolicyParameters,
  type ExternalCall,
  type ManagedResource,
  type RetrySettings,
} from "@cloud37/core";
import { bucketConnector } from "../src/bucket/index.ts";
import { bucketPolicyConnector } from "../src/bucketPolicy/index.ts";
import type { Dialect } from "../src/dialect.ts";
import { genericDialect } from "../src/dialect.ts";
import { makeMemoryS3, type MemoryS3 } from "../src/memoryS3.ts";
import { makeS3Port } from "../src/s3Api.ts";

/** An account at a made-up endpoint (tests never reach it: they use the in-memory S3). */
export const account = (overrides: Partial<Account> = {}): Account => ({
  provider: "generic",
  configName: "test",
  region: "us-east-1",
  endpoint: "https://s3.example.test",
  forcePathStyle: undefined,
  credentials: { source: "Secret", accessKeyId: "AKIDTEST", secretAccessKey: Redacted.make("not-a-real-secret") },
  tls: { insecureSkipVerify: false, caBundle: undefined },
  retry: { maxAttempts: 1, backoff: "constant" },
  ...overrides,
});

/** The uid of the Bucket `bucket` builds: the ownership mark of what it creates. */
export const bucketUid = "uid-of-the-bucket";

/** A Bucket as the controller hands it to a provider. */
export const bucket = (name: string, forProvider: Partial<BucketParameters> = {}, facts: Partial<ManagedResource<BucketParameters>> = {}): ManagedResource<BucketParameters> => ({
  name,
  namespace: "default",
  uid: bucketUid,
  // A resource the controller has seen (the usual poll); tests of a first observe say otherwise.
  seenBefore: true,
  ...facts,
  externalName: name,
  forProvider: { forceDestroy: false, ...forProvider },
});

/** A connected Bucket client over an in-memory S3. */
export const memoryClient = Effect.fnUntraced(function* (
  options: { readonly memory?: MemoryS3; readonly dialect?: Dialect; readonly retry?: RetrySettings } = {},
) {
  const memory = options.memory ?? makeMemoryS3();
  const retry = options.retry ?? { maxAttempts: 1, backoff: "constant" };
  const connector = bucketConnector(options.dialect ?? genericDialect, (target) =>
    makeS3Port(memory.operations, { provider: target.dialect.name, retry }),
  );
  const client = yield* connector(account({ retry }));
  return { client, memory };
});

/** A BucketPolicy as the controller hands it to a provider (bucketRef already resolved). */
export const bucketPolicy = (bucketName: string | undefined, policy: Record<string, unknown>): ManagedResource<BucketPolicyParameters> => ({
  name: "policy",
  namespace: "default",
  uid: "uid-of-the-policy",
  externalName: "policy",
  forProvider: { ...(bucketName === undefined ? {} : { bucketName }), policy },
});

/** A connected BucketPolicy client over an in-memory S3. */
export const memoryPolicyClient = Effect.fnUntraced(function* (options: { readonly memory?: MemoryS3; readonly dialect?: Dialect } = {}) {
  const memory = options.memory ?? makeMemoryS3();
  const retry: RetrySettings = { maxAttempts: 1, backoff: "constant" };
  const connector = bucketPolicyConnector(options.dialect ?? genericDialect, (target) =>
    makeS3Port(memory.operations, { provider: target.dialect.name, retry }),
  );
  const client = yield* connector(account({ retry }));
  return { client, memory };
});

/** Runs an effect recording every external call it makes; returns the calls with the value. */
export const recording = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.suspend(() => {
    const calls: Array<ExternalCall> = [];
    return effect.pipe(
      Effect.provideService(ExternalCalls, { record: (call) => void calls.push(call) }),
      Effect.map((value) => ({ value, calls, operations: calls.map((call) => call.operation) })),
    );
  });
