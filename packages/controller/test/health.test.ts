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
