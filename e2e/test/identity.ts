import { CreateAccessKeyCommand, CreateUserCommand, GetUserCommand, IAMClient, ListAccessKeysCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { Effect, Redacted } from "effect";
import type { ProviderName } from "@cloud37/core";
import { makeMinioAdmin } from "@cloud37/provider-minio/admin";
import { accountOf } from "./providers/stores.ts";

/** An object store of the test bed and its administrator's key pair. */
export interface AdminStore {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

type Provider = Extract<ProviderName, "aws" | "wasabi" | "minio">;

/** The identity service of a store, asked directly as its administrator (no cache): MinIO's admin API, or IAM. */
export const identityOf = async (provider: Provider, store: AdminStore) => {
  if (provider === "minio") return { minio: await Effect.runPromise(makeMinioAdmin(accountOf(provider, store))) } as const;
  return { iam: new IAMClient({ endpoint: store.endpoint, region: "us-east-1", credentials: { accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey } }) } as const;
};

const isNoSuchEntity = (error: { name?: string }) => error.name === "NoSuchEntity" || error.name === "NoSuchEntityException";

/** Whether a user exists at the provider. */
export const userExists = async (provider: Provider, store: AdminStore, userName: string): Promise<boolean> => {
  const identity = await identityOf(provider, store);
  if ("minio" in identity) return (await Effect.runPromiseExit(identity.minio.getUserInfo(userName)))._tag === "Success";
  return identity.iam.send(new GetUserCommand({ UserName: userName })).then(
    () => true,
    (error: { name?: string }) => {
      if (isNoSuchEntity(error)) return false;
      throw error;
    },
  );
};

/** The ids of a user's keys at the provider. */
export const keyIdsOf = async (provider: Provider, store: AdminStore, userName: string): Promise<ReadonlyArray<string>> => {
  const identity = await identityOf(provider, store);
  if ("minio" in identity) return (await Effect.runPromise(identity.minio.listServiceAccounts(userName))).map((account) => account.accessKey);
  return ((await identity.iam.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata ?? []).map((key) => key.AccessKeyId ?? "");
};

/**
 * Makes a user directly at the provider, as a platform team would: an administrator's policy
 * and one key. Returns the key's id.
 */
export const userMadeOutside = async (provider: Provider, store: AdminStore, userName: string): Promise<string> => {
  const identity = await identityOf(provider, store);
  if ("minio" in identity) {
    await Effect.runPromise(identity.minio.addUser(userName, Redacted.make("a-password-of-the-ops-team")));
    await Effect.runPromise(identity.minio.attachPolicy(userName, ["consoleAdmin"]));
    return (await Effect.runPromise(identity.minio.addServiceAccount({ targetUser: userName }))).accessKey;
  }
  await identity.iam.send(new CreateUserCommand({ UserName: userName }));
  const admin = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
  await identity.iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: "admin", PolicyDocument: JSON.stringify(admin) }));
  return (await identity.iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey?.AccessKeyId ?? "";
};
