import { Effect } from "effect";
import type { AccessKeyObservation, AccessKeyRequest, Account, Connector, ExternalError, ManagedResource } from "@cloud37/core";
import type { Dialect } from "../dialect.ts";
import { resolveTarget, type Target } from "../target.ts";
import { create } from "./create.ts";
import { deleteAccessKey } from "./delete.ts";
import { IdentityApi, type IdentityPort } from "./identityApi.ts";
import { observe } from "./observe.ts";
import { update } from "./update.ts";

/** How a provider reaches its identity service for an account (IAM, the MinIO admin API). */
export type IdentityFor = (account: Account, target: Target) => Effect.Effect<IdentityPort, ExternalError>;

/**
 * The AccessKey connector of a dialect: the identity calls go to the provider's identity
 * service, and the connection details name the account's S3 endpoint and region.
 */
export const accessKeyConnector =
  (dialect: Dialect, identityFor: IdentityFor): Connector<AccessKeyRequest, AccessKeyObservation> =>
  (account) =>
    Effect.gen(function* () {
      const target = yield* resolveTarget(account, dialect, account.region);
      const identity = yield* identityFor(account, target);
      const run =
        <A>(verb: (resource: ManagedResource<AccessKeyRequest>, target: Target) => Effect.Effect<A, ExternalError, IdentityApi>) =>
        (resource: ManagedResource<AccessKeyRequest>): Effect.Effect<A, ExternalError> =>
          Effect.provideService(verb(resource, target), IdentityApi, identity);
      return { observe: run(observe), create: run(create), update: run(update), delete: run(deleteAccessKey) };
    });

export { IdentityApi, type IdentityPort, type KeyInfo, type NewKey } from "./identityApi.ts";
export { planKeys, type KeyPlan } from "./keys.ts";
