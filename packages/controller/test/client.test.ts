import { assert, describe, it } from "@effect/vitest";
import { Deferred, Effect } from "effect";
import { TestClock } from "effect/testing";
import { makeKubeApi, mergePatch } from "../src/kube/client.ts";
import type { KubeHttp, KubeRequest } from "../src/kube/http.ts";
import { KubeError, type KubeObject, type ResourceType } from "../src/kube/types.ts";

const bucketType: ResourceType = { group: "s3.cloud37.dev", version: "v1alpha1", kind: "Bucket", plural: "buckets", namespaced: true };

const bucket: KubeObject = {
  apiVersion: "s3.cloud37.dev/v1alpha1",
  kind: "Bucket",
  metadata: { name: "b", namespace: "ns", uid: "uid-b", resourceVersion: "7" },
  status: { conditions: [{ type: "Ready", status: "True" }], atProvider: { arn: "x" } },
};

/** A transport that records requests and answers from `respond` (undefined = 200 with the body echoed). */
const fakeHttp = (respond: (request: KubeRequest) => Effect.Effect<unknown, KubeError> | undefined = () => undefined) => {
  const requests: Array<KubeRequest> = [];
  const http: KubeHttp = {
    request: (request) =>
      Effect.suspend(() => {
        requests.push(request);
        return respond(request) ?? Effect.succeed({ ...(request.body as object), metadata: { ...bucket.metadata, resourceVersion: "8" } });
      }),
    watch: () => Effect.void,
  };
  return { http, requests, writes: () => requests.filter((r) => r.method !== "GET") };
};

const notFound = new KubeError({ operation: "get", status: 404, reason: "NotFound", message: "not found" });

