import { assert, describe, it } from "@effect/vitest";
import { Effect } from "effect";
import { serveHealth } from "../src/observability/health.ts";
import { makeMetrics } from "../src/observability/metrics.ts";

describe("health server", () => {
  it.live("serves /healthz, /readyz (503 until ready) and /metrics on one random port", () =>
    Effect.gen(function* () {
      const metrics = makeMetrics();
      metrics.kubeApiWrites.inc({ verb: "patch", resource: "buckets/status" });
      let ready = false;
      const port = yield* serveHealth({ port: 0, host: "127.0.0.1", registry: metrics.registry, isReady: () => ready });
      assert.isAbove(port, 0);
      const get = (path: string) =>
        Effect.promise(async () => {
          const response = await fetch(`http://127.0.0.1:${port}${path}`);
          return { status: response.status, body: await response.text() };
        });
      assert.strictEqual((yield* get("/healthz")).status, 200);
      assert.strictEqual((yield* get("/readyz")).status, 503);
      ready = true;
      assert.strictEqual((yield* get("/readyz")).status, 200);
      const scrape = yield* get("/metrics");
      assert.include(scrape.body, 's3provider_kube_api_writes_total{verb="patch",resource="buckets/status"} 1');
      assert.include(scrape.body, "process_resident_memory_bytes");
      assert.strictEqual((yield* get("/nope")).status, 404);
    }).pipe(Effect.scoped));
});

describe("health server address", () => {
  const answers = (address: string, port: number) =>
    Effect.promise(() =>
      fetch(`http://${address}:${port}/healthz`).then(
        (response) => response.status,
        () => "refused" as const,
      ),
    );

  it.live("listens only on the bind address when one is given (the pod's IP in the chart)", () =>
    Effect.gen(function* () {
      const port = yield* serveHealth({ port: 0, host: "127.0.0.1", registry: makeMetrics({ defaultMetrics: false }).registry, isReady: () => true });
      assert.strictEqual(yield* answers("127.0.0.1", port), 200);
      // 127.0.0.2 is the same loopback interface: only the bound address answers.
      assert.strictEqual(yield* answers("127.0.0.2", port), "refused");
    }).pipe(Effect.scoped));

  it.live("listens on every address by default", () =>
    Effect.gen(function* () {
      const port = yield* serveHealth({ port: 0, registry: makeMetrics({ defaultMetrics: false }).registry, isReady: () => true });
      assert.strictEqual(yield* answers("127.0.0.1", port), 200);
      assert.strictEqual(yield* answers("127.0.0.2", port), 200);
    }).pipe(Effect.scoped));
});
