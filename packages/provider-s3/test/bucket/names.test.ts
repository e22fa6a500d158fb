import { describe, expect, it } from "vitest";
import { bucketNameProblem } from "../../src/bucket/names.ts";

describe("bucketNameProblem", () => {
  it.each([
    { name: "my-bucket", why: "lowercase letters and a hyphen" },
    { name: "abc", why: "the shortest name allowed" },
    { name: "a".repeat(63), why: "the longest name allowed" },
    { name: "logs.example.com", why: "dots are allowed" },
    { name: "1bucket2", why: "digits may start and end a name" },
  ])("accepts $name: $why", ({ name }) => {
    expect(bucketNameProblem(name)).toBeUndefined();
  });

  it.each([
    { name: "ab", problem: "3 to 63 characters", why: "too short" },
    { name: "a".repeat(64), problem: "3 to 63 characters", why: "too long" },
    { name: "My-Bucket", problem: "lowercase letters, digits, hyphens and dots", why: "uppercase" },
    { name: "my_bucket", problem: "lowercase letters, digits, hyphens and dots", why: "underscore" },
    { name: "-bucket", problem: "start and end with a letter or digit", why: "leading hyphen" },
    { name: "bucket.", problem: "start and end with a letter or digit", why: "trailing dot" },
    { name: "my..bucket", problem: "two adjacent dots", why: "adjacent dots" },
    { name: "192.168.5.4", problem: "IP address", why: "IP form" },
    { name: "xn--bucket", problem: "xn--", why: "punycode prefix" },
    { name: "bucket-s3alias", problem: "-s3alias", why: "access point alias suffix" },
    { name: "bucket--ol-s3", problem: "--ol-s3", why: "object lambda alias suffix" },
  ])("refuses $name: $why", ({ name, problem }) => {
    const message = bucketNameProblem(name);
    expect(message).toContain(problem);
    expect(message).toContain("metadata.name or the crossplane.io/external-name annotation");
  });
});
