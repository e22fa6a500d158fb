import { Effect } from "effect";
import {
  Conflict,
  connectionDetails,
  externalError,
  Unsupported,
  type BucketObservation,
  type BucketParameters,
  type ExternalError,
  type Provider,
} from "@cloud37/core";

/** A provider whose buckets live in a Map: for the reconciler's decisions, not for S3 behaviour. */
export class FakeProvider {
  readonly buckets = new Map<string, { params: BucketParameters; objects: number }>();
  /** Bucket name → policy document. */
  readonly policies = new Map<string, unknown>();
  readonly calls: Array<string> = [];
  /** How many observes still find a bucket after its deletion (a store that deletes asynchronously). */
  deleteLingers = 0;
  /** When true, create reports what it applied (the whole spec), as the S3 providers do. */
  createReportsApplied = false;
  private readonly lingering = new Map<string, number>();
  /** When set, the next call of that verb fails with this error. */
  failNext: Partial<Record<"observe" | "create" | "update" | "delete" | "check", ExternalError>> = {};

  private fail(verb: keyof FakeProvider["failNext"]): Effect.Effect<void, ExternalError> {
    const error = this.failNext[verb];
    if (error === undefined) return Effect.void;
    delete this.failNext[verb];
    return Effect.fail(error);
  }

  readonly provider: Provider = {
    name: "minio",
    checkAccount: () => this.fail("check").pipe(Effect.as({ identity: "minio:test", endpoint: "http://fake" })),
    accessKey: () => Effect.fail(externalError("Connect", new Unsupported({ message: "AccessKey is not supported by the fake", field: "kind AccessKey", provider: "minio" }))),
    bucket: () =>
      Effect.succeed({
        observe: (resource) =>
          Effect.gen({ self: this }, function* () {
            this.calls.push(`observe ${resource.externalName}`);
            yield* this.fail("observe");
            if (resource.forProvider.cors !== undefined) {
              return yield* externalError("Observe", new Unsupported({ message: "spec.forProvider.cors is not supported by minio", field: "spec.forProvider.cors", provider: "minio" }));
            }
            const lingers = this.lingering.get(resource.externalName) ?? 0;
            if (lingers > 0) this.lingering.set(resource.externalName, lingers - 1);
            const bucket = this.buckets.get(resource.externalName) ?? (lingers > 0 ? { params: resource.forProvider, objects: 0 } : undefined);
            if (bucket === undefined) return { exists: false } as const;
            const upToDate = JSON.stringify(bucket.params.versioning) === JSON.stringify(resource.forProvider.versioning);
            const atProvider: BucketObservation = { arn: `arn:aws:s3:::${resource.externalName}`, region: "us-east-1" };
            return {
              exists: true,
              upToDate,
              drift: upToDate ? [] : ["versioning"],
              atProvider,
              ...(resource.forProvider.region === undefined ? { lateInitialized: { region: "us-east-1" } } : {}),
              connectionDetails: connectionDetails({ bucket: resource.externalName }),
            } as const;
          }),
        create: (resource) =>
          Effect.gen({ self: this }, function* () {
            this.calls.push(`create ${resource.externalName}`);
            yield* this.fail("create");
            this.buckets.set(resource.externalName, { params: resource.forProvider, objects: 0 });
            if (!this.createReportsApplied) return {};
            const atProvider: BucketObservation = { arn: `arn:aws:s3:::${resource.externalName}`, region: "us-east-1" };
            return { connectionDetails: connectionDetails({ bucket: resource.externalName }), applied: { atProvider, ...(resource.forProvider.region === undefined ? { lateInitialized: { region: "us-east-1" } } : {}) } };
          }),
        update: (resource) =>
          Effect.gen({ self: this }, function* () {
            this.calls.push(`update ${resource.externalName}`);
            yield* this.fail("update");
            const bucket = this.buckets.get(resource.externalName);
            if (bucket !== undefined) bucket.params = resource.forProvider;
            return {};
          }),
        delete: (resource) =>
          Effect.gen({ self: this }, function* () {
            this.calls.push(`delete ${resource.externalName}`);
            yield* this.fail("delete");
            const bucket = this.buckets.get(resource.externalName);
            if (bucket !== undefined && bucket.objects > 0 && resource.forProvider.forceDestroy !== true) {
              return yield* externalError("DeleteBucket", new Conflict({ message: `bucket ${resource.externalName} is not empty; set spec.forProvider.forceDestroy: true to delete it with its contents` }));
            }
            this.buckets.delete(resource.externalName);
            if (this.deleteLingers > 0) this.lingering.set(resource.externalName, this.deleteLingers);
          }),
      }),
    bucketPolicy: () =>
      Effect.succeed({
        observe: (resource) =>
          Effect.sync(() => {
            const bucketName = resource.forProvider.bucketName ?? "";
            this.calls.push(`observe policy ${bucketName}`);
            const current = this.policies.get(bucketName);
            if (current === undefined) return { exists: false } as const;
            const upToDate = JSON.stringify(current) === JSON.stringify(resource.forProvider.policy);
            return { exists: true, upToDate, drift: upToDate ? [] : ["policy"], atProvider: { bucketName } } as const;
          }),
        create: (resource) => Effect.sync(() => (this.policies.set(resource.forProvider.bucketName ?? "", resource.forProvider.policy), {})),
        update: (resource) => Effect.sync(() => (this.policies.set(resource.forProvider.bucketName ?? "", resource.forProvider.policy), {})),
        delete: (resource) => Effect.sync(() => void this.policies.delete(resource.forProvider.bucketName ?? "")),
      }),
  };
}
