/**
 * The bench's workloads: what a Bucket of each asks for, and the S3 calls that alone make
 * such a bucket (what the raw SDK loop sends, the floor the controller is measured against).
 */
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  type S3Client,
} from "@aws-sdk/client-s3";

export interface Workload {
  readonly name: string;
  /** `spec.forProvider` of each Bucket. */
  readonly forProvider: Record<string, unknown>;
  /** How many sub-resources it configures (the steady-state budget is one read each). */
  readonly subResources: number;
  /** The S3 calls that make one such bucket, in the order the provider applies them. */
  readonly rawCalls: (client: S3Client, bucket: string) => Promise<void>;
}

export const plain: Workload = {
  name: "plain",
  forProvider: {},
  subResources: 0,
  rawCalls: async (client, bucket) => {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  },
};

export const configured: Workload = {
  name: "versioning, encryption, lifecycle, tags",
  forProvider: {
    versioning: { status: "Enabled" },
    encryption: { algorithm: "AES256" },
    lifecycle: { rules: [{ id: "expire-tmp", status: "Enabled", prefix: "tmp/", expiration: { days: 7 } }] },
    tags: { bench: "true", team: "storage" },
  },
  subResources: 4,
  rawCalls: async (client, bucket) => {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
    await client.send(
      new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] } }),
    );
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: [{ ID: "expire-tmp", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 7 } }] },
      }),
    );
    await client.send(
      new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: "bench", Value: "true" }, { Key: "team", Value: "storage" }] } }),
    );
  },
};

/** Runs `count` buckets' raw calls with `concurrency` workers (each bucket's calls in order); seconds taken. */
export const rawLoop = async (client: S3Client, workload: Workload, prefix: string, count: number, concurrency: number): Promise<number> => {
  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      await workload.rawCalls(client, `${prefix}-${String(index).padStart(5, "0")}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - started) / 1000;
};
