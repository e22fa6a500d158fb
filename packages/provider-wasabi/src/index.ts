export { wasabiProvider, wasabiStsEndpoint, wasabiIamEndpoint } from "./provider.ts";
export { wasabiDialect } from "./dialect.ts";
