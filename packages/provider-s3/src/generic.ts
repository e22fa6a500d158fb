import type { Provider } from "@cloud37/core";
import { listBucketsCheck } from "./checkAccount.ts";
import { genericDialect } from "./dialect.ts";
import { makeS3Provider } from "./provider.ts";

/** The `generic` provider: any S3-compatible endpoint, checked with ListBuckets. */
export const genericProvider: Provider = makeS3Provider({ dialect: genericDialect, checkAccount: listBucketsCheck(genericDialect) });
