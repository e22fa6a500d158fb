import type { Provider } from "@cloud37/core";
import { makeS3Provider } from "@cloud37/provider-s3";
import { awsStsEndpoint, stsCheckAccount } from "./checkAccount.ts";
import { awsDialect } from "./dialect.ts";
import { awsIamEndpoint, iamIdentity } from "./iam.ts";

/** The `aws` provider: Amazon S3, accounts checked with STS GetCallerIdentity, users and keys in IAM. */
export const awsProvider: Provider = makeS3Provider({
  dialect: awsDialect,
  checkAccount: stsCheckAccount(awsDialect, awsStsEndpoint),
  identityFor: iamIdentity("aws", awsIamEndpoint),
});
