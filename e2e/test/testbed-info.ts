import { inject } from "vitest";

/** What the global setup tells every e2e test about the running test bed. */
export interface TestbedInfo {
  readonly dir: string;
  readonly kubeconfigPath: string;
  readonly kubectl: string;
  readonly minio: { readonly endpoint: string; readonly accessKey: string; readonly secretKey: string; readonly kmsKeyId: string };
  readonly aws: { readonly endpoint: string; readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly wasabi: { readonly endpoint: string; readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The API server's URL (https://127.0.0.1:PORT). */
  readonly apiServer: string;
  /** The node pods run on: its name and the loopback subnet of its pods' addresses. */
  readonly node: { readonly name: string; readonly podSubnet: string; readonly metricsPort: number };
  /** The controller's image, built from the current sources and loaded into the node. */
  readonly controllerImage: { readonly repository: string; readonly digest: string };
}

declare module "vitest" {
  export interface ProvidedContext {
    testbed: TestbedInfo;
  }
}

/** The running test bed. */
export const testbed = (): TestbedInfo => inject("testbed");
