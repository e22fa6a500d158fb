/**
 * The bench's own requests to the API server, over kept-alive connections. client-node 2.0
 * builds a new undici Agent for every request, so each of the bench's creates opened a fresh
 * TLS connection: the profile of a 1,000-Bucket run showed a third of the bench's CPU in TLS
 * set-up, and the API server paid a handshake per create on the same two cores as the
 * controller it measures. `kubectl apply` keeps one connection open, and so does this.
 */
import { Agent, request, type RequestOptions } from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";

export interface BenchKubeClient {
  /** POSTs an object to a collection path (e.g. /apis/G/V/namespaces/N/buckets). */
  readonly create: (path: string, body: object) => Promise<unknown>;
  /** The items of a collection path. */
  readonly list: <T = unknown>(path: string) => Promise<Array<T>>;
  /** Deletes every object of a collection path. */
  readonly deleteCollection: (path: string) => Promise<void>;
  readonly close: () => void;
}

export const benchKubeClient = async (kubeConfig: KubeConfig): Promise<BenchKubeClient> => {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new Error("the kubeconfig names no cluster");
  const tls: RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(tls);
  const agent = new Agent({ ca: tls.ca, cert: tls.cert, key: tls.key, keepAlive: true, maxSockets: 32 });

  const send = (method: string, path: string, body?: object): Promise<unknown> =>
    new Promise((resolveBody, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        `${cluster.server}${path}`,
        {
          method,
          agent,
          headers: { accept: "application/json", ...(payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }) },
        },
        (res) => {
          const chunks: Array<Buffer> = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.once("error", reject);
          res.once("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if ((res.statusCode ?? 0) >= 400) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
            else resolveBody(text === "" ? undefined : JSON.parse(text));
          });
        },
      );
      req.once("error", reject);
      req.end(payload);
    });

  return {
    create: (path, body) => send("POST", path, body),
    list: async <T>(path: string) => ((await send("GET", path)) as { items: Array<T> }).items,
    deleteCollection: async (path) => {
      await send("DELETE", path);
    },
    close: () => agent.destroy(),
  };
};
