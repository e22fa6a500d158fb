import type {
  CORSRule,
  LifecycleRule,
  PublicAccessBlockConfiguration,
  ServerSideEncryptionConfiguration,
  Tag,
} from "@aws-sdk/client-s3";
import { Layer } from "effect";
import { defaultRetrySettings, type RetrySettings } from "@cloud37/core";
import { bucketConnector } from "./bucket/index.ts";
import { bucketPolicyConnector } from "./bucketPolicy/index.ts";
import type { Dialect } from "./dialect.ts";
import { makeS3Port, S3Api, type S3Operations } from "./s3Api.ts";

/** One object version or delete marker held by the in-memory S3. */
export interface MemoryVersion {
  readonly key: string;
  readonly versionId: string;
  readonly deleteMarker: boolean;
}

/** One bucket of the in-memory S3, shaped like S3's own configuration documents. */
export interface MemoryBucket {
  region: string;
  objectLock: boolean;
  versioning: "Enabled" | "Suspended" | undefined;
  encryption: ServerSideEncryptionConfiguration | undefined;
  publicAccessBlock: PublicAccessBlockConfiguration | undefined;
  lifecycle: Array<LifecycleRule> | undefined;
  cors: Array<CORSRule> | undefined;
  tags: Array<Tag> | undefined;
  /** The bucket policy, as the JSON text PutBucketPolicy sent. */
  policy: string | undefined;
  /** Sorted by key, newest version first within a key (S3's listing order). */
  versions: Array<MemoryVersion>;
  uploads: Array<{ readonly key: string; readonly uploadId: string }>;
}

/** An in-memory S3 for unit tests: its buckets, its raw operations, and hooks to inspect and break it. */
export interface MemoryS3 {
  readonly buckets: Map<string, MemoryBucket>;
  /** Bucket names taken by another account: CreateBucket answers BucketAlreadyExists. */
  readonly foreign: Set<string>;
  /** The next call of an operation throws this error instead (one shot). */
  readonly failNext: Map<keyof S3Operations, unknown>;
  /** Every DeleteObjects batch size, in order. */
  readonly deleteBatches: Array<number>;
  readonly operations: S3Operations;
  /** Puts an object (a new version when versioning is enabled). */
  readonly putObject: (bucket: string, key: string) => void;
  /** Deletes an object without a version id (a delete marker when versioning is enabled). */
  readonly deleteObject: (bucket: string, key: string) => void;
  /** Starts a multipart upload. */
  readonly startUpload: (bucket: string, key: string) => void;
}

/** An error shaped like the SDK's: `name` is the S3 code, `$metadata` has the HTTP status. */
export const s3Error = (code: string, status: number): Error =>
  Object.assign(new Error(code), { name: code, $metadata: { httpStatusCode: status }, $fault: status >= 500 ? "server" : "client" });

const emptyBucket = (region: string, objectLock: boolean): MemoryBucket => ({
  region,
  objectLock,
  versioning: objectLock ? "Enabled" : undefined,
  encryption: undefined,
  publicAccessBlock: undefined,
  lifecycle: undefined,
  cors: undefined,
  tags: undefined,
  policy: undefined,
  versions: [],
  uploads: [],
});

