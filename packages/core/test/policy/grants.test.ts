import { describe, expect, it } from "vitest";
import { grantActions, grantPolicy } from "../../src/policy/grants.ts";
import { validatePolicy } from "../../src/policy/validate.ts";

const arn = (bucket: string) => `arn:aws:s3:::${bucket}`;

describe("grantPolicy", () => {
  it("gives each access level two statements (buckets, objects) naming only the granted buckets", () => {
    const policy = grantPolicy(
      [
        { bucketName: "b", access: "ReadOnly" },
        { bucketName: "a", access: "ReadOnly" },
        { bucketName: "logs", access: "WriteOnly" },
      ],
      arn,
    );
    expect(policy.Statement).toEqual([
      { Sid: "ReadOnlyBuckets", Effect: "Allow", Action: grantActions.ReadOnly.bucket, Resource: ["arn:aws:s3:::a", "arn:aws:s3:::b"] },
      { Sid: "ReadOnlyObjects", Effect: "Allow", Action: grantActions.ReadOnly.objects, Resource: ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"] },
      { Sid: "WriteOnlyBuckets", Effect: "Allow", Action: grantActions.WriteOnly.bucket, Resource: ["arn:aws:s3:::logs"] },
      { Sid: "WriteOnlyObjects", Effect: "Allow", Action: grantActions.WriteOnly.objects, Resource: ["arn:aws:s3:::logs/*"] },
    ]);
    expect(validatePolicy(policy, { kind: "identity" })).toBeUndefined();
  });

  it("keeps levels apart: WriteOnly cannot read, ReadOnly cannot write or delete, only Admin has s3:*", () => {
    expect(grantActions.WriteOnly.objects).not.toContain("s3:GetObject");
    expect(grantActions.ReadOnly.objects.filter((action) => /Put|Delete/.test(action))).toEqual([]);
    expect(grantActions.ReadWrite.objects).toEqual(expect.arrayContaining(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]));
    expect([...grantActions.ReadWrite.objects, ...grantActions.ReadWrite.bucket]).not.toContain("s3:*");
    expect(grantActions.Admin).toEqual({ bucket: ["s3:*"], objects: ["s3:*"] });
  });

  it("appends the extra document's statements, a single statement as well as a list", () => {
    const extra = { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" } };
    expect(grantPolicy([], arn, extra).Statement).toEqual([extra.Statement]);
    expect(grantPolicy([{ bucketName: "a", access: "Admin" }], arn, { Statement: [extra.Statement] }).Statement).toHaveLength(3);
  });
});
