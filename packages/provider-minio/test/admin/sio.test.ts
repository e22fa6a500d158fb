import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sioBufferSize, sioDecrypt, sioEncrypt, SioNotAuthentic, type SioAlgorithm } from "../../src/admin/sio.ts";

interface Vector {
  readonly BufSize: number;
  readonly Key: string;
  readonly Nonce: string;
  readonly AssociatedData: string;
  readonly Plaintext: string;
  readonly Ciphertext: string;
}
const { vectors } = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "sio-go-vectors.json"), "utf8")) as { vectors: ReadonlyArray<Vector> };
const hex = (value: string) => Buffer.from(value, "hex");

const key = Buffer.alloc(32, 7);
const nonce = Buffer.alloc(8, 9);
const algorithms: ReadonlyArray<SioAlgorithm> = ["AES-256-GCM", "ChaCha20-Poly1305"];
const fragment = sioBufferSize + 16;

describe("sio (secure-io/sio-go stream format)", () => {
  it.each(vectors.map((vector, index) => ({ index, ...vector })))(
    "matches sio-go's own test vector $index (AES-128-GCM, buffer $BufSize, $Plaintext.length hex digits)",
    (vector) => {
      const options = { bufferSize: vector.BufSize, associatedData: hex(vector.AssociatedData) };
      expect(sioEncrypt("AES-128-GCM", hex(vector.Key), hex(vector.Nonce), hex(vector.Plaintext), options).toString("hex")).toBe(vector.Ciphertext);
      expect(sioDecrypt("AES-128-GCM", hex(vector.Key), hex(vector.Nonce), hex(vector.Ciphertext), options).toString("hex")).toBe(vector.Plaintext);
    },
  );

  describe.each(algorithms)("%s", (algorithm) => {
    it.each([0, 1, sioBufferSize - 1, sioBufferSize, sioBufferSize + 1, 3 * sioBufferSize, 3 * sioBufferSize + 5])(
      "round-trips %i bytes with 16-byte tags per 16 KiB fragment",
      (size) => {
        const plaintext = Buffer.alloc(size, 0x5a);
        const sealed = sioEncrypt(algorithm, key, nonce, plaintext);
        expect(sealed.length).toBe(size + 16 * Math.max(1, Math.ceil(size / sioBufferSize)));
        expect(sioDecrypt(algorithm, key, nonce, sealed).equals(plaintext)).toBe(true);
      },
    );

    const sealed = sioEncrypt(algorithm, key, nonce, Buffer.alloc(2 * sioBufferSize + 100, 1));
    it.each([
      { name: "a flipped byte in the first fragment", change: (c: Buffer) => flip(c, 10) },
      { name: "a flipped byte in the last fragment", change: (c: Buffer) => flip(c, c.length - 1) },
      { name: "the last fragment dropped (a full fragment is not final)", change: (c: Buffer) => c.subarray(0, 2 * fragment) },
      { name: "bytes appended", change: (c: Buffer) => Buffer.concat([c, Buffer.alloc(1)]) },
      { name: "two fragments swapped", change: (c: Buffer) => Buffer.concat([c.subarray(fragment, 2 * fragment), c.subarray(0, fragment), c.subarray(2 * fragment)]) },
      { name: "fewer bytes than a tag", change: (c: Buffer) => c.subarray(0, 15) },
    ])("rejects $name", ({ change }) => {
      expect(() => sioDecrypt(algorithm, key, nonce, change(Buffer.from(sealed)))).toThrow(SioNotAuthentic);
    });

    it("rejects another key or another nonce", () => {
      expect(() => sioDecrypt(algorithm, Buffer.alloc(32, 8), nonce, sealed)).toThrow(SioNotAuthentic);
      expect(() => sioDecrypt(algorithm, key, Buffer.alloc(8, 1), sealed)).toThrow(SioNotAuthentic);
    });
  });
});

const flip = (data: Buffer, at: number): Buffer => {
  data[at] = (data[at] ?? 0) ^ 0x01;
  return data;
};
