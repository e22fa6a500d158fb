import { assert, describe, it } from "@effect/vitest";
import { Effect, Logger, Redacted, References } from "effect";
import { jsonLogger, redact } from "../src/observability/log.ts";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

const capture = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const lines: Array<string> = [];
    yield* effect.pipe(Effect.provide(Logger.layer([jsonLogger((line) => void lines.push(line))])), Effect.provideService(References.MinimumLogLevel, "Debug"));
    return lines;
  });

describe("json log", () => {
  it.effect("writes one JSON object per line with time, level, msg, controller, key and fields", () =>
    Effect.gen(function* () {
      const lines = yield* capture(
        Effect.logInfo("reconciled", { durationMs: 12 }).pipe(Effect.annotateLogs({ controller: "bucket", key: "ns/b" })),
      );
      assert.strictEqual(lines.length, 1);
      const entry = JSON.parse(lines[0]!);
      assert.strictEqual(entry.level, "info");
      assert.strictEqual(entry.msg, "reconciled");
      assert.strictEqual(entry.controller, "bucket");
      assert.strictEqual(entry.key, "ns/b", "the object key is not a credential");
      assert.strictEqual(entry.durationMs, 12);
      assert.match(entry.time, /^\d{4}-\d\d-\d\dT/);
    }));

  it.effect("never prints a secret, whether Redacted, in a secret-named field, nested, or annotated", () =>
    Effect.gen(function* () {
      const lines = yield* capture(
        Effect.gen(function* () {
          yield* Effect.logInfo("credentials", Redacted.make(SECRET));
          yield* Effect.logInfo("connecting", { secretAccessKey: SECRET, account: { password: SECRET, token: SECRET, user: "ops" } });
          yield* Effect.logWarning("nested", { details: [{ credentials: { id: SECRET } }, { value: Redacted.make(SECRET) }] });
          yield* Effect.logDebug("annotated").pipe(Effect.annotateLogs({ apiKey: SECRET }));
          yield* Effect.logError("failed", { cause: new Error("boom"), accessKeyId: "AKIDEXAMPLE" });
        }),
      );
      assert.strictEqual(lines.length, 5);
      for (const line of lines) assert.notInclude(line, SECRET);
      assert.include(lines[1]!, '"user":"ops"', "non-secret fields survive");
      assert.include(lines[4]!, "AKIDEXAMPLE", "an access key id is an identifier, not a secret");
      assert.include(lines.join("\n"), "<redacted>");
    }));

  it("redacts by field name, case-insensitively, and keeps other values", () => {
    const table: Array<[field: string, redacted: boolean]> = [
      ["password", true],
      ["clientSecret", true],
      ["bearerToken", true],
      ["awsCredentials", true],
      ["secretAccessKey", true],
      ["SSH_KEY", true],
      ["keyId", false],
      ["bucket", false],
    ];
    for (const [field, redacted] of table) {
      const out = redact({ [field]: "v" }) as Record<string, unknown>;
      assert.strictEqual(out[field] === "<redacted>", redacted, field);
    }
  });
});
