import { request } from "node:https";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { freePort } from "./ports.ts";
import { startService, waitUntilReady, type Service } from "./service.ts";

/** A running local control plane: etcd, kube-apiserver, kube-controller-manager and kube-scheduler in one process. */
export interface ControlPlane {
  readonly server: string;
  /** Admin (system:masters) kubeconfig, client-certificate authentication. */
  readonly kubeconfigPath: string;
  /** The kubeconfig of the node "localhost" (system:node:localhost, for the kubelet). */
  readonly nodeKubeconfigPath: string;
  /** The cluster's CA certificate (it signs the API server's and every client's certificate). */
  readonly caFile: string;
  readonly kubeConfig: KubeConfig;
  readonly service: Service;
}

/** GETs a path of the API server with the kubeconfig's credentials; resolves with the status code. */
const getStatus = async (kubeConfig: KubeConfig, path: string): Promise<number> => {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new Error("the kubeconfig names no cluster");
  const options: Parameters<typeof request>[1] = { method: "GET" };
  await kubeConfig.applyToHTTPSOptions(options);
  return new Promise((resolveStatus, reject) => {
    const req = request(`${cluster.server}${path}`, options, (res) => {
      res.resume();
      resolveStatus(res.statusCode ?? 0);
    });
    req.once("error", reject);
    req.setTimeout(5_000, () => req.destroy(new Error("timeout")));
    req.end();
  });
};

/** Starts the control plane on free loopback ports and waits until /readyz says ok. */
export const startControlPlane = async (options: { readonly binary: string; readonly dir: string }): Promise<ControlPlane> => {
  const dataDir = join(options.dir, "controlplane");
  mkdirSync(dataDir, { recursive: true });
  const kubeconfigPath = join(dataDir, "kubeconfig");
  // A kubeconfig left by an earlier run names old ports; readiness must only see this run's.
  rmSync(kubeconfigPath, { force: true });
  const [apiPort, etcdClientPort, etcdPeerPort] = [await freePort(), await freePort(), await freePort()];
  const service = startService({
    name: "controlplane",
    command: options.binary,
    args: [
      "serve",
      "--data-dir", dataDir,
      "--apiserver-port", String(apiPort),
      "--etcd-client-port", String(etcdClientPort),
      "--etcd-peer-port", String(etcdPeerPort),
    ],
    logDir: options.dir,
  });
  const kubeConfig = new KubeConfig();
  await waitUntilReady(
    service,
    async () => {
      if (!existsSync(kubeconfigPath)) return false;
      kubeConfig.loadFromFile(kubeconfigPath);
      return (await getStatus(kubeConfig, "/readyz")) === 200;
    },
    120_000,
  );
  return {
    server: `https://127.0.0.1:${apiPort}`,
    kubeconfigPath,
    nodeKubeconfigPath: join(dataDir, "node.kubeconfig"),
    caFile: join(dataDir, "pki", "ca.crt"),
    kubeConfig,
    service,
  };
};
