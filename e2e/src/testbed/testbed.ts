import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startControlPlane, type ControlPlane } from "./controlplane.ts";
import { startMinio, type Minio } from "./minio.ts";
import { startMoto, type Moto } from "./moto.ts";
import { startNode, type Node } from "./node.ts";
import { ensureGoTools, ensureMoto, type GoTools } from "./toolchain.ts";

/** Everything the e2e tests, the sandbox and the benchmarks run against. */
export interface Testbed {
  readonly dir: string;
  readonly tools: GoTools;
  readonly controlPlane: ControlPlane;
  /** The node pods run on (kubelet, containerd); undefined when started without one. */
  readonly node: Node | undefined;
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

/**
 * Builds what is missing, then starts the control plane (and once it is up, the node), MinIO
 * and two motos, in parallel. `node: false` leaves the node out (a controller run as a process
 * needs none).
 */
export const startTestbed = async (options: { readonly dir: string; readonly node?: boolean }): Promise<Testbed> => {
  mkdirSync(options.dir, { recursive: true });
  const [tools, motoServer] = await Promise.all([ensureGoTools(), ensureMoto()]);
  const started = Date.now();
  const withNode = options.node ?? true;
  log(`starting the control plane${withNode ? ", a node" : ""}, MinIO and moto in ${options.dir}…`);
  const controlPlaneStarted = startControlPlane({ binary: tools.kube, dir: options.dir });
  const results = await Promise.allSettled([
    controlPlaneStarted,
    withNode ? controlPlaneStarted.then((controlPlane) => startNode({ tools, controlPlane, dir: options.dir })) : Promise.resolve(undefined),
    startMinio({ binary: tools.minio, dir: options.dir }),
    startMoto({ binary: motoServer, dir: options.dir, name: "moto-aws" }),
    startMoto({ binary: motoServer, dir: options.dir, name: "moto-wasabi" }),
  ]);
  const failures = results.flatMap((result) => (result.status === "rejected" ? [result.reason as unknown] : []));
  if (failures.length > 0) {
    // The node first: its pods must not outlive the API server they talk to.
    for (const result of [results[1], ...results.filter((_, index) => index !== 1)]) {
      if (result?.status === "fulfilled") await result.value?.service.stop();
    }
    throw failures[0];
  }
  const [controlPlane, node, minio, aws, wasabi] = results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as [
    ControlPlane,
    Node | undefined,
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
    node,
    minio,
    aws,
    wasabi,
    env,
    stop: async () => {
      await node?.service.stop();
      await Promise.all(services.map((service) => service.stop()));
    },
  };
};
