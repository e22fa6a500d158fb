import { describe, expect, it } from "vitest";
import { validatePolicy, type PolicyKind } from "../../src/policy/validate.ts";

const allow = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };
const policy = (...Statement: ReadonlyArray<unknown>) => ({ Version: "2012-10-17", Statement });

describe("validatePolicy accepts", () => {
  it.each<{ why: string; doc: unknown; kind?: PolicyKind }>([
    { why: "the usual public-read bucket policy", doc: policy(allow) },
    { why: "Version may be left out (AWS reads it as 2008-10-17)", doc: { Statement: [allow] } },
    { why: "the old 2008-10-17 version is still valid", doc: { Version: "2008-10-17", Statement: [allow] } },
    { why: "Statement may be a single object", doc: { Version: "2012-10-17", Statement: allow } },
    { why: "lists and negations: NotPrincipal, NotAction, NotResource", doc: policy({ Effect: "Deny", NotPrincipal: { AWS: ["arn:aws:iam::1:root"] }, NotAction: ["s3:Get*"], NotResource: ["arn:aws:s3:::b"] }) },
    { why: "a Sid and an Id are optional strings", doc: { Id: "p1", ...policy({ Sid: "Public", ...allow }) } },
    { why: "condition values may be strings, numbers, booleans or lists of them", doc: policy({ ...allow, Condition: { Bool: { "aws:SecureTransport": false }, NumericLessThan: { "s3:max-keys": 10 }, IpAddress: { "aws:SourceIp": ["10.0.0.0/8"] } } }) },
    { why: "an identity policy names no principal", doc: policy({ Effect: "Allow", Action: "s3:*", Resource: "*" }), kind: "identity" },
  ])("$why", ({ doc, kind }) => {
    expect(validatePolicy(doc, kind === undefined ? {} : { kind })).toBeUndefined();
  });
});

