import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { assert, describe, it } from "@effect/vitest";
import { KubeConfig } from "@kubernetes/client-node";
import { Deferred, Effect, Fiber, Stream } from "effect";
import { makeKubeHttp } from "../src/kube/http.ts";
import { listWatchFromHttp } from "../src/kube/informer.ts";
import { makeMetrics } from "../src/observability/metrics.ts";

const secretType = { group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true };

/** A tiny stand-in API server on a random port, for the transport only. */
const withServer = <A, E>(handler: (req: IncomingMessage, res: ServerResponse) => void, use: (server: string) => Effect.Effect<A, E>) =>
  Effect.acquireUseRelease(
    Effect.callback<ReturnType<typeof createServer>>((resume) => {
      const server = createServer(handler);
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)));
    }),
    (server) => use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    (server) => Effect.callback<void>((resume) => void server.close(() => resume(Effect.void))),
  );

const kubeConfigFor = (server: string) => {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: "c", server, skipTLSVerify: true }],
    users: [{ name: "u", token: "test-token" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
  return config;
};

const status = (res: ServerResponse, code: number, reason: string) =>
  res.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify({ kind: "Status", status: "Failure", reason, code, message: `${reason} happened` }));

describe("kube http transport", () => {
  it.live("sends the bearer token, maps Status errors and counts writes", () =>
    withServer(
      (req, res) => {
        if (req.headers.authorization !== "Bearer test-token") return status(res, 401, "Unauthorized");
        if (req.url?.startsWith("/api/v1/namespaces/ns/secrets/missing")) return status(res, 404, "NotFound");
        if (req.method === "PATCH") {
          assert.strictEqual(req.headers["content-type"], "application/merge-patch+json");
          return status(res, 409, "Conflict");
        }
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ metadata: { name: "ok" } }));
      },
      (server) =>
        Effect.gen(function* () {
          const metrics = makeMetrics({ defaultMetrics: false });
          const http = makeKubeHttp(kubeConfigFor(server), metrics);
          const ok = yield* http.request({ operation: "get secrets", resource: "secrets", method: "GET", path: "/api/v1/namespaces/ns/secrets/x" });
          assert.deepStrictEqual(ok, { metadata: { name: "ok" } });
          const missing = yield* Effect.flip(http.request({ operation: "get secrets", resource: "secrets", method: "GET", path: "/api/v1/namespaces/ns/secrets/missing" }));
          assert.deepStrictEqual([missing.status, missing.reason], [404, "NotFound"]);
          const conflict = yield* Effect.flip(http.request({ operation: "patch secrets", resource: "secrets", method: "PATCH", path: "/api/v1/namespaces/ns/secrets/x", body: {} }));
          assert.deepStrictEqual([conflict.status, conflict.reason], [409, "Conflict"]);
          yield* http.request({ operation: "create secrets", resource: "secrets", method: "POST", path: "/api/v1/namespaces/ns/secrets", body: {} });
          const writes = yield* Effect.promise(() => metrics.kubeApiWrites.get());
          assert.deepStrictEqual(
            writes.values.map((v) => [v.labels["verb"], v.labels["resource"], v.value]).sort(),
            [["create", "secrets", 1], ["patch", "secrets", 1]],
          );
        }),
    ));

  it.live("maps connection failures to reason Transport", () =>
    Effect.gen(function* () {
      const http = makeKubeHttp(kubeConfigFor("http://127.0.0.1:1"));
      const error = yield* Effect.flip(http.request({ operation: "get secrets", resource: "secrets", method: "GET", path: "/api/v1/secrets" }));
      assert.deepStrictEqual([error.status, error.reason], [0, "Transport"]);
    }));

  it.live("lists with the list's resourceVersion and streams watch events with bookmarks requested", () =>
    withServer(
      (req, res) => {
        const url = new URL(req.url ?? "/", "http://x");
        if (url.searchParams.get("watch") === "true") {
          assert.strictEqual(url.searchParams.get("allowWatchBookmarks"), "true");
          assert.strictEqual(url.searchParams.get("resourceVersion"), "42");
          res.writeHead(200, { "content-type": "application/json" });
          res.write(JSON.stringify({ type: "ADDED", object: { metadata: { name: "a", resourceVersion: "43" } } }) + "\n");
          res.end(JSON.stringify({ type: "BOOKMARK", object: { metadata: { resourceVersion: "44" } } }) + "\n");
          return;
        }
        res.writeHead(200).end(JSON.stringify({ metadata: { resourceVersion: "42" }, items: [{ metadata: { name: "a", resourceVersion: "41", managedFields: [{}] } }] }));
      },
      (server) =>
        Effect.gen(function* () {
          const source = listWatchFromHttp(makeKubeHttp(kubeConfigFor(server)));
          const listed = yield* source.list(secretType, "ns");
          assert.strictEqual(listed.resourceVersion, "42");
          assert.strictEqual(listed.items[0]?.kind, "Secret");
          const events = yield* Stream.runCollect(source.watch(secretType, "ns", { resourceVersion: "42", timeoutSeconds: 5 }));
          assert.deepStrictEqual(Array.from(events, (e) => e.type), ["ADDED", "BOOKMARK"]);
        }),
    ));

  it.live("an interrupted request or watch closes its connection", () =>
    Effect.gen(function* () {
      const closed = yield* Deferred.make<ReadonlyArray<string>>();
      const open = new Set<string>();
      const seen: Array<string> = [];
      yield* withServer(
        (req, res) => {
          const path = new URL(req.url ?? "/", "http://x").pathname;
          if (path === "/quick") return void res.writeHead(200).end("{}");
          // "/slow" and the watch send headers and then nothing more, until the client goes away.
          open.add(path);
          res.writeHead(200, { "content-type": "application/json" });
          res.write(path === "/slow" ? "{" : "");
          res.on("close", () => {
            seen.push(path);
            if (seen.length === 2) Deferred.doneUnsafe(closed, Effect.succeed(seen));
          });
        },
        (server) =>
          Effect.gen(function* () {
            const http = makeKubeHttp(kubeConfigFor(server));
            assert.deepStrictEqual(yield* http.request({ operation: "get quick", resource: "x", method: "GET", path: "/quick" }), {});
            const slow = yield* Effect.forkChild(http.request({ operation: "get slow", resource: "x", method: "GET", path: "/slow" }));
            const watching = yield* Effect.forkChild(http.watch({ operation: "watch", resource: "x", path: "/watch" }, () => undefined));
            while (open.size < 2) yield* Effect.sleep("5 millis");
            yield* Fiber.interrupt(slow);
            yield* Fiber.interrupt(watching);
            assert.sameMembers([...(yield* Deferred.await(closed).pipe(Effect.timeout("5 seconds")))], ["/slow", "/watch"]);
          }),
      );
    }));
});
