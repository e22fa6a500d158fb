import { describe, expect, it } from "@effect/vitest";
import { Duration, Effect, Redacted } from "effect";
import { TestClock } from "effect/testing";
import { NotFound, externalError } from "@cloud37/core";
import type { MinioAdmin, ServiceAccountSummary } from "../src/admin/types.ts";
import { createdOf, keyListingTtlMs, KeyListings, minioIdentityPort } from "../src/identity.ts";

/** Just enough of the admin API for the identity port, counting the encrypted listings. */
const stubAdmin = () => {
  /** Each user's attached policies and groups. */
  const users = new Map<string, { policies: Array<string>; memberOf: Array<string> }>();
  const cannedPolicies = new Map<string, unknown>();
  const accounts: Array<ServiceAccountSummary> = [];
  let listings = 0;
  let counter = 0;
  const admin = {
    getUserInfo: (user: string) => {
      const found = users.get(user);
      return found !== undefined
        ? Effect.succeed({ status: "enabled", policies: [...found.policies], memberOf: [...found.memberOf], updatedAt: undefined })
        : Effect.fail(externalError("GetUserInfo", new NotFound({ message: `no user ${user}` })));
    },
    addUser: (user: string) => Effect.sync(() => void users.set(user, users.get(user) ?? { policies: [], memberOf: [] })),
    addCannedPolicy: (name: string, document: unknown) => Effect.sync(() => void cannedPolicies.set(name, JSON.parse(JSON.stringify(document)))),
    infoCannedPolicy: (name: string) =>
      cannedPolicies.has(name)
        ? Effect.succeed({ name, document: cannedPolicies.get(name), createDate: undefined, updateDate: undefined })
        : Effect.fail(externalError("InfoCannedPolicy", new NotFound({ message: `no policy ${name}` }))),
    attachPolicy: (user: string, policies: ReadonlyArray<string>) =>
      Effect.sync(() => {
        users.get(user)?.policies.push(...policies);
        return { changed: [...policies], updatedAt: undefined };
      }),
    listServiceAccounts: (user: string) =>
      Effect.sync(() => {
        listings += 1;
        return accounts.filter((account) => account.parentUser === user);
      }),
    addServiceAccount: (options: { targetUser?: string; description?: string }) =>
      Effect.sync(() => {
        counter += 1;
        accounts.push({ accessKey: `SA${counter}`, parentUser: options.targetUser ?? "", accountStatus: "on", name: undefined, description: options.description, expiration: undefined });
        return { accessKey: `SA${counter}`, secretKey: Redacted.make("s"), expiration: undefined };
      }),
    deleteServiceAccount: (accessKey: string) => Effect.sync(() => void accounts.splice(accounts.findIndex((a) => a.accessKey === accessKey), 1)),
  } as unknown as MinioAdmin;
  return { admin, users, cannedPolicies, accounts, listings: () => listings };
};

