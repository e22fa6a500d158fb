import { assert, describe, it } from "@effect/vitest";
import { Effect } from "effect";
import { batches } from "../../src/bucket/delete.ts";
import { s3Error } from "../../src/memoryS3.ts";
import { bucket, memoryClient, recording } from "../fixtures.ts";

describe("delete", () => {
  it.effect("refuses a bucket holding anything without forceDestroy, and deletes nothing", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryClient();
      yield* client.create(bucket("full"));
      memory.putObject("full", "a.txt");
      const error = yield* Effect.flip(client.delete(bucket("full")));
      assert.strictEqual(error.reason._tag, "Conflict");
      assert.strictEqual(error.reason.message, "bucket full is not empty; set spec.forProvider.forceDestroy: true to delete it with its contents");
      assert.strictEqual(memory.buckets.get("full")?.versions.length, 1);
    }),
  );

  it.effect("counts a lone delete marker as content (never delete data unless asked)", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryClient();
      yield* client.create(bucket("markers", { versioning: { status: "Enabled" } }));
      memory.deleteObject("markers", "gone.txt");
      assert.strictEqual((yield* Effect.flip(client.delete(bucket("markers")))).reason._tag, "Conflict");
    }),
  );

  it.effect("empties with forceDestroy in DeleteObjects batches of at most 1000, aborts uploads, then deletes", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryClient();
      yield* client.create(bucket("big", { versioning: { status: "Enabled" } }));
      for (let index = 0; index < 1200; index++) memory.putObject("big", `k${String(index).padStart(5, "0")}`);
      for (let index = 0; index < 600; index++) memory.putObject("big", `k${String(index).padStart(5, "0")}`);
      for (let index = 0; index < 700; index++) memory.deleteObject("big", `k${String(index).padStart(5, "0")}`);
      memory.startUpload("big", "partial.bin");
      const { operations } = yield* recording(client.delete(bucket("big", { forceDestroy: true })));
      assert.isFalse(memory.buckets.has("big"));
      // 2500 versions and markers: three pages, three batches, none above 1000.
      assert.deepStrictEqual(memory.deleteBatches, [1000, 1000, 500]);
      assert.include(operations, "AbortMultipartUpload");
      assert.strictEqual(operations[operations.length - 1], "DeleteBucket");
    }),
  );

  it.effect("stops with an error instead of spinning when S3 refuses to delete some objects", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryClient();
      yield* client.create(bucket("held"));
      memory.putObject("held", "a.txt");
      memory.failNext.set("deleteObjects", undefined);
      const original = memory.operations.deleteObjects;
      const operations = memory.operations as { deleteObjects: typeof original };
      operations.deleteObjects = async () => ({ Errors: [{ Key: "a.txt", Code: "AccessDenied", Message: "no" }] });
      const error = yield* Effect.flip(client.delete(bucket("held", { forceDestroy: true })));
      operations.deleteObjects = original;
      assert.strictEqual(error.operation, "DeleteObjects");
      assert.include(error.reason.message, "AccessDenied");
      assert.isTrue(memory.buckets.has("held"));
    }),
  );

  it.effect.each([
    { forceDestroy: false, why: "the emptiness check finds no bucket" },
    { forceDestroy: true, why: "the first listing finds no bucket" },
  ])("succeeds for a bucket that does not exist (forceDestroy $forceDestroy): $why", ({ forceDestroy }) =>
    Effect.gen(function* () {
      const { client } = yield* memoryClient();
      yield* client.delete(bucket("never-was", { forceDestroy }));
    }),
  );

  it.effect("succeeds when the bucket vanishes between the check and DeleteBucket", () =>
    Effect.gen(function* () {
      const { client, memory } = yield* memoryClient();
      yield* client.create(bucket("racy"));
      memory.failNext.set("deleteBucket", s3Error("NoSuchBucket", 404));
      yield* client.delete(bucket("racy"));
    }),
  );

  it.effect("succeeds without a call for a name S3 could never have accepted", () =>
    Effect.gen(function* () {
      const { client } = yield* memoryClient();
      const { operations } = yield* recording(client.delete(bucket("Not_Valid")));
      assert.deepStrictEqual(operations, []);
    }),
  );

  it("splits a page into batches of at most 1000", () => {
    assert.deepStrictEqual(batches(Array.from({ length: 2001 }, (_, index) => index)).map((batch) => batch.length), [1000, 1000, 1]);
    assert.deepStrictEqual(batches([]), []);
  });
});
