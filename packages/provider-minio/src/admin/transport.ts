import type { Readable } from "node:stream";
import { Sha256 } from "@smithy/core/checksum";
import { HttpRequest } from "@smithy/core/protocols";
import { SignatureV4 } from "@smithy/signature-v4";
import { Redacted } from "effect";
import type { Account } from "@cloud37/core";
import { sdkClientConfig } from "@cloud37/provider-s3";
import { AdminBodyError, AdminHttpError } from "./errors.ts";

/** Where every admin path lives (madmin `libraryAdminURLPrefix` + `/v3`). */
export const adminPathPrefix = "/minio/admin/v3";

/** One admin API request: a path under `/minio/admin/v3`, its query, and an optional body. */
export interface AdminRequest {
  readonly method: "GET" | "PUT" | "POST" | "DELETE";
  /** E.g. `/add-user`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  readonly contentType?: string;
}

/** A successful (2xx) answer. */
export interface AdminResponse {
  readonly status: number;
  readonly body: Uint8Array;
}

/**
 * Sends one admin request. Answers other than 2xx reject with AdminHttpError (status and code
 * only); network failures reject with the handler's error. The real one signs and sends; tests
 * give a scripted one.
 */
export type AdminTransport = (request: AdminRequest, signal: AbortSignal) => Promise<AdminResponse>;

/** An account that signs with a static key pair: the admin API needs the secret as the body key too. */
export type SigningAccount = Account & { readonly credentials: Extract<Account["credentials"], { readonly source: "Secret" }> };

/** Answers larger than this are refused rather than buffered (admin answers are small JSON). */
const maxResponseBytes = 16 * 1024 * 1024;

const readBody = async (body: unknown): Promise<Buffer> => {
  if (body === undefined || body === null) return Buffer.alloc(0);
  const chunks: Array<Buffer> = [];
  let size = 0;
  for await (const chunk of body as Readable) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > maxResponseBytes) throw new AdminBodyError("too large");
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
};

/** The `Code` of an error body: MinIO's admin handlers answer JSON, S3 layers XML. */
export const errorCodeOf = (body: Uint8Array): string | undefined => {
  const text = Buffer.from(body).toString("utf8");
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && "Code" in parsed && typeof parsed.Code === "string" && parsed.Code !== "") return parsed.Code;
  } catch {
    // Not JSON: try XML below.
  }
  return /<Code>([^<]{1,128})<\/Code>/.exec(text)?.[1];
};

/**
 * The real transport: SigV4 (service `s3`, the account's region) with the AWS SDK's signer,
 * sent through the same Node handler settings as the account's S3 client (TLS, CA bundle,
 * timeouts, keep-alive). The handler is created once per transport.
 */
export const signedTransport = (account: SigningAccount, url: string): AdminTransport => {
  const base = new URL(url);
  const { requestHandler } = sdkClientConfig(account, { url, region: account.region });
  const { accessKeyId, secretAccessKey } = account.credentials;
  const signer = new SignatureV4({
    service: "s3",
    region: account.region,
    credentials: () => Promise.resolve({ accessKeyId, secretAccessKey: Redacted.value(secretAccessKey) }),
    sha256: Sha256,
    // S3-style signing: the path is signed as sent, not escaped twice.
    uriEscapePath: false,
  });
  const basePath = base.pathname.replace(/\/+$/, "");
  return async (request, signal) => {
    const body = request.body ?? new Uint8Array(0);
    const unsigned = new HttpRequest({
      method: request.method,
      protocol: base.protocol,
      hostname: base.hostname,
      ...(base.port === "" ? {} : { port: Number(base.port) }),
      path: `${basePath}${adminPathPrefix}${request.path}`,
      query: { ...request.query },
      headers: {
        host: base.host,
        "content-length": String(body.length),
        ...(request.contentType === undefined ? {} : { "content-type": request.contentType }),
      },
      ...(body.length === 0 ? {} : { body }),
    });
    const signed = await signer.sign(unsigned);
    const { response } = await requestHandler.handle(signed as HttpRequest, { abortSignal: signal });
    const bytes = await readBody(response.body);
    if (response.statusCode < 200 || response.statusCode > 299) throw new AdminHttpError(response.statusCode, errorCodeOf(bytes));
    return { status: response.statusCode, body: bytes };
  };
};
