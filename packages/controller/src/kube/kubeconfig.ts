/**
 * Loading a kubeconfig without @kubernetes/client-node for the common cases.
 *
 * client-node's KubeConfig drags undici, ws, socks, js-yaml, openid-client and the whole
 * generated API into the process: about 30 MB of resident memory for a controller that only
 * needs the current cluster and how to authenticate a request. This module reads the
 * kubeconfigs a controller meets in practice (in-cluster service account, kubectl-written
 * files with certificates, tokens, token files or basic auth) itself, mirroring client-node's
 * semantics field by field, and hands everything else (exec plugins, auth providers, proxies,
 * merged KUBECONFIG lists) to client-node, which is then imported on demand. Either way the
 * result behaves as client-node's would. Files are parsed by the `yaml` package, imported only
 * for a file: in a pod (the in-cluster service account) no YAML is read at all.
 */
import { accessSync, readFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import { isIPv6 } from "node:net";
import { delimiter, dirname, isAbsolute, join } from "node:path";

/** What the transport needs of a kubeconfig; client-node's KubeConfig has the same shape. */
export interface KubeConfigLike {
  getCurrentCluster(): { readonly server: string } | null;
  /** Sets TLS material, auth headers and an agent on request options (per request: tokens refresh). */
  applyToHTTPSOptions(options: https.RequestOptions): Promise<void>;
}

/** Something this module does not read itself; client-node does. */
class Unsupported extends Error {}

const unsupported = (what: string): never => {
  throw new Unsupported(what);
};

// ---------------------------------------------------------------------------------------------
// The kubeconfig model, as client-node builds it (config_types.ts), for the supported subset.

interface Cluster {
  readonly server: string;
  readonly caFile?: string;
  readonly caData?: string;
  readonly skipTLSVerify: boolean;
  readonly tlsServerName?: string;
}

interface User {
  readonly token?: string;
  /** The in-cluster token (client-node's `tokenFile` auth provider): re-read once a minute. */
  readonly serviceAccountTokenFile?: string;
  readonly certFile?: string;
  readonly certData?: string;
  readonly keyFile?: string;
  readonly keyData?: string;
  readonly username?: string;
  readonly password?: string;
  readonly impersonateUser?: string;
}

const SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

const fileExists = (path: string): boolean => {
  try {
    accessSync(path);
    return true;
  } catch {
    return false;
  }
};

const bufferFromFileOrString = (file: string | undefined, data: string | undefined): Buffer | null =>
  file ? readFileSync(file) : data ? Buffer.from(data, "base64") : null;

/** A kubeconfig of one cluster and one user, applied to requests exactly as client-node does. */
class SimpleKubeConfig implements KubeConfigLike {
  #token: string | null = null;
  #tokenRead = 0;
  #agent: http.Agent | undefined;

  readonly cluster: Cluster;
  readonly user: User;

  constructor(cluster: Cluster, user: User) {
    this.cluster = cluster;
    this.user = user;
  }

  getCurrentCluster() {
    return this.cluster;
  }

  async applyToHTTPSOptions(opts: https.RequestOptions): Promise<void> {
    const { cluster, user } = this;
    if (cluster.skipTLSVerify) opts.rejectUnauthorized = false;
    if (cluster.tlsServerName) opts.servername = cluster.tlsServerName;
    const ca = bufferFromFileOrString(cluster.caFile, cluster.caData);
    if (ca) opts.ca = ca;
    const cert = bufferFromFileOrString(user.certFile, user.certData);
    if (cert) opts.cert = cert;
    const key = bufferFromFileOrString(user.keyFile, user.keyData);
    if (key) opts.key = key;
    const headers = (opts.headers ??= {}) as Record<string, string>;
    if (user.impersonateUser != null) headers["Impersonate-User"] = user.impersonateUser;
    if (user.serviceAccountTokenFile) {
      // client-node's FileAuth: the token is re-read once it is older than a minute.
      if (this.#token === null || (Date.now() - this.#tokenRead) / 1000 > 60) {
        this.#token = readFileSync(user.serviceAccountTokenFile).toString("utf-8");
        this.#tokenRead = Date.now();
      }
      if (this.#token) headers["Authorization"] = `Bearer ${this.#token}`;
    }
    if (user.token) headers["Authorization"] = `Bearer ${user.token}`;
    if (user.username) opts.auth = `${user.username}:${user.password}`;
    opts.agent = this.#agentFor(opts);
  }

  /** client-node's createAgent without proxies: one agent per config, http only when TLS checks are off. */
  #agentFor(opts: https.RequestOptions): http.Agent {
    if (this.#agent !== undefined) return this.#agent;
    const agentOptions: https.AgentOptions = {
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      pfx: opts.pfx,
      passphrase: opts.passphrase,
      ...(opts.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: opts.rejectUnauthorized }),
      timeout: opts.timeout,
      servername: opts.servername,
    } as https.AgentOptions;
    if (this.cluster.server.startsWith("http:")) {
      if (!this.cluster.skipTLSVerify) throw new Error("HTTP protocol is not allowed when skipTLSVerify is not set or false");
      this.#agent = new http.Agent(agentOptions);
    } else {
      this.#agent = new https.Agent(agentOptions);
    }
    return this.#agent;
  }
}

/** A string field, or undefined when absent (null reads as absent, as client-node's checks treat it). */
const stringField = (object: Record<string, unknown>, key: string): string | undefined => {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : unsupported(`${key} is not a string`);
};

const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : unsupported("not an object");

/** The inner object (`cluster`, `user`, `context`) of the first entry named `name`. */
const named = (list: unknown, name: unknown, key: string): Record<string, unknown> | undefined => {
  for (const entry of list as Array<Record<string, unknown>>) if (entry["name"] === name) return entry[key] == null ? {} : record(entry[key]);
  return undefined;
};

/** A kubeconfig file (client-node's loadFromFile), or Unsupported. */
const fromFile = async (file: string): Promise<SimpleKubeConfig> => {
  const { parse } = await import("yaml");
  const document = record(parse(readFileSync(file).toString("utf-8")));
  const root = dirname(file);
  const absolute = (path: string | undefined) => (path === undefined || path === "" || isAbsolute(path) ? path : join(root, path));
  // client-node rejects the whole file when any entry is invalid: leave those to it, and its message.
  const list = (name: string, valid: (entry: Record<string, unknown>) => boolean): ReadonlyArray<Record<string, unknown>> => {
    const entries = document[name];
    if (!Array.isArray(entries)) return unsupported(`${name} is not a list`);
    return entries.map((entry) => {
      const object = record(entry);
      return object["name"] && valid(object) ? object : unsupported(`invalid ${name} entry`);
    });
  };
  const clusters = list("clusters", (entry) => Boolean(entry["cluster"]) && Boolean(record(entry["cluster"])["server"]));
  const users = list("users", (entry) => entry["user"] == null || Boolean(record(entry["user"])));
  const contexts = list("contexts", (entry) => Boolean(entry["context"]) && Boolean(record(entry["context"])["cluster"]));
  const context = named(contexts, document["current-context"], "context");
  if (context === undefined) return unsupported("no current context");
  const cluster = named(clusters, context["cluster"], "cluster");
  const userName = context["user"] || undefined;
  const user = userName === undefined ? undefined : named(users, userName, "user");
  if (cluster === undefined || user === undefined) return unsupported("context without cluster or user");
  if (cluster["proxy-url"] || user["exec"] || user["auth-provider"]) unsupported("proxy-url, exec or auth-provider");
  // client-node prints a null password as "null" in basic auth; rare enough to leave to it.
  if (user["password"] === null) unsupported("null password");
  const token = stringField(user, "token") || (stringField(user, "token-file") ? readFileSync(stringField(user, "token-file")!).toString() : undefined);
  const fields = (entries: ReadonlyArray<readonly [string, string | undefined]>) =>
    Object.fromEntries(entries.filter((entry): entry is readonly [string, string] => entry[1] !== undefined));
  return new SimpleKubeConfig(
    {
      server: stringField(cluster, "server")!.replace(/\/$/, ""),
      skipTLSVerify: cluster["insecure-skip-tls-verify"] === true,
      ...fields([
        ["caFile", absolute(stringField(cluster, "certificate-authority"))],
        ["caData", stringField(cluster, "certificate-authority-data")],
        ["tlsServerName", stringField(cluster, "tls-server-name")],
      ]),
    },
    fields([
      ["token", token],
      ["certFile", absolute(stringField(user, "client-certificate"))],
      ["certData", stringField(user, "client-certificate-data")],
      ["keyFile", absolute(stringField(user, "client-key"))],
      ["keyData", stringField(user, "client-key-data")],
      ["username", stringField(user, "username")],
      ["password", stringField(user, "password")],
      ["impersonateUser", stringField(user, "as")],
    ]),
  );
};

/** The pod's service account (client-node's loadFromCluster). */
const inCluster = (): SimpleKubeConfig => {
  const host = process.env["KUBERNETES_SERVICE_HOST"];
  const port = process.env["KUBERNETES_SERVICE_PORT"];
  const scheme = port === "80" || port === "8080" || port === "8001" ? "http" : "https";
  const serverHost = host && isIPv6(host) ? `[${host}]` : host;
  return new SimpleKubeConfig(
    { server: `${scheme}://${serverHost}:${port}`, caFile: `${SERVICE_ACCOUNT}/ca.crt`, skipTLSVerify: false },
    { serviceAccountTokenFile: `${SERVICE_ACCOUNT}/token` },
  );
};

/** client-node's loadFromDefault, for the cases read here. */
const fromDefault = async (): Promise<SimpleKubeConfig> => {
  const fromEnv = process.env["KUBECONFIG"];
  if (fromEnv !== undefined && fromEnv.length > 0) {
    const files = fromEnv.split(delimiter).filter((file) => file);
    return files.length === 1 ? fromFile(files[0]!) : unsupported("merged KUBECONFIG");
  }
  if (process.platform === "win32") return unsupported("windows home lookup");
  const home = process.env["HOME"];
  if (home && fileExists(home)) {
    const config = join(home, ".kube", "config");
    if (fileExists(config)) return fromFile(config);
  }
  if (fileExists(`${SERVICE_ACCOUNT}/token`)) return inCluster();
  return unsupported("no kubeconfig");
};

/**
 * Loads a kubeconfig: the given file, else $KUBECONFIG, ~/.kube/config or the in-cluster
 * service account, as client-node's KubeConfig would; returns client-node's KubeConfig itself
 * for what is not read here.
 */
export const loadKubeConfigLike = async (path?: string): Promise<KubeConfigLike> => {
  try {
    return await (path === undefined ? fromDefault() : fromFile(path));
  } catch (error) {
    // Anything unusual, including errors, is client-node's to read (and to report).
    void error;
  }
  const { KubeConfig } = await import("@kubernetes/client-node");
  const config = new KubeConfig();
  if (path === undefined) config.loadFromDefault();
  else config.loadFromFile(path);
  return config;
};