/** True when a text is a JSON object (what S3 checks first of a policy). */
const isJsonObject = (text: string | undefined): boolean => {
  try {
    const value: unknown = JSON.parse(text ?? "");
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
};

/** Creates an empty in-memory S3 whose region is `region`. */
export const makeMemoryS3 = (region = "us-east-1"): MemoryS3 => {
  const buckets = new Map<string, MemoryBucket>();
  const foreign = new Set<string>();
  const failNext = new Map<keyof S3Operations, unknown>();
  const deleteBatches: Array<number> = [];
  let sequence = 0;

  const bucketOf = (name: string | undefined): MemoryBucket => {
    const bucket = buckets.get(name ?? "");
    if (bucket === undefined) throw s3Error("NoSuchBucket", 404);
    return bucket;
  };
  const absent = (code: string): never => {
    throw s3Error(code, 404);
  };
  const newVersion = (bucket: MemoryBucket, key: string, deleteMarker: boolean): void => {
    sequence += 1;
    const versionId = bucket.versioning === "Enabled" ? `v${String(sequence).padStart(8, "0")}` : "null";
    if (versionId === "null") bucket.versions = bucket.versions.filter((v) => !(v.key === key && v.versionId === "null"));
    const version = { key, versionId, deleteMarker };
    const at = bucket.versions.findIndex((v) => v.key >= key);
    bucket.versions.splice(at === -1 ? bucket.versions.length : at, 0, version);
  };

  const raw: S3Operations = {
    listBuckets: async () => ({ Buckets: [...buckets.keys()].map((Name) => ({ Name })), Owner: { ID: "memory-owner" } }),
    headBucket: async ({ Bucket }) => ({ BucketRegion: bucketOf(Bucket).region }),
    getBucketLocation: async ({ Bucket }) => {
      const found = bucketOf(Bucket).region;
      return found === "us-east-1" ? {} : { LocationConstraint: found as never };
    },
    createBucket: async ({ Bucket, CreateBucketConfiguration, ObjectLockEnabledForBucket }) => {
      if (Bucket === undefined || foreign.has(Bucket)) throw s3Error("BucketAlreadyExists", 409);
      if (buckets.has(Bucket)) throw s3Error("BucketAlreadyOwnedByYou", 409);
      const location = CreateBucketConfiguration?.LocationConstraint;
      if ((location as string | undefined) === "us-east-1") throw s3Error("InvalidLocationConstraint", 400);
      if ((location ?? "us-east-1") !== region) throw s3Error("IllegalLocationConstraintException", 400);
      buckets.set(Bucket, emptyBucket(region, ObjectLockEnabledForBucket === true));
      return {};
    },
    deleteBucket: async ({ Bucket }) => {
      const bucket = bucketOf(Bucket);
      if (bucket.versions.length > 0) throw s3Error("BucketNotEmpty", 409);
      buckets.delete(Bucket ?? "");
      return {};
    },
    getBucketVersioning: async ({ Bucket }) => {
      const status = bucketOf(Bucket).versioning;
      return status === undefined ? {} : { Status: status };
    },
    putBucketVersioning: async ({ Bucket, VersioningConfiguration }) => {
      const bucket = bucketOf(Bucket);
      if (bucket.objectLock && VersioningConfiguration?.Status === "Suspended") throw s3Error("InvalidBucketState", 409);
      bucket.versioning = VersioningConfiguration?.Status;
      return {};
    },
    getBucketEncryption: async ({ Bucket }) => {
      const found = bucketOf(Bucket).encryption;
      return found === undefined ? absent("ServerSideEncryptionConfigurationNotFoundError") : { ServerSideEncryptionConfiguration: found };
    },
    putBucketEncryption: async ({ Bucket, ServerSideEncryptionConfiguration }) => {
      bucketOf(Bucket).encryption = ServerSideEncryptionConfiguration;
      return {};
    },
    getPublicAccessBlock: async ({ Bucket }) => {
      const found = bucketOf(Bucket).publicAccessBlock;
      return found === undefined ? absent("NoSuchPublicAccessBlockConfiguration") : { PublicAccessBlockConfiguration: found };
    },
    putPublicAccessBlock: async ({ Bucket, PublicAccessBlockConfiguration }) => {
      bucketOf(Bucket).publicAccessBlock = PublicAccessBlockConfiguration;
      return {};
    },
    getBucketLifecycleConfiguration: async ({ Bucket }) => {
      const found = bucketOf(Bucket).lifecycle;
      return found === undefined ? absent("NoSuchLifecycleConfiguration") : { Rules: found };
    },
    putBucketLifecycleConfiguration: async ({ Bucket, LifecycleConfiguration }) => {
      if ((LifecycleConfiguration?.Rules ?? []).length === 0) throw s3Error("MalformedXML", 400);
      bucketOf(Bucket).lifecycle = LifecycleConfiguration?.Rules;
      return {};
    },
    deleteBucketLifecycle: async ({ Bucket }) => {
      bucketOf(Bucket).lifecycle = undefined;
      return {};
    },
    getBucketCors: async ({ Bucket }) => {
      const found = bucketOf(Bucket).cors;
      return found === undefined ? absent("NoSuchCORSConfiguration") : { CORSRules: found };
    },
    putBucketCors: async ({ Bucket, CORSConfiguration }) => {
      if ((CORSConfiguration?.CORSRules ?? []).length === 0) throw s3Error("MalformedXML", 400);
      bucketOf(Bucket).cors = CORSConfiguration?.CORSRules;
      return {};
    },
    deleteBucketCors: async ({ Bucket }) => {
      bucketOf(Bucket).cors = undefined;
      return {};
    },
    getBucketTagging: async ({ Bucket }) => {
      // As MinIO does: a missing bucket has "no tags" too, so this answer proves nothing.
      if (!buckets.has(Bucket ?? "")) return absent("NoSuchTagSet");
      const found = bucketOf(Bucket).tags;
      return found === undefined ? absent("NoSuchTagSet") : { TagSet: found };
    },
    putBucketTagging: async ({ Bucket, Tagging }) => {
      bucketOf(Bucket).tags = Tagging?.TagSet;
      return {};
    },
    deleteBucketTagging: async ({ Bucket }) => {
      bucketOf(Bucket).tags = undefined;
      return {};
    },
    getBucketPolicy: async ({ Bucket }) => {
      const found = bucketOf(Bucket).policy;
      return found === undefined ? absent("NoSuchBucketPolicy") : { Policy: found };
    },
    putBucketPolicy: async ({ Bucket, Policy }) => {
      const bucket = bucketOf(Bucket);
      if (!isJsonObject(Policy)) throw s3Error("MalformedPolicy", 400);
      bucket.policy = Policy;
      return {};
    },
    deleteBucketPolicy: async ({ Bucket }) => {
      // Like AWS: deleting a policy that is not there succeeds (204).
      bucketOf(Bucket).policy = undefined;
      return {};
    },
    getObjectLockConfiguration: async ({ Bucket }) =>
      bucketOf(Bucket).objectLock ? { ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } } : absent("ObjectLockConfigurationNotFoundError"),
    listObjectVersions: async ({ Bucket, KeyMarker, VersionIdMarker, MaxKeys }) => {
      const all = bucketOf(Bucket).versions;
      let start = 0;
      if (KeyMarker !== undefined) {
        const at = all.findIndex((v) => v.key === KeyMarker && v.versionId === VersionIdMarker);
        start = at === -1 ? all.findIndex((v) => v.key > KeyMarker) : at + 1;
        if (start === -1) start = all.length;
      }
      const page = all.slice(start, start + (MaxKeys ?? 1000));
      const truncated = start + page.length < all.length;
      const last = page[page.length - 1];
      return {
        Versions: page.filter((v) => !v.deleteMarker).map((v) => ({ Key: v.key, VersionId: v.versionId })),
        DeleteMarkers: page.filter((v) => v.deleteMarker).map((v) => ({ Key: v.key, VersionId: v.versionId })),
        IsTruncated: truncated,
        ...(truncated && last !== undefined ? { NextKeyMarker: last.key, NextVersionIdMarker: last.versionId } : {}),
      };
    },
    deleteObjects: async ({ Bucket, Delete }) => {
      const bucket = bucketOf(Bucket);
      const objects = Delete?.Objects ?? [];
      if (objects.length > 1000) throw s3Error("MalformedXML", 400);
      deleteBatches.push(objects.length);
      for (const { Key, VersionId } of objects) {
        if (VersionId === undefined) newVersion(bucket, Key ?? "", true);
        else bucket.versions = bucket.versions.filter((v) => !(v.key === Key && v.versionId === VersionId));
      }
      return {};
    },
    listMultipartUploads: async ({ Bucket }) => ({
      Uploads: bucketOf(Bucket).uploads.slice(0, 1000).map((u) => ({ Key: u.key, UploadId: u.uploadId })),
      IsTruncated: bucketOf(Bucket).uploads.length > 1000,
    }),
    abortMultipartUpload: async ({ Bucket, UploadId }) => {
      const bucket = bucketOf(Bucket);
      bucket.uploads = bucket.uploads.filter((u) => u.uploadId !== UploadId);
      return {};
    },
  };

  // Every operation first honours an injected failure.
  const operations = Object.fromEntries(
    Object.entries(raw).map(([key, run]: [string, (input: unknown, signal: AbortSignal) => Promise<unknown>]) => [
      key,
      (input: unknown, signal: AbortSignal) => {
        const failure = failNext.get(key as keyof S3Operations);
        if (failure !== undefined) {
          failNext.delete(key as keyof S3Operations);
          return Promise.reject(failure);
        }
        return run(structuredClone(input), signal).then((output) => structuredClone(output));
      },
    ]),
  ) as unknown as S3Operations;

  return {
    buckets,
    foreign,
    failNext,
    deleteBatches,
    operations,
    putObject: (bucket, key) => newVersion(bucketOf(bucket), key, false),
    deleteObject: (bucket, key) => newVersion(bucketOf(bucket), key, true),
    startUpload: (bucket, key) => {
      sequence += 1;
      bucketOf(bucket).uploads.push({ key, uploadId: `u${sequence}` });
    },
  };
};

/** The S3 port over an in-memory S3 (retries as configured, so tests can use TestClock). */
export const layerMemory = (memory: MemoryS3, retry: RetrySettings = defaultRetrySettings): Layer.Layer<S3Api> =>
  S3Api.fromOperations(memory.operations, { provider: "memory", retry });

/** A dialect's Bucket connector over an in-memory S3, for unit tests of every provider package. */
export const memoryBucketConnector = (dialect: Dialect, memory: MemoryS3, retry?: RetrySettings) =>
  bucketConnector(dialect, (target) => makeS3Port(memory.operations, { provider: target.dialect.name, retry: retry ?? target.account.retry }));

/** A dialect's BucketPolicy connector over an in-memory S3, for unit tests of every provider package. */
export const memoryBucketPolicyConnector = (dialect: Dialect, memory: MemoryS3, retry?: RetrySettings) =>
  bucketPolicyConnector(dialect, (target) => makeS3Port(memory.operations, { provider: target.dialect.name, retry: retry ?? target.account.retry }));
