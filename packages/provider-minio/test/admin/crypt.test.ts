import { argon2Sync, pbkdf2Sync } from "node:crypto";
import { assert, describe, it } from "@effect/vitest";
import { Effect, Redacted } from "effect";
import { decryptData, encryptData, isMadminEncrypted, MadminAlgorithm, madminAlgorithmOf } from "../../src/admin/crypt.ts";
import { answerTo, captured } from "./fixtures.ts";

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");
const json = (bytes: Uint8Array): unknown => JSON.parse(text(bytes));

/** The reason a decryption failed with. */
const failure = (password: string, data: Uint8Array) => Effect.map(Effect.flip(decryptData(Redacted.make(password), data)), (error) => error.reason);

describe("key derivation primitives", () => {
  it("Node's argon2id gives RFC 9106's test vector (section 5.3)", () => {
    const tag = argon2Sync("argon2id", {
      message: Buffer.alloc(32, 0x01),
      nonce: Buffer.alloc(16, 0x02),
      secret: Buffer.alloc(8, 0x03),
      associatedData: Buffer.alloc(12, 0x04),
      memory: 32,
      passes: 3,
      parallelism: 4,
      tagLength: 32,
    });
    assert.strictEqual(tag.toString("hex"), "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
  });

  it("Node's PBKDF2-HMAC-SHA256 gives RFC 7914's test vector (section 11)", () => {
    const key = pbkdf2Sync("passwd", "salt", 1, 64, "sha256");
    assert.strictEqual(
      key.toString("hex"),
      "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
    );
  });
});

describe.each([
  { file: "minio-answers-aes-gcm.json", algorithm: MadminAlgorithm.argon2idAesGcm },
  { file: "minio-answers-chacha20.json", algorithm: MadminAlgorithm.argon2idChaCha20Poly1305 },
] as const)("decryptData of real MinIO answers ($file)", ({ file, algorithm }) => {
  const answers = captured(file);

  it.effect("reads the new service account's keys chosen at capture time", () =>
    Effect.gen(function* () {
      const body = answerTo(answers, "/add-service-account");
      assert.strictEqual(madminAlgorithmOf(body), algorithm);
      const plaintext = yield* decryptData(Redacted.make(answers.password), body);
      assert.deepInclude(json(plaintext), { credentials: { accessKey: "FIXTURESA0000000999", secretKey: "fixture-sa-secret-0000000000000999", expiration: "1970-01-01T00:00:00Z" } });
    }),
  );

  it.effect("reads info-service-account", () =>
    Effect.gen(function* () {
      const plaintext = yield* decryptData(Redacted.make(answers.password), answerTo(answers, "/info-service-account"));
      assert.deepInclude(json(plaintext), { parentUser: answers.user, accountStatus: "on", impliedPolicy: true, name: "fixture" });
    }),
  );

  it.effect("reads a list spanning two sio fragments (over 16 KiB)", () =>
    Effect.gen(function* () {
      const body = answerTo(answers, "/list-service-accounts");
      assert.isAbove(body.length, 16 * 1024 + 41 + 16);
      const { accounts } = json(yield* decryptData(Redacted.make(answers.password), body)) as { accounts: Array<{ accessKey: string; description?: string }> };
      assert.strictEqual(accounts.length, answers.manyAccounts);
      assert.strictEqual(accounts.find((account) => account.accessKey === "FIXTURESA0000000002")?.description, answers.description);
    }),
  );

  it.effect("fails with NotAuthentic under another password", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* failure(`${answers.password}x`, answerTo(answers, "/info-service-account")), "NotAuthentic");
    }),
  );

  it.effect.each([
    { at: 0, what: "the salt" },
    { at: 33, what: "the nonce" },
    { at: 41, what: "the first fragment" },
    { at: -1, what: "the last tag" },
  ])("fails with NotAuthentic when a byte of $what is flipped", ({ at }) =>
    Effect.gen(function* () {
      const body = Buffer.from(answerTo(answers, "/list-service-accounts"));
      const index = at < 0 ? body.length + at : at;
      body[index] = (body[index] ?? 0) ^ 0x80;
      assert.strictEqual(yield* failure(answers.password, body), "NotAuthentic");
    }),
  );
});

describe("decryptData header checks", () => {
  it.effect("refuses a body shorter than the header, and an unknown algorithm id", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* failure("pw", Buffer.alloc(40)), "UnexpectedHeader");
      const body = Buffer.from(answerTo(captured("minio-answers-aes-gcm.json"), "/info-service-account"));
      body[32] = 0x07;
      assert.strictEqual(yield* failure("pw", body), "UnknownAlgorithm");
      assert.isFalse(isMadminEncrypted(body));
    }),
  );

  it.effect("an algorithm id switched to another known one fails authentication, not silently", () =>
    Effect.gen(function* () {
      const answers = captured("minio-answers-aes-gcm.json");
      const body = Buffer.from(answerTo(answers, "/info-service-account"));
      body[32] = MadminAlgorithm.argon2idChaCha20Poly1305;
      assert.strictEqual(yield* failure(answers.password, body), "NotAuthentic");
    }),
  );
});

describe("encryptData", () => {
  it.effect.each([
    { name: "argon2id + AES-256-GCM", algorithm: MadminAlgorithm.argon2idAesGcm },
    { name: "argon2id + ChaCha20-Poly1305", algorithm: MadminAlgorithm.argon2idChaCha20Poly1305 },
    { name: "PBKDF2 + AES-256-GCM", algorithm: MadminAlgorithm.pbkdf2AesGcm },
  ])("round-trips with $name, writing madmin's header", ({ algorithm }) =>
    Effect.gen(function* () {
      const password = Redacted.make("round-trip-secret");
      const plaintext = Buffer.from(JSON.stringify({ secretKey: "s3cr3t", status: "enabled" }));
      const sealed = yield* encryptData(password, plaintext, algorithm);
      assert.strictEqual(sealed.length, 32 + 1 + 8 + plaintext.length + 16);
      assert.strictEqual(madminAlgorithmOf(sealed), algorithm);
      assert.isTrue(isMadminEncrypted(sealed));
      assert.isFalse(Buffer.from(sealed).includes("s3cr3t"));
      assert.strictEqual(text(yield* decryptData(password, sealed)), text(plaintext));
    }),
  );

  it.effect("uses a fresh salt and nonce each time", () =>
    Effect.gen(function* () {
      const password = Redacted.make("pw");
      const [first, second] = yield* Effect.all([encryptData(password, Buffer.from("same")), encryptData(password, Buffer.from("same"))]);
      assert.notStrictEqual(Buffer.from(first).subarray(0, 41).toString("hex"), Buffer.from(second).subarray(0, 41).toString("hex"));
    }),
  );

  it.effect("argon2id derivations run one at a time but all complete", () =>
    Effect.gen(function* () {
      const password = Redacted.make("pw");
      const sealed = yield* Effect.all(
        Array.from({ length: 4 }, (_, i) => encryptData(password, Buffer.from(`body ${i}`))),
        { concurrency: "unbounded" },
      );
      const opened = yield* Effect.all(sealed.map((body) => decryptData(password, body)));
      assert.deepStrictEqual(opened.map(text), ["body 0", "body 1", "body 2", "body 3"]);
    }),
  );
});
