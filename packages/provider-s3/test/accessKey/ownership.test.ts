import { Effect, Exit } from "effect";
import { describe, expect, it } from "vitest";
import type { AccessKeyRequest, ExternalError, ManagedResource } from "@cloud37/core";
import { accessKeyConnector } from "../../src/accessKey/index.ts";
import { makeMemoryIdentity } from "../../src/accessKey/memoryIdentity.ts";
import { genericDialect } from "../../src/dialect.ts";
import { account } from "../fixtures.ts";

const forProvider: AccessKeyRequest = { userName: "ops-admin", buckets: [{ bucketName: "photos", access: "ReadOnly" }] };
const resource = (uid: string, externalName = ""): ManagedResource<AccessKeyRequest> => ({ name: "app", namespace: "team", uid, externalName, forProvider });

const setup = () => {
  const identity = makeMemoryIdentity();
  const client = Effect.runSync(accessKeyConnector(genericDialect, () => Effect.succeed(identity.port))(account({ endpoint: "http://127.0.0.1:9000" })));
  return { identity, client };
};

const failure = (effect: Effect.Effect<unknown, ExternalError>): ExternalError => {
  const exit = Effect.runSyncExit(effect);
  if (Exit.isSuccess(exit)) throw new Error("succeeded");
  const reason = exit.cause.reasons.find((r) => r._tag === "Fail");
  if (reason?._tag !== "Fail") throw new Error(String(exit.cause));
  return reason.error;
};

describe("AccessKey ownership", () => {
  it("marks the user it creates with the AccessKey's uid", () => {
    const { client, identity } = setup();
    Effect.runSync(client.create(resource("uid-a")));
    expect(identity.users.get("ops-admin")?.owner).toBe("uid-a");
  });

  it("refuses a user made outside the controller in every verb, and changes nothing there", () => {
    const { client, identity } = setup();
    const adminPolicy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    identity.users.set("ops-admin", { owner: undefined, policy: adminPolicy, keys: [{ id: "AKIAOPSADMIN", created: new Date(0), secret: "the-admin-secret" }] });
    const before = JSON.stringify([...identity.users]);
    for (const verb of [client.observe, client.create, client.update, client.delete] as const) {
      const error = failure(verb(resource("uid-a", "AKIAOPSADMIN")));
      expect(error.reason._tag).toBe("OwnedByOther");
      expect(error.reason.message).toBe(
        "user ops-admin exists at the provider but was not created by this AccessKey (it carries no ownership mark of this controller): nothing was changed and no Secret was written; create an AccessKey with another spec.forProvider.userName (see docs/security.md)",
      );
    }
    expect(JSON.stringify([...identity.users])).toBe(before);
  });

  it("refuses a user another AccessKey owns, naming its uid, and leaves its keys alone", () => {
    const { client, identity } = setup();
    const theirs = Effect.runSync(client.create(resource("uid-a")));
    const error = failure(client.create(resource("uid-b")));
    expect(error.reason.message).toContain("user ops-admin belongs to another AccessKey (its ownership mark names uid uid-a)");
    expect(failure(client.delete(resource("uid-b"))).reason._tag).toBe("OwnedByOther");
    expect(identity.users.get("ops-admin")?.keys.map((key) => key.id)).toEqual([theirs.externalName]);
  });

  it("a create interrupted after the user was made (ours) carries on", () => {
    const { client, identity } = setup();
    Effect.runSync(identity.port.createUser("ops-admin", "uid-a", undefined));
    const created = Effect.runSync(client.create(resource("uid-a")));
    expect(created.externalName).toMatch(/^AKIAMEMORY/);
    expect(JSON.stringify(identity.users.get("ops-admin")?.policy)).toContain("arn:aws:s3:::photos");
  });
});
