import { assert, describe, it } from "@effect/vitest";
import { Effect, Redacted } from "effect";
import { AdminHttpError, decryptData, encryptData, makeMinioAdmin, minioAdminOver, type AdminRequest } from "../../src/admin/index.ts";
import { account, answerTo, captured, ok, scripted } from "./fixtures.ts";

const secret = "unit-test-secret";
const password = Redacted.make(secret);

/** The JSON a request carried encrypted, decrypted with the account's secret key. */
const sentJson = (request: AdminRequest | undefined) =>
  Effect.map(decryptData(password, request?.body ?? new Uint8Array(0)), (bytes): unknown => JSON.parse(Buffer.from(bytes).toString("utf8")));

/** An answer encrypted as the server would, with the account's secret key. */
const sealedAnswer = (value: unknown) => Effect.map(encryptData(password, Buffer.from(JSON.stringify(value))), (body) => ok(body));

describe("MinIO admin operations (scripted transport)", () => {
  it.effect("addUser sends PUT /add-user?accessKey= with AddOrUpdateUserReq encrypted under the caller's secret key", () =>
    Effect.gen(function* () {
      const { transport, requests } = scripted([ok()]);
      yield* minioAdminOver(account(secret), transport).addUser("team-a", Redacted.make("user-secret-1"));
      const [request] = requests;
      assert.deepInclude(request, { method: "PUT", path: "/add-user", query: { accessKey: "team-a" } });
      assert.isFalse(Buffer.from(request?.body ?? []).includes("user-secret-1"));
      assert.deepStrictEqual(yield* sentJson(request), { secretKey: "user-secret-1", status: "enabled" });
    }),
  );

  it.effect("attachPolicy posts PolicyAssociationReq as encrypted octet-stream and reads the encrypted answer", () =>
    Effect.gen(function* () {
      const { transport, requests } = scripted([yield* sealedAnswer({ policiesAttached: ["p1"], updatedAt: "2026-02-12T00:00:00Z" })]);
      const change = yield* minioAdminOver(account(secret), transport).attachPolicy("team-a", ["p1"]);
      assert.deepStrictEqual(change, { changed: ["p1"], updatedAt: "2026-02-12T00:00:00Z" });
      assert.deepInclude(requests[0], { method: "POST", path: "/idp/builtin/policy/attach", contentType: "application/octet-stream" });
      assert.deepStrictEqual(yield* sentJson(requests[0]), { policies: ["p1"], user: "team-a" });
    }),
  );

  it.effect("an attach or detach with nothing to change succeeds with no change (idempotent)", () =>
    Effect.gen(function* () {
      const { transport } = scripted([new AdminHttpError(400, "XMinioAdminPolicyChangeAlreadyApplied")]);
      assert.deepStrictEqual(yield* minioAdminOver(account(secret), transport).detachPolicy("team-a", ["p1"]), { changed: [], updatedAt: undefined });
    }),
  );

  it.effect("addServiceAccount sends only the options set, and reads a real server's encrypted answer", () =>
    Effect.gen(function* () {
      const answers = captured("minio-answers-aes-gcm.json");
      const { transport, requests } = scripted([ok(answerTo(answers, "/add-service-account"))]);
      const admin = minioAdminOver(account(answers.password), transport);
      const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] }] };
      const created = yield* admin.addServiceAccount({ targetUser: "team-a", policy, name: "ci" });
      assert.strictEqual(created.accessKey, "FIXTURESA0000000999");
      assert.strictEqual(Redacted.value(created.secretKey), "fixture-sa-secret-0000000000000999");
      assert.strictEqual(created.expiration, undefined);
      assert.notInclude(JSON.stringify(created), "fixture-sa-secret");
      const sent = yield* Effect.map(decryptData(Redacted.make(answers.password), requests[0]?.body ?? new Uint8Array(0)), (b): unknown => JSON.parse(Buffer.from(b).toString()));
      assert.deepStrictEqual(sent, { policy, targetUser: "team-a", name: "ci" });
    }),
  );

  it.effect("listServiceAccounts and infoServiceAccount read real server answers", () =>
    Effect.gen(function* () {
      const answers = captured("minio-answers-chacha20.json");
      const { transport, requests } = scripted([ok(answerTo(answers, "/list-service-accounts")), ok(answerTo(answers, "/info-service-account"))]);
      const admin = minioAdminOver(account(answers.password), transport);
      const list = yield* admin.listServiceAccounts(answers.user);
      assert.strictEqual(list.length, answers.manyAccounts);
      assert.deepInclude(list.find((entry) => entry.accessKey === "FIXTURESA0000000001"), { parentUser: answers.user, name: "fixture", expiration: undefined });
      const info = yield* admin.infoServiceAccount("FIXTURESA0000000001");
      assert.deepInclude(info, { parentUser: answers.user, impliedPolicy: true, policy: undefined, name: "fixture" });
      assert.deepStrictEqual(requests.map((r) => [r.path, r.query]), [
        ["/list-service-accounts", { user: answers.user }],
        ["/info-service-account", { accessKey: "FIXTURESA0000000001" }],
      ]);
    }),
  );

  it.effect("getUserInfo splits MinIO's comma-joined policy names and never reads the secret key", () =>
    Effect.gen(function* () {
      const { transport } = scripted([ok(JSON.stringify({ secretKey: "leak", policyName: "p1,p2", status: "enabled", memberOf: null }))]);
      const info = yield* minioAdminOver(account(secret), transport).getUserInfo("team-a");
      assert.deepStrictEqual(info, { status: "enabled", policies: ["p1", "p2"], memberOf: [], updatedAt: undefined });
    }),
  );

  it.effect.each([
    { name: "a missing user", error: new AdminHttpError(404, "XMinioAdminNoSuchUser"), reason: "NotFound" },
    { name: "a wrong secret key", error: new AdminHttpError(403, "SignatureDoesNotMatch"), reason: "Unauthorized" },
  ])("maps $name to $reason, named after the operation", ({ error, reason }) =>
    Effect.gen(function* () {
      const { transport } = scripted([error]);
      const failure = yield* Effect.flip(minioAdminOver(account(secret), transport).getUserInfo("team-a"));
      assert.strictEqual(failure.operation, "GetUserInfo");
      assert.strictEqual(failure.reason._tag, reason);
    }),
  );

  it.effect("an answer that does not decrypt is a Transient error whose message holds no data", () =>
    Effect.gen(function* () {
      const sealed = yield* encryptData(Redacted.make("someone-else"), Buffer.from('{"credentials":{"accessKey":"A","secretKey":"S"}}'));
      const { transport } = scripted([ok(sealed)]);
      const failure = yield* Effect.flip(minioAdminOver(account(secret), transport).addServiceAccount({}));
      assert.strictEqual(failure.reason._tag, "Transient");
      assert.strictEqual(failure.message, "AddServiceAccount: unreadable admin response: NotAuthentic");
    }),
  );

  it.effect("a JSON answer of the wrong shape fails without quoting it (it may hold a secret key)", () =>
    Effect.gen(function* () {
      const { transport } = scripted([yield* sealedAnswer({ credentials: { accessKey: 1, secretKey: "very-secret" } })]);
      const failure = yield* Effect.flip(minioAdminOver(account(secret), transport).addServiceAccount({}));
      assert.strictEqual(failure.message, "AddServiceAccount: unreadable admin response: unexpected JSON");
    }),
  );

  // Live clock: each attempt awaits a real argon2 derivation, which virtual time cannot skip past.
  it.live("retries a throttled call with core's schedule, re-encrypting each attempt", () =>
    Effect.gen(function* () {
      const { transport, requests } = scripted([new AdminHttpError(503, "XMinioServerNotInitialized"), ok()]);
      const admin = minioAdminOver(account(secret, { retry: { maxAttempts: 3, backoff: "constant" } }), transport);
      yield* admin.addUser("team-a", Redacted.make("user-secret-1"));
      assert.strictEqual(requests.length, 2);
      assert.notStrictEqual(Buffer.from(requests[0]?.body ?? []).toString("hex"), Buffer.from(requests[1]?.body ?? []).toString("hex"));
    }),
  );

  it.effect("does not retry what only a change can fix", () =>
    Effect.gen(function* () {
      const { transport, requests } = scripted([new AdminHttpError(400, "XMinioMalformedIAMPolicy"), ok()]);
      const admin = minioAdminOver(account(secret, { retry: { maxAttempts: 3, backoff: "constant" } }), transport);
      const failure = yield* Effect.flip(admin.addCannedPolicy("p1", { Version: "2012-10-17" }));
      assert.strictEqual(failure.reason._tag, "InvalidSpec");
      assert.strictEqual(requests.length, 1);
      assert.deepInclude(requests[0], { method: "PUT", path: "/add-canned-policy", query: { name: "p1" } });
      assert.strictEqual(Buffer.from(requests[0]?.body ?? []).toString(), '{"Version":"2012-10-17"}');
    }),
  );
});

describe("makeMinioAdmin", () => {
  it.effect("needs static credentials: the secret key is the body key", () =>
    Effect.gen(function* () {
      const failure = yield* Effect.flip(makeMinioAdmin({ ...account(), credentials: { source: "Environment" } }));
      assert.strictEqual(failure.reason._tag, "InvalidSpec");
      assert.include(failure.message, "credentials.source Secret");
    }),
  );

  it.effect("needs an endpoint", () =>
    Effect.gen(function* () {
      const failure = yield* Effect.flip(makeMinioAdmin({ ...account(), endpoint: undefined }));
      assert.strictEqual(failure.reason._tag, "InvalidSpec");
    }),
  );
});
