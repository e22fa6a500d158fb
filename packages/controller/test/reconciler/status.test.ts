import { assert, describe, it } from "@effect/vitest";
import { available, reconcileSuccess } from "@cloud37/core";
import type { KubeObject } from "../../src/kube/types.ts";
import { done } from "../../src/reconciler/outcome.ts";
import { nextStatus } from "../../src/reconciler/status.ts";

describe("nextStatus", () => {
  it("keeps the very same status when only the key order differs from what the API server returned", () => {
    const now = new Date("2026-12-04T00:00:00Z");
    const conditions = [
      { lastTransitionTime: "2026-12-03T00:00:00Z", observedGeneration: 1, reason: "Available", status: "True", type: "Ready" },
      { lastTransitionTime: "2026-12-03T00:00:00Z", observedGeneration: 1, reason: "ReconcileSuccess", status: "True", type: "Synced" },
    ];
    // The API server serializes objects with sorted keys; the provider builds atProvider in its own order.
    const object: KubeObject = {
      apiVersion: "s3.cloud37.dev/v1alpha1",
      kind: "Bucket",
      metadata: { name: "b", namespace: "team", uid: "u-1", generation: 1, resourceVersion: "7" },
      status: { atProvider: { arn: "arn:aws:s3:::b", region: "us-east-1", versioning: "Enabled" }, conditions, observedGeneration: 1 },
    };
    const outcome = { conditions: [available(), reconcileSuccess()], atProvider: { versioning: "Enabled", region: "us-east-1", arn: "arn:aws:s3:::b" }, events: [], result: done() };
    assert.strictEqual(nextStatus(object, outcome, now), object.status);
    const changed = nextStatus(object, { ...outcome, atProvider: { ...outcome.atProvider, versioning: "Suspended" } }, now);
    assert.notStrictEqual(changed, object.status);
    assert.deepStrictEqual((changed as { atProvider: unknown }).atProvider, { versioning: "Suspended", region: "us-east-1", arn: "arn:aws:s3:::b" });
  });
});
