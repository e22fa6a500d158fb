import { describe, expect, it } from "@effect/vitest";
import { Duration, Effect } from "effect";
import { externalError, InvalidEndpoint, Unauthorized, type Provider, type ProviderName } from "@cloud37/core";
import { clusterProviderConfigType } from "../../src/kinds.ts";
import { makeProviderConfigReconciler } from "../../src/reconciler/providerConfig.ts";
import { FakeKube } from "../fakes/kube.ts";
import { FakeProvider } from "../fakes/provider.ts";

const setup = () => {
  const kube = new FakeKube();
  const fake = new FakeProvider();
  kube.putDefaultProviderConfig();
  const reconcile = makeProviderConfigReconciler({
    type: clusterProviderConfigType,
    kube: kube.api,
    cache: kube.cache(clusterProviderConfigType),
    managed: [],
    providers: new Map<ProviderName, Provider>([["minio", fake.provider]]),
    pollInterval: Duration.seconds(60),
  });
  const condition = (type: string) =>
    (kube.cache(clusterProviderConfigType).get("default")?.status as { conditions?: Array<{ type: string; status: string; reason: string; message?: string }> } | undefined)?.conditions?.find(
      (c) => c.type === type,
    );
  return { fake, reconcile: () => reconcile("default"), condition };
};

describe("ProviderConfig checks", () => {
  it.effect("reads a TLS failure as an endpoint problem, not as rejected credentials", () =>
    Effect.gen(function* () {
      const t = setup();
      t.fake.failNext.check = externalError("GetCallerIdentity", new InvalidEndpoint({ message: "TLS verification of the endpoint failed: DEPTH_ZERO_SELF_SIGNED_CERT" }));
      yield* t.reconcile();
      expect(t.condition("EndpointReachable")).toMatchObject({ status: "False", reason: "Unreachable", message: "GetCallerIdentity: TLS verification of the endpoint failed: DEPTH_ZERO_SELF_SIGNED_CERT" });
      expect(t.condition("AuthValid")?.status).toBe("Unknown");
      expect(t.condition("Ready")?.status).toBe("False");
    }));

  it.effect("reads refused credentials as AuthValid=False with the endpoint reachable", () =>
    Effect.gen(function* () {
      const t = setup();
      t.fake.failNext.check = externalError("GetCallerIdentity", new Unauthorized({ message: "InvalidClientTokenId (HTTP 403)" }));
      yield* t.reconcile();
      expect(t.condition("AuthValid")).toMatchObject({ status: "False", reason: "CredentialsRejected" });
      expect(t.condition("EndpointReachable")?.status).toBe("True");
    }));
});
