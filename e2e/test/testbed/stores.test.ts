import { describe, expect, it } from "vitest";
import { CreateBucketCommand, DeleteBucketCommand, ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { GetUserCommand, IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { uniqueName } from "../kube.ts";
import { testbed } from "../testbed-info.ts";

const region = "us-east-1";
const failureOf = async (promise: Promise<unknown>): Promise<{ name: string; status: number | undefined }> => {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("the call was accepted");
};

describe("MinIO", () => {
  const s3 = (secretKey: string) =>
    new S3Client({ endpoint: testbed().minio.endpoint, region, forcePathStyle: true, credentials: { accessKeyId: testbed().minio.accessKey, secretAccessKey: secretKey } });

  it("answers signed S3 calls", async () => {
    const bucket = uniqueName("probe");
    const client = s3(testbed().minio.secretKey);
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const { Buckets } = await client.send(new ListBucketsCommand({}));
    expect(Buckets?.map((b) => b.Name)).toContain(bucket);
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  });

  it("answers signed STS calls (AssumeRole for the root user)", async () => {
    const sts = new STSClient({ endpoint: testbed().minio.endpoint, region, credentials: { accessKeyId: testbed().minio.accessKey, secretAccessKey: testbed().minio.secretKey } });
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: "arn:xxx:xxx:xxx:xxxx", RoleSessionName: "probe", DurationSeconds: 900 }));
    expect(Credentials?.AccessKeyId).toBeTruthy();
  });

  it("rejects a wrong secret key", async () => {
    expect(await failureOf(s3("wrong-secret-key").send(new ListBucketsCommand({})))).toEqual({ name: "SignatureDoesNotMatch", status: 403 });
  });
});

describe.each(["aws", "wasabi"] as const)("moto standing in for %s", (which) => {
  const credentials = (secret?: string) => ({ accessKeyId: testbed()[which].accessKeyId, secretAccessKey: secret ?? testbed()[which].secretAccessKey });
  const endpoint = () => testbed()[which].endpoint;

  it("answers signed S3, IAM and STS calls", async () => {
    const s3 = new S3Client({ endpoint: endpoint(), region, forcePathStyle: true, credentials: credentials() });
    const bucket = uniqueName("probe");
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain(bucket);
    const iam = new IAMClient({ endpoint: endpoint(), region, credentials: credentials() });
    expect((await iam.send(new GetUserCommand({ UserName: "admin" }))).User?.UserName).toBe("admin");
    const sts = new STSClient({ endpoint: endpoint(), region, credentials: credentials() });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toMatch(/:user\/admin$/);
  });

  it("rejects a wrong secret key and an unknown key id", async () => {
    const s3 = new S3Client({ endpoint: endpoint(), region, forcePathStyle: true, credentials: credentials("wrong-secret-key") });
    expect((await failureOf(s3.send(new ListBucketsCommand({})))).status).toBe(403);
    const iam = new IAMClient({ endpoint: endpoint(), region, credentials: { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x" } });
    expect((await failureOf(iam.send(new ListUsersCommand({})))).status).toBe(403);
    const sts = new STSClient({ endpoint: endpoint(), region, credentials: { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x" } });
    expect((await failureOf(sts.send(new GetCallerIdentityCommand({})))).status).toBe(403);
  });
});
