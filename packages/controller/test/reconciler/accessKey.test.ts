import { describe, expect, it } from "@effect/vitest";
import { Duration, Effect } from "effect";
import { TestClock } from "effect/testing";
import { Annotations, rotationRequestAnnotation, type Provider, type ProviderName } from "@cloud37/core";
import { accessKeyConnector, genericDialect } from "@cloud37/provider-s3";
import { makeMemoryIdentity } from "@cloud37/provider-s3/testing";
import { accessKeyBinding, bucketBinding, clusterProviderConfigType, providerConfigType } from "../../src/kinds.ts";
import { makeManagedReconciler } from "../../src/reconciler/managed.ts";
import { keyOf } from "../../src/runtime/types.ts";
import { FakeKube } from "../fakes/kube.ts";
import { FakeProvider } from "../fakes/provider.ts";

const dayMs = 86_400_000;

/** The controller with the shared AccessKey implementation over an in-memory identity service. */
const setup = (forProvider: Record<string, unknown>, options: { annotations?: Record<string, string>; spec?: Record<string, unknown> } = {}) => {
  const kube = new FakeKube();
  const identity = makeMemoryIdentity();
  const provider: Provider = { ...new FakeProvider().provider, accessKey: accessKeyConnector(genericDialect, () => Effect.succeed(identity.port)) };
  kube.putDefaultProviderConfig();
  kube.put(accessKeyBinding.type, {
    apiVersion: "s3.cloud37.dev/v1alpha1",
    kind: "AccessKey",
    metadata: { name: "reader", namespace: "team", ...(options.annotations === undefined ? {} : { annotations: options.annotations }) },
    spec: { forProvider, writeConnectionSecretToRef: { name: "reader-s3" }, ...options.spec },
  });
  const buckets = kube.cache(bucketBinding.type);
  const reconcile = makeManagedReconciler({
    binding: accessKeyBinding,
    kube: kube.api,
    cache: kube.cache(accessKeyBinding.type),
    providerConfigs: { cluster: kube.cache(clusterProviderConfigType), namespaced: kube.cache(providerConfigType) },
    providers: new Map<ProviderName, Provider>([["minio", provider]]),
    pollInterval: Duration.seconds(60),
    references: { get: (_type, namespace, name) => buckets.get(keyOf(namespace, name)) },
  });
  const object = () => kube.cache(accessKeyBinding.type).get("team/reader");
  // The fake API server keeps Secret data decoded.
  const secret = (): Record<string, string | undefined> => ({ ...kube.secrets.get("team/reader-s3")?.data });
  const condition = (type: string) =>
    (object()?.status as { conditions?: Array<{ type: string; status: string; reason: string; message?: string }> } | undefined)?.conditions?.find((c) => c.type === type);
  const atProvider = () => (object()?.status as { atProvider?: Record<string, unknown> } | undefined)?.atProvider;
  return { kube, identity, reconcile: () => reconcile("team/reader"), object, secret, condition, atProvider };
};

const grants = { buckets: [{ bucketName: "photos", access: "ReadOnly" }] };

