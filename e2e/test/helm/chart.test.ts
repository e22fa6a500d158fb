import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { AppsV1Api, AuthorizationV1Api } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startController, type RunningController } from "../../src/testbed/index.ts";
import { eventually, kube, uniqueName } from "../kube.ts";
import { bucketYaml, createNamespace, getBucket, getClusterProviderConfig, k, providerConfigYaml, s3, waitForBucketCondition, waitForBucketGone } from "../harness.ts";
import { testbed } from "../testbed-info.ts";
import { chart, helm } from "./helm.ts";

// `helm install` into the real cluster, then the controller runs as a process with the token of
// the chart's ServiceAccount: the chart's RBAC, and nothing more, is what it may do. (The test bed
// has no node yet to run the chart's pod; replicas=0 keeps a pod from ever starting beside the
// process once it has one: the node e2e runs the pod.)

const controllers: Array<RunningController> = [];
afterEach(async () => {
  await Promise.all(controllers.splice(0).map((controller) => controller.service.stop()));
});

/** Installs (or upgrades) the chart as `release` into `namespace` with `--set` values. */
const install = async (release: string, namespace: string, ...sets: ReadonlyArray<string>) => {
  await createNamespace(namespace);
  await helm(["upgrade", "--install", release, chart, "--namespace", namespace, "--wait=false", "--set", "replicas=0", ...sets.flatMap((set) => ["--set", set])]);
  return kube().config.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace, name: release });
};

/** A kubeconfig that authenticates as the ServiceAccount `name` of `namespace`. */
const serviceAccountKubeconfig = async (namespace: string, name: string): Promise<string> => {
  const token = await kube().core.createNamespacedServiceAccountToken({ namespace, name, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const cluster = kube().config.getCurrentCluster()!;
  const path = join(testbed().dir, `${namespace}-${name}.kubeconfig`);
  writeFileSync(path, stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "testbed", cluster: { server: cluster.server, "certificate-authority-data": cluster.caData } }],
    users: [{ name, user: { token: token.status!.token } }],
    contexts: [{ name, context: { cluster: "testbed", user: name } }],
    "current-context": name,
  }));
  return path;
};

/** Starts the controller as the chart's ServiceAccount. */
const runAs = async (namespace: string, release: string, args: ReadonlyArray<string>) => {
  const controller = await startController({
    kubeconfig: await serviceAccountKubeconfig(namespace, release),
    logDir: testbed().dir,
    name: `chart-${release}`,
    args: ["--poll-interval", "5s", "--leader-election-namespace", namespace, "--leader-election-id", `e2e-chart-${release}`, ...args],
  });
  controllers.push(controller);
  return controller;
};

/** Whether the API server lets the ServiceAccount do `verb` on `resource` (in `namespace`, or in every namespace). */
const allowed = async (serviceAccount: string, verb: string, resource: string, namespace?: string) =>
  (
    await kube()
      .config.makeApiClient(AuthorizationV1Api)
      .createSubjectAccessReview({
        body: { spec: { user: serviceAccount, resourceAttributes: { group: resource === "secrets" ? "" : "s3.cloud37.dev", resource, verb, ...(namespace === undefined ? {} : { namespace }) } } },
      })
  ).status?.allowed === true;

/** The metric names a dashboard query uses (histogram series map back to their family). */
const dashboardMetrics = (): Array<string> => {
  const dashboard = readFileSync(join(chart, "dashboards", "s3-provider.json"), "utf8");
  const names = new Set<string>();
  for (const [, expr] of dashboard.matchAll(/"expr": "((?:[^"\\]|\\.)*)"/g)) {
    for (const [name] of expr!.matchAll(/\b(s3provider|crossplane|process|nodejs)_[a-z0-9_]+/g)) names.add(name.replace(/_(bucket|sum|count)$/, ""));
  }
  return [...names].sort();
};

