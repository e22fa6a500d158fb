import { describe, expect, it } from "@effect/vitest";
import { Effect } from "effect";
import { bucketBinding } from "../../src/kinds.ts";
import { makeOwnWrites } from "../../src/runtime/ownWrites.ts";
import { FakeKube } from "../fakes/kube.ts";

const type = bucketBinding.type;
const bucket = { apiVersion: "s3.cloud37.dev/v1alpha1", kind: "Bucket", metadata: { name: "photos", namespace: "team", uid: "u1", generation: 1 }, spec: {} };

describe("own writes", () => {
  it.effect("recognises the watch events of this controller's writes, once each, and never someone else's", () =>
    Effect.gen(function* () {
      const kube = new FakeKube();
      const stored = kube.put(type, bucket);
      const own = makeOwnWrites();
      const api = own.track(kube.api);
      const first = yield* api.patchMetadata(type, stored, { annotations: { a: "1" } });
      const second = yield* api.patchStatus(type, first, { conditions: [] });
      expect(own.isOwn(type, first)).toBe(true);
      expect(own.isOwn(type, second)).toBe(true);
      expect(own.isOwn(type, second)).toBe(false);
      // A version someone else wrote (not recorded) wakes the object.
      const theirs = yield* kube.api.patchMetadata(type, second, { annotations: { b: "2" } });
      expect(own.isOwn(type, theirs)).toBe(false);
    }));

  it.effect("says a write is in flight until its response is read, so an early watch event can wait for it; forgets an object that is gone", () =>
    Effect.gen(function* () {
      const kube = new FakeKube();
      const own = makeOwnWrites();
      const stored = kube.put(type, bucket);
      let inFlight = false;
      const slow = { ...kube.api, patchMetadata: (t: typeof type, o: typeof stored, p: { annotations: Record<string, string> }) => Effect.andThen(Effect.sync(() => (inFlight = own.writing(type, stored))), kube.api.patchMetadata(t, o, p)) };
      const written = yield* own.track(slow).patchMetadata(type, stored, { annotations: { a: "1" } });
      expect(inFlight).toBe(true);
      expect(own.writing(type, stored)).toBe(false);
      yield* own.settled(type, stored);
      own.forget(type, written);
      expect(own.isOwn(type, written)).toBe(false);
    }));
});
