import { describe, expect, it } from "vitest";
import type { BucketParameters } from "@cloud37/core";
import { bucketDomainName, canonical, createBucketInput, regionFromLocation, validateSpec } from "../../src/bucket/convert.ts";
import { genericDialect, type Dialect } from "../../src/dialect.ts";
import type { Target } from "../../src/target.ts";
import { account } from "../fixtures.ts";

const target = (region: string, dialect: Dialect = genericDialect): Target => ({
  account: account(),
  dialect,
  region,
  endpoint: "https://s3.example.test",
  forcePathStyle: true,
});
const spec = (parameters: Partial<BucketParameters> = {}): BucketParameters => ({ forceDestroy: false, ...parameters });

describe("createBucketInput", () => {
  it.each([
    { region: "us-east-1", dialect: genericDialect, location: undefined, why: "us-east-1 is S3's default and AWS refuses it as a constraint" },
    { region: "eu-central-1", dialect: genericDialect, location: "eu-central-1", why: "other regions are named" },
    { region: "us-east-1", dialect: { ...genericDialect, omitUsEast1LocationConstraint: false }, location: "us-east-1", why: "a dialect may want it named" },
  ])("$region: $why", ({ region, dialect, location }) => {
    expect(createBucketInput("b1", spec(), target(region, dialect)).CreateBucketConfiguration?.LocationConstraint).toBe(location);
  });

  it("asks for object lock only when the spec does", () => {
    expect(createBucketInput("b1", spec({ objectLockEnabled: true }), target("us-east-1")).ObjectLockEnabledForBucket).toBe(true);
    expect(createBucketInput("b1", spec({ objectLockEnabled: false }), target("us-east-1"))).not.toHaveProperty("ObjectLockEnabledForBucket");
  });
});

describe("regionFromLocation", () => {
  it.each([
    { location: undefined, region: "us-east-1", why: "no constraint means us-east-1" },
    { location: "", region: "us-east-1", why: "an empty constraint means us-east-1" },
    { location: "EU", region: "eu-west-1", why: "EU is eu-west-1's old name" },
    { location: "ap-south-1", region: "ap-south-1", why: "a region is itself" },
  ])("$location → $region: $why", ({ location, region }) => {
    expect(regionFromLocation(location)).toBe(region);
  });
});

describe("validateSpec", () => {
  const noCors: Dialect = {
    ...genericDialect,
    name: "minio",
    unsupported: [{ field: "spec.forProvider.cors", usedBy: (parameters) => parameters.cors !== undefined }],
  };
  it.each([
    { name: "ok-bucket", parameters: spec(), dialect: genericDialect, tag: undefined, why: "a valid name, nothing unsupported" },
    { name: "Bad", parameters: spec(), dialect: genericDialect, tag: "InvalidSpec", why: "the name breaks S3's rules" },
    { name: "ok-bucket", parameters: spec({ cors: { rules: [] } }), dialect: noCors, tag: "Unsupported", why: "the dialect has no CORS" },
    { name: "ok-bucket", parameters: spec({ tags: {} }), dialect: noCors, tag: undefined, why: "fields the dialect supports pass" },
  ])("$why", ({ name, parameters, dialect, tag }) => {
    expect(validateSpec(name, parameters, dialect)?.reason._tag).toBe(tag);
  });

  it("names the field and the provider in an Unsupported message", () => {
    expect(validateSpec("ok-bucket", spec({ cors: { rules: [] } }), noCors)?.reason).toMatchObject({
      field: "spec.forProvider.cors",
      provider: "minio",
      message: "spec.forProvider.cors is not supported by minio",
    });
  });
});

describe("canonical", () => {
  it("ignores key order and undefined fields, keeps array order", () => {
    expect(canonical({ b: 1, a: { d: undefined, c: 2 } })).toBe(canonical({ a: { c: 2 }, b: 1 }));
    expect(canonical([1, 2])).not.toBe(canonical([2, 1]));
  });
});

describe("bucketDomainName", () => {
  const aws: Dialect = { ...genericDialect, name: "aws", bucketDomainName: (bucket, host) => `${bucket}.${host}` };
  it.each([
    { endpoint: undefined, pathStyle: false, domain: "logs.s3.example.test", why: "the provider's own endpoint: its virtual-hosted form" },
    { endpoint: undefined, pathStyle: true, domain: "logs.s3.example.test", why: "path-style requests do not change the bucket's DNS name" },
    { endpoint: "http://127.0.0.1:9000", pathStyle: true, domain: "127.0.0.1:9000", why: "a named endpoint reached path-style: the host itself" },
    { endpoint: "https://vpce.example.test", pathStyle: false, domain: "logs.vpce.example.test", why: "a named endpoint reached virtual-hosted" },
  ])("$why", ({ endpoint, pathStyle, domain }) => {
    const url = endpoint ?? "https://s3.example.test";
    expect(bucketDomainName("logs", { account: account({ endpoint }), dialect: aws, region: "us-east-1", endpoint: url, forcePathStyle: pathStyle })).toBe(domain);
  });
});
