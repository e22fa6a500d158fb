import { describe, expect, it } from "@effect/vitest";
import { Duration, Effect } from "effect";
import type { Provider, ProviderName } from "@cloud37/core";
import { bucketBinding, bucketPolicyBinding, clusterProviderConfigType, providerConfigType } from "../../src/kinds.ts";
import { makeManagedReconciler } from "../../src/reconciler/managed.ts";
import { keyOf } from "../../src/runtime/types.ts";
import { FakeKube } from "../fakes/kube.ts";
import { FakeProvider } from "../fakes/provider.ts";

const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::photos-bucket/*" }] };

describe("BucketPolicy references", () => {
  it.effect("waits for a missing Bucket with a clear message, then applies to its external name once it is Ready", () =>
    Effect.gen(function* () {
      const kube = new FakeKube();
      const fake = new FakeProvider();
      kube.putDefaultProviderConfig();
      kube.put(bucketPolicyBinding.type, {
        apiVersion: "s3.cloud37.dev/v1alpha1",
        kind: "BucketPolicy",
        metadata: { name: "public-read", namespace: "team" },
        spec: { forProvider: { bucketRef: { name: "photos" }, policy } },
      });
      const buckets = kube.cache(bucketBinding.type);
      const reconcile = makeManagedReconciler({
        binding: bucketPolicyBinding,
        kube: kube.api,
        cache: kube.cache(bucketPolicyBinding.type),
        providerConfigs: { cluster: kube.cache(clusterProviderConfigType), namespaced: kube.cache(providerConfigType) },
        providers: new Map<ProviderName, Provider>([["minio", fake.provider]]),
        pollInterval: Duration.seconds(60),
        references: { get: (_type, namespace, name) => buckets.get(keyOf(namespace, name)) },
      });
      const synced = () =>
        (kube.cache(bucketPolicyBinding.type).get("team/public-read")?.status as { conditions?: Array<{ type: string; message?: string }> }).conditions?.find((c) => c.type === "Synced");

      yield* reconcile("team/public-read");
      expect(synced()?.message).toBe("cannot resolve references: Bucket team/photos does not exist");
      expect(fake.calls).toEqual([]);

      kube.put(bucketBinding.type, {
        apiVersion: "s3.cloud37.dev/v1alpha1",
        kind: "Bucket",
        metadata: { name: "photos", namespace: "team", annotations: { "crossplane.io/external-name": "photos-bucket" } },
        spec: { forProvider: {} },
        status: { conditions: [{ type: "Ready", status: "False", reason: "Creating", lastTransitionTime: "2026-01-01T00:00:00Z" }] },
      });
      yield* reconcile("team/public-read");
      expect(synced()?.message).toBe("cannot resolve references: Bucket team/photos is not Ready yet");

      kube.put(bucketBinding.type, {
        apiVersion: "s3.cloud37.dev/v1alpha1",
        kind: "Bucket",
        metadata: { name: "photos", namespace: "team", annotations: { "crossplane.io/external-name": "photos-bucket" } },
        spec: { forProvider: {} },
        status: { conditions: [{ type: "Ready", status: "True", reason: "Available", lastTransitionTime: "2026-01-01T00:00:00Z" }] },
      });
      yield* reconcile("team/public-read");
      expect(fake.policies.get("photos-bucket")).toEqual(policy);
    }));
});
