import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Effect, Schema, type Scope } from "effect";
import type { Registry } from "prom-client";

/** The health server could not listen. */
export class HealthServerError extends Schema.TaggedError<HealthServerError>()("HealthServerError", {
  port: Schema.Number,
  message: Schema.String,
}) {}

/** What the health server serves. */
export interface HealthOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  readonly registry: Registry;
  /** /readyz: true once informers have synced (a standby that is not leader is ready too). */
  readonly isReady: () => boolean;
}

const listen = (server: Server, port: number, host: string | undefined) =>
  Effect.callback<number, HealthServerError>((resume) => {
    const onError = (error: Error) => resume(Effect.fail(new HealthServerError({ port, message: error.message })));
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resume(Effect.succeed((server.address() as AddressInfo).port));
    });
  });

/**
 * Serves /healthz, /readyz and /metrics on one port for the lifetime of the scope; returns the
 * bound port (useful when the configured port is 0).
 */
export const serveHealth = (options: HealthOptions): Effect.Effect<number, HealthServerError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.suspend(() => {
      const server = createServer((request, response) => {
        const path = (request.url ?? "/").split("?")[0];
        if (path === "/healthz") {
          response.writeHead(200, { "content-type": "text/plain" }).end("ok");
        } else if (path === "/readyz") {
          const ready = options.isReady();
          response.writeHead(ready ? 200 : 503, { "content-type": "text/plain" }).end(ready ? "ok" : "informers not synced");
        } else if (path === "/metrics") {
          options.registry.metrics().then(
            (body) => response.writeHead(200, { "content-type": options.registry.contentType }).end(body),
            (error: unknown) => response.writeHead(500).end(String(error)),
          );
        } else {
          response.writeHead(404).end("not found");
        }
      });
      return listen(server, options.port, options.host).pipe(Effect.map((port) => ({ server, port })));
    }),
    ({ server }) =>
      Effect.callback<void>((resume) => {
        server.close(() => resume(Effect.void));
        // Keep-alive connections (scrapers) would otherwise hold close() open.
        server.closeAllConnections();
      }),
  ).pipe(Effect.map(({ port }) => port));
