import { describe, expect, it } from "vitest";
import { normalizePolicy, samePolicy } from "../../src/policy/normalize.ts";

const read = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };
const list = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::b"] };
const policy = (...Statement: ReadonlyArray<unknown>) => ({ Version: "2012-10-17", Statement });

describe("samePolicy", () => {
  it.each<{ why: string; a: unknown; b: unknown; same: boolean }>([
    { why: "a document equals itself", a: policy(read, list), b: policy(read, list), same: true },
    { why: "a string equals a one-element list", a: policy(read), b: policy({ ...read, Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] }), same: true },
    { why: "action lists are sets: order does not matter", a: policy({ ...read, Action: ["s3:GetObject", "s3:GetObjectVersion"] }), b: policy({ ...read, Action: ["s3:GetObjectVersion", "s3:GetObject"] }), same: true },
    { why: "action lists are sets: duplicates do not matter", a: policy({ ...read, Action: ["s3:GetObject", "s3:GetObject"] }), b: policy(read), same: true },
    { why: "resource lists are sets", a: policy({ ...read, Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"] }), b: policy({ ...read, Resource: ["arn:aws:s3:::b/*", "arn:aws:s3:::b"] }), same: true },
    { why: "principal lists are sets", a: policy({ ...list, Principal: { AWS: ["x", "y"] } }), b: policy({ ...list, Principal: { AWS: ["y", "x"] } }), same: true },
    { why: "statement order does not matter", a: policy(read, list), b: policy(list, read), same: true },
    { why: "Principal * is every AWS principal (MinIO answers {AWS: [*]})", a: policy(read), b: policy({ ...read, Principal: { AWS: ["*"] } }), same: true },
    { why: "Principal {AWS: *} is * too (AWS answers *)", a: policy({ ...read, Principal: { AWS: "*" } }), b: policy(read), same: true },
    { why: "key order does not matter", a: policy(read), b: { Statement: [{ Resource: read.Resource, Action: read.Action, Principal: "*", Effect: "Allow" }], Version: "2012-10-17" }, same: true },
    { why: "a single statement object equals a one-element list", a: { Version: "2012-10-17", Statement: read }, b: policy(read), same: true },
    { why: "a missing Version is 2008-10-17", a: { Statement: [read] }, b: { Version: "2008-10-17", Statement: [read] }, same: true },
    { why: "a Sid on one side only is ignored", a: policy({ ...read, Sid: "Public" }), b: policy(read), same: true },
    { why: "an empty Sid is no Sid", a: policy({ ...read, Sid: "" }), b: policy({ ...read, Sid: "Public" }), same: true },
    { why: "Sids pair with the right statements whatever the order", a: policy({ ...read, Sid: "A" }, { ...read, Action: "s3:PutObject", Sid: "B" }), b: policy({ ...read, Action: "s3:PutObject", Sid: "B" }, { ...read, Sid: "A" }), same: true },
    { why: "an Id on one side only is ignored", a: { Id: "x", ...policy(read) }, b: policy(read), same: true },
    { why: "condition values: string equals one-element list", a: policy({ ...read, Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } }), b: policy({ ...read, Condition: { IpAddress: { "aws:SourceIp": ["10.0.0.0/8"] } } }), same: true },
    { why: "condition values: lists are sets", a: policy({ ...read, Condition: { IpAddress: { "aws:SourceIp": ["1.0.0.0/8", "2.0.0.0/8"] } } }), b: policy({ ...read, Condition: { IpAddress: { "aws:SourceIp": ["2.0.0.0/8", "1.0.0.0/8"] } } }), same: true },
    { why: "condition values: a boolean equals its string (stores answer strings)", a: policy({ ...read, Condition: { Bool: { "aws:SecureTransport": false } } }), b: policy({ ...read, Condition: { Bool: { "aws:SecureTransport": ["false"] } } }), same: true },
    { why: "condition blocks: key order does not matter", a: policy({ ...read, Condition: { A: { x: "1" }, B: { y: "2" } } }), b: policy({ ...read, Condition: { B: { y: "2" }, A: { x: "1" } } }), same: true },

    { why: "a different action is a different policy", a: policy(read), b: policy({ ...read, Action: "s3:PutObject" }), same: false },
    { why: "a different resource is a different policy", a: policy(read), b: policy({ ...read, Resource: "arn:aws:s3:::other/*" }), same: false },
    { why: "Allow and Deny differ", a: policy(read), b: policy({ ...read, Effect: "Deny" }), same: false },
    { why: "Action and NotAction differ", a: policy(read), b: policy({ Effect: "Allow", Principal: "*", NotAction: "s3:GetObject", Resource: read.Resource }), same: false },
    { why: "Principal * is not a named principal", a: policy(read), b: policy({ ...read, Principal: { AWS: "arn:aws:iam::1:root" } }), same: false },
    { why: "an extra statement matters", a: policy(read), b: policy(read, list), same: false },
    { why: "a repeated statement counts (statements are a multiset)", a: policy(read, read), b: policy(read, list), same: false },
    { why: "Sids are compared when both set one", a: policy({ ...read, Sid: "A" }), b: policy({ ...read, Sid: "B" }), same: false },
    { why: "Sids are swapped between statements", a: policy({ ...read, Sid: "A" }, { ...list, Sid: "B" }), b: policy({ ...read, Sid: "B" }, { ...list, Sid: "A" }), same: false },
    { why: "Ids are compared when both set one", a: { Id: "x", ...policy(read) }, b: { Id: "y", ...policy(read) }, same: false },
    { why: "versions differ", a: policy(read), b: { Version: "2008-10-17", Statement: [read] }, same: false },
    { why: "a missing Version is not 2012-10-17", a: { Statement: [read] }, b: policy(read), same: false },
    { why: "a condition changes the meaning", a: policy(read), b: policy({ ...read, Condition: { Bool: { "aws:SecureTransport": "true" } } }), same: false },
    { why: "condition values differ", a: policy({ ...read, Condition: { Bool: { "aws:SecureTransport": "true" } } }), b: policy({ ...read, Condition: { Bool: { "aws:SecureTransport": "false" } } }), same: false },
    { why: "a non-object is only the same as an equal non-object", a: "policy", b: policy(read), same: false },
  ])("$why", ({ a, b, same }) => {
    expect(samePolicy(a, b)).toBe(same);
    expect(samePolicy(b, a)).toBe(same);
  });
});

describe("normalizePolicy", () => {
  it("writes every equivalent form the same way", () => {
    expect(normalizePolicy({ Statement: { Sid: "", Effect: "Allow", Principal: "*", Action: ["s3:b", "s3:a", "s3:b"], Resource: "r", Condition: { Bool: { k: true } } } })).toEqual({
      Version: "2008-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: ["*"] }, Action: ["s3:a", "s3:b"], Resource: ["r"], Condition: { Bool: { k: ["true"] } } }],
    });
  });

  it("keeps resources as written: no assumption about what kind of ARN they are", () => {
    const normalized = normalizePolicy(policy({ Effect: "Allow", Action: "iam:GetUser", Resource: ["arn:aws:iam::1:user/b", "*"] }));
    expect(normalized.Statement).toEqual([{ Effect: "Allow", Action: ["iam:GetUser"], Resource: ["*", "arn:aws:iam::1:user/b"] }]);
  });

  it("sorts statements, so equal documents give equal text", () => {
    expect(JSON.stringify(normalizePolicy(policy(read, list)))).toBe(JSON.stringify(normalizePolicy(policy(list, read))));
  });
});
