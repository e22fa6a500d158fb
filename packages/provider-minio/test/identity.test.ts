import { describe, expect, it } from "@effect/vitest";
import { Duration, Effect, Redacted } from "effect";
import { TestClock } from "effect/testing";
import { NotFound, externalError } from "@cloud37/core";
import type { MinioAdmin, ServiceAccountSummary } from "../src/admin/types.ts";
import { createdOf, keyListingTtlMs, KeyListings, minioIdentityPort } from "../src/identity.ts";

/** Just enough of the admin API for the identity port, counting the encrypted listings. */
const stubAdmin = () => {
  const users = new Set<string>();
  const accounts: Array<ServiceAccountSummary> = [];
  let listings = 0;
  let counter = 0;
  const admin = {
    getUserInfo: (user: string) =>
      users.has(user)
        ? Effect.succeed({ status: "enabled", policies: [], memberOf: [], updatedAt: undefined })
        : Effect.fail(externalError("GetUserInfo", new NotFound({ message: `no user ${user}` }))),
    addUser: (user: string) => Effect.sync(() => void users.add(user)),
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
  return { admin, users, accounts, listings: () => listings };
};

describe("MinIO identity port", () => {
  it.effect("keeps a user's key listing for a while, updated by its own changes, and asks again when it expires", () =>
    Effect.gen(function* () {
      const stub = stubAdmin();
      const port = minioIdentityPort(stub.admin, "scope", new KeyListings());
      stub.users.add("app");
      stub.accounts.push({ accessKey: "BYHAND", parentUser: "app", accountStatus: "on", name: undefined, description: undefined, expiration: undefined });
      expect((yield* port.listKeys("app")).map((key) => key.id)).toEqual(["BYHAND"]);
      const made = yield* port.createKey("app", new Date(5_000));
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
      yield* port.createUser("new");
      expect(yield* port.listKeys("new")).toEqual([]);
      expect(stub.listings()).toBe(0);
    }));

  it("reads a key's creation time from its description, and a missing one as the oldest", () => {
    expect(createdOf("cloud37 s3-provider key, created 2026-11-22T10:00:00.000Z")).toEqual(new Date("2026-11-22T10:00:00.000Z"));
    expect(createdOf(undefined)).toEqual(new Date(0));
    expect(createdOf("made by hand")).toEqual(new Date(0));
  });
});
