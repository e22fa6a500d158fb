import type { Provider } from "@cloud37/core";
import { makeS3Provider } from "@cloud37/provider-s3";
import { awsStsEndpoint, stsCheckAccount } from "./checkAccount.ts";
import { awsDialect } from "./dialect.ts";

/** The `aws` provider: Amazon S3, accounts checked with STS GetCallerIdentity. */
export const awsProvider: Provider = makeS3Provider({ dialect: awsDialect, checkAccount: stsCheckAccount(awsDialect, awsStsEndpoint) });
