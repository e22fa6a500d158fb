import * as http from "node:http";
import * as https from "node:https";
import * as tls from "node:tls";
import { createInterface } from "node:readline";
import { Effect } from "effect";
import type { MetricsShape } from "../observability/metrics.ts";
import type { KubeConfigLike } from "./kubeconfig.ts";
import { KubeError } from "./types.ts";

/** HTTP verbs the client uses; every verb but GET is a write. */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One request to the API server. */
export interface KubeRequest {
  /** For errors, e.g. "get buckets". */
  readonly operation: string;
  /** For the writes metric, e.g. "buckets" or "buckets/status". */
  readonly resource: string;
  readonly method: Method;
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /** Defaults to JSON; PATCH defaults to merge patch. */
  readonly contentType?: string;
}

/** Thin JSON transport to the API server: auth, TLS and error mapping, nothing else. */
export interface KubeHttp {
  readonly request: (request: KubeRequest) => Effect.Effect<unknown, KubeError>;
  /** Streams a watch: calls `onLine` per JSON line until the server ends it; interruption aborts it. */
  readonly watch: (
    request: Omit<KubeRequest, "method" | "body">,
    onLine: (event: unknown) => void,
  ) => Effect.Effect<void, KubeError>;
}

const VERBS: Record<Method, string> = { GET: "get", POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete" };

const REASONS: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  410: "Gone",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

/** Maps an HTTP error response (a Status object, usually) to a KubeError. */
export const errorFromStatus = (operation: string, code: number, body: string): KubeError => {
  let status: { reason?: unknown; message?: unknown } = {};
  try {
    status = JSON.parse(body) as typeof status;
  } catch {
    // Not a Status object (e.g. a proxy's HTML page); fall back to the HTTP code.
  }
  const reason = typeof status.reason === "string" && status.reason !== "" ? status.reason : (REASONS[code] ?? (code >= 500 ? "InternalError" : "Unknown"));
  const message = typeof status.message === "string" ? status.message : `HTTP ${code}`;
  return new KubeError({ operation, status: code, reason, message });
};

const transportError = (operation: string, error: unknown) =>
  new KubeError({ operation, status: 0, reason: "Transport", message: error instanceof Error ? error.message : String(error) });

/** Creates the transport from a loaded kubeconfig; writes are counted in `metrics` when given. */
export const makeKubeHttp = (config: KubeConfigLike, metrics?: MetricsShape, requestTimeoutMs = 30_000): KubeHttp => {
  const cluster = config.getCurrentCluster();
  const server = cluster?.server ?? "";

  // One TLS context and one keep-alive pool for the life of the process: building a context
  // per connection re-parses the CA and key and, under load, costs hundreds of MB of native memory.
  let agent: Promise<https.Agent> | undefined;
  const tlsAgent = (): Promise<https.Agent> =>
    (agent ??= (async () => {
      const tlsOptions: https.RequestOptions = {};
      await config.applyToHTTPSOptions(tlsOptions);
      const secureContext = tls.createSecureContext({
        ...(tlsOptions.ca === undefined ? {} : { ca: tlsOptions.ca }),
        ...(tlsOptions.cert === undefined ? {} : { cert: tlsOptions.cert }),
        ...(tlsOptions.key === undefined ? {} : { key: tlsOptions.key }),
      });
      return new https.Agent({
        keepAlive: true,
        maxSockets: 64,
        secureContext,
        rejectUnauthorized: tlsOptions.rejectUnauthorized ?? true,
        ...(tlsOptions.servername === undefined ? {} : { servername: tlsOptions.servername }),
      });
    })());

  /**
   * Sends a request and resolves with the response once its headers arrive. `signal` is the one
   * Effect.tryPromise gives, which aborts only when the fiber is interrupted; aborting destroys
   * the request, and with it a response still being read. (Effect.abortSignal would abort
   * whenever its scope closes, success included: a DOMException with a stack trace per request,
   * a few percent of the controller's CPU.)
   */
  const open = async (request: KubeRequest, signal: AbortSignal, timeoutMs: number): Promise<http.IncomingMessage> => {
    if (server === "") throw new Error("kubeconfig has no current cluster");
    const url = new URL(server.replace(/\/$/, "") + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const options: https.RequestOptions = { method: request.method, headers: { accept: "application/json" } };
    // Applies the kubeconfig's auth per request (exec plugins and token files refresh); the
    // TLS material it also sets is served by the shared agent instead.
    await config.applyToHTTPSOptions(options);
    const { ca: _ca, cert: _cert, key: _key, ...perRequest } = options;
    const tlsAgentReady = url.protocol === "https:" ? await tlsAgent() : undefined;
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers = { ...(options.headers as Record<string, string>) };
    if (body !== undefined) {
      headers["content-type"] = request.contentType ?? (request.method === "PATCH" ? "application/merge-patch+json" : "application/json");
      headers["content-length"] = String(Buffer.byteLength(body));
    }
    return await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req =
        url.protocol === "http:"
          ? http.request(url, { ...perRequest, headers, signal, timeout: timeoutMs }, resolve)
          : https.request(url, { ...perRequest, agent: tlsAgentReady, headers, signal, timeout: timeoutMs }, resolve);
      req.on("timeout", () => req.destroy(new Error(`request timed out after ${timeoutMs}ms`)));
      req.on("error", reject);
      req.end(body);
    });
  };

  const readText = async (response: http.IncomingMessage): Promise<string> => {
    const chunks: Array<Buffer> = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  };

  const request = (req: KubeRequest) =>
    Effect.gen(function* () {
      if (req.method !== "GET") metrics?.kubeApiWrites.inc({ verb: VERBS[req.method], resource: req.resource });
      const { code, text } = yield* Effect.tryPromise({
        try: async (signal) => {
          const response = await open(req, signal, requestTimeoutMs);
          return { code: response.statusCode ?? 0, text: await readText(response) };
        },
        catch: (error) => transportError(req.operation, error),
      });
      if (code < 200 || code >= 300) return yield* errorFromStatus(req.operation, code, text);
      if (text === "") return undefined;
      return yield* Effect.try({ try: () => JSON.parse(text) as unknown, catch: (error) => transportError(req.operation, error) });
    });

  const watch = (req: Omit<KubeRequest, "method" | "body">, onLine: (event: unknown) => void) =>
    Effect.gen(function* () {
      const timeoutSeconds = Number(req.query?.["timeoutSeconds"] ?? 300);
      const refused = yield* Effect.tryPromise({
        try: async (signal) => {
          // The server ends the watch after timeoutSeconds; the client timeout only catches dead connections.
          const response = await open({ ...req, method: "GET", query: { ...req.query, watch: true } }, signal, (timeoutSeconds + 30) * 1000);
          const code = response.statusCode ?? 0;
          if (code !== 200) return { code, text: await readText(response) };
          for await (const line of createInterface({ input: response, crlfDelay: Infinity })) {
            if (line.trim() !== "") onLine(JSON.parse(line));
          }
          return undefined;
        },
        catch: (error) => transportError(req.operation, error),
      });
      if (refused !== undefined) return yield* errorFromStatus(req.operation, refused.code, refused.text);
    });

  return { request, watch };
};
