import { describe, expect, it } from "@effect/vitest";
import { Effect, Redacted } from "effect";
import { TestClock } from "effect/testing";
import { clusterProviderConfigType } from "../../src/kinds.ts";
import { cachedAccountResolver } from "../../src/reconciler/account.ts";
import { FakeKube } from "../fakes/kube.ts";

const secretOf = (account: { credentials: { source: string; secretAccessKey?: Redacted.Redacted<string> } }) =>
  account.credentials.secretAccessKey === undefined ? undefined : Redacted.value(account.credentials.secretAccessKey);

describe("the Account cache", () => {
  it.effect("reads the credentials Secret once per TTL, and again at once when the ProviderConfig changes", () =>
    Effect.gen(function* () {
      const kube = new FakeKube();
      kube.putDefaultProviderConfig("first");
      let reads = 0;
      const api = { ...kube.api, getSecret: (namespace: string, name: string) => Effect.andThen(Effect.sync(() => reads++), kube.api.getSecret(namespace, name)) };
      const resolve = cachedAccountResolver(10_000);
      const config = () => kube.cache(clusterProviderConfigType).get("default")!;
      expect(secretOf(yield* resolve(api, config()))).toBe("first");
      yield* resolve(api, config());
      expect(reads).toBe(1);
      // A rotated Secret is seen once the TTL has passed.
      kube.secrets.set("ops/minio-creds", { type: "Opaque", data: { "access-key-id": "AKID", "secret-access-key": "second" }, owners: [] });
      expect(secretOf(yield* resolve(api, config()))).toBe("first");
      yield* TestClock.adjust("11 seconds");
      expect(secretOf(yield* resolve(api, config()))).toBe("second");
      expect(reads).toBe(2);
      // A changed ProviderConfig (a new resourceVersion) is resolved again at once.
      yield* kube.api.patchMetadata(clusterProviderConfigType, config(), { annotations: { touched: "1" } });
      yield* resolve(api, config());
      expect(reads).toBe(3);
    }));
});
