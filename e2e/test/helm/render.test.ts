import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../../src/testbed/index.ts";
import { createNamespace, k } from "../harness.ts";
import { testbed } from "../testbed-info.ts";
import { chart, helm, helmBinary, ofKind, one, parseAll, podTemplate, render, type Rendered, type Rule } from "./helm.ts";

// What `helm template` makes of the values, read as objects: the schema's refusals, each preset,
// and the pod spec under Pod Security "restricted" on the real API server.

const namespace = "cloud37-system";
const appVersion = /^appVersion: "?([^"\n]+)"?$/m.exec(readFileSync(join(chart, "Chart.yaml"), "utf8"))![1]!;
const digest = `sha256:${"ab".repeat(32)}`;

const rulesOf = (role: Rendered) => role["rules"] as Array<Rule>;
const resourcesOf = (roles: ReadonlyArray<Rendered>) => roles.flatMap((role) => rulesOf(role).flatMap((rule) => rule.resources)).sort();
const container = (objects: ReadonlyArray<Rendered>) => podTemplate(objects).spec.containers[0]!;
const envOf = (objects: ReadonlyArray<Rendered>) => Object.fromEntries(container(objects).env.map((variable) => [variable.name, variable.value ?? variable.valueFrom?.fieldRef?.fieldPath]));

describe("the chart's values schema", () => {
  it("lints clean, strictly", async () => {
    expect(await helm(["lint", "--strict", chart])).toContain("0 chart(s) failed");
  });

  it.each([
    { why: "an unknown provider", set: "providers={aws,gcs}", message: "at '/providers/1': value must be one of 'aws', 'wasabi', 'minio', 'generic'" },
    { why: "no provider at all", flag: "--set-json", set: "providers=[]", message: "at '/providers': minItems: got 0, want 1" },
    { why: "a required group removed", set: "metrics=null", message: "missing property 'metrics'" },
    { why: "a memory limit in a unit the heap cannot be sized from", set: "resources.limits.memory=256MB", message: "at '/resources/limits/memory': '256MB' does not match pattern" },
    { why: "negative replicas", set: "replicas=-1", message: "at '/replicas': minimum: got -1, want 0" },
    { why: "an unknown top-level key (a typo)", set: "replica=2", message: "additional properties 'replica' not allowed" },
    { why: "an unknown nested key", set: "metrics.prot=9090", message: "at '/metrics': additional properties 'prot' not allowed" },
    { why: "a digest that is not sha256", set: "image.digest=sha256:abc", message: "at '/image/digest': 'sha256:abc' does not match pattern" },
    { why: "an unknown RBAC preset", set: "rbac.preset=tenant", message: "at '/rbac/preset': value must be one of 'cluster', 'namespaced'" },
    { why: "a namespace name Kubernetes refuses", set: "watchNamespaces={Team-A}", message: "at '/watchNamespaces/0': 'Team-A' does not match pattern" },
    { why: "a duration without unit", set: "controller.pollInterval=60", message: "at '/controller/pollInterval': got number, want string" },
    { why: "an unknown log level", set: "controller.logLevel=verbose", message: "at '/controller/logLevel': value must be one of" },
    { why: "the old boolean serviceMonitor", set: "metrics.serviceMonitor=true", message: "at '/metrics/serviceMonitor': got boolean, want object" },
    { why: "an API address with a port in it", set: "kubernetesAPI.host=10.0.0.1:6443", message: "at '/kubernetesAPI/host'" },
    { why: "an API port out of range", set: "kubernetesAPI.port=70000", message: "at '/kubernetesAPI/port'" },
    { why: "an unknown DNS policy", set: "dnsPolicy=HostFirst", message: "at '/dnsPolicy': value must be one of" },
    { why: "an extra variable without a name", set: "extraEnv[0].value=x", message: "at '/extraEnv/0': missing property 'name'" },
  ] as Array<{ why: string; flag?: string; set: string; message: string }>)("refuses $why, naming the value", async ({ flag, set, message }) => {
    const refused = helm(["template", "s3", chart, flag ?? "--set", set]);
    await expect(refused).rejects.toThrow("values don't meet the specifications of the schema");
    await expect(refused).rejects.toThrow(message);
  });

  it("refuses the namespaced RBAC preset without a namespace list, saying what to do", async () => {
    await expect(helm(["template", "s3", chart, "--set", "rbac.preset=namespaced"])).rejects.toThrow(
      "rbac.preset=namespaced grants access only in the watched namespaces, but watchNamespaces is empty: list them (--set 'watchNamespaces={team-a,team-b}') or use rbac.preset=cluster",
    );
  });
});

