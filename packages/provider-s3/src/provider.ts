import type { Account, AccountIdentity, ExternalError, Provider } from "@cloud37/core";
import type { Effect } from "effect";
import { bucketConnector, type PortFor } from "./bucket/index.ts";
import { bucketPolicyConnector } from "./bucketPolicy/index.ts";
import type { Dialect } from "./dialect.ts";
import { realS3Port } from "./s3Api.ts";

/** A provider made of a dialect and its account check; every S3 behaviour is shared. */
export const makeS3Provider = (options: {
  readonly dialect: Dialect;
  readonly checkAccount: (account: Account) => Effect.Effect<AccountIdentity, ExternalError>;
  /** How every kind reaches S3; the real endpoint unless a test says otherwise. */
  readonly portFor?: PortFor;
}): Provider => ({
  name: options.dialect.name,
  checkAccount: options.checkAccount,
  bucket: bucketConnector(options.dialect, options.portFor ?? realS3Port),
  bucketPolicy: bucketPolicyConnector(options.dialect, options.portFor ?? realS3Port),
});
