export { minioProvider, minioIdentity } from "./provider.ts";
export { minioDialect } from "./dialect.ts";
export { minioIdentityPort, minioIdentityService, userPolicyName, createdOf, keyDescription, markedDocument, readMarkedDocument, ownerIdPrefix, KeyListings, keyListingTtlMs } from "./identity.ts";
