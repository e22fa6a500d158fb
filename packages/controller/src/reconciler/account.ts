import { Clock, Effect, Redacted, Schema } from "effect";
import { ProviderConfigSpec, type Account, type AccountCredentials } from "@cloud37/core";
import type { KubeApi, KubeObject } from "../kube/types.ts";

/** Why a ProviderConfig cannot be turned into an Account; the message names keys, never values. */
export class AccountError extends Schema.TaggedError<AccountError>()("AccountError", { message: Schema.String }) {}

const decodeSpec = Schema.decodeUnknownEffect(ProviderConfigSpec);

/**
 * Builds the Account a provider connects with from a (Cluster)ProviderConfig, reading its
 * credentials and CA bundle Secrets. A namespaced ProviderConfig reads only its own namespace.
 */
export const resolveAccount = Effect.fn("resolveAccount")(function* (kube: KubeApi, config: KubeObject) {
  const where = config.metadata.namespace === undefined ? `ClusterProviderConfig ${config.metadata.name}` : `ProviderConfig ${config.metadata.namespace}/${config.metadata.name}`;
  const spec = yield* decodeSpec(config.spec).pipe(
    Effect.mapError((error) => new AccountError({ message: `${where} has an invalid spec: ${error.message}` })),
  );
  const secretNamespace = (namespace: string | undefined): string | undefined => config.metadata.namespace ?? namespace;
  const readSecret = Effect.fn(function* (ref: { readonly name: string; readonly namespace?: string }) {
    const namespace = secretNamespace(ref.namespace);
    if (namespace === undefined) return yield* new AccountError({ message: `${where}: Secret ${ref.name} needs a namespace` });
    const secret = yield* kube.getSecret(namespace, ref.name).pipe(
      Effect.mapError((error) => new AccountError({ message: `${where}: cannot read Secret ${namespace}/${ref.name}: ${error.reason}` })),
    );
    if (secret === undefined) return yield* new AccountError({ message: `${where}: Secret ${namespace}/${ref.name} not found` });
    const { data } = secret;
    const key = (name: string) =>
      data[name] === undefined
        ? Effect.fail(new AccountError({ message: `${where}: Secret ${namespace}/${ref.name} has no key ${name}` }))
        : Effect.succeed(data[name]);
    return key;
  });

  let credentials: AccountCredentials;
  const { source, secretRef } = spec.credentials;
  if (source === "Secret") {
    if (secretRef === undefined) return yield* new AccountError({ message: `${where}: credentials.secretRef is required when source is Secret` });
    const key = yield* readSecret(secretRef);
    const accessKeyId = (yield* key(secretRef.accessKeyIdKey)).trim();
    const secretAccessKey = (yield* key(secretRef.secretAccessKeyKey)).trim();
    credentials = { source, accessKeyId, secretAccessKey: Redacted.make(secretAccessKey) };
  } else {
    credentials = { source };
  }

  let caBundle: string | undefined;
  const caRef = spec.tls?.caBundleSecretRef;
  if (caRef !== undefined) caBundle = yield* (yield* readSecret(caRef))(caRef.key);

  const account: Account = {
    provider: spec.provider,
    configName: where,
    region: spec.region ?? "us-east-1",
    endpoint: spec.endpoint,
    forcePathStyle: spec.forcePathStyle,
    credentials,
    tls: { insecureSkipVerify: spec.tls?.insecureSkipVerify ?? false, caBundle },
    retry: spec.retry ?? { maxAttempts: 3, backoff: "exponential" },
  };
  return account;
});

/** Resolves the Account of a ProviderConfig (resolveAccount, or a cache in front of it). */
export type AccountResolver = (kube: KubeApi, config: KubeObject) => Effect.Effect<Account, AccountError>;

/**
 * resolveAccount behind a short cache per ProviderConfig version: a poll of a thousand
 * resources reads the credentials Secret once per `ttlMillis`, not once per resource (each
 * read was a GET to the API server). A changed ProviderConfig is resolved again at once; a
 * changed Secret is seen within `ttlMillis`. Failures are not cached.
 */
export const cachedAccountResolver = (ttlMillis = 10_000): AccountResolver => {
  const cache = new Map<string, { readonly version: string; readonly account: Account; readonly until: number }>();
  return (kube, config) =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis;
      const hit = cache.get(config.metadata.uid);
      if (hit !== undefined && hit.version === config.metadata.resourceVersion && hit.until > now) return hit.account;
      const account = yield* resolveAccount(kube, config);
      cache.set(config.metadata.uid, { version: config.metadata.resourceVersion, account, until: now + ttlMillis });
      return account;
    });
};
