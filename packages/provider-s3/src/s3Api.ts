import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketCorsCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectsCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutBucketCorsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type AbortMultipartUploadCommandInput,
  type AbortMultipartUploadCommandOutput,
  type CreateBucketCommandInput,
  type CreateBucketCommandOutput,
  type DeleteBucketCommandInput,
  type DeleteBucketCommandOutput,
  type DeleteBucketCorsCommandInput,
  type DeleteBucketCorsCommandOutput,
  type DeleteBucketLifecycleCommandInput,
  type DeleteBucketLifecycleCommandOutput,
  type DeleteBucketPolicyCommandInput,
  type DeleteBucketPolicyCommandOutput,
  type DeleteBucketTaggingCommandInput,
  type DeleteBucketTaggingCommandOutput,
  type DeleteObjectsCommandInput,
  type DeleteObjectsCommandOutput,
  type GetBucketCorsCommandInput,
  type GetBucketCorsCommandOutput,
  type GetBucketEncryptionCommandInput,
  type GetBucketEncryptionCommandOutput,
  type GetBucketLifecycleConfigurationCommandInput,
  type GetBucketLifecycleConfigurationCommandOutput,
  type GetBucketLocationCommandInput,
  type GetBucketLocationCommandOutput,
  type GetBucketPolicyCommandInput,
  type GetBucketPolicyCommandOutput,
  type GetBucketTaggingCommandInput,
  type GetBucketTaggingCommandOutput,
  type GetBucketVersioningCommandInput,
  type GetBucketVersioningCommandOutput,
  type GetObjectLockConfigurationCommandInput,
  type GetObjectLockConfigurationCommandOutput,
  type GetPublicAccessBlockCommandInput,
  type GetPublicAccessBlockCommandOutput,
  type HeadBucketCommandInput,
  type HeadBucketCommandOutput,
  type ListBucketsCommandInput,
  type ListBucketsCommandOutput,
  type ListMultipartUploadsCommandInput,
  type ListMultipartUploadsCommandOutput,
  type ListObjectVersionsCommandInput,
  type ListObjectVersionsCommandOutput,
  type PutBucketCorsCommandInput,
  type PutBucketCorsCommandOutput,
  type PutBucketEncryptionCommandInput,
  type PutBucketEncryptionCommandOutput,
  type PutBucketLifecycleConfigurationCommandInput,
  type PutBucketLifecycleConfigurationCommandOutput,
  type PutBucketPolicyCommandInput,
  type PutBucketPolicyCommandOutput,
  type PutBucketTaggingCommandInput,
  type PutBucketTaggingCommandOutput,
  type PutBucketVersioningCommandInput,
  type PutBucketVersioningCommandOutput,
  type PutPublicAccessBlockCommandInput,
  type PutPublicAccessBlockCommandOutput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Context, Effect, Layer } from "effect";
import type { ExternalError } from "@cloud37/core";
import { call, callOptional, type CallOptions } from "./call.ts";
import { s3ClientFor } from "./sdk.ts";
import type { Target } from "./target.ts";

/** One raw operation: SDK input in, SDK output (without response metadata) out, SDK errors thrown. */
type Op<I, O> = (input: I, signal: AbortSignal) => Promise<Omit<O, "$metadata">>;

/**
 * The S3 operations the providers use, and nothing else: the real SDK and the in-memory
 * fake implement this, and both throw SDK-shaped errors, so the error mapping is shared.
 */
