import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { Effect } from "effect";
import { externalError, InvalidSpec, type Account, type AccountIdentity, type ExternalError } from "@cloud37/core";
import { call, sdkClientConfig, type Dialect } from "@cloud37/provider-s3";

/** The AWS regional STS endpoint. */
export const awsStsEndpoint = (region: string): string => `https://sts.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`;

/**
 * Checks an account with STS GetCallerIdentity (identity = the caller's ARN). STS goes to
 * the Account's endpoint when it names one (a test bed serves S3 and STS on one port), else
 * to `stsEndpoint(region)`. The client lives for this one call: checks are rare.
 */
export const stsCheckAccount =
  (dialect: Dialect, stsEndpoint: (region: string) => string) =>
  (account: Account): Effect.Effect<AccountIdentity, ExternalError> =>
    Effect.gen(function* () {
      const endpoint = account.endpoint ?? dialect.defaultEndpoint(account.region);
      if (endpoint === undefined) {
        return yield* externalError("Connect", new InvalidSpec({ message: `provider ${dialect.name} needs an endpoint` }));
      }
      const url = account.endpoint ?? stsEndpoint(account.region);
      const output = yield* Effect.acquireUseRelease(
        Effect.sync(() => new STSClient(sdkClientConfig(account, { url, region: account.region }))),
        (sts) =>
          call("GetCallerIdentity", (signal) => sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal }), {
            provider: dialect.name,
            retry: account.retry,
          }),
        (sts) => Effect.sync(() => sts.destroy()),
      );
      return { identity: output.Arn ?? output.UserId ?? "unknown", endpoint };
    });