describe("kube api", () => {
  it.effect("patchMetadata sends a merge patch guarded by resourceVersion", () =>
    Effect.gen(function* () {
      const fake = fakeHttp();
      yield* makeKubeApi(fake.http).patchMetadata(bucketType, bucket, { finalizers: ["x"], annotations: { a: null } });
      const [request] = fake.requests;
      assert.strictEqual(request?.method, "PATCH");
      assert.strictEqual(request?.path, "/apis/s3.cloud37.dev/v1alpha1/namespaces/ns/buckets/b");
      assert.deepStrictEqual(request?.body, { metadata: { resourceVersion: "7", finalizers: ["x"], annotations: { a: null } } });
    }));

  it.effect("patchStatus writes nothing when status is unchanged, and nulls removed fields otherwise", () =>
    Effect.gen(function* () {
      const fake = fakeHttp();
      const api = makeKubeApi(fake.http);
      yield* api.patchStatus(bucketType, bucket, { atProvider: { arn: "x" }, conditions: [{ status: "True", type: "Ready" }] });
      assert.strictEqual(fake.writes().length, 0);
      yield* api.patchStatus(bucketType, bucket, { conditions: [] });
      assert.strictEqual(fake.requests[0]?.path, "/apis/s3.cloud37.dev/v1alpha1/namespaces/ns/buckets/b/status");
      assert.deepStrictEqual(fake.requests[0]?.body, { status: { atProvider: null, conditions: [] } });
    }));

  it("mergePatch replaces arrays, recurses into objects and nulls what disappeared", () => {
    assert.deepStrictEqual(mergePatch({ a: { b: 1, c: 2 }, d: [1], e: 1 }, { a: { b: 1 }, d: [2] }), { a: { c: null }, d: [2], e: null });
  });

  it.effect("applySecret creates when absent, writes nothing when equal, patches changed data", () =>
    Effect.gen(function* () {
      const owner = { apiVersion: "s3.cloud37.dev/v1alpha1", kind: "AccessKey", name: "k", uid: "u", controller: true };
      const desired = { namespace: "ns", name: "conn", type: "connection.crossplane.io/v1alpha1", data: { password: "c2VjcmV0" }, ownerReferences: [owner] };
      let existing: unknown = undefined;
      const fake = fakeHttp((request) => (request.method === "GET" ? (existing === undefined ? Effect.fail(notFound) : Effect.succeed(existing)) : undefined));
      const api = makeKubeApi(fake.http);
      yield* api.applySecret(desired);
      assert.deepStrictEqual(fake.writes().map((r) => `${r.method} ${r.path}`), ["POST /api/v1/namespaces/ns/secrets"]);
      existing = { apiVersion: "v1", kind: "Secret", metadata: { name: "conn", namespace: "ns", uid: "s", resourceVersion: "3", ownerReferences: [owner] }, type: desired.type, data: desired.data };
      yield* api.applySecret(desired);
      assert.strictEqual(fake.writes().length, 1, "equal data must not be written");
      yield* api.applySecret({ ...desired, data: { username: "dXNlcg==" } });
      const patch = fake.writes()[1];
      assert.strictEqual(patch?.method, "PATCH");
      assert.deepStrictEqual(patch?.body, { metadata: { resourceVersion: "3" }, data: { password: null, username: "dXNlcg==" } });
    }));

  it.effect("applySecret writes nothing to a Secret another owner controls, or nobody does", () =>
    Effect.gen(function* () {
      const mine = { apiVersion: "s3.cloud37.dev/v1alpha1", kind: "AccessKey", name: "k", uid: "u", controller: true };
      const theirs = { ...mine, name: "other", uid: "someone-else" };
      const desired = { namespace: "ns", name: "conn", type: "connection.crossplane.io/v1alpha1", data: { password: "c2VjcmV0" }, ownerReferences: [mine] };
      for (const ownerReferences of [[theirs], [], [{ ...mine, controller: false }]]) {
        const existing = { apiVersion: "v1", kind: "Secret", metadata: { name: "conn", namespace: "ns", uid: "s", resourceVersion: "3", ownerReferences }, type: desired.type, data: {} };
        const fake = fakeHttp((request) => (request.method === "GET" ? Effect.succeed(existing) : undefined));
        const error = yield* Effect.flip(makeKubeApi(fake.http).applySecret(desired));
        assert.strictEqual(error.reason, "NotControlled");
        assert.strictEqual(fake.writes().length, 0);
      }
    }));

  it.effect("getSecret decodes data and returns undefined when absent", () =>
    Effect.gen(function* () {
      let present = false;
      const fake = fakeHttp(() =>
        present ? Effect.succeed({ metadata: { name: "s", uid: "u", resourceVersion: "1" }, data: { k: Buffer.from("v").toString("base64") } }) : Effect.fail(notFound),
      );
      const api = makeKubeApi(fake.http);
      assert.isUndefined(yield* api.getSecret("ns", "s"));
      present = true;
      assert.deepStrictEqual(yield* api.getSecret("ns", "s"), { data: { k: "v" }, controller: undefined });
    }));

  it.effect("aggregates repeated events into one Event with a growing count within the window", () =>
    Effect.gen(function* () {
      let expired = false;
      const fake = fakeHttp((request) => (request.method === "PATCH" && expired ? Effect.fail(notFound) : undefined));
      const api = makeKubeApi(fake.http, { windowMillis: 10 * 60_000 });
      const failed = { type: "Warning", reason: "CannotObserveExternalResource", message: "access denied" } as const;
      yield* api.recordEvent(bucketType, bucket, failed);
      yield* api.recordEvent(bucketType, bucket, failed);
      yield* api.recordEvent(bucketType, bucket, failed);
      yield* api.flushEvents;
      const [create, ...patches] = fake.writes();
      assert.strictEqual(create?.method, "POST");
      assert.strictEqual(create?.path, "/api/v1/namespaces/ns/events");
      const event = create?.body as { metadata: { name: string }; involvedObject: { uid: string }; count: number };
      assert.strictEqual(event.involvedObject.uid, "uid-b");
      assert.deepStrictEqual(patches.map((p) => [p.path, (p.body as { count: number }).count]), [
        [`/api/v1/namespaces/ns/events/${event.metadata.name}`, 2],
        [`/api/v1/namespaces/ns/events/${event.metadata.name}`, 3],
      ]);
      // A different message is a different event.
      yield* api.recordEvent(bucketType, bucket, { ...failed, message: "bucket name taken" });
      yield* api.flushEvents;
      assert.strictEqual(fake.writes()[3]?.method, "POST");
      // After the window, a repeat starts a new Event.
      yield* TestClock.adjust("11 minutes");
      yield* api.recordEvent(bucketType, bucket, failed);
      yield* api.flushEvents;
      assert.strictEqual(fake.writes()[4]?.method, "POST");
      // An Event the API server already expired is created again instead of failing.
      expired = true;
      yield* api.recordEvent(bucketType, bucket, failed);
      yield* api.flushEvents;
      assert.deepStrictEqual(fake.writes().slice(5).map((r) => r.method), ["PATCH", "POST"]);
    }));

  it.effect("writes events in the background, in order, and drops them beyond maxPending", () =>
    Effect.gen(function* () {
      const release = yield* Deferred.make<void>();
      // The API server does not answer until released: recording must not wait for it.
      const fake = fakeHttp(() => Effect.andThen(Deferred.await(release), Effect.succeed({})));
      const api = makeKubeApi(fake.http, { maxPending: 2 });
      const event = (message: string) => ({ type: "Normal", reason: "Created", message }) as const;
      yield* api.recordEvent(bucketType, bucket, event("first"));
      yield* Effect.yieldNow;
      // "first" is being written; two may wait; the fourth is dropped.
      for (const message of ["second", "third", "fourth"]) yield* api.recordEvent(bucketType, bucket, event(message));
      assert.strictEqual(fake.writes().length, 1);
      yield* Deferred.succeed(release, undefined);
      yield* api.flushEvents;
      assert.deepStrictEqual(fake.writes().map((r) => (r.body as { message: string }).message), ["first", "second", "third"]);
      // A later event starts the writer again.
      yield* api.recordEvent(bucketType, bucket, event("fifth"));
      yield* api.flushEvents;
      assert.strictEqual((fake.writes()[3]?.body as { message: string }).message, "fifth");
    }));
});
