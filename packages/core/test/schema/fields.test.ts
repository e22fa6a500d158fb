import { Schema } from "effect";
import { describe, expect, it } from "vitest";
import { cel } from "../../src/schema/fields.ts";

describe("cel", () => {
  it("adds rules to those a schema already has, so a kind can extend a shared spec", () => {
    const shared = Schema.Struct({ a: Schema.String }).pipe(cel({ rule: "r1", message: "m1" }));
    const extended = shared.pipe(cel({ rule: "r2", message: "m2" }));
    expect(extended.ast.annotations?.["x-kubernetes-validations"]).toEqual([
      { rule: "r1", message: "m1" },
      { rule: "r2", message: "m2" },
    ]);
  });
});
