export { minioProvider, minioIdentity } from "./provider.ts";
export { minioDialect } from "./dialect.ts";
