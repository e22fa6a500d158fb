import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startTestbed, type Testbed } from "../src/testbed/index.ts";
import type { TestbedInfo } from "./testbed-info.ts";

let testbed: Testbed | undefined;

/** Starts the test bed once for every e2e file and hands its addresses to the tests. */
export async function setup(project: TestProject): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "cloud37-e2e-"));
  testbed = await startTestbed({ dir });
  const info: TestbedInfo = {
    dir,
    kubeconfigPath: testbed.controlPlane.kubeconfigPath,
    kubectl: testbed.tools.kubectl,
    minio: { endpoint: testbed.minio.endpoint, accessKey: testbed.minio.accessKey, secretKey: testbed.minio.secretKey, kmsKeyId: testbed.minio.kmsKeyId },
    aws: { endpoint: testbed.aws.endpoint, accessKeyId: testbed.aws.accessKeyId, secretAccessKey: testbed.aws.secretAccessKey },
    wasabi: { endpoint: testbed.wasabi.endpoint, accessKeyId: testbed.wasabi.accessKeyId, secretAccessKey: testbed.wasabi.secretAccessKey },
  };
  project.provide("testbed", info);
}

export async function teardown(): Promise<void> {
  await testbed?.stop();
}
