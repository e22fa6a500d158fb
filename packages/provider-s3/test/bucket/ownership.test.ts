import { assert, describe, it } from "@effect/vitest";
import { Effect } from "effect";
import { bucketOwnerTag } from "@cloud37/core";
import { markOf, markTag, mayEmpty } from "../../src/bucket/ownership.ts";
import type { MemoryS3 } from "../../src/memoryS3.ts";
import { bucket, bucketUid, memoryClient, recording } from "../fixtures.ts";

/** A bucket someone made at the provider without this controller: no ownership tag. */
const madeOutside = (memory: MemoryS3, name: string, tags: ReadonlyArray<{ Key: string; Value: string }> = [{ Key: "team", Value: "ops" }]) =>
  Effect.promise(async () => {
    await memory.operations.createBucket({ Bucket: name }, new AbortController().signal);
    await memory.operations.putBucketTagging({ Bucket: name, Tagging: { TagSet: [...tags] } }, new AbortController().signal);
    memory.putObject(name, "precious.txt");
  });

const writesOf = (operations: ReadonlyArray<string>) => operations.filter((operation) => !operation.startsWith("Get") && !operation.startsWith("List") && operation !== "HeadBucket");

describe("bucket ownership", () => {
  it("reads and writes the mark: a bare uid when created, adopted:<uid> when adopted", () => {
    assert.deepStrictEqual(markOf([{ Key: bucketOwnerTag, Value: "u1" }]), { owner: "u1", adopted: false });
    assert.deepStrictEqual(markOf([{ Key: bucketOwnerTag, Value: "adopted:u1" }]), { owner: "u1", adopted: true });
    assert.isUndefined(markOf([{ Key: "team", Value: "a" }]));
    assert.deepStrictEqual(markTag({ owner: "u1", adopted: true }), { Key: bucketOwnerTag, Value: "adopted:u1" });
  });

  it.each([
    { adopted: false, forceDestroy: true, adoption: undefined, may: true, why: "a bucket this Bucket created: forceDestroy as asked" },
    { adopted: true, forceDestroy: true, adoption: "Adopt", may: false, why: "an adopted bucket's objects were never ours" },
    { adopted: true, forceDestroy: true, adoption: "AdoptWithForceDestroy", may: true, why: "the opt-in says forceDestroy may empty it" },
    { adopted: true, forceDestroy: false, adoption: "AdoptWithForceDestroy", may: false, why: "no forceDestroy, no emptying" },
  ] as const)("mayEmpty=$may: $why", ({ adopted, forceDestroy, adoption, may }) => {
    assert.strictEqual(mayEmpty({ owner: "u", adopted }, { forceDestroy, ...(adoption === undefined ? {} : { adoption }) }), may);
  });

  it.effect("a store that answers NoSuchTagSet for a missing bucket (MinIO) still reads it as absent: HeadBucket decides", () =>
    Effect.gen(function* () {
      const { client } = yield* memoryClient();
      const { value, operations } = yield* recording(client.observe(bucket("missing", { region: "us-east-1" })));
      assert.deepStrictEqual(value, { exists: false });
      assert.deepStrictEqual(operations, ["GetBucketTagging", "HeadBucket"]);
      yield* client.delete(bucket("missing", { forceDestroy: true }));
    }),
  );

  it.effect("marks the bucket it creates with its uid", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryClient();
      yield* client.create(bucket("mine"));
      assert.deepStrictEqual(memory.buckets.get("mine")?.tags, [{ Key: bucketOwnerTag, Value: bucketUid }]);
    }),
  );

  it.effect("refuses a bucket made outside the controller: observe, update and delete fail with OwnedByOther and write nothing", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryClient();
      yield* madeOutside(memory, "ops-backups");
      const spec = { versioning: { status: "Enabled" as const }, forceDestroy: true };
      const { value: observed, operations: observeCalls } = yield* recording(Effect.flip(client.observe(bucket("ops-backups", spec))));
      assert.strictEqual(observed.reason._tag, "OwnedByOther");
      assert.strictEqual(
        observed.reason.message,
        "bucket ops-backups exists but was not created by this Bucket (it has no s3.cloud37.dev/owner tag): nothing was changed; to manage it, set spec.forProvider.adoption: Adopt (see docs/concepts.md), or choose another name",
      );
      assert.deepStrictEqual(writesOf(observeCalls), []);
      const { value: updated, operations: updateCalls } = yield* recording(Effect.flip(client.update(bucket("ops-backups", spec))));
      assert.strictEqual(updated.reason._tag, "OwnedByOther");
      assert.deepStrictEqual(writesOf(updateCalls), []);
      const { value: deleted, operations: deleteCalls } = yield* recording(Effect.flip(client.delete(bucket("ops-backups", spec))));
      assert.strictEqual(deleted.reason._tag, "OwnedByOther");
      assert.deepStrictEqual(writesOf(deleteCalls), []);
      const stored = memory.buckets.get("ops-backups");
      assert.strictEqual(stored?.versions.length, 1);
      assert.isUndefined(stored?.versioning);
      assert.deepStrictEqual(stored?.tags, [{ Key: "team", Value: "ops" }]);
    }),
  );

  it.effect("never takes a bucket another Bucket owns, even with adoption", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryClient();
      yield* client.create(bucket("theirs", {}, { uid: "uid-of-another" }));
      const error = yield* Effect.flip(client.observe(bucket("theirs", { adoption: "AdoptWithForceDestroy" })));
      assert.strictEqual(error.reason._tag, "OwnedByOther");
      assert.include(error.reason.message, "belongs to another Bucket (its s3.cloud37.dev/owner tag names uid uid-of-another)");
      assert.strictEqual((yield* Effect.flip(client.delete(bucket("theirs", { adoption: "AdoptWithForceDestroy", forceDestroy: true })))).reason._tag, "OwnedByOther");
      assert.isTrue(memory.buckets.has("theirs"));
    }),
  );

  it.effect("a create that finds the bucket marked by another resource (made since observe) writes nothing more", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryClient();
      yield* client.create(bucket("raced", {}, { uid: "uid-of-another" }));
      const { value, operations } = yield* recording(Effect.flip(client.create(bucket("raced", { versioning: { status: "Enabled" } }))));
      assert.strictEqual(value.reason._tag, "OwnedByOther");
      assert.deepStrictEqual(writesOf(operations), ["CreateBucket"]);
      assert.isUndefined(memory.buckets.get("raced")?.versioning);
    }),
  );

  it.effect("adopts with the opt-in: the mark says adopted, other tags stay, and forceDestroy does not empty it", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryClient();
      yield* madeOutside(memory, "legacy");
      const spec = { adoption: "Adopt" as const, versioning: { status: "Enabled" as const } };
      const observed = yield* client.observe(bucket("legacy", spec));
      assert.isTrue(observed.exists && !observed.upToDate);
      assert.deepStrictEqual(observed.exists && observed.drift, ["ownership tag", "versioning"]);
      yield* client.update(bucket("legacy", spec));
      assert.deepStrictEqual(memory.buckets.get("legacy")?.tags, [
        { Key: bucketOwnerTag, Value: `adopted:${bucketUid}` },
        { Key: "team", Value: "ops" },
      ]);
      assert.strictEqual(memory.buckets.get("legacy")?.versioning, "Enabled");
      // Adopted is adopted for good: the opt-in may go, the bucket stays this Bucket's.
      const again = yield* client.observe(bucket("legacy", { versioning: { status: "Enabled" } }));
      assert.isTrue(again.exists && again.upToDate);

      const refused = yield* Effect.flip(client.delete(bucket("legacy", { ...spec, forceDestroy: true })));
      assert.strictEqual(refused.reason._tag, "Conflict");
      assert.include(refused.reason.message, "was adopted: forceDestroy empties an adopted bucket only with spec.forProvider.adoption: AdoptWithForceDestroy");
      assert.strictEqual(memory.buckets.get("legacy")?.versions.length, 1);

      yield* client.delete(bucket("legacy", { adoption: "AdoptWithForceDestroy", forceDestroy: true }));
      assert.isFalse(memory.buckets.has("legacy"));
    }),
  );

  it.effect("settles an interrupted create: an unmarked empty bucket is claimed as created, a non-empty one is refused", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryClient();
      yield* Effect.promise(() => memory.operations.createBucket({ Bucket: "half-made" }, new AbortController().signal));
      const interrupted = { interruptedCreate: true };
      const observed = yield* client.observe(bucket("half-made", {}, interrupted));
      assert.deepStrictEqual(observed.exists && observed.drift, ["ownership tag"]);
      yield* client.update(bucket("half-made", {}, interrupted));
      assert.deepStrictEqual(memory.buckets.get("half-made")?.tags, [{ Key: bucketOwnerTag, Value: bucketUid }]);

      yield* madeOutside(memory, "someone-elses");
      const error = yield* Effect.flip(client.observe(bucket("someone-elses", {}, interrupted)));
      assert.strictEqual(error.reason._tag, "OwnedByOther");
    }),
  );
});
