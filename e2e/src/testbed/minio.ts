import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./ports.ts";
import { startService, waitUntilReady, type Service } from "./service.ts";

/** A running MinIO server and the root credentials to reach it. */
export interface Minio {
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** The KMS key MinIO encrypts with (SSE-S3, and SSE-KMS by this key id). */
  readonly kmsKeyId: string;
  readonly service: Service;
}

/** Starts MinIO on a free loopback port with a static KMS key, and waits until it is ready. */
export const startMinio = async (options: { readonly binary: string; readonly dir: string }): Promise<Minio> => {
  const dataDir = join(options.dir, "minio-data");
  mkdirSync(dataDir, { recursive: true });
  const [port, consolePort] = [await freePort(), await freePort()];
  const accessKey = "minio-root";
  const secretKey = randomBytes(18).toString("base64url");
  const kmsKeyId = "cloud37-test-key";
  const service = startService({
    name: "minio",
    command: options.binary,
    args: ["server", "--quiet", "--address", `127.0.0.1:${port}`, "--console-address", `127.0.0.1:${consolePort}`, dataDir],
    logDir: options.dir,
    env: {
      MINIO_ROOT_USER: accessKey,
      MINIO_ROOT_PASSWORD: secretKey,
      MINIO_KMS_SECRET_KEY: `${kmsKeyId}:${randomBytes(32).toString("base64")}`,
      MINIO_BROWSER: "off",
      MINIO_UPDATE: "off",
      MINIO_CALLHOME_ENABLE: "off",
    },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady(service, async () => (await fetch(`${endpoint}/minio/health/ready`)).ok);
  return { endpoint, accessKey, secretKey, kmsKeyId, service };
};
