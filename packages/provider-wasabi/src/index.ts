export { wasabiProvider, wasabiStsEndpoint } from "./provider.ts";
export { wasabiDialect } from "./dialect.ts";
