export { awsProvider } from "./provider.ts";
export { awsDialect, awsS3Endpoint } from "./dialect.ts";
export { stsCheckAccount, awsStsEndpoint } from "./checkAccount.ts";
export { iamIdentity, awsIamEndpoint, closeIamClients, decodePolicyDocument, ownerOfPath, ownerPath, ownerPathPrefix, userPolicyName } from "./iam.ts";
