import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { repoRoot } from "../../src/testbed/index.ts";
import { eventually, kube, uniqueName } from "../kube.ts";
import { testbed } from "../testbed-info.ts";

const status = (error: unknown): number | undefined => (error as { code?: number }).code;

describe("the local control plane", () => {
  it("reports the Kubernetes version it was built from, to the API and to kubectl", async () => {
    const { config } = kube();
    const version = JSON.parse(execFileSync(testbed().kubectl, ["--kubeconfig", testbed().kubeconfigPath, "version", "-o", "json"], { encoding: "utf8" })) as {
      serverVersion: { gitVersion: string };
      clientVersion: { gitVersion: string };
    };
    expect(version.serverVersion.gitVersion).toMatch(/^v1\.36\.\d+$/);
    expect(version.clientVersion.gitVersion).toBe(version.serverVersion.gitVersion);
    expect(config.getCurrentCluster()?.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it("enforces RBAC on ServiceAccount tokens: 403 without a Role, allowed with one", async () => {
    const { core, rbac, config } = kube();
    const namespace = uniqueName("rbac");
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: "reader" } } });
    const token = await core.createNamespacedServiceAccountToken({ namespace, name: "reader", body: { spec: { audiences: [], expirationSeconds: 600 } } });
    expect(token.status?.token).toBeTruthy();

    const cluster = config.getCurrentCluster()!;
    const asReader = new KubeConfig();
    asReader.loadFromOptions({
      clusters: [{ name: "testbed", server: cluster.server, caData: cluster.caData, skipTLSVerify: false }],
      users: [{ name: "reader", token: token.status!.token }],
      contexts: [{ name: "reader", cluster: "testbed", user: "reader" }],
      currentContext: "reader",
    });
    const readerApi = asReader.makeApiClient(CoreV1Api);
    const denied = await readerApi.listNamespacedConfigMap({ namespace }).catch((error: unknown) => error);
    expect(status(denied)).toBe(403);

    await rbac.createNamespacedRole({
      namespace,
      body: { metadata: { name: "read-configmaps" }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["list"] }] },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: "reader" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "read-configmaps" },
        subjects: [{ kind: "ServiceAccount", name: "reader", namespace }],
      },
    });
    const allowed = await eventually("the Role to take effect", async () => (await readerApi.listNamespacedConfigMap({ namespace })).items);
    expect(Array.isArray(allowed)).toBe(true);
    await core.deleteNamespace({ name: namespace });
  });

  it("establishes the project's CRDs and serves their status subresource", async () => {
    const { custom, core } = kube();
    execFileSync(testbed().kubectl, ["--kubeconfig", testbed().kubeconfigPath, "apply", "--server-side", "-f", `${repoRoot}/crds`], { stdio: "pipe" });
    execFileSync(testbed().kubectl, ["--kubeconfig", testbed().kubeconfigPath, "wait", "--for", "condition=Established", "--timeout", "60s", "crd/buckets.s3.cloud37.dev"], { stdio: "pipe" });
    const namespace = uniqueName("crd");
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    const address = { group: "s3.cloud37.dev", version: "v1alpha1", namespace, plural: "buckets" };
    const created = (await custom.createNamespacedCustomObject({
      ...address,
      body: { apiVersion: "s3.cloud37.dev/v1alpha1", kind: "Bucket", metadata: { name: "status-check" }, spec: { forProvider: {} } },
    })) as { metadata: { resourceVersion: string }; spec: { deletionPolicy: string; forProvider: { forceDestroy: boolean } } };
    // Defaults come from the CRD's schema, applied by the API server.
    expect(created.spec.deletionPolicy).toBe("Delete");
    expect(created.spec.forProvider.forceDestroy).toBe(false);

    await custom.replaceNamespacedCustomObjectStatus({
      ...address,
      name: "status-check",
      body: {
        ...created,
        spec: { ...created.spec, deletionPolicy: "Orphan" },
        status: { conditions: [{ type: "Ready", status: "True", reason: "Available", lastTransitionTime: "2026-01-01T00:00:00Z" }] },
      },
    });
    const read = (await custom.getNamespacedCustomObject({ ...address, name: "status-check" })) as {
      spec: { deletionPolicy: string };
      status: { conditions: Array<{ type: string }> };
    };
    expect(read.status.conditions[0]?.type).toBe("Ready");
    // A write to /status changes only the status.
    expect(read.spec.deletionPolicy).toBe("Delete");
    await core.deleteNamespace({ name: namespace });
  });

  it("garbage-collects an owned Secret when its owner is deleted, and finishes deleting a namespace", async () => {
    const { core } = kube();
    const namespace = uniqueName("gc");
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    const owner = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: "owner" }, data: { a: "b" } } });
    await core.createNamespacedSecret({
      namespace,
      body: {
        metadata: { name: "owned", ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: owner.metadata!.uid! }] },
        stringData: { k: "v" },
      },
    });
    await core.deleteNamespacedConfigMap({ namespace, name: "owner" });
    await eventually("the owned Secret to be garbage-collected", async () =>
      core.readNamespacedSecret({ namespace, name: "owned" }).then(
        () => undefined,
        (error: unknown) => (status(error) === 404 ? true : undefined),
      ),
    );
    await core.deleteNamespace({ name: namespace });
    await eventually("the namespace to be deleted", async () =>
      core.readNamespace({ name: namespace }).then(
        () => undefined,
        (error: unknown) => (status(error) === 404 ? true : undefined),
      ),
    90_000);
  });
});
