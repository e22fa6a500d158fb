import { argon2, pbkdf2, randomBytes } from "node:crypto";
import { Effect, Redacted, Schema, Semaphore } from "effect";
import { sioDecrypt, sioEncrypt, sioNonceSize, SioNotAuthentic, type SioAlgorithm } from "./sio.ts";

/**
 * madmin's EncryptData/DecryptData (madmin-go v3 encrypt.go), which MinIO's admin API uses for
 * bodies carrying secrets: `salt (32) || algorithm id (1) || nonce (8) || sio stream`, the key
 * being 32 bytes derived from the caller's secret key and the salt.
 */

/** The algorithm byte: which key derivation and which AEAD the stream uses. */
export const MadminAlgorithm = {
  /** argon2id (time 1, 64 MiB, 4 lanes) + AES-256-GCM: MinIO's choice on CPUs with AES instructions. */
  argon2idAesGcm: 0x00,
  /** argon2id + ChaCha20-Poly1305: MinIO's choice on CPUs without them. */
  argon2idChaCha20Poly1305: 0x01,
  /** PBKDF2-SHA256 (8192 rounds) + AES-256-GCM: MinIO built in FIPS mode. */
  pbkdf2AesGcm: 0x02,
} as const;
export type MadminAlgorithm = (typeof MadminAlgorithm)[keyof typeof MadminAlgorithm];

const saltSize = 32;
const headerSize = saltSize + 1 + sioNonceSize;
const keySize = 32;
/** argon2id as madmin calls it: IDKey(password, salt, time 1, memory 64 * 1024 KiB, threads 4, 32). */
export const madminArgon2id = { passes: 1, memory: 64 * 1024, parallelism: 4, tagLength: keySize } as const;
const pbkdf2Rounds = 8192;

/** Why a body could not be decrypted; the message never holds data or key material. */
export class MadminCryptError extends Schema.TaggedError<MadminCryptError>()("MadminCryptError", {
  reason: Schema.Literals(["UnexpectedHeader", "UnknownAlgorithm", "NotAuthentic"]),
}) {
  override get message(): string {
    return `encrypted admin body: ${this.reason}`;
  }
}

/**
 * One argon2id derivation at a time, as madmin does: each takes 64 MiB, so parallel
 * reconciles must not multiply that.
 */
const argon2Permit = Semaphore.makeUnsafe(1);

const argon2idKey = (password: Uint8Array, salt: Uint8Array): Effect.Effect<Buffer> =>
  argon2Permit.withPermit(
    Effect.callback<Buffer>((resume) => {
      argon2("argon2id", { message: password, nonce: salt, ...madminArgon2id }, (error, key) => {
        resume(error === null ? Effect.succeed(key) : Effect.die(error));
      });
    }),
  );

const pbkdf2Key = (password: Uint8Array, salt: Uint8Array): Effect.Effect<Buffer> =>
  Effect.callback<Buffer>((resume) => {
    pbkdf2(password, salt, pbkdf2Rounds, keySize, "sha256", (error, key) => {
      resume(error === null ? Effect.succeed(key) : Effect.die(error));
    });
  });

const schemes: Record<MadminAlgorithm, { readonly kdf: typeof argon2idKey; readonly aead: SioAlgorithm }> = {
  [MadminAlgorithm.argon2idAesGcm]: { kdf: argon2idKey, aead: "AES-256-GCM" },
  [MadminAlgorithm.argon2idChaCha20Poly1305]: { kdf: argon2idKey, aead: "ChaCha20-Poly1305" },
  [MadminAlgorithm.pbkdf2AesGcm]: { kdf: pbkdf2Key, aead: "AES-256-GCM" },
};

const isAlgorithm = (id: number | undefined): id is MadminAlgorithm => id !== undefined && Object.hasOwn(schemes, id);

const passwordBytes = (password: Redacted.Redacted<string>): Buffer => Buffer.from(Redacted.value(password), "utf8");

/** True when the data starts like a madmin-encrypted body (madmin IsEncrypted). */
export const isMadminEncrypted = (data: Uint8Array): boolean => data.length > saltSize && isAlgorithm(data[saltSize]);

/**
 * Encrypts a body as madmin EncryptData does, with a fresh salt and nonce. The server accepts
 * every algorithm whatever it would pick itself; the default is argon2id + AES-256-GCM.
 */
export const encryptData = (
  password: Redacted.Redacted<string>,
  plaintext: Uint8Array,
  algorithm: MadminAlgorithm = MadminAlgorithm.argon2idAesGcm,
): Effect.Effect<Uint8Array> =>
  Effect.gen(function* () {
    const salt = randomBytes(saltSize);
    const nonce = randomBytes(sioNonceSize);
    const scheme = schemes[algorithm];
    const key = yield* scheme.kdf(passwordBytes(password), salt);
    return Buffer.concat([salt, Buffer.of(algorithm), nonce, sioEncrypt(scheme.aead, key, nonce, plaintext)]);
  });

/** The algorithm of an encrypted body, read from its header (to see what a server answers with). */
export const madminAlgorithmOf = (data: Uint8Array): MadminAlgorithm | undefined => {
  const id = data[saltSize];
  return data.length >= headerSize && isAlgorithm(id) ? id : undefined;
};

/**
 * Decrypts a body as madmin DecryptData does: every algorithm id is accepted, since the
 * server's choice depends on its CPU and FIPS mode. Fails when the body is cut short, names an
 * unknown algorithm, or does not authenticate under this password.
 */
export const decryptData = (password: Redacted.Redacted<string>, data: Uint8Array): Effect.Effect<Uint8Array, MadminCryptError> =>
  Effect.gen(function* () {
    if (data.length < headerSize) return yield* new MadminCryptError({ reason: "UnexpectedHeader" });
    const id = data[saltSize];
    if (!isAlgorithm(id)) return yield* new MadminCryptError({ reason: "UnknownAlgorithm" });
    const scheme = schemes[id];
    const salt = data.subarray(0, saltSize);
    const nonce = data.subarray(saltSize + 1, headerSize);
    const key = yield* scheme.kdf(passwordBytes(password), salt);
    return yield* openStream(scheme.aead, key, nonce, data.subarray(headerSize));
  });

/** sioDecrypt as an Effect: a failed authentication is an error, anything else a defect. */
const openStream = (aead: SioAlgorithm, key: Uint8Array, nonce: Uint8Array, stream: Uint8Array): Effect.Effect<Uint8Array, MadminCryptError> =>
  Effect.suspend(() => {
    try {
      return Effect.succeed(sioDecrypt(aead, key, nonce, stream));
    } catch (error) {
      if (error instanceof SioNotAuthentic) return Effect.fail(new MadminCryptError({ reason: "NotAuthentic" }));
      throw error;
    }
  });