const grants = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::photos/*"] }] };

describe("MinIO identity port", () => {
  it.effect("keeps a user's key listing for a while, updated by its own changes, and asks again when it expires", () =>
    Effect.gen(function* () {
      const stub = stubAdmin();
      const port = minioIdentityPort(stub.admin, "scope", new KeyListings());
      stub.users.set("app", { policies: [], memberOf: [] });
      stub.accounts.push({ accessKey: "BYHAND", parentUser: "app", accountStatus: "on", name: undefined, description: undefined, expiration: undefined });
      expect((yield* port.listKeys("app")).map((key) => key.id)).toEqual(["BYHAND"]);
      const made = yield* port.createKey("app", "uid-app", new Date(5_000));
      yield* port.deleteKey("app", "BYHAND");
      expect(yield* port.listKeys("app")).toEqual([{ id: made.id, created: new Date(5_000) }]);
      expect(stub.listings()).toBe(1);

      // A key added by hand shows once the listing expires.
      stub.accounts.push({ accessKey: "LATER", parentUser: "app", accountStatus: "on", name: undefined, description: undefined, expiration: undefined });
      yield* TestClock.adjust(Duration.millis(keyListingTtlMs));
      expect((yield* port.listKeys("app")).map((key) => key.id)).toEqual([made.id, "LATER"]);
      expect(stub.listings()).toBe(2);
    }));

  it.effect("knows a user it just created has no keys, without asking", () =>
    Effect.gen(function* () {
      const stub = stubAdmin();
      const port = minioIdentityPort(stub.admin, "scope", new KeyListings());
      yield* port.createUser("new", "uid-new", grants);
      expect(yield* port.listKeys("new")).toEqual([]);
      expect(stub.listings()).toBe(0);
    }));

  it.effect("marks the user it creates through its policy's ID, and reads the owner back with the document as written", () =>
    Effect.gen(function* () {
      const stub = stubAdmin();
      const port = minioIdentityPort(stub.admin, "scope", new KeyListings());
      yield* port.createUser("team-app", "uid-app", grants);
      expect(stub.cannedPolicies.get("cloud37-team-app")).toMatchObject({ ID: "cloud37-s3-provider/uid-app" });
      expect(stub.users.get("team-app")?.policies).toEqual(["cloud37-team-app"]);
      expect(yield* port.readUser("team-app")).toEqual({ owner: "uid-app", policy: grants });
      const key = yield* port.createKey("team-app", "uid-app", new Date(7_000));
      expect(stub.accounts.find((account) => account.accessKey === key.id)?.description).toBe("cloud37 s3-provider key of uid-app, created 1970-01-01T00:00:07.000Z");
    }));

  it.effect.each([
    { why: "a user made by hand with an admin policy", policies: ["consoleAdmin"], memberOf: [], canned: undefined },
    { why: "a user whose attached cloud37 policy carries no mark (made by hand, or by an earlier version)", policies: ["cloud37-u1"], memberOf: [], canned: grants },
    { why: "a marked policy not attached to a user that has other policies", policies: ["readwrite"], memberOf: [], canned: { ...grants, ID: "cloud37-s3-provider/uid-x" } },
    { why: "a marked policy not attached to a user in a group", policies: [], memberOf: ["admins"], canned: { ...grants, ID: "cloud37-s3-provider/uid-x" } },
  ])("reads no owner for $why", ({ policies, memberOf, canned }) =>
    Effect.gen(function* () {
      const stub = stubAdmin();
      stub.users.set("u1", { policies, memberOf });
      if (canned !== undefined) stub.cannedPolicies.set("cloud37-u1", canned);
      const port = minioIdentityPort(stub.admin, "scope", new KeyListings());
      expect(yield* port.readUser("u1")).toEqual({ owner: undefined, policy: undefined });
    }));

  it.effect("reads a user an interrupted create left (marked policy written, user made, nothing attached yet) as the owner's", () =>
    Effect.gen(function* () {
      const stub = stubAdmin();
      stub.cannedPolicies.set("cloud37-u1", { ...grants, ID: "cloud37-s3-provider/uid-x" });
      stub.users.set("u1", { policies: [], memberOf: [] });
      const port = minioIdentityPort(stub.admin, "scope", new KeyListings());
      expect(yield* port.readUser("u1")).toEqual({ owner: "uid-x", policy: undefined });
      yield* port.putPolicy("u1", "uid-x", grants);
      expect(yield* port.readUser("u1")).toEqual({ owner: "uid-x", policy: grants });
    }));

  it("reads a key's creation time from its description, and a missing one as the oldest", () => {
    expect(createdOf("cloud37 s3-provider key of uid-1, created 2026-11-22T10:00:00.000Z")).toEqual(new Date("2026-11-22T10:00:00.000Z"));
    expect(createdOf("cloud37 s3-provider key, created 2026-11-22T10:00:00.000Z")).toEqual(new Date("2026-11-22T10:00:00.000Z"));
    expect(createdOf(undefined)).toEqual(new Date(0));
    expect(createdOf("made by hand")).toEqual(new Date(0));
  });
});