export interface S3Operations {
  readonly listBuckets: Op<ListBucketsCommandInput, ListBucketsCommandOutput>;
  readonly headBucket: Op<HeadBucketCommandInput, HeadBucketCommandOutput>;
  readonly getBucketLocation: Op<GetBucketLocationCommandInput, GetBucketLocationCommandOutput>;
  readonly createBucket: Op<CreateBucketCommandInput, CreateBucketCommandOutput>;
  readonly deleteBucket: Op<DeleteBucketCommandInput, DeleteBucketCommandOutput>;
  readonly getBucketVersioning: Op<GetBucketVersioningCommandInput, GetBucketVersioningCommandOutput>;
  readonly putBucketVersioning: Op<PutBucketVersioningCommandInput, PutBucketVersioningCommandOutput>;
  readonly getBucketEncryption: Op<GetBucketEncryptionCommandInput, GetBucketEncryptionCommandOutput>;
  readonly putBucketEncryption: Op<PutBucketEncryptionCommandInput, PutBucketEncryptionCommandOutput>;
  readonly getPublicAccessBlock: Op<GetPublicAccessBlockCommandInput, GetPublicAccessBlockCommandOutput>;
  readonly putPublicAccessBlock: Op<PutPublicAccessBlockCommandInput, PutPublicAccessBlockCommandOutput>;
  readonly getBucketLifecycleConfiguration: Op<GetBucketLifecycleConfigurationCommandInput, GetBucketLifecycleConfigurationCommandOutput>;
  readonly putBucketLifecycleConfiguration: Op<PutBucketLifecycleConfigurationCommandInput, PutBucketLifecycleConfigurationCommandOutput>;
  readonly deleteBucketLifecycle: Op<DeleteBucketLifecycleCommandInput, DeleteBucketLifecycleCommandOutput>;
  readonly getBucketCors: Op<GetBucketCorsCommandInput, GetBucketCorsCommandOutput>;
  readonly putBucketCors: Op<PutBucketCorsCommandInput, PutBucketCorsCommandOutput>;
  readonly deleteBucketCors: Op<DeleteBucketCorsCommandInput, DeleteBucketCorsCommandOutput>;
  readonly getBucketTagging: Op<GetBucketTaggingCommandInput, GetBucketTaggingCommandOutput>;
  readonly putBucketTagging: Op<PutBucketTaggingCommandInput, PutBucketTaggingCommandOutput>;
  readonly deleteBucketTagging: Op<DeleteBucketTaggingCommandInput, DeleteBucketTaggingCommandOutput>;
  readonly getBucketPolicy: Op<GetBucketPolicyCommandInput, GetBucketPolicyCommandOutput>;
  readonly putBucketPolicy: Op<PutBucketPolicyCommandInput, PutBucketPolicyCommandOutput>;
  readonly deleteBucketPolicy: Op<DeleteBucketPolicyCommandInput, DeleteBucketPolicyCommandOutput>;
  readonly getObjectLockConfiguration: Op<GetObjectLockConfigurationCommandInput, GetObjectLockConfigurationCommandOutput>;
  readonly listObjectVersions: Op<ListObjectVersionsCommandInput, ListObjectVersionsCommandOutput>;
  readonly deleteObjects: Op<DeleteObjectsCommandInput, DeleteObjectsCommandOutput>;
  readonly listMultipartUploads: Op<ListMultipartUploadsCommandInput, ListMultipartUploadsCommandOutput>;
  readonly abortMultipartUpload: Op<AbortMultipartUploadCommandInput, AbortMultipartUploadCommandOutput>;
}

/**
 * Error codes that are answers, not failures: a read's "nothing configured", and a create's
 * "already yours" (idempotent create). The port returns `undefined` for them.
 */
const absentCodes = {
  createBucket: ["BucketAlreadyOwnedByYou"],
  getBucketEncryption: ["ServerSideEncryptionConfigurationNotFoundError"],
  getPublicAccessBlock: ["NoSuchPublicAccessBlockConfiguration"],
  getBucketLifecycleConfiguration: ["NoSuchLifecycleConfiguration"],
  getBucketCors: ["NoSuchCORSConfiguration"],
  getBucketTagging: ["NoSuchTagSet", "NoSuchTagSetError"],
  getObjectLockConfiguration: ["ObjectLockConfigurationNotFoundError"],
  getBucketPolicy: ["NoSuchBucketPolicy"],
} as const satisfies { readonly [K in keyof S3Operations]?: ReadonlyArray<string> };
type Absentable = keyof typeof absentCodes;

/** The port: each operation as an Effect that fails only with ExternalError. */
export type S3Port = {
  readonly [K in keyof S3Operations]: S3Operations[K] extends (input: infer I, signal: AbortSignal) => Promise<infer O>
    ? (input: I) => Effect.Effect<K extends Absentable ? O | undefined : O, ExternalError>
    : never;
};

/** `getBucketCors` → `GetBucketCors`: the operation name S3 and the metrics use. */
const operationName = (key: string): string => key.charAt(0).toUpperCase() + key.slice(1);

/** Wraps raw operations into the port: every call named, mapped, recorded and retried. */
export const makeS3Port = (operations: S3Operations, options: CallOptions): S3Port => {
  const absent: Readonly<Record<string, ReadonlyArray<string>>> = absentCodes;
  const entries = Object.entries(operations).map(([key, run]: [string, (input: unknown, signal: AbortSignal) => Promise<unknown>]) => {
    const name = operationName(key);
    const codes = absent[key];
    const method = (input: unknown) =>
      codes === undefined ? call(name, (signal) => run(input, signal), options) : callOptional(name, codes, (signal) => run(input, signal), options);
    return [key, method] as const;
  });
  return Object.fromEntries(entries) as unknown as S3Port;
};

