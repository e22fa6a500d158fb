import { describe, expect, it } from "vitest";
import { bucketNameOf, isUpToDate, policyText, validateDocument } from "../../src/bucketPolicy/convert.ts";

const spec = (policy: Record<string, unknown>) => ({ bucketName: "b", policy });
const read = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };

describe("bucket policy convert", () => {
  it.each<{ why: string; stored: string; upToDate: boolean }>([
    { why: "the same text is up to date", stored: JSON.stringify({ Version: "2012-10-17", Statement: [read] }), upToDate: true },
    {
      why: "MinIO's rewrite (lists, {AWS: [*]}) is the same policy",
      stored: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":["s3:GetObject"],"Resource":["arn:aws:s3:::b/*"]}]}',
      upToDate: true,
    },
    { why: "another action is drift", stored: JSON.stringify({ Version: "2012-10-17", Statement: [{ ...read, Action: "s3:PutObject" }] }), upToDate: false },
    { why: "a stored text that is not JSON differs from any spec", stored: "{not json", upToDate: false },
  ])("$why", ({ stored, upToDate }) => {
    expect(isUpToDate(spec({ Version: "2012-10-17", Statement: [read] }), stored)).toBe(upToDate);
  });

  it("refuses a malformed document with InvalidSpec naming the spec field", () => {
    const error = validateDocument(spec({ Version: "2012-10-17", Statement: [{ ...read, Effect: "Permit" }] }));
    expect(error?.reason).toMatchObject({
      _tag: "InvalidSpec",
      field: "spec.forProvider.policy",
      message: 'spec.forProvider.policy.Statement[0].Effect must be "Allow" or "Deny"',
    });
    expect(validateDocument(spec({ Version: "2012-10-17", Statement: [read] }))).toBeUndefined();
  });

  it("sends the document as JSON text", () => {
    expect(JSON.parse(policyText(spec({ Statement: [read] })))).toEqual({ Statement: [read] });
  });

  it("needs a bucket name (the controller resolves bucketRef into it)", () => {
    expect(bucketNameOf({ bucketName: "b", policy: {} })).toBe("b");
    const missing = bucketNameOf({ bucketRef: { name: "x" }, policy: {} });
    expect(typeof missing !== "string" && missing.reason._tag).toBe("InvalidSpec");
  });
});
