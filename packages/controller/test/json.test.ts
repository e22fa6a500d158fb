import { assert, describe, it } from "@effect/vitest";
import { jsonEqual } from "../src/kube/json.ts";

describe("jsonEqual", () => {
  it("ignores key order and undefined-valued keys, as serialized JSON would", () => {
    assert.isTrue(jsonEqual({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: "s" } }, { a: { c: "s", d: [1, { x: 1, y: 2 }] }, b: 1 }));
    assert.isTrue(jsonEqual({ a: 1, gone: undefined }, { a: 1 }));
    assert.isTrue(jsonEqual({ a: 1 }, { a: 1, gone: undefined }));
    assert.isTrue(jsonEqual(null, null));
  });

  it("tells apart different values, types, lengths and keys", () => {
    assert.isFalse(jsonEqual({ a: 1 }, { a: 2 }));
    assert.isFalse(jsonEqual({ a: 1 }, { a: 1, b: 2 }));
    assert.isFalse(jsonEqual({ a: 1, b: 2 }, { a: 1 }));
    assert.isFalse(jsonEqual({ a: 1, b: undefined }, { a: 1, c: 3 }));
    assert.isFalse(jsonEqual([1, 2], [1, 2, 3]));
    assert.isFalse(jsonEqual([1], { 0: 1 }));
    assert.isFalse(jsonEqual({ a: null }, { a: {} }));
    assert.isFalse(jsonEqual("1", 1));
  });
});
