import { ExternalCalls } from "@cloud37/core";
import { Context, Effect, Layer } from "effect";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { KubeObject } from "../kube/types.ts";

/**
 * crossplane-runtime's managed-resource metrics, with its names, label (`gvk`, written as Go's
 * GroupVersionKind.String(): "s3.cloud37.dev/v1alpha1, Kind=Bucket") and buckets, so
 * dashboards made for Crossplane providers work unchanged.
 */
export interface ManagedResourceMetrics {
  readonly firstTimeToReconcile: Histogram<"gvk">;
  readonly firstTimeToReadiness: Histogram<"gvk">;
  readonly drift: Histogram<"gvk">;
  readonly deletion: Histogram<"gvk">;
  /** Counts `crossplane_managed_resource_exists|ready|synced` from `objects` at every scrape. */
  readonly trackState: (gvk: string, objects: () => ReadonlyArray<KubeObject>) => void;
}

/** The controller's Prometheus metrics, all in one Registry served on /metrics. */
export interface MetricsShape {
  readonly registry: Registry;
  readonly reconcileTotal: Counter<"controller" | "result">;
  readonly reconcileDuration: Histogram<"controller">;
  readonly externalCallsTotal: Counter<"operation" | "result">;
  readonly externalCallDuration: Histogram<"operation">;
  readonly workqueueDepth: Gauge<"controller">;
  readonly workqueueAdds: Counter<"controller">;
  readonly workqueueRetries: Counter<"controller">;
  readonly kubeApiWrites: Counter<"verb" | "resource">;
  readonly leader: Gauge;
  readonly managedResources: ManagedResourceMetrics;
}

/** Builds a fresh Registry with default Node metrics and the controller's own metrics. */
export const makeMetrics = (options: { readonly defaultMetrics?: boolean } = {}): MetricsShape => {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    reconcileTotal: new Counter({
      name: "s3provider_reconcile_total",
      help: "Reconciles by controller and result (success, requeue, retry, error).",
      labelNames: ["controller", "result"],
      registers,
    }),
    reconcileDuration: new Histogram({
      name: "s3provider_reconcile_duration_seconds",
      help: "Duration of one reconcile.",
      labelNames: ["controller"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    externalCallsTotal: new Counter({
      name: "s3provider_external_calls_total",
      help: "Calls to object store APIs by operation and result (ok or an error reason).",
      labelNames: ["operation", "result"],
      registers,
    }),
    externalCallDuration: new Histogram({
      name: "s3provider_external_call_duration_seconds",
      help: "Duration of one call to an object store API.",
      labelNames: ["operation"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    workqueueDepth: new Gauge({
      name: "s3provider_workqueue_depth",
      help: "Keys waiting in a controller's work queue (not counting delayed ones).",
      labelNames: ["controller"],
      registers,
    }),
    workqueueAdds: new Counter({
      name: "s3provider_workqueue_adds_total",
      help: "Keys added to a controller's work queue.",
      labelNames: ["controller"],
      registers,
    }),
    workqueueRetries: new Counter({
      name: "s3provider_workqueue_retries_total",
      help: "Rate-limited requeues after a failed reconcile.",
      labelNames: ["controller"],
      registers,
    }),
    kubeApiWrites: new Counter({
      name: "s3provider_kube_api_writes_total",
      help: "Writes (create, patch, update, delete) to the Kubernetes API by verb and resource.",
      labelNames: ["verb", "resource"],
      registers,
    }),
    leader: new Gauge({ name: "s3provider_leader", help: "1 while this replica holds the leader lease.", registers }),
    managedResources: makeManagedResourceMetrics(registers),
  };
};

/** The exponential buckets crossplane-runtime uses for first-time-to-reconcile and drift: 10 ns to 10 s, ×10. */
const nanosecondBuckets = Array.from({ length: 10 }, (_, n) => Number(`1e${n - 8}`));
/** Its buckets for first-time-to-readiness and deletion, in seconds. */
const lifecycleBuckets = [1, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];

const hasTrueCondition = (object: KubeObject, type: string): boolean =>
  (object.status as { conditions?: ReadonlyArray<{ type: string; status: string }> } | undefined)?.conditions?.some(
    (condition) => condition.type === type && condition.status === "True",
  ) ?? false;

const makeManagedResourceMetrics = (registers: Array<Registry>): ManagedResourceMetrics => {
  const sources = new Map<string, () => ReadonlyArray<KubeObject>>();
  const stateGauge = (name: string, help: string, counts: (objects: ReadonlyArray<KubeObject>) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["gvk"],
      registers,
      collect() {
        for (const [gvk, objects] of sources) this.set({ gvk }, counts(objects()));
      },
    });
  stateGauge("crossplane_managed_resource_exists", "The number of managed resources that exist", (objects) => objects.length);
  stateGauge("crossplane_managed_resource_ready", "The number of managed resources in Ready=True state", (objects) => objects.filter((o) => hasTrueCondition(o, "Ready")).length);
  stateGauge("crossplane_managed_resource_synced", "The number of managed resources in Synced=True state", (objects) => objects.filter((o) => hasTrueCondition(o, "Synced")).length);
  const histogram = (name: string, help: string, buckets: Array<number>) => new Histogram({ name, help, labelNames: ["gvk"], buckets, registers });
  return {
    firstTimeToReconcile: histogram(
      "crossplane_managed_resource_first_time_to_reconcile_seconds",
      "The time it took for a managed resource to be detected by the controller",
      nanosecondBuckets,
    ),
    firstTimeToReadiness: histogram(
      "crossplane_managed_resource_first_time_to_readiness_seconds",
      "The time it took for a managed resource to become ready first time after creation",
      lifecycleBuckets,
    ),
    drift: histogram(
      "crossplane_managed_resource_drift_seconds",
      "ALPHA: How long since the previous successful reconcile when a resource was found to be out of sync; excludes restart of the provider",
      nanosecondBuckets,
    ),
    deletion: histogram("crossplane_managed_resource_deletion_seconds", "The time it took for a managed resource to be deleted", lifecycleBuckets),
    trackState: (gvk, objects) => {
      sources.set(gvk, objects);
    },
  };
};

/** The controller's metrics as a service; each layer build gets its own Registry. */
export class Metrics extends Context.Service<Metrics, MetricsShape>()("cloud37/controller/observability/Metrics") {
  /** Fresh metrics with default Node metrics. */
  static readonly layer = Layer.sync(Metrics, () => makeMetrics());
  /** Fresh metrics without default Node metrics (for tests). */
  static readonly layerTest = Layer.sync(Metrics, () => makeMetrics({ defaultMetrics: false }));
}

/** Core's `ExternalCalls` reference, counting provider calls in these metrics. */
export const externalCallsFor = (metrics: MetricsShape): typeof ExternalCalls.Service => ({
  record: (call) => {
    metrics.externalCallsTotal.inc({ operation: call.operation, result: call.result });
    metrics.externalCallDuration.observe({ operation: call.operation }, call.seconds);
  },
});

/** Provides core's `ExternalCalls` from the `Metrics` service. */
export const ExternalCallsLive = Layer.effect(
  ExternalCalls,
  Effect.gen(function* () {
    return externalCallsFor(yield* Metrics);
  }),
);