describe("the rendered chart", () => {
  it("by default: every namespace, cluster-wide RBAC, the image by appVersion, one replica and no PDB, no monitoring objects", async () => {
    const objects = await render(namespace, "providers={aws,minio}");
    expect(container(objects).args).toContain("--providers=aws,minio");
    expect(container(objects).args.some((arg) => arg.startsWith("--watch-namespaces"))).toBe(false);
    expect(container(objects).args.some((arg) => arg.startsWith("--health-bind-address"))).toBe(false);
    expect(container(objects).image).toBe(`ghcr.io/cloud37/s3-provider:${appVersion}`);
    expect(ofKind(objects, "Role").map((role) => role.metadata.name)).toEqual(["s3-leader-election"]);
    const clusterRole = one(objects, "ClusterRole", "s3");
    expect(resourcesOf([clusterRole])).toEqual(
      ["accesskeys", "accesskeys/status", "bucketpolicies", "bucketpolicies/status", "buckets", "buckets/status", "clusterproviderconfigs", "clusterproviderconfigs/status", "events", "namespaces", "providerconfigs", "providerconfigs/status", "secrets"].sort(),
    );
    const binding = one(objects, "ClusterRoleBinding", "s3") as unknown as { roleRef: { name: string }; subjects: Array<{ name: string; namespace: string }> };
    expect(binding.roleRef.name).toBe("s3");
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "s3", namespace }]);
    for (const kind of ["PodDisruptionBudget", "ServiceMonitor", "ConfigMap"]) expect(ofKind(objects, kind)).toEqual([]);
    const pod = podTemplate(objects);
    expect(pod.spec.hostNetwork).toBeUndefined();
    expect(pod.spec.dnsPolicy).toBeUndefined();
    expect(envOf(objects)).not.toHaveProperty("KUBERNETES_SERVICE_HOST");
    // Probes on the metrics port: a slow start is given time before liveness may restart it.
    const { ports, startupProbe, livenessProbe, readinessProbe } = container(objects);
    expect(ports).toEqual([{ name: "metrics", containerPort: 8080 }]);
    expect([startupProbe, livenessProbe, readinessProbe].map((probe) => `${probe.httpGet.path}@${probe.httpGet.port}`)).toEqual(["/healthz@metrics", "/healthz@metrics", "/readyz@metrics"]);
    expect(startupProbe.periodSeconds * startupProbe.failureThreshold!).toBeGreaterThanOrEqual(60);
  });

  it("pins the image by digest, which wins over the tag", async () => {
    expect(container(await render(namespace, "image.tag=1.2.3")).image).toBe("ghcr.io/cloud37/s3-provider:1.2.3");
    expect(container(await render(namespace, "image.tag=1.2.3", `image.digest=${digest}`)).image).toBe(`ghcr.io/cloud37/s3-provider@${digest}`);
  });

  it("watches a list of namespaces, with cluster-wide RBAC when asked", async () => {
    const objects = await render(namespace, "watchNamespaces={team-a,team-b}");
    expect(container(objects).args).toContain("--watch-namespaces=team-a,team-b");
    expect(ofKind(objects, "ClusterRole").map((role) => role.metadata.name)).toEqual(["s3"]);
  });

  it("namespaced RBAC: a Role per watched namespace, Secrets read in the release namespace, only cluster-scoped kinds cluster-wide", async () => {
    const objects = await render(namespace, "rbac.preset=namespaced", "watchNamespaces={team-a,team-b}", "rbac.secretNamespaces={ops}");
    const clusterRoles = ofKind(objects, "ClusterRole");
    expect(clusterRoles.map((role) => role.metadata.name)).toEqual(["s3-cluster-scoped"]);
    expect(resourcesOf(clusterRoles)).toEqual(["clusterproviderconfigs", "clusterproviderconfigs/status", "namespaces"]);
    // Namespaces only read: their labels are matched against ClusterProviderConfigs' namespaceSelector.
    expect(rulesOf(clusterRoles[0]!).find((rule) => rule.resources.includes("namespaces"))?.verbs).toEqual(["get", "list", "watch"]);
    expect((one(objects, "ClusterRoleBinding") as unknown as { roleRef: { name: string } }).roleRef.name).toBe("s3-cluster-scoped");

    const roles = ofKind(objects, "Role");
    const where = (name: string) => roles.filter((role) => role.metadata.name === name).map((role) => role.metadata.namespace).sort();
    expect(where("s3")).toEqual(["team-a", "team-b"]);
    for (const role of roles.filter((role) => role.metadata.name === "s3")) {
      expect(resourcesOf([role])).toEqual(["accesskeys", "accesskeys/status", "bucketpolicies", "bucketpolicies/status", "buckets", "buckets/status", "events", "providerconfigs", "providerconfigs/status", "secrets"]);
    }
    expect(where("s3-secrets")).toEqual([namespace, "ops"].sort());
    expect(roles.filter((role) => role.metadata.name === "s3-secrets").flatMap(rulesOf)).toEqual([
      { apiGroups: [""], resources: ["secrets"], verbs: ["get"] },
      { apiGroups: [""], resources: ["secrets"], verbs: ["get"] },
    ]);
    expect(where("s3-cluster-events")).toEqual(["default"]);
    expect(where("s3-leader-election")).toEqual([namespace]);
    // Every Role is bound, in its own namespace, to the chart's ServiceAccount.
    const bindings = ofKind(objects, "RoleBinding") as unknown as Array<Rendered & { roleRef: { kind: string; name: string }; subjects: Array<{ name: string; namespace: string }> }>;
    expect(bindings.map((b) => `${b.metadata.namespace}/${b.roleRef.kind}/${b.roleRef.name}`).sort()).toEqual(roles.map((r) => `${r.metadata.namespace}/Role/${r.metadata.name}`).sort());
    for (const binding of bindings) expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "s3", namespace }]);
  });

  it("namespaced RBAC does not repeat Roles for namespaces that are watched anyway", async () => {
    const roles = ofKind(await render(namespace, "rbac.preset=namespaced", `watchNamespaces={default,${namespace}}`), "Role");
    expect(roles.map((role) => `${role.metadata.namespace}/${role.metadata.name}`).sort()).toEqual([`${namespace}/s3`, `${namespace}/s3-leader-election`, "default/s3"]);
  });

  it("renders no RBAC but the ServiceAccount when rbac.create is false", async () => {
    const objects = await render(namespace, "rbac.create=false");
    for (const kind of ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]) expect(ofKind(objects, kind)).toEqual([]);
    expect(one(objects, "ServiceAccount").metadata.name).toBe("s3");
  });

  it("a PodDisruptionBudget only with more than one replica, unless disabled", async () => {
    expect(ofKind(await render(namespace, "replicas=1"), "PodDisruptionBudget")).toEqual([]);
    const pdb = one(await render(namespace, "replicas=2"), "PodDisruptionBudget") as unknown as { spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } };
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "s3-provider", "app.kubernetes.io/instance": "s3" } } });
    expect(ofKind(await render(namespace, "replicas=3", "podDisruptionBudget.enabled=false"), "PodDisruptionBudget")).toEqual([]);
  });

  it("a ServiceMonitor with its interval, timeout and labels, selecting the metrics Service", async () => {
    const objects = await render(namespace, "metrics.serviceMonitor.enabled=true", "metrics.serviceMonitor.interval=15s", "metrics.serviceMonitor.scrapeTimeout=5s", "metrics.serviceMonitor.labels.release=kube-prometheus-stack");
    const monitor = one(objects, "ServiceMonitor") as unknown as Rendered & { spec: { selector: { matchLabels: Record<string, string> }; endpoints: Array<Record<string, string>> } };
    expect(monitor.metadata.labels).toMatchObject({ release: "kube-prometheus-stack", "app.kubernetes.io/name": "s3-provider" });
    expect(monitor.spec.endpoints).toEqual([{ port: "metrics", path: "/metrics", interval: "15s", scrapeTimeout: "5s" }]);
    const service = one(objects, "Service", "s3-metrics") as unknown as { metadata: { labels: Record<string, string> }; spec: { selector: Record<string, string>; ports: Array<{ name: string }> } };
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(service.spec.ports.map((port) => port.name)).toContain("metrics");
  });

  it("a Grafana dashboard ConfigMap for the sidecar, with the dashboard file of the chart", async () => {
    const objects = await render(namespace, "metrics.dashboard.enabled=true", "metrics.dashboard.namespace=monitoring", "metrics.dashboard.annotations.grafana_folder=Storage");
    const configMap = one(objects, "ConfigMap", "s3-dashboard") as unknown as Rendered & { data: Record<string, string> };
    expect(configMap.metadata.namespace).toBe("monitoring");
    expect(configMap.metadata.labels).toMatchObject({ grafana_dashboard: "1" });
    expect(configMap.metadata.annotations).toEqual({ grafana_folder: "Storage" });
    const dashboard = JSON.parse(configMap.data["s3-provider.json"]!) as { uid: string; panels: Array<unknown> };
    expect(dashboard).toEqual(JSON.parse(readFileSync(join(chart, "dashboards", "s3-provider.json"), "utf8")));
    expect(dashboard.uid).toBe("cloud37-s3-provider");
  });

  it("the API address, the pod-IP bind, host networking and the pod options", async () => {
    const objects = await render(
      namespace,
      "kubernetesAPI.host=127.0.0.1",
      "kubernetesAPI.port=6443",
      "metrics.bindPodIP=true",
      "hostNetwork=true",
      "podAnnotations.example\\.com/team=storage",
      "podLabels.team=storage",
      "podLabels.app\\.kubernetes\\.io/name=overridden",
      "priorityClassName=system-cluster-critical",
      "extraEnv[0].name=HTTPS_PROXY",
      "extraEnv[0].value=http://proxy.internal:3128",
    );
    const env = envOf(objects);
    expect(env).toMatchObject({ KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: "6443", POD_IP: "status.podIP", HTTPS_PROXY: "http://proxy.internal:3128" });
    // Kubernetes expands $(POD_IP) in args from the container's environment.
    expect(container(objects).args).toContain("--health-bind-address=$(POD_IP)");
    const pod = podTemplate(objects);
    expect(pod.spec.hostNetwork).toBe(true);
    expect(pod.spec.dnsPolicy).toBe("ClusterFirstWithHostNet");
    expect(pod.spec.priorityClassName).toBe("system-cluster-critical");
    expect(pod.metadata.annotations).toEqual({ "example.com/team": "storage" });
    // The selector's labels cannot be overridden: the Deployment would no longer own its pods.
    expect(pod.metadata.labels).toEqual({ "app.kubernetes.io/name": "s3-provider", "app.kubernetes.io/instance": "s3", team: "storage" });
    expect(podTemplate(await render(namespace, "hostNetwork=true", "dnsPolicy=Default")).spec.dnsPolicy).toBe("Default");
  });
});

