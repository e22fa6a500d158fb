import { createCipheriv, createDecipheriv } from "node:crypto";

/**
 * The sio stream format of github.com/secure-io/sio-go v0.3.1 (what madmin's EncryptData uses;
 * not minio/sio's DARE), for one in-memory buffer:
 * - the AEAD nonce is the caller's 8-byte nonce followed by a 32-bit little-endian counter;
 * - every fragment is sealed with associated data `flag || T`, where flag is 0x00 for a
 *   fragment followed by more and 0x80 for the last one, and T is the 16-byte tag of sealing
 *   nothing under counter 0 (binding the stream's own associated data, empty here);
 * - fragments hold 16 KiB of plaintext each, counters start at 1, and the last fragment holds
 *   the rest (1 to 16 KiB, or 0 bytes for an empty stream), so truncation, reordering and
 *   appending all fail authentication.
 */

/** madmin picks AES-256-GCM or ChaCha20-Poly1305; AES-128-GCM is here for sio's own test vectors. */
export type SioAlgorithm = "AES-128-GCM" | "AES-256-GCM" | "ChaCha20-Poly1305";

/** Framing settings: madmin uses the defaults (16 KiB fragments, no associated data). */
export interface SioOptions {
  readonly bufferSize?: number;
  readonly associatedData?: Uint8Array;
}

/** Plaintext bytes per fragment (sio.BufSize). */
export const sioBufferSize = 16 * 1024;
/** The caller's part of the nonce (sio Stream.NonceSize for 12-byte AEAD nonces). */
export const sioNonceSize = 8;
const tagSize = 16;
const finalFlag = 0x80;

/** The stream failed authentication: wrong key, or altered, truncated or extended data. */
export class SioNotAuthentic extends Error {
  constructor() {
    super("sio: data is not authentic");
    this.name = "SioNotAuthentic";
  }
}

const ciphers = {
  "AES-128-GCM": { name: "aes-128-gcm", keySize: 16 },
  "AES-256-GCM": { name: "aes-256-gcm", keySize: 32 },
  "ChaCha20-Poly1305": { name: "chacha20-poly1305", keySize: 32 },
} as const;

const cipherFor = (algorithm: SioAlgorithm, key: Uint8Array, nonce: Buffer) => {
  const name = ciphers[algorithm].name;
  return name === "chacha20-poly1305"
    ? createCipheriv(name, key, nonce, { authTagLength: tagSize })
    : createCipheriv(name, key, nonce, { authTagLength: tagSize });
};

const decipherFor = (algorithm: SioAlgorithm, key: Uint8Array, nonce: Buffer) => {
  const name = ciphers[algorithm].name;
  return name === "chacha20-poly1305"
    ? createDecipheriv(name, key, nonce, { authTagLength: tagSize })
    : createDecipheriv(name, key, nonce, { authTagLength: tagSize });
};

const aeadNonce = (nonce: Uint8Array, counter: number): Buffer => {
  const full = Buffer.alloc(sioNonceSize + 4);
  full.set(nonce, 0);
  full.writeUInt32LE(counter, sioNonceSize);
  return full;
};

const seal = (algorithm: SioAlgorithm, key: Uint8Array, nonce: Buffer, plaintext: Uint8Array, associatedData: Uint8Array): Buffer => {
  const cipher = cipherFor(algorithm, key, nonce);
  cipher.setAAD(associatedData, { plaintextLength: plaintext.length });
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
};

const open = (algorithm: SioAlgorithm, key: Uint8Array, nonce: Buffer, sealed: Uint8Array, associatedData: Uint8Array): Buffer => {
  if (sealed.length < tagSize) throw new SioNotAuthentic();
  const decipher = decipherFor(algorithm, key, nonce);
  decipher.setAuthTag(sealed.subarray(sealed.length - tagSize));
  decipher.setAAD(associatedData, { plaintextLength: sealed.length - tagSize });
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - tagSize)), decipher.final()]);
  } catch {
    throw new SioNotAuthentic();
  }
};

/** `0x00 || tag(seal(counter 0, nothing, stream AD))`: the per-fragment associated data, flag byte first. */
const fragmentAssociatedData = (algorithm: SioAlgorithm, key: Uint8Array, nonce: Uint8Array, streamAssociatedData: Uint8Array): Buffer =>
  Buffer.concat([Buffer.of(0x00), seal(algorithm, key, aeadNonce(nonce, 0), new Uint8Array(0), streamAssociatedData)]);

const settings = (algorithm: SioAlgorithm, key: Uint8Array, nonce: Uint8Array, options: SioOptions) => {
  const bufferSize = options.bufferSize ?? sioBufferSize;
  // Programmer errors, not data errors: sizes are fixed by the caller, never by the input.
  if (key.length !== ciphers[algorithm].keySize) throw new RangeError(`sio: ${algorithm} needs a ${ciphers[algorithm].keySize}-byte key`);
  if (nonce.length !== sioNonceSize) throw new RangeError(`sio: the nonce must be ${sioNonceSize} bytes`);
  if (!Number.isInteger(bufferSize) || bufferSize < 1 || bufferSize > 2 ** 24 - 1) throw new RangeError("sio: invalid buffer size");
  return { bufferSize, associatedData: fragmentAssociatedData(algorithm, key, nonce, options.associatedData ?? new Uint8Array(0)) };
};

/** Encrypts a whole buffer as one sio stream. */
export const sioEncrypt = (algorithm: SioAlgorithm, key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, options: SioOptions = {}): Buffer => {
  const { bufferSize, associatedData } = settings(algorithm, key, nonce, options);
  const fragments: Array<Buffer> = [];
  let offset = 0;
  let counter = 1;
  // A fragment is final only when nothing follows it, so a full last fragment is still final.
  while (plaintext.length - offset > bufferSize) {
    fragments.push(seal(algorithm, key, aeadNonce(nonce, counter), plaintext.subarray(offset, offset + bufferSize), associatedData));
    offset += bufferSize;
    counter += 1;
  }
  associatedData[0] = finalFlag;
  fragments.push(seal(algorithm, key, aeadNonce(nonce, counter), plaintext.subarray(offset), associatedData));
  return Buffer.concat(fragments);
};

/** Decrypts a whole sio stream; throws SioNotAuthentic when any fragment fails authentication. */
export const sioDecrypt = (algorithm: SioAlgorithm, key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, options: SioOptions = {}): Buffer => {
  const { bufferSize, associatedData } = settings(algorithm, key, nonce, options);
  const fragmentSize = bufferSize + tagSize;
  const plaintexts: Array<Buffer> = [];
  let offset = 0;
  let counter = 1;
  while (ciphertext.length - offset > fragmentSize) {
    plaintexts.push(open(algorithm, key, aeadNonce(nonce, counter), ciphertext.subarray(offset, offset + fragmentSize), associatedData));
    offset += fragmentSize;
    counter += 1;
  }
  associatedData[0] = finalFlag;
  plaintexts.push(open(algorithm, key, aeadNonce(nonce, counter), ciphertext.subarray(offset), associatedData));
  return Buffer.concat(plaintexts);
};
