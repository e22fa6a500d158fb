export { minioProvider, minioIdentity } from "./provider.ts";
export { minioDialect } from "./dialect.ts";
export { minioIdentityPort, minioIdentityService, userPolicyName, createdOf, KeyListings, keyListingTtlMs } from "./identity.ts";