describe("the chart's pod under Pod Security", () => {
  const restricted = "chart-pod-security";
  beforeAll(async () => {
    await createNamespace(restricted);
    await k(["label", "--overwrite", "namespace", restricted, "pod-security.kubernetes.io/enforce=restricted", "pod-security.kubernetes.io/enforce-version=latest"]);
    await k(["create", "serviceaccount", "s3", "-n", restricted]).catch(() => "");
  });

  /** Asks the API server to admit the chart's pod in the restricted namespace, without creating it. */
  const admit = async (...sets: ReadonlyArray<string>) => {
    const template = podTemplate(await render(restricted, ...sets));
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "s3-admission", namespace: restricted, labels: template.metadata.labels }, spec: template.spec };
    return k(["create", "--dry-run=server", "-f", "-"], JSON.stringify(pod));
  };

  it("passes restricted as shipped, also with the pod-IP bind and an explicit API address", async () => {
    expect(await admit()).toContain("pod/s3-admission created (server dry run)");
    expect(await admit("metrics.bindPodIP=true", "kubernetesAPI.host=127.0.0.1", "kubernetesAPI.port=6443")).toContain("(server dry run)");
  });

  it("is refused with hostNetwork, so the check has teeth", async () => {
    await expect(admit("hostNetwork=true")).rejects.toThrow(/violates PodSecurity "restricted:latest": host namespaces \(hostNetwork=true\)/);
  });
});

