import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startControlPlane, type ControlPlane } from "./controlplane.ts";
import { startMinio, type Minio } from "./minio.ts";
import { startMoto, type Moto } from "./moto.ts";
import { ensureGoTools, ensureMoto, type GoTools } from "./toolchain.ts";

/** Everything the e2e tests, the sandbox and the benchmarks run against. */
export interface Testbed {
  readonly dir: string;
  readonly tools: GoTools;
  readonly controlPlane: ControlPlane;
  readonly minio: Minio;
  /** moto standing in for AWS. */
  readonly aws: Moto;
  /** A second moto standing in for Wasabi, so the two accounts never see each other's buckets. */
  readonly wasabi: Moto;
  /** Shell variables naming the endpoints and credentials (the file `dir/env`). */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

const log = (line: string): void => {
  process.stderr.write(`[testbed] ${line}\n`);
};

/** Builds what is missing, then starts the control plane, MinIO and two motos, in parallel. */
export const startTestbed = async (options: { readonly dir: string }): Promise<Testbed> => {
  mkdirSync(options.dir, { recursive: true });
  const [tools, motoServer] = await Promise.all([ensureGoTools(), ensureMoto()]);
  const started = Date.now();
  log(`starting the control plane, MinIO and moto in ${options.dir}…`);
  const results = await Promise.allSettled([
    startControlPlane({ binary: tools.kube, dir: options.dir }),
    startMinio({ binary: tools.minio, dir: options.dir }),
    startMoto({ binary: motoServer, dir: options.dir, name: "moto-aws" }),
    startMoto({ binary: motoServer, dir: options.dir, name: "moto-wasabi" }),
  ]);
  const failures = results.flatMap((result) => (result.status === "rejected" ? [result.reason as unknown] : []));
  if (failures.length > 0) {
    await Promise.all(results.map((result) => (result.status === "fulfilled" ? result.value.service.stop() : undefined)));
    throw failures[0];
  }
  const [controlPlane, minio, aws, wasabi] = results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as [
    ControlPlane,
    Minio,
    Moto,
    Moto,
  ];
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);

  const env = {
    KUBECONFIG: controlPlane.kubeconfigPath,
    MINIO_ENDPOINT: minio.endpoint,
    MINIO_ACCESS_KEY: minio.accessKey,
    MINIO_SECRET_KEY: minio.secretKey,
    MINIO_KMS_KEY_ID: minio.kmsKeyId,
    MOTO_ENDPOINT: aws.endpoint,
    MOTO_ACCESS_KEY_ID: aws.accessKeyId,
    MOTO_SECRET_ACCESS_KEY: aws.secretAccessKey,
    WASABI_MOTO_ENDPOINT: wasabi.endpoint,
    WASABI_MOTO_ACCESS_KEY_ID: wasabi.accessKeyId,
    WASABI_MOTO_SECRET_ACCESS_KEY: wasabi.secretAccessKey,
  };
  writeFileSync(
    join(options.dir, "env"),
    Object.entries(env)
      .map(([name, value]) => `export ${name}='${value}'`)
      .join("\n") + "\n",
    { mode: 0o600 },
  );
  const services = [controlPlane.service, minio.service, aws.service, wasabi.service];
  return {
    dir: options.dir,
    tools,
    controlPlane,
    minio,
    aws,
    wasabi,
    env,
    stop: async () => {
      await Promise.all(services.map((service) => service.stop()));
    },
  };
};
