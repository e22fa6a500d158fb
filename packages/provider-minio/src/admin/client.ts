import { Context, Effect, Layer } from "effect";
import { InvalidSpec, externalError, type Account, type ExternalError } from "@cloud37/core";
import { resolveTarget } from "@cloud37/provider-s3";
import { minioDialect } from "../dialect.ts";
import { policyOperations } from "./policies.ts";
import { decodeJson, operation, send, type AdminContext } from "./request.ts";
import { InfoMessageJson } from "./schema.ts";
import { serviceAccountOperations } from "./serviceAccounts.ts";
import { signedTransport, type AdminTransport, type SigningAccount } from "./transport.ts";
import type { MinioAdmin } from "./types.ts";
import { userOperations } from "./users.ts";

/** The admin client over any transport: the body key is the account's secret key. */
export const minioAdminOver = (account: SigningAccount, transport: AdminTransport): MinioAdmin => {
  const context: AdminContext = { transport, password: account.credentials.secretAccessKey, retry: account.retry };
  return {
    // GET /info?metrics=false: plain JSON; answers only to credentials MinIO accepts.
    serverInfo: () =>
      operation(
        context,
        "ServerInfo",
        Effect.gen(function* () {
          const response = yield* send(context, { method: "GET", path: "/info", query: { metrics: "false" } });
          const info = yield* decodeJson(InfoMessageJson, response.body);
          return {
            mode: info.mode,
            deploymentId: info.deploymentID,
            region: info.region,
            versions: (info.servers ?? []).flatMap((server) => (server.version === undefined ? [] : [server.version])),
          };
        }),
      ),
    ...userOperations(context),
    ...policyOperations(context),
    ...serviceAccountOperations(context),
  };
};

const isSigning = (account: Account): account is SigningAccount => account.credentials.source === "Secret";

/**
 * The admin client of an account, signing and sending for real. It needs the account's
 * endpoint and a static key pair: the secret key is also the key of encrypted bodies, which
 * the SDK's ambient credential chain cannot be trusted to hold still.
 */
export const makeMinioAdmin = (account: Account): Effect.Effect<MinioAdmin, ExternalError> =>
  Effect.gen(function* () {
    const target = yield* resolveTarget(account, minioDialect, account.region);
    if (!isSigning(account)) {
      return yield* Effect.fail(
        externalError(
          "Connect",
          new InvalidSpec({
            message: `the MinIO admin API needs credentials.source Secret (ProviderConfig ${account.configName} has ${account.credentials.source})`,
            field: "spec.credentials.source",
          }),
        ),
      );
    }
    return minioAdminOver(account, signedTransport(account, target.endpoint));
  });

/** The MinIO admin API as a service: `layer` for an account, `fromTransport` for tests. */
export class MinioAdminApi extends Context.Service<MinioAdminApi, MinioAdmin>()("cloud37/provider-minio/admin/MinioAdminApi") {
  static readonly layer = (account: Account): Layer.Layer<MinioAdminApi, ExternalError> => Layer.effect(MinioAdminApi, makeMinioAdmin(account));
  static readonly fromTransport = (account: SigningAccount, transport: AdminTransport): Layer.Layer<MinioAdminApi> =>
    Layer.succeed(MinioAdminApi, minioAdminOver(account, transport));
}
