import { Effect, Exit, Redacted } from "effect";
import { describe, expect, it } from "vitest";
import type { AccessKeyRequest, ManagedResource } from "@cloud37/core";
import { accessKeyConnector } from "../../src/accessKey/index.ts";
import { makeMemoryIdentity } from "../../src/accessKey/memoryIdentity.ts";
import { genericDialect } from "../../src/dialect.ts";
import { genericProvider } from "../../src/generic.ts";
import { account } from "../fixtures.ts";

const resource = (forProvider: AccessKeyRequest, externalName = ""): ManagedResource<AccessKeyRequest> => ({ name: "app", namespace: "team", uid: "uid-app", externalName, forProvider });

const listAll = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }] };

const setup = () => {
  const identity = makeMemoryIdentity();
  const client = Effect.runSync(accessKeyConnector(genericDialect, () => Effect.succeed(identity.port))(account({ endpoint: "http://127.0.0.1:9000" })));
  return { identity, client };
};

const failureMessage = (effect: Effect.Effect<unknown, { reason: { message: string } }>): string => {
  const exit = Effect.runSyncExit(effect);
  if (Exit.isSuccess(exit)) throw new Error("succeeded");
  const reason = exit.cause.reasons.find((r) => r._tag === "Fail");
  return reason?._tag === "Fail" ? reason.error.reason.message : String(exit.cause);
};

describe("AccessKey connector", () => {
  it("publishes complete details on create and only non-secret ones on observe", () => {
    const { client } = setup();
    const created = Effect.runSync(client.create(resource({ buckets: [{ bucketName: "photos", access: "ReadOnly" }] })));
    expect(Redacted.value(created.connectionDetails!["password"]!)).toMatch(/^memory-secret-/);
    const observed = Effect.runSync(client.observe(resource({ buckets: [{ bucketName: "photos", access: "ReadOnly" }] }, created.externalName)));
    expect(observed.exists && Object.keys(observed.connectionDetails ?? {})).not.toContain("password");
    expect(observed.exists && Object.keys(observed.connectionDetails ?? {})).not.toContain("AWS_SECRET_ACCESS_KEY");
    expect(observed).toMatchObject({ exists: true, upToDate: true, lateInitialized: { userName: "team-app" } });
  });

  it("reports policy drift and repairs it", () => {
    const { client, identity } = setup();
    const forProvider: AccessKeyRequest = { userName: "u", buckets: [{ bucketName: "photos", access: "ReadOnly" }] };
    const created = Effect.runSync(client.create(resource(forProvider)));
    identity.users.get("u")!.policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] };
    expect(Effect.runSync(client.observe(resource(forProvider, created.externalName)))).toMatchObject({ upToDate: false, drift: ["policy"] });
    Effect.runSync(client.update(resource(forProvider, created.externalName)));
    expect(Effect.runSync(client.observe(resource(forProvider, created.externalName)))).toMatchObject({ upToDate: true });
  });

  it("refuses bad input with messages naming the field", () => {
    const { client } = setup();
    expect(failureMessage(client.observe(resource({ buckets: [{ bucketRef: { name: "x" }, access: "ReadOnly" }] })))).toBe(
      "spec.forProvider.buckets[0] names no bucket: set bucketName, or a bucketRef to a Ready Bucket",
    );
    expect(failureMessage(client.observe(resource({ policy: { Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }] } })))).toContain(
      "spec.forProvider.policy",
    );
    expect(failureMessage(client.observe(resource({ policy: listAll, rotationRequestedAt: "soon" })))).toContain("must be an RFC 3339 time");
    expect(failureMessage(client.observe({ ...resource({ policy: listAll }), namespace: "n".repeat(63) }))).toContain("set spec.forProvider.userName");
  });

  it("is Unsupported on the generic provider, naming the provider", () => {
    expect(failureMessage(genericProvider.accessKey(account({ endpoint: "http://127.0.0.1:9000" })))).toBe("AccessKey is not supported by generic: it has no identity API for users and keys");
  });
});
