import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { repoRoot, startController, type RunningController } from "../../src/testbed/index.ts";
import { kube, uniqueName } from "../kube.ts";
import { bucketYaml, createNamespace, k, providerConfigYaml, waitForBucketCondition } from "../harness.ts";
import { testbed } from "../testbed-info.ts";

const run = promisify(execFile);
const chart = join(repoRoot, "helm", "s3-provider");
const helm = (args: ReadonlyArray<string>) =>
  run(join(testbed().kubectl, "..", "helm"), [...args], { encoding: "utf8", env: { ...process.env, KUBECONFIG: testbed().kubeconfigPath, HELM_CACHE_HOME: join(testbed().dir, "helm-cache"), HELM_CONFIG_HOME: join(testbed().dir, "helm-config"), HELM_DATA_HOME: join(testbed().dir, "helm-data") } }).then((r) => r.stdout);

const namespace = "cloud37-system";
let controller: RunningController | undefined;

beforeAll(async () => {
  await createNamespace(namespace);
});
afterAll(async () => {
  await controller?.service.stop();
});

describe("the Helm chart", () => {
  it("lints clean", async () => {
    expect(await helm(["lint", chart])).toContain("0 chart(s) failed");
  });

  it("passes the chosen providers to the controller and refuses an unknown one", async () => {
    const rendered = await helm(["template", "s3", chart, "--namespace", namespace, "--set", "providers={aws,minio}"]);
    expect(rendered).toContain("--providers=aws,minio");
    await expect(helm(["template", "s3", chart, "--set", "providers={aws,gcs}"])).rejects.toThrow(/"gcs" is not one of/);
  });

  it("installs into a real cluster, and its RBAC is enough for the controller to reconcile a Bucket", async () => {
    await helm(["upgrade", "--install", "s3", chart, "--namespace", namespace, "--wait=false"]);
    const deployment = await kube().config.makeApiClient((await import("@kubernetes/client-node")).AppsV1Api).readNamespacedDeployment({ namespace, name: "s3" });
    expect(deployment.spec?.template.spec?.serviceAccountName).toBe("s3");

    // Run the controller as the chart's ServiceAccount instead of the administrator.
    const token = await kube().core.createNamespacedServiceAccountToken({ namespace, name: "s3", body: { spec: { audiences: [], expirationSeconds: 3600 } } });
    const cluster = kube().config.getCurrentCluster()!;
    const kubeconfig = join(testbed().dir, "chart-sa.kubeconfig");
    writeFileSync(kubeconfig, stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "testbed", cluster: { server: cluster.server, "certificate-authority-data": cluster.caData } }],
      users: [{ name: "s3", user: { token: token.status!.token } }],
      contexts: [{ name: "s3", context: { cluster: "testbed", user: "s3" } }],
      "current-context": "s3",
    }));
    controller = await startController({
      kubeconfig,
      logDir: testbed().dir,
      name: "chart-rbac",
      args: ["--poll-interval", "5s", "--leader-election-namespace", namespace, "--leader-election-id", "e2e-chart"],
    });
    const config = uniqueName("chart");
    await k(["apply", "-f", "-"], providerConfigYaml("minio", config));
    const name = uniqueName("chart-bucket");
    await k(["apply", "-f", "-"], bucketYaml({ name, namespace: "default", providerConfig: config, spec: { writeConnectionSecretToRef: { name: `${name}-conn` } } }));
    await waitForBucketCondition("default", name, "Ready", "True");
    await waitForBucketCondition("default", name, "Synced", "True");
    await k(["delete", "bucket", "-n", "default", name]);
  });
});