describe("validatePolicy refuses", () => {
  it.each<{ why: string; doc: unknown; message: string; kind?: PolicyKind }>([
    { why: "a document must be an object", doc: [allow], message: "policy must be an object with Version and Statement" },
    { why: "only 2012-10-17 and 2008-10-17 exist", doc: { Version: "2020-01-01", Statement: [allow] }, message: 'policy.Version must be "2012-10-17" or "2008-10-17"' },
    { why: "a number is not a version string", doc: { Version: 2012, Statement: [allow] }, message: 'policy.Version must be "2012-10-17" or "2008-10-17"' },
    { why: "unknown top-level fields are typos", doc: { Version: "2012-10-17", Statements: [allow] }, message: 'policy has an unknown field "Statements" (allowed: Version, Id, Statement)' },
    { why: "Statement is required", doc: { Version: "2012-10-17" }, message: "policy.Statement is required" },
    { why: "an empty Statement list grants nothing and S3 rejects it", doc: policy(), message: "policy.Statement must be an object or a non-empty array of objects" },
    { why: "Statement must not be a string", doc: { Statement: "allow all" }, message: "policy.Statement must be an object or a non-empty array of objects" },
    { why: "each statement must be an object", doc: policy(allow, "x"), message: "policy.Statement[1] must be an object" },
    { why: "Effect is case-sensitive", doc: policy(allow, { ...allow, Effect: "allow" }), message: 'policy.Statement[1].Effect must be "Allow" or "Deny"' },
    { why: "Effect is required", doc: policy({ Principal: "*", Action: "s3:GetObject", Resource: "*" }), message: 'policy.Statement[0].Effect must be "Allow" or "Deny"' },
    { why: "a single-object Statement is named without an index", doc: { Statement: { ...allow, Effect: "Permit" } }, message: 'policy.Statement.Effect must be "Allow" or "Deny"' },
    { why: "an action is required", doc: policy({ Effect: "Allow", Principal: "*", Resource: "*" }), message: "policy.Statement[0] must set exactly one of Action and NotAction" },
    { why: "Action and NotAction together are ambiguous", doc: policy({ ...allow, NotAction: "s3:PutObject" }), message: "policy.Statement[0] must set exactly one of Action and NotAction, not both" },
    { why: "a bucket policy needs a resource", doc: policy({ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }), message: "policy.Statement[0] must set exactly one of Resource and NotResource" },
    { why: "Resource and NotResource together are ambiguous", doc: policy({ ...allow, NotResource: "x" }), message: "policy.Statement[0] must set exactly one of Resource and NotResource, not both" },
    { why: "an empty action list grants nothing", doc: policy({ ...allow, Action: [] }), message: "policy.Statement[0].Action must be a non-empty string or a non-empty array of non-empty strings" },
    { why: "actions are strings", doc: policy({ ...allow, Action: ["s3:GetObject", 3] }), message: "policy.Statement[0].Action must be a non-empty string or a non-empty array of non-empty strings" },
    { why: "resources are strings", doc: policy({ ...allow, Resource: { arn: "x" } }), message: "policy.Statement[0].Resource must be a non-empty string or a non-empty array of non-empty strings" },
    { why: "a bucket policy says whom it applies to", doc: policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }), message: "policy.Statement[0] must set exactly one of Principal and NotPrincipal" },
    { why: "Principal and NotPrincipal together are ambiguous", doc: policy({ ...allow, NotPrincipal: "*" }), message: "policy.Statement[0] must set exactly one of Principal and NotPrincipal, not both" },
    { why: "a principal string other than * is not a principal", doc: policy({ ...allow, Principal: "everyone" }), message: 'policy.Statement[0].Principal must be "*" or an object mapping AWS, Service, Federated, CanonicalUser to a string or an array of strings' },
    { why: "principal types are a closed set", doc: policy({ ...allow, Principal: { User: "bob" } }), message: 'policy.Statement[0].Principal has an unknown principal type "User" (allowed: AWS, Service, Federated, CanonicalUser)' },
    { why: "principal values are strings", doc: policy({ ...allow, Principal: { AWS: [] } }), message: "policy.Statement[0].Principal.AWS must be a non-empty string or a non-empty array of non-empty strings" },
    { why: "unknown statement fields are typos", doc: policy({ ...allow, Actions: "s3:PutObject" }), message: 'policy.Statement[0] has an unknown field "Actions" (allowed: Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition)' },
    { why: "Sid is a string", doc: policy({ ...allow, Sid: 1 }), message: "policy.Statement[0].Sid must be a string" },
    { why: "Sids identify statements, so they are unique", doc: policy({ ...allow, Sid: "A" }, { ...allow, Sid: "A" }), message: 'policy.Statement[1].Sid "A" is used by an earlier statement; Sids must be unique' },
    { why: "a condition block maps keys to values", doc: policy({ ...allow, Condition: { StringEquals: "x" } }), message: "policy.Statement[0].Condition.StringEquals must be a non-empty object mapping condition keys to values" },
    { why: "condition values are scalars", doc: policy({ ...allow, Condition: { StringEquals: { "aws:UserAgent": { a: 1 } } } }), message: "policy.Statement[0].Condition.StringEquals.aws:UserAgent must be a string, number or boolean, or a non-empty array of them" },
    { why: "Condition is an object", doc: policy({ ...allow, Condition: [] }), message: "policy.Statement[0].Condition must be an object mapping condition operators to {key: value} objects" },
    { why: "an identity policy names no principal", doc: policy(allow), message: "policy.Statement[0].Principal is not allowed in an identity policy", kind: "identity" },
  ])("$why", ({ doc, message, kind }) => {
    expect(validatePolicy(doc, kind === undefined ? {} : { kind })).toBe(message);
  });

  it("names the document as the caller asks, so messages point at the spec field", () => {
    expect(validatePolicy({ Statement: [] }, { path: "spec.forProvider.policy" })).toBe(
      "spec.forProvider.policy.Statement must be an object or a non-empty array of objects",
    );
  });
});
