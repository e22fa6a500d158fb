export { validatePolicy, policyVersions, type PolicyKind, type ValidatePolicyOptions } from "./validate.ts";
export { normalizePolicy, samePolicy, defaultPolicyVersion, type NormalizedPolicy } from "./normalize.ts";
export { grantPolicy, grantActions, type ResolvedGrant } from "./grants.ts";
