import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { ensureControllerImage, startTestbed, type Testbed } from "../src/testbed/index.ts";
import type { TestbedInfo } from "./testbed-info.ts";

let testbed: Testbed | undefined;

/** Starts the test bed once for every e2e file and hands its addresses to the tests. */
export async function setup(project: TestProject): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "cloud37-e2e-"));
  testbed = await startTestbed({ dir });
  if (testbed.node === undefined) throw new Error("the e2e test bed needs its node");
  const image = await ensureControllerImage(testbed.node);
  const info: TestbedInfo = {
    dir,
    kubeconfigPath: testbed.controlPlane.kubeconfigPath,
    kubectl: testbed.tools.kubectl,
    minio: { endpoint: testbed.minio.endpoint, accessKey: testbed.minio.accessKey, secretKey: testbed.minio.secretKey, kmsKeyId: testbed.minio.kmsKeyId },
    aws: { endpoint: testbed.aws.endpoint, accessKeyId: testbed.aws.accessKeyId, secretAccessKey: testbed.aws.secretAccessKey },
    wasabi: { endpoint: testbed.wasabi.endpoint, accessKeyId: testbed.wasabi.accessKeyId, secretAccessKey: testbed.wasabi.secretAccessKey },
    apiServer: testbed.controlPlane.server,
    node: { name: testbed.node.name, podSubnet: testbed.node.podSubnet, metricsPort: testbed.node.metricsPort },
    controllerImage: { repository: image.repository, digest: image.digest },
  };
  project.provide("testbed", info);
}

export async function teardown(): Promise<void> {
  await testbed?.stop();
}
