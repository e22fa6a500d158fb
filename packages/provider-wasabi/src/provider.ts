import type { Provider } from "@cloud37/core";
import { stsCheckAccount } from "@cloud37/provider-aws";
import { makeS3Provider } from "@cloud37/provider-s3";
import { wasabiDialect } from "./dialect.ts";

/** Wasabi's one STS endpoint, for every region. */
export const wasabiStsEndpoint = (): string => "https://sts.wasabisys.com";

/** The `wasabi` provider: Wasabi S3, accounts checked with STS GetCallerIdentity. */
export const wasabiProvider: Provider = makeS3Provider({ dialect: wasabiDialect, checkAccount: stsCheckAccount(wasabiDialect, wasabiStsEndpoint) });