/** The raw operations of a real SDK client. */
export const sdkOperations = (client: S3Client): S3Operations => {
  return {
    listBuckets: (input, signal) => client.send(new ListBucketsCommand(input), { abortSignal: signal }),
    headBucket: (input, signal) => client.send(new HeadBucketCommand(input), { abortSignal: signal }),
    getBucketLocation: (input, signal) => client.send(new GetBucketLocationCommand(input), { abortSignal: signal }),
    createBucket: (input, signal) => client.send(new CreateBucketCommand(input), { abortSignal: signal }),
    deleteBucket: (input, signal) => client.send(new DeleteBucketCommand(input), { abortSignal: signal }),
    getBucketVersioning: (input, signal) => client.send(new GetBucketVersioningCommand(input), { abortSignal: signal }),
    putBucketVersioning: (input, signal) => client.send(new PutBucketVersioningCommand(input), { abortSignal: signal }),
    getBucketEncryption: (input, signal) => client.send(new GetBucketEncryptionCommand(input), { abortSignal: signal }),
    putBucketEncryption: (input, signal) => client.send(new PutBucketEncryptionCommand(input), { abortSignal: signal }),
    getPublicAccessBlock: (input, signal) => client.send(new GetPublicAccessBlockCommand(input), { abortSignal: signal }),
    putPublicAccessBlock: (input, signal) => client.send(new PutPublicAccessBlockCommand(input), { abortSignal: signal }),
    getBucketLifecycleConfiguration: (input, signal) => client.send(new GetBucketLifecycleConfigurationCommand(input), { abortSignal: signal }),
    putBucketLifecycleConfiguration: (input, signal) => client.send(new PutBucketLifecycleConfigurationCommand(input), { abortSignal: signal }),
    deleteBucketLifecycle: (input, signal) => client.send(new DeleteBucketLifecycleCommand(input), { abortSignal: signal }),
    getBucketCors: (input, signal) => client.send(new GetBucketCorsCommand(input), { abortSignal: signal }),
    putBucketCors: (input, signal) => client.send(new PutBucketCorsCommand(input), { abortSignal: signal }),
    deleteBucketCors: (input, signal) => client.send(new DeleteBucketCorsCommand(input), { abortSignal: signal }),
    getBucketTagging: (input, signal) => client.send(new GetBucketTaggingCommand(input), { abortSignal: signal }),
    putBucketTagging: (input, signal) => client.send(new PutBucketTaggingCommand(input), { abortSignal: signal }),
    deleteBucketTagging: (input, signal) => client.send(new DeleteBucketTaggingCommand(input), { abortSignal: signal }),
    getBucketPolicy: (input, signal) => client.send(new GetBucketPolicyCommand(input), { abortSignal: signal }),
    putBucketPolicy: (input, signal) => client.send(new PutBucketPolicyCommand(input), { abortSignal: signal }),
    deleteBucketPolicy: (input, signal) => client.send(new DeleteBucketPolicyCommand(input), { abortSignal: signal }),
    getObjectLockConfiguration: (input, signal) => client.send(new GetObjectLockConfigurationCommand(input), { abortSignal: signal }),
    listObjectVersions: (input, signal) => client.send(new ListObjectVersionsCommand(input), { abortSignal: signal }),
    deleteObjects: (input, signal) => client.send(new DeleteObjectsCommand(input), { abortSignal: signal }),
    listMultipartUploads: (input, signal) => client.send(new ListMultipartUploadsCommand(input), { abortSignal: signal }),
    abortMultipartUpload: (input, signal) => client.send(new AbortMultipartUploadCommand(input), { abortSignal: signal }),
  };
};

/**
 * The S3 port of one account and region. `layer` talks to the real endpoint through a cached
 * SDK client; `layerTest` talks to an in-memory S3 (see memoryS3.ts).
 */
export class S3Api extends Context.Service<S3Api, S3Port>()("cloud37/provider-s3/S3Api") {
  /** The port over raw operations (real or in-memory). */
  static readonly fromOperations = (operations: S3Operations, options: CallOptions): Layer.Layer<S3Api> =>
    Layer.succeed(S3Api, makeS3Port(operations, options));

  /** The port over the real endpoint of a target, through the account's cached SDK client. */
  static readonly layer = (target: Target): Layer.Layer<S3Api> =>
    Layer.sync(S3Api, () => realS3Port(target));
}

/** Ports already built over a cached client, so a poll of many buckets builds none. */
const ports = new WeakMap<S3Client, { readonly options: string; readonly port: S3Port }>();

/** The real port of a target (the client is cached per account, endpoint and region). */
export const realS3Port = (target: Target): S3Port => {
  const client = s3ClientFor(target.account, { url: target.endpoint, region: target.region }, target.forcePathStyle);
  const options: CallOptions = { provider: target.dialect.name, retry: target.account.retry };
  const key = JSON.stringify(options);
  const cached = ports.get(client);
  if (cached !== undefined && cached.options === key) return cached.port;
  const port = makeS3Port(sdkOperations(client), options);
  ports.set(client, { options: key, port });
  return port;
};
