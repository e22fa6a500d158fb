import { Effect } from "effect";
import type { BucketPolicyObservation, BucketPolicyParameters, Connector, ExternalError, ManagedResource } from "@cloud37/core";
import type { PortFor } from "../bucket/index.ts";
import type { Dialect } from "../dialect.ts";
import { realS3Port, S3Api } from "../s3Api.ts";
import { resolveTarget, type Target } from "../target.ts";
import { create } from "./create.ts";
import { deletePolicy } from "./delete.ts";
import { observe } from "./observe.ts";
import { update } from "./update.ts";

/**
 * The BucketPolicy connector of a dialect. Requests go to the account's region: a policy has
 * none of its own, and the SDK client follows S3's redirect for a bucket elsewhere.
 */
export const bucketPolicyConnector =
  (dialect: Dialect, portFor: PortFor = realS3Port): Connector<BucketPolicyParameters, BucketPolicyObservation> =>
  (account) =>
    Effect.map(resolveTarget(account, dialect, account.region), (target) => {
      const run =
        <A>(verb: (resource: ManagedResource<BucketPolicyParameters>, target: Target) => Effect.Effect<A, ExternalError, S3Api>) =>
        (resource: ManagedResource<BucketPolicyParameters>): Effect.Effect<A, ExternalError> =>
          Effect.provideService(verb(resource, target), S3Api, portFor(target));
      return { observe: run(observe), create: run(create), update: run(update), delete: run(deletePolicy) };
    });
