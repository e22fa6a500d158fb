import { Effect } from "effect";
import { Unsupported, externalError, type Account, type AccountIdentity, type ExternalError, type Provider } from "@cloud37/core";
import { accessKeyConnector, type IdentityFor } from "./accessKey/index.ts";
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
  /** The provider's identity service (users, keys, policies); without one, AccessKey is Unsupported. */
  readonly identityFor?: IdentityFor;
}): Provider => ({
  name: options.dialect.name,
  checkAccount: options.checkAccount,
  bucket: bucketConnector(options.dialect, options.portFor ?? realS3Port),
  bucketPolicy: bucketPolicyConnector(options.dialect, options.portFor ?? realS3Port),
  accessKey: accessKeyConnector(options.dialect, options.identityFor ?? noIdentityService(options.dialect)),
});

/** A provider without an identity service: every AccessKey call says so, naming the provider. */
const noIdentityService =
  (dialect: Dialect): IdentityFor =>
  () =>
    Effect.fail(
      externalError(
        "Connect",
        new Unsupported({
          message: `AccessKey is not supported by ${dialect.name}: it has no identity API for users and keys`,
          field: "kind AccessKey",
          provider: dialect.name,
        }),
      ),
    );
