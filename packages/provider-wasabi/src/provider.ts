import type { Provider } from "@cloud37/core";
import { iamIdentity, stsCheckAccount } from "@cloud37/provider-aws";
import { makeS3Provider } from "@cloud37/provider-s3";
import { wasabiDialect } from "./dialect.ts";

/** Wasabi's one STS endpoint, for every region. */
export const wasabiStsEndpoint = (): string => "https://sts.wasabisys.com";

/** Wasabi's one IAM endpoint, for every region (Wasabi's IAM has no tags; none are used). */
export const wasabiIamEndpoint = (): string => "https://iam.wasabisys.com";

/** The `wasabi` provider: Wasabi S3, accounts checked with STS GetCallerIdentity, users and keys in Wasabi's IAM. */
export const wasabiProvider: Provider = makeS3Provider({
  dialect: wasabiDialect,
  checkAccount: stsCheckAccount(wasabiDialect, wasabiStsEndpoint),
  identityFor: iamIdentity("wasabi", wasabiIamEndpoint),
});
