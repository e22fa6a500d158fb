import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PutBucketPolicyCommand } from "@aws-sdk/client-s3";
import { samePolicy } from "@cloud37/core";
import type { RunningController } from "../../src/testbed/index.ts";
import { eventually, uniqueName } from "../kube.ts";
import {
  bucketPolicyYaml,
  bucketYaml,
  createNamespace,
  externalCalls,
  getBucketPolicyResource,
  installCrds,
  k,
  providerConfigYaml,
  providers,
  readBucketPolicy,
  runController,
  s3,
  waitForBucketCondition,
  waitForBucketPolicyCondition,
  waitForBucketPolicyGone,
} from "../harness.ts";

const namespace = "e2e-policy";
let controller: RunningController;

beforeAll(async () => {
  await installCrds();
  await createNamespace(namespace);
  for (const provider of providers) await k(["apply", "-f", "-"], providerConfigYaml(provider, `policy-${provider}`));
  controller = await runController("policy");
});

afterAll(async () => {
  await controller?.service.stop();
});

/** Public read of `public/` and listing of that prefix: what a static-site bucket grants. */
const publicPrefix = (bucket: string) => ({
  Version: "2012-10-17",
  Statement: [
    { Sid: "ReadPublic", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/public/*` },
    {
      Sid: "ListPublic",
      Effect: "Allow",
      Principal: { AWS: ["*"] },
      Action: ["s3:ListBucket"],
      Resource: [`arn:aws:s3:::${bucket}`],
      Condition: { StringLike: { "s3:prefix": ["public/*"] } },
    },
  ],
});

/** The same document written differently: statements swapped, strings and lists exchanged, keys reordered. */
const rewritten = (bucket: string) => ({
  Statement: [
    {
      Condition: { StringLike: { "s3:prefix": "public/*" } },
      Resource: `arn:aws:s3:::${bucket}`,
      Action: "s3:ListBucket",
      Principal: "*",
      Effect: "Allow",
      Sid: "ListPublic",
    },
    { Sid: "ReadPublic", Effect: "Allow", Principal: { AWS: "*" }, Action: ["s3:GetObject"], Resource: [`arn:aws:s3:::${bucket}/public/*`] },
  ],
  Version: "2012-10-17",
});

/** Waits two poll intervals (the controller polls every 5 s). */
const twoPolls = () => new Promise((resolve) => setTimeout(resolve, 11_000));

describe.each(providers)("BucketPolicy on %s", (provider) => {
  const config = `policy-${provider}`;

  /** A Ready Bucket and a Ready BucketPolicy on it (by bucketRef). */
  const readyPolicy = async (prefix: string) => {
    const bucket = uniqueName(`${provider}-${prefix}`);
    await k(["apply", "-f", "-"], bucketYaml({ name: bucket, namespace, providerConfig: config }));
    await k(["apply", "-f", "-"], bucketPolicyYaml({ name: bucket, namespace, providerConfig: config, bucketRef: bucket, policy: publicPrefix(bucket) }));
    await waitForBucketPolicyCondition(namespace, bucket, "Ready", "True", "Available");
    await waitForBucketPolicyCondition(namespace, bucket, "Synced", "True", "ReconcileSuccess");
    return bucket;
  };

  it("attaches the policy to the referenced Bucket, and a rewritten but equal spec causes no update", async () => {
    const bucket = await readyPolicy("pol");
    const stored = await readBucketPolicy(provider, bucket);
    expect(stored.code).toBeUndefined();
    expect(samePolicy(stored.policy, publicPrefix(bucket))).toBe(true);
    expect((await getBucketPolicyResource(namespace, bucket))?.status?.atProvider?.bucketName).toBe(bucket);

    const puts = await externalCalls(controller.metricsUrl, "PutBucketPolicy");
    expect(puts).toBeGreaterThan(0);
    await k(["apply", "-f", "-"], bucketPolicyYaml({ name: bucket, namespace, providerConfig: config, bucketRef: bucket, policy: rewritten(bucket) }));
    await twoPolls();
    expect(await externalCalls(controller.metricsUrl, "PutBucketPolicy")).toBe(puts);
    await waitForBucketPolicyCondition(namespace, bucket, "Synced", "True", "ReconcileSuccess");
  });

  it("repairs a policy changed outside Kubernetes within the poll interval", async () => {
    const bucket = await readyPolicy("poldrift");
    const other = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` }] };
    await s3(provider).send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(other) }));
    expect(samePolicy((await readBucketPolicy(provider, bucket)).policy, other)).toBe(true);
    await eventually("the policy to be repaired", async () => (samePolicy((await readBucketPolicy(provider, bucket)).policy, publicPrefix(bucket)) ? true : undefined), 30_000);
  });

  it("removes the policy when the BucketPolicy is deleted", async () => {
    const bucket = await readyPolicy("poldel");
    await k(["delete", "bucketpolicy", "-n", namespace, bucket, "--wait=false"]);
    await waitForBucketPolicyGone(namespace, bucket);
    expect((await readBucketPolicy(provider, bucket)).code).toBe("NoSuchBucketPolicy");
    await waitForBucketCondition(namespace, bucket, "Ready", "True");
  });

  it("waits for a missing Bucket with a condition naming it, and attaches once the Bucket is created", async () => {
    const bucket = uniqueName(`${provider}-polwait`);
    await k(["apply", "-f", "-"], bucketPolicyYaml({ name: bucket, namespace, providerConfig: config, bucketRef: bucket, policy: publicPrefix(bucket) }));
    const waiting = await waitForBucketPolicyCondition(namespace, bucket, "Synced", "False");
    expect(waiting.message).toContain(bucket);
    expect(waiting.message).toContain("Bucket");

    await k(["apply", "-f", "-"], bucketYaml({ name: bucket, namespace, providerConfig: config }));
    await waitForBucketPolicyCondition(namespace, bucket, "Ready", "True", "Available", 90_000);
    await waitForBucketPolicyCondition(namespace, bucket, "Synced", "True");
    expect(samePolicy((await readBucketPolicy(provider, bucket)).policy, publicPrefix(bucket))).toBe(true);
  });

  it("reports a malformed document with the validation message, and sends nothing", async () => {
    const bucket = uniqueName(`${provider}-polbad`);
    await k(["apply", "-f", "-"], bucketYaml({ name: bucket, namespace, providerConfig: config }));
    await waitForBucketCondition(namespace, bucket, "Ready", "True");
    const malformed = { Version: "2012-10-17", Statement: [{ Effect: "Permit", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` }] };
    await k(["apply", "-f", "-"], bucketPolicyYaml({ name: bucket, namespace, providerConfig: config, bucketRef: bucket, policy: malformed }));
    const refused = await waitForBucketPolicyCondition(namespace, bucket, "Synced", "False");
    expect(refused.message).toContain('spec.forProvider.policy.Statement[0].Effect must be "Allow" or "Deny"');
    expect((await readBucketPolicy(provider, bucket)).code).toBe("NoSuchBucketPolicy");
  });
});
