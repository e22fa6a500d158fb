import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Redacted } from "effect";
import type { AdminRequest, AdminResponse, AdminTransport, SigningAccount } from "../../src/admin/index.ts";

/** Real MinIO answers captured by fixtures/capture.ts: the password, and the encrypted bodies by path. */
export interface CapturedAnswers {
  readonly minioVersion: string;
  readonly password: string;
  readonly user: string;
  readonly description: string;
  readonly manyAccounts: number;
  readonly answers: ReadonlyArray<{ readonly path: string; readonly body: string }>;
}

export const captured = (file: "minio-answers-aes-gcm.json" | "minio-answers-chacha20.json"): CapturedAnswers =>
  JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", file), "utf8")) as CapturedAnswers;

/** The encrypted body MinIO answered to a path. */
export const answerTo = (answers: CapturedAnswers, path: string): Buffer => {
  const found = answers.answers.find((answer) => answer.path === path);
  if (found === undefined) throw new Error(`no captured answer to ${path}`);
  return Buffer.from(found.body, "hex");
};

/** A signing account at a made-up endpoint (scripted transports never reach it). */
export const account = (secret = "unit-test-secret", overrides: Partial<SigningAccount> = {}): SigningAccount => ({
  provider: "minio",
  configName: "test",
  region: "us-east-1",
  endpoint: "http://minio.example.test:9000",
  forcePathStyle: true,
  credentials: { source: "Secret", accessKeyId: "admin", secretAccessKey: Redacted.make(secret) },
  tls: { insecureSkipVerify: false, caBundle: undefined },
  retry: { maxAttempts: 1, backoff: "constant" },
  ...overrides,
});

/** A transport answering each request from a script (a response, or an error to throw), recording requests. */
export const scripted = (script: ReadonlyArray<AdminResponse | Error>) => {
  const requests: Array<AdminRequest> = [];
  const transport: AdminTransport = (request) => {
    requests.push(request);
    const next = script[requests.length - 1];
    if (next === undefined) return Promise.reject(new Error(`unscripted request ${request.method} ${request.path}`));
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return { transport, requests };
};

export const ok = (body: Uint8Array | string = "", status = 200): AdminResponse => ({ status, body: typeof body === "string" ? Buffer.from(body) : body });
