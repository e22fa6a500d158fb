import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderCrds } from "../../src/crd/generate.ts";
import { toStructural } from "../../src/crd/structural.ts";

describe("CRDs", () => {
  it("checked-in crds/ match the schemas (run `npm run generate` when this fails)", () => {
    for (const { file, text } of renderCrds()) expect(readFileSync(file, "utf8"), file).toBe(text);
  });

  it("drops what structural schemas forbid and keeps open values whole", () => {
    expect(
      toStructural({
        type: "object",
        properties: { policy: {}, n: { type: "integer", maximum: Number.MAX_SAFE_INTEGER } },
        additionalProperties: true,
      }),
    ).toEqual({
      type: "object",
      properties: { policy: { "x-kubernetes-preserve-unknown-fields": true }, n: { type: "integer" } },
    });
  });

  it("writes exclusive bounds the draft-4 way Kubernetes reads them", () => {
    expect(toStructural({ type: "number", exclusiveMinimum: 0 })).toEqual({ type: "number", minimum: 0, exclusiveMinimum: true });
  });

  it("refuses unions, which a structural schema cannot express", () => {
    expect(() => toStructural({ anyOf: [{ type: "string" }, { type: "null" }] })).toThrow(/unions are not structural/);
  });
});

describe("allOf", () => {
  it("is folded into its parent, keeping the CEL rules of both", () => {
    expect(
      toStructural({
        type: "array",
        items: { type: "string" },
        "x-kubernetes-validations": [{ rule: "a", message: "a" }],
        allOf: [{ maxItems: 6, default: ["*"], "x-kubernetes-validations": [{ rule: "b", message: "b" }] }],
      }),
    ).toEqual({
      type: "array",
      items: { type: "string" },
      maxItems: 6,
      default: ["*"],
      "x-kubernetes-validations": [
        { rule: "a", message: "a" },
        { rule: "b", message: "b" },
      ],
    });
  });
});