describe("the release's chart package", () => {
  /** Runs helm/package.sh as the release workflow does, with the test bed's Helm. */
  const packageChart = (version: string, pinned: string) => {
    const out = mkdtempSync(join(testbed().dir, "chart-package-"));
    return promisify(execFile)("bash", [join(repoRoot, "helm", "package.sh"), version, pinned, out], { encoding: "utf8", env: { ...process.env, HELM: helmBinary() } }).then(
      ({ stdout }) => stdout.trim(),
      (error: { stderr?: string }) => Promise.reject(new Error(error.stderr ?? "package.sh failed")),
    );
  };

  it("carries the release's version and appVersion and runs the pushed image by digest", async () => {
    const packaged = await packageChart("1.2.3-rc.1", digest);
    expect(packaged).toMatch(/s3-provider-1\.2\.3-rc\.1\.tgz$/);
    const shown = parse(await helm(["show", "chart", packaged])) as { version: string; appVersion: string };
    expect([shown.version, shown.appVersion]).toEqual(["1.2.3-rc.1", "1.2.3-rc.1"]);
    expect((parse(await helm(["show", "values", packaged])) as { image: { digest: string } }).image.digest).toBe(digest);
    const objects = parseAll(await helm(["template", "s3", packaged]));
    expect(container(objects).image).toBe(`ghcr.io/cloud37/s3-provider@${digest}`);
    // The working tree keeps its empty digest.
    expect(readFileSync(join(chart, "values.yaml"), "utf8")).toMatch(/^  digest: ""/m);
  });

  it.each([
    { why: "a digest that is not sha256", version: "1.2.3", pinned: "latest", message: "digest 'latest' is not sha256:<64 hex>" },
    { why: "a version that is not semver", version: "release-1", pinned: digest, message: "invalid semantic version" },
  ])("refuses $why", async ({ version, pinned, message }) => {
    await expect(packageChart(version, pinned)).rejects.toThrow(new RegExp(message, "i"));
  });
});