describe("the Helm chart on a real cluster", () => {
  it("installs with cluster-wide RBAC, enough for the controller to reconcile a Bucket; the dashboard queries its real metrics", async () => {
    const namespace = "cloud37-system";
    const deployment = await install("s3", namespace);
    expect(deployment.spec?.template.spec?.serviceAccountName).toBe("s3");
    const controller = await runAs(namespace, "s3", []);

    const config = uniqueName("chart");
    await k(["apply", "-f", "-"], providerConfigYaml("minio", config));
    const name = uniqueName("chart-bucket");
    await k(["apply", "-f", "-"], bucketYaml({ name, namespace: "default", providerConfig: config, spec: { writeConnectionSecretToRef: { name: `${name}-conn` } } }));
    await waitForBucketCondition("default", name, "Ready", "True");
    await waitForBucketCondition("default", name, "Synced", "True");

    // Every metric the Grafana dashboard charts is one this controller exports.
    const exported = new Set([...(await (await fetch(controller.metricsUrl)).text()).matchAll(/^# TYPE (\S+) /gm)].map(([, family]) => family!));
    const charted = dashboardMetrics();
    expect(charted.length).toBeGreaterThan(10);
    expect(charted.filter((metric) => !exported.has(metric))).toEqual([]);

    await k(["delete", "bucket", "-n", "default", name]);
    await waitForBucketGone("default", name);
  });

  it("installs with namespaced RBAC: a Bucket in a watched namespace is reconciled, one in an unwatched namespace is left alone", async () => {
    const namespace = "cloud37-scoped";
    const release = "s3-scoped";
    const watched = uniqueName("chart-watched");
    const unwatched = uniqueName("chart-unwatched");
    await createNamespace(watched);
    await createNamespace(unwatched);
    const deployment = await install(release, namespace, "rbac.preset=namespaced", `watchNamespaces={${watched}}`);

    // The API server's own answer: the ServiceAccount may act in the watched namespace only.
    const serviceAccount = `system:serviceaccount:${namespace}:${release}`;
    expect(await allowed(serviceAccount, "list", "buckets", watched)).toBe(true);
    expect(await allowed(serviceAccount, "list", "buckets", unwatched)).toBe(false);
    expect(await allowed(serviceAccount, "list", "buckets")).toBe(false);
    expect(await allowed(serviceAccount, "get", "secrets", unwatched)).toBe(false);
    expect(await allowed(serviceAccount, "get", "secrets", namespace)).toBe(true);
    expect(await allowed(serviceAccount, "patch", "clusterproviderconfigs/status")).toBe(true);

    // The controller runs with the watch scope the chart gave its pod.
    const args = deployment.spec?.template.spec?.containers[0]?.args ?? [];
    expect(args).toContain(`--watch-namespaces=${watched}`);
    const controller = await runAs(namespace, release, args.filter((arg) => arg.startsWith("--watch-namespaces=")));

    // A ClusterProviderConfig whose credentials live in the release namespace, as is usual.
    const config = uniqueName("chart-scoped");
    await k(["apply", "-f", "-"], providerConfigYaml("minio", config).replace(/namespace: default/g, `namespace: ${namespace}`));
    const inWatched = uniqueName("chart-in");
    const inUnwatched = uniqueName("chart-out");
    await k(["apply", "-f", "-"], bucketYaml({ name: inWatched, namespace: watched, providerConfig: config, spec: { writeConnectionSecretToRef: { name: `${inWatched}-conn` } } }));
    await k(["apply", "-f", "-"], bucketYaml({ name: inUnwatched, namespace: unwatched, providerConfig: config }));
    await waitForBucketCondition(watched, inWatched, "Ready", "True");
    await waitForBucketCondition(watched, inWatched, "Synced", "True");
    await eventually(`ClusterProviderConfig ${config} Ready`, async () => ((await getClusterProviderConfig(config))?.status?.conditions?.find((c) => c.type === "Ready")?.status === "True" ? true : undefined));
    expect((await kube().core.readNamespacedSecret({ namespace: watched, name: `${inWatched}-conn` })).type).toBe("connection.crossplane.io/v1alpha1");

    // Two more polls: the unwatched Bucket still has no finalizer, no status, and no bucket at the provider.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const untouched = await getBucket(unwatched, inUnwatched);
    expect(untouched?.metadata["finalizers"]).toBeUndefined();
    expect(untouched?.status).toBeUndefined();
    const head = await s3("minio").send(new HeadBucketCommand({ Bucket: inUnwatched })).then(() => "exists", (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode);
    expect(head).toBe(404);
    // Its Events were written: the Bucket's in its namespace, the ClusterProviderConfig's in "default".
    const eventsAbout = async (eventNamespace: string, name: string) =>
      (await kube().core.listNamespacedEvent({ namespace: eventNamespace, fieldSelector: `involvedObject.name=${name}` })).items.map((event) => event.reason);
    expect(await eventsAbout(watched, inWatched)).not.toEqual([]);
    expect(await eventsAbout("default", config)).toContain("AccountVerified");
    // No list or watch was refused: the namespaced RBAC is enough for the watch scope.
    expect(readFileSync(controller.service.logFile, "utf8").split("\n").filter((line) => /forbidden/i.test(line))).toEqual([]);

    await k(["delete", "bucket", "-n", watched, inWatched]);
    await waitForBucketGone(watched, inWatched);
    await k(["delete", "bucket", "-n", unwatched, inUnwatched]);
  });
});
