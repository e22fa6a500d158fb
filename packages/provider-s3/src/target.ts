import { Effect } from "effect";
import { InvalidSpec, externalError, type Account, type ExternalError } from "@cloud37/core";
import type { Dialect } from "./dialect.ts";

/** Where one bucket's requests go: an account, its dialect, and the bucket's region. */
export interface Target {
  readonly account: Account;
  readonly dialect: Dialect;
  readonly region: string;
  /** The S3 endpoint URL: the Account's, or the dialect's for the region. */
  readonly endpoint: string;
  readonly forcePathStyle: boolean;
}

/**
 * Resolves where requests go. The Account's endpoint wins over the dialect's regional one;
 * a dialect without one (generic) needs the Account to name it.
 */
export const resolveTarget = (account: Account, dialect: Dialect, region: string): Effect.Effect<Target, ExternalError> => {
  const endpoint = account.endpoint ?? dialect.defaultEndpoint(region);
  if (endpoint === undefined) {
    return Effect.fail(
      externalError(
        "Connect",
        new InvalidSpec({ message: `provider ${dialect.name} needs an endpoint: set spec.endpoint of ProviderConfig ${account.configName}` }),
      ),
    );
  }
  return Effect.succeed({ account, dialect, region, endpoint, forcePathStyle: account.forcePathStyle ?? dialect.forcePathStyle });
};

/** `host[:port]` of the target's endpoint. */
export const endpointHost = (target: Target): string => new URL(target.endpoint).host;
