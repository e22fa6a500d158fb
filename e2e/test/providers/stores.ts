import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { Effect, Exit, Redacted } from "effect";
import { inject } from "vitest";
import type { Account, ExternalError, ProviderName } from "@cloud37/core";
import { cacheDir, ensureMoto, startMinio, startMoto, type Service } from "../../src/testbed/index.ts";

/** One object store the provider tests run against, with an administrator's key pair. */
export interface Store {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly kmsKeyId?: string;
}

/** The stores: the shared test bed's when the global setup started one, else this file's own. */
export interface Stores {
  readonly aws: Store;
  readonly wasabi: Store;
  /** Undefined when no MinIO binary is built yet (the MinIO cases are then skipped). */
  readonly minio: Store | undefined;
  stop(): Promise<void>;
}

export const region = "us-east-1";

/** The MinIO binary of the Go toolchain cache, if one is built. */
export const builtMinio = (): string | undefined => {
  const tools = join(cacheDir, "tools");
  if (!existsSync(tools)) return undefined;
  for (const entry of readdirSync(tools)) {
    const binary = join(tools, entry, "bin", "minio");
    if (!entry.startsWith(".") && existsSync(binary)) return binary;
  }
  return undefined;
};

/**
 * Uses the global test bed when there is one (the full e2e run); otherwise starts two motos
 * and, when its binary is built, a MinIO, all stopped by `stop`.
 */
export const startStores = async (): Promise<Stores> => {
  const shared = (inject as (key: string) => unknown)("testbed") as
    | { aws: Store; wasabi: Store; minio: { endpoint: string; accessKey: string; secretKey: string; kmsKeyId: string } }
    | undefined;
  if (shared !== undefined) {
    const { minio } = shared;
    return {
      aws: shared.aws,
      wasabi: shared.wasabi,
      minio: { endpoint: minio.endpoint, accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey, kmsKeyId: minio.kmsKeyId },
      stop: async () => undefined,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "cloud37-providers-"));
  const moto = await ensureMoto();
  const minioBinary = builtMinio();
  const [aws, wasabi, minio] = await Promise.all([
    startMoto({ binary: moto, dir, name: "moto-aws" }),
    startMoto({ binary: moto, dir, name: "moto-wasabi" }),
    minioBinary === undefined ? undefined : startMinio({ binary: minioBinary, dir }),
  ]);
  const services: Array<Service> = [aws.service, wasabi.service, ...(minio === undefined ? [] : [minio.service])];
  return {
    aws,
    wasabi,
    minio:
      minio === undefined
        ? undefined
        : { endpoint: minio.endpoint, accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey, kmsKeyId: minio.kmsKeyId },
    stop: async () => {
      await Promise.all(services.map((service) => service.stop()));
    },
  };
};

/** The Account a ProviderConfig for this store would give (path-style: the stores are on 127.0.0.1). */
export const accountOf = (provider: ProviderName, store: Store, secretAccessKey = store.secretAccessKey): Account => ({
  provider,
  configName: `e2e-${provider}`,
  region,
  endpoint: store.endpoint,
  forcePathStyle: true,
  credentials: { source: "Secret", accessKeyId: store.accessKeyId, secretAccessKey: Redacted.make(secretAccessKey) },
  tls: { insecureSkipVerify: false, caBundle: undefined },
  retry: { maxAttempts: 2, backoff: "constant" },
});

/** A plain S3 client, to set up and check what the provider did without going through it. */
export const plainS3 = (store: Store): S3Client =>
  new S3Client({
    endpoint: store.endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey },
  });

/** "ok" when an S3 call succeeds, else the error code it failed with (e.g. `AccessDenied`). */
export const s3Outcome = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => "ok",
    (error: { name?: string; Code?: string }) => error.Code ?? error.name ?? "error",
  );

/** Runs an effect; resolves with its value. */
export const run = <A>(effect: Effect.Effect<A, ExternalError>): Promise<A> => Effect.runPromise(effect);

/** Runs an effect that must fail; resolves with its ExternalError. */
export const failure = async (effect: Effect.Effect<unknown, ExternalError>): Promise<ExternalError> => {
  const exit = await Effect.runPromiseExit(effect);
  if (Exit.isSuccess(exit)) throw new Error("the call succeeded");
  const error = exit.cause.reasons.find((reason) => reason._tag === "Fail");
  if (error === undefined || error._tag !== "Fail") throw new Error(`the call died: ${String(exit.cause)}`);
  return error.error;
};
