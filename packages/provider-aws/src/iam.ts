import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUserPoliciesCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { Effect, Redacted } from "effect";
import type { Account, ExternalError } from "@cloud37/core";
import { call, callOptional, makeClientCache, sdkClientConfig, type IdentityFor, type IdentityPort } from "@cloud37/provider-s3";

/** The name of the inline policy this provider writes on a user (the generated grants and the extra document). */
export const userPolicyName = "cloud37-s3-provider";

/**
 * The ownership mark of a user: its IAM path names the AccessKey that created it. A path is
 * set by CreateUser itself (no window in which the user exists unmarked), needs no extra
 * permission, and works on Wasabi, whose IAM has no tags. The platform team can also confine
 * the controller's IAM rights to `arn:aws:iam::<account>:user/cloud37-s3-provider/*`.
 */
export const ownerPathPrefix = "/cloud37-s3-provider/";

/** The path of a user the AccessKey `owner` (its uid) owns. */
export const ownerPath = (owner: string): string => `${ownerPathPrefix}${owner}/`;

/** The owner a user's path names, or undefined when it is not one of this provider's paths. */
export const ownerOfPath = (path: string | undefined): string | undefined => {
  if (path === undefined || !path.startsWith(ownerPathPrefix) || !path.endsWith("/")) return undefined;
  const owner = path.slice(ownerPathPrefix.length, -1);
  return owner === "" || owner.includes("/") ? undefined : owner;
};

/** The AWS IAM endpoint: global, one per partition. */
export const awsIamEndpoint = (region: string): string =>
  region.startsWith("cn-") ? "https://iam.cn-north-1.amazonaws.com.cn" : region.startsWith("us-gov-") ? "https://iam.us-gov.amazonaws.com" : "https://iam.amazonaws.com";

const iamClients = makeClientCache((account, endpoint) => new IAMClient(sdkClientConfig(account, endpoint)));

/** Closes every cached IAM client (tests and shutdown). */
export const closeIamClients = (): void => iamClients.close();

/**
 * GetUserPolicy answers with the document URL-encoded (RFC 3986), as IAM does everywhere;
 * an emulator may send it plain. Text that is not JSON either way reads as no document.
 */
export const decodePolicyDocument = (text: string | undefined): unknown => {
  if (text === undefined) return undefined;
  for (const candidate of [text, safeDecode(text)]) {
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // try the next form
    }
  }
  return undefined;
};

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/**
 * The IAM identity service of an account (AWS, and Wasabi's IAM). Requests go to the
 * Account's endpoint when it names one (a test bed serves everything on one port), else to
 * `iamEndpoint(region)`. Every IAM user may hold two access keys. A user's owner is its path
 * (see ownerPath); its keys and inline policy are marked by belonging to it.
 */
export const iamIdentity =
  (provider: string, iamEndpoint: (region: string) => string): IdentityFor =>
  (account: Account) =>
    Effect.sync((): IdentityPort => {
      // IAM is global: its signing region is the partition's first one, us-east-1 for aws.
      const region = account.region.startsWith("cn-") ? "cn-north-1" : account.region.startsWith("us-gov-") ? "us-gov-west-1" : "us-east-1";
      const iam = iamClients.get(account, { url: account.endpoint ?? iamEndpoint(account.region), region: account.endpoint === undefined ? region : account.region });
      const options = { provider, retry: account.retry };
      const run = <A>(operation: string, send: (signal: AbortSignal) => Promise<A>) => call(operation, send, options);
      const optional = <A>(operation: string, send: (signal: AbortSignal) => Promise<A>) => callOptional(operation, ["NoSuchEntity"], send, options);

      const listKeys = (userName: string) =>
        run("ListAccessKeys", (signal) => iam.send(new ListAccessKeysCommand({ UserName: userName }), { abortSignal: signal })).pipe(
          Effect.map((output) =>
            (output.AccessKeyMetadata ?? []).flatMap((key) => (key.AccessKeyId === undefined ? [] : [{ id: key.AccessKeyId, created: key.CreateDate ?? new Date(0) }])),
          ),
        );

      const deleteKey = (userName: string, keyId: string): Effect.Effect<void, ExternalError> =>
        Effect.asVoid(optional("DeleteAccessKey", (signal) => iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: keyId }), { abortSignal: signal })));

      const getPolicy = (userName: string) =>
        Effect.map(
          optional("GetUserPolicy", (signal) => iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: userPolicyName }), { abortSignal: signal })),
          (output) => decodePolicyDocument(output?.PolicyDocument),
        );

      const putPolicy = (userName: string, document: unknown) =>
        Effect.asVoid(
          run("PutUserPolicy", (signal) =>
            iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: userPolicyName, PolicyDocument: JSON.stringify(document) }), { abortSignal: signal }),
          ),
        );

      return {
        maxKeysPerUser: 2,
        readUser: (userName) =>
          Effect.gen(function* () {
            const output = yield* optional("GetUser", (signal) => iam.send(new GetUserCommand({ UserName: userName }), { abortSignal: signal }));
            if (output?.User === undefined) return undefined;
            const owner = ownerOfPath(output.User.Path);
            // A user that is not ours is never read further: its policies are none of our business.
            return { owner, policy: owner === undefined ? undefined : yield* getPolicy(userName) };
          }),
        // EntityAlreadyExists is not absorbed: the caller saw no user, so one that appeared since
        // is someone else's, and the next observe refuses it.
        createUser: (userName, owner, document) =>
          Effect.gen(function* () {
            yield* run("CreateUser", (signal) => iam.send(new CreateUserCommand({ UserName: userName, Path: ownerPath(owner) }), { abortSignal: signal }));
            yield* putPolicy(userName, document);
          }),
        deleteUser: (userName) =>
          Effect.gen(function* () {
            const keys = yield* listKeys(userName).pipe(Effect.catchIf((error) => error.reason._tag === "NotFound", () => Effect.succeed([])));
            for (const key of keys) yield* deleteKey(userName, key.id);
            const policies = yield* optional("ListUserPolicies", (signal) => iam.send(new ListUserPoliciesCommand({ UserName: userName }), { abortSignal: signal }));
            for (const name of policies?.PolicyNames ?? []) {
              yield* optional("DeleteUserPolicy", (signal) => iam.send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: name }), { abortSignal: signal }));
            }
            yield* optional("DeleteUser", (signal) => iam.send(new DeleteUserCommand({ UserName: userName }), { abortSignal: signal }));
          }),
        putPolicy: (userName, _owner, document) => putPolicy(userName, document),
        listKeys,
        createKey: (userName, _owner, now) =>
          Effect.map(run("CreateAccessKey", (signal) => iam.send(new CreateAccessKeyCommand({ UserName: userName }), { abortSignal: signal })), (output) => ({
            id: output.AccessKey?.AccessKeyId ?? "",
            created: output.AccessKey?.CreateDate ?? now,
            secret: Redacted.make(output.AccessKey?.SecretAccessKey ?? ""),
          })),
        deleteKey,
      };
    });
