import { Effect } from "effect";
import type { Account, AccountIdentity, ExternalError } from "@cloud37/core";
import type { Dialect } from "./dialect.ts";
import { realS3Port } from "./s3Api.ts";
import { resolveTarget } from "./target.ts";

/** Who an account is, given what ListBuckets said about the owner. */
export type IdentityOf = (account: Account, owner: { readonly id: string | undefined; readonly displayName: string | undefined }) => string;

/** The generic identity: the owner S3 reports, else the access key id (not secret), else the credential source. */
export const ownerIdentity: IdentityOf = (account, owner) =>
  owner.displayName ?? owner.id ?? (account.credentials.source === "Secret" ? account.credentials.accessKeyId : account.credentials.source);

/**
 * Checks an account with ListBuckets: the credentials are accepted (Unauthorized otherwise)
 * and the endpoint answers (Transient otherwise). Reads only.
 */
export const listBucketsCheck =
  (dialect: Dialect, identityOf: IdentityOf = ownerIdentity) =>
  (account: Account): Effect.Effect<AccountIdentity, ExternalError> =>
    Effect.gen(function* () {
      const target = yield* resolveTarget(account, dialect, account.region);
      const output = yield* realS3Port(target).listBuckets({});
      return {
        identity: identityOf(account, { id: output.Owner?.ID, displayName: output.Owner?.DisplayName }),
        endpoint: target.endpoint,
      };
    });