describe("AccessKey reconciler", () => {
  it.effect("creates the user, its policy and a key; the Secret holds the key before it is recorded", () =>
    Effect.gen(function* () {
      const t = setup(grants);
      yield* t.reconcile();
      const user = t.identity.users.get("team-reader");
      expect(user?.keys).toHaveLength(1);
      const keyId = user?.keys[0]?.id;
      expect(t.object()?.metadata.annotations?.[Annotations.externalName]).toBe(keyId);
      expect(t.secret()).toMatchObject({ username: keyId, password: user?.keys[0]?.secret, AWS_ACCESS_KEY_ID: keyId, COSI_S3_BUCKET_ID: "photos", COSI_S3_ADDRESSING_STYLE: "path" });
      expect(JSON.stringify(user?.policy)).toContain("arn:aws:s3:::photos/*");

      yield* t.reconcile();
      expect(t.condition("Ready")).toMatchObject({ status: "True" });
      expect(t.atProvider()).toMatchObject({ userName: "team-reader", accessKeyId: keyId });
      // The default user name is late-initialized into the spec.
      expect((t.object()?.spec as { forProvider: { userName?: string } }).forProvider.userName).toBe("team-reader");
      // Observing again publishes only what is not secret: the secret stays.
      yield* t.reconcile();
      expect(t.secret()["password"]).toBe(user?.keys[0]?.secret);
      expect(t.identity.users.get("team-reader")?.keys).toHaveLength(1);
    }));

  it.effect("after an interrupted create, deletes the unrecorded key with a Warning and makes exactly one", () =>
    Effect.gen(function* () {
      const t = setup(grants, { annotations: { [Annotations.createPending]: "2026-01-01T00:00:00Z" } });
      yield* t.identity.port.createUser("team-reader", "uid-reader", undefined);
      const leaked = yield* t.identity.port.createKey("team-reader", "uid-reader", new Date(0));
      yield* t.reconcile();
      const keys = t.identity.users.get("team-reader")?.keys ?? [];
      expect(keys.map((key) => key.id)).not.toContain(leaked.id);
      expect(keys).toHaveLength(1);
      expect(t.kube.events.filter((event) => event.type === "Warning")).toEqual([
        expect.objectContaining({ reason: "ExternalResourceNote", message: expect.stringContaining(`deleted access key ${leaked.id} of user team-reader`) }),
      ]);
    }));

  it.effect("rotates after intervalDays, keeps the previous key for retainPreviousDays, then deletes it", () =>
    Effect.gen(function* () {
      const t = setup({ ...grants, rotation: { enabled: true, intervalDays: 10, retainPreviousDays: 2 } });
      yield* t.reconcile();
      const first = t.secret()["AWS_ACCESS_KEY_ID"];
      yield* t.reconcile();
      expect(Date.parse(String(t.atProvider()?.["nextRotateTime"]))).toBe(Date.parse(String(t.atProvider()?.["lastRotateTime"])) + 10 * dayMs);

      yield* TestClock.adjust(Duration.days(10));
      yield* t.reconcile();
      const second = t.secret()["AWS_ACCESS_KEY_ID"];
      expect(second).not.toBe(first);
      expect(t.object()?.metadata.annotations?.[Annotations.externalName]).toBe(second);
      yield* t.reconcile();
      expect(t.atProvider()).toMatchObject({ accessKeyId: second, previousAccessKeyIds: [first] });
      expect(t.identity.users.get("team-reader")?.keys.map((key) => key.id)).toEqual([first, second]);

      yield* TestClock.adjust(Duration.days(2));
      yield* t.reconcile();
      expect(t.identity.users.get("team-reader")?.keys.map((key) => key.id)).toEqual([second]);
    }));

  it.effect("rotates once when the annotation asks, not again on later polls", () =>
    Effect.gen(function* () {
      const t = setup(grants);
      yield* t.reconcile();
      yield* t.reconcile();
      const first = t.secret()["AWS_ACCESS_KEY_ID"];
      yield* TestClock.adjust(Duration.seconds(30));
      // The request is "now" on the test clock.
      const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis);
      const metadata = t.object()!.metadata;
      t.kube.put(accessKeyBinding.type, { ...t.object()!, metadata: { ...metadata, annotations: { ...metadata.annotations, [rotationRequestAnnotation]: new Date(Number(now)).toISOString() } } });
      yield* t.reconcile();
      const second = t.secret()["AWS_ACCESS_KEY_ID"];
      expect(second).not.toBe(first);
      yield* TestClock.adjust(Duration.seconds(30));
      yield* t.reconcile();
      yield* t.reconcile();
      expect(t.secret()["AWS_ACCESS_KEY_ID"]).toBe(second);
    }));

  it.effect("replaces the key when the connection Secret lost its secret, saying so", () =>
    Effect.gen(function* () {
      const t = setup(grants);
      yield* t.reconcile();
      yield* t.reconcile();
      const first = t.secret()["AWS_ACCESS_KEY_ID"];
      t.kube.secrets.delete("team/reader-s3");
      yield* t.reconcile();
      const second = t.secret()["AWS_ACCESS_KEY_ID"];
      expect(second).not.toBe(first);
      expect(t.secret()["password"]).toBe(t.identity.users.get("team-reader")?.keys.find((key) => key.id === second)?.secret);
      expect(t.kube.events.filter((event) => event.type === "Warning").map((event) => event.message)).toEqual([
        `replaced access key ${first} of user team-reader: the connection Secret no longer held its secret key`,
      ]);
      // Settled: later polls change nothing.
      yield* t.reconcile();
      yield* t.reconcile();
      expect(t.secret()["AWS_ACCESS_KEY_ID"]).toBe(second);
    }));

  it.effect("waits for a granted Bucket that does not exist, naming it", () =>
    Effect.gen(function* () {
      const t = setup({ buckets: [{ bucketRef: { name: "photos" }, access: "ReadWrite" }] });
      yield* t.reconcile();
      expect(t.condition("Synced")).toMatchObject({ status: "False", message: "cannot resolve references: Bucket team/photos does not exist" });
      expect(t.identity.users.size).toBe(0);
    }));

  it.effect("deleting removes the user and every key; Orphan leaves them", () =>
    Effect.gen(function* () {
      for (const deletionPolicy of ["Delete", "Orphan"] as const) {
        const t = setup(grants, { spec: { deletionPolicy } });
        yield* t.reconcile();
        t.kube.put(accessKeyBinding.type, { ...t.object()!, metadata: { ...t.object()!.metadata, deletionTimestamp: "2026-01-01T00:00:00Z" } });
        yield* t.reconcile();
        expect(t.identity.users.has("team-reader")).toBe(deletionPolicy === "Orphan");
      }
    }));
});
