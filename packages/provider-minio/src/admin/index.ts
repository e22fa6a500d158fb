export { makeMinioAdmin, minioAdminOver, MinioAdminApi } from "./client.ts";
export { encryptData, decryptData, isMadminEncrypted, madminAlgorithmOf, MadminAlgorithm, MadminCryptError } from "./crypt.ts";
export { adminReasonOf, AdminHttpError, AdminBodyError } from "./errors.ts";
export { signedTransport, type AdminRequest, type AdminResponse, type AdminTransport, type SigningAccount } from "./transport.ts";
export type * from "./types.ts";
