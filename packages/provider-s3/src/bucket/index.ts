import { Effect } from "effect";
import type { BucketObservation, BucketParameters, Connector, ExternalError, ManagedResource } from "@cloud37/core";
import type { Dialect } from "../dialect.ts";
import { realS3Port, S3Api, type S3Port } from "../s3Api.ts";
import { resolveTarget, type Target } from "../target.ts";
import { create } from "./create.ts";
import { deleteBucket } from "./delete.ts";
import { observe } from "./observe.ts";
import { update } from "./update.ts";

/** How a connector reaches S3 for a target: the real endpoint by default, in-memory in tests. */
export type PortFor = (target: Target) => S3Port;

/**
 * The Bucket connector of a dialect. Connecting checks the account can be reached at all
 * (an endpoint is known); each call then resolves the bucket's region and its S3 port
 * (SDK clients are cached per account, endpoint and region, so this is cheap).
 */
export const bucketConnector =
  (dialect: Dialect, portFor: PortFor = realS3Port): Connector<BucketParameters, BucketObservation> =>
  (account) =>
    Effect.map(resolveTarget(account, dialect, account.region), () => {
      const run =
        <A>(verb: (resource: ManagedResource<BucketParameters>, target: Target) => Effect.Effect<A, ExternalError, S3Api>) =>
        (resource: ManagedResource<BucketParameters>): Effect.Effect<A, ExternalError> =>
          Effect.flatMap(resolveTarget(account, dialect, resource.forProvider.region ?? account.region), (target) =>
            Effect.provideService(verb(resource, target), S3Api, portFor(target)),
          );
      return { observe: run(observe), create: run(create), update: run(update), delete: run(deleteBucket) };
    });
