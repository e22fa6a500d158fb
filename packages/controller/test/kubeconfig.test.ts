import { mkdtempSync, writeFileSync } from "node:fs";
import type { RequestOptions } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KubeConfig } from "@kubernetes/client-node";
import { loadKubeConfigLike } from "../src/kube/kubeconfig.ts";

const file = (text: string): string => {
  const path = join(mkdtempSync(join(tmpdir(), "kubeconfig-")), "config");
  writeFileSync(path, text);
  return path;
};

const config = (user: string) => `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: ${Buffer.from("CA-PEM").toString("base64")}
    server: https://127.0.0.1:6443/
  name: testbed
contexts:
- context:
    cluster: testbed
    user: admin
  name: admin
current-context: admin
users:
- name: admin
  user:
${user}
`;

describe("loadKubeConfigLike", () => {
  it("reads client certificates the way client-node does", async () => {
    const path = file(config(`    client-certificate-data: ${Buffer.from("CERT").toString("base64")}\n    client-key-data: ${Buffer.from("KEY").toString("base64")}`));
    const ours = await loadKubeConfigLike(path);
    const theirs = new KubeConfig();
    theirs.loadFromFile(path);
    expect(ours).not.toBeInstanceOf(KubeConfig);
    expect(ours.getCurrentCluster()?.server).toBe(theirs.getCurrentCluster()?.server);
    const [a, b]: [RequestOptions, RequestOptions] = [{}, {}];
    await ours.applyToHTTPSOptions(a);
    await theirs.applyToHTTPSOptions(b);
    expect([String(a.ca), String(a.cert), String(a.key)]).toEqual([String(b.ca), String(b.cert), String(b.key)]);
  });

  it("sends a bearer token", async () => {
    const options: RequestOptions = {};
    await (await loadKubeConfigLike(file(config("    token: abc.def")))).applyToHTTPSOptions(options);
    expect((options.headers as Record<string, string>)["Authorization"]).toBe("Bearer abc.def");
  });

  it("hands exec plugins to client-node", async () => {
    const loaded = await loadKubeConfigLike(file(config("    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/true")));
    expect(loaded).toBeInstanceOf(KubeConfig);
  });
});
