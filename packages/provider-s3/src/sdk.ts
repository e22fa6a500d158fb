import { createHash } from "node:crypto";
import { Agent } from "node:https";
import { Agent as HttpAgent } from "node:http";
import { S3Client } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Redacted } from "effect";
import type { Account } from "@cloud37/core";

/** Where one SDK client sends its requests. */
export interface Endpoint {
  readonly url: string;
  readonly region: string;
}

/**
 * The SDK settings every client of an account shares (S3, STS): endpoint, region,
 * credentials, TLS. The SDK never retries (maxAttempts 1): retries are core's schedule, so a
 * throttled call is retried once per policy, not SDK-attempts × our attempts.
 */
export const sdkClientConfig = (account: Account, endpoint: Endpoint) => {
  const credentials =
    account.credentials.source === "Secret"
      ? { accessKeyId: account.credentials.accessKeyId, secretAccessKey: Redacted.value(account.credentials.secretAccessKey) }
      : undefined;
  return {
    endpoint: endpoint.url,
    region: endpoint.region,
    maxAttempts: 1,
    ...(credentials === undefined ? {} : { credentials }),
    // Anonymous access: requests go out unsigned (the placeholder credentials are never used).
    ...(account.credentials.source === "None"
      ? { credentials: { accessKeyId: "anonymous", secretAccessKey: "anonymous" }, signer: { sign: <R>(request: R): Promise<R> => Promise.resolve(request) } }
      : {}),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 10_000,
      requestTimeout: 60_000,
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 32 }),
      httpsAgent: new Agent({
        keepAlive: true,
        maxSockets: 32,
        rejectUnauthorized: !account.tls.insecureSkipVerify,
        ...(account.tls.caBundle === undefined ? {} : { ca: account.tls.caBundle }),
      }),
    }),
  } as const;
};

/**
 * The identity of an account's client: every field that changes what the client does. The
 * secret enters only as a hash, so the key can be held and compared without holding it twice.
 */
const clientKey = (account: Account, endpoint: Endpoint, variant: string): string =>
  JSON.stringify([accountKey(account), endpoint.url, endpoint.region, variant]);

// The controller reuses one Account object per ProviderConfig version: its part of the key,
// with the secret's hash, is computed once per object rather than on every call.
const accountKeys = new WeakMap<Account, string>();
const accountKey = (account: Account): string => {
  const cached = accountKeys.get(account);
  if (cached !== undefined) return cached;
  const key = accountIdentity(account);
  accountKeys.set(account, key);
  return key;
};

const accountIdentity = (account: Account): string =>
  JSON.stringify([
    account.provider,
    account.credentials.source,
    account.credentials.source === "Secret" ? account.credentials.accessKeyId : "",
    account.credentials.source === "Secret"
      ? createHash("sha256").update(Redacted.value(account.credentials.secretAccessKey)).digest("hex")
      : "",
    account.tls.insecureSkipVerify,
    account.tls.caBundle === undefined ? "" : createHash("sha256").update(account.tls.caBundle).digest("hex"),
  ]);

/** A cache of SDK clients: `get` for an account and endpoint (and a variant), `close` to end them all. */
export interface ClientCache<C> {
  readonly get: (account: Account, endpoint: Endpoint, variant?: string) => C;
  readonly close: () => void;
}

/**
 * One SDK client per account, endpoint and variant, reused by every resource of that
 * account: a client holds a connection pool and parsed models, so one per resource would not
 * fit the controller's memory budget. At most `max` are kept; the least recently used one is
 * destroyed beyond it. Credential rotation gives a new key; old clients age out.
 */
export const makeClientCache = <C extends { destroy(): void }>(make: (account: Account, endpoint: Endpoint) => C, max = 64): ClientCache<C> => {
  const clients = new Map<string, C>();
  return {
    get: (account, endpoint, variant = "") => {
      const key = clientKey(account, endpoint, variant);
      const found = clients.get(key);
      if (found !== undefined) {
        // Re-insert to mark it most recently used.
        clients.delete(key);
        clients.set(key, found);
        return found;
      }
      const client = make(account, endpoint);
      clients.set(key, client);
      if (clients.size > max) {
        const [oldestKey, oldest] = clients.entries().next().value as [string, C];
        clients.delete(oldestKey);
        oldest.destroy();
      }
      return client;
    },
    close: () => {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  };
};

const pathStyleClients = makeClientCache((account, endpoint) => new S3Client({ ...sdkClientConfig(account, endpoint), forcePathStyle: true, followRegionRedirects: true }));
const virtualHostedClients = makeClientCache((account, endpoint) => new S3Client({ ...sdkClientConfig(account, endpoint), forcePathStyle: false, followRegionRedirects: true }));

/** The S3 client of an account, endpoint, region and addressing style (see makeClientCache). */
export const s3ClientFor = (account: Account, endpoint: Endpoint, forcePathStyle: boolean): S3Client =>
  (forcePathStyle ? pathStyleClients : virtualHostedClients).get(account, endpoint);

/** Closes every cached S3 client (tests and shutdown). */
export const closeS3Clients = (): void => {
  pathStyleClients.close();
  virtualHostedClients.close();
};
