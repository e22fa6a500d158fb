import { PutObjectCommand } from "@aws-sdk/client-s3";
import { Effect } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Annotations, rotationRequestAnnotation, type AccessKeyRequest, type Account } from "@cloud37/core";
import { awsProvider } from "@cloud37/provider-aws";
import { minioProvider } from "@cloud37/provider-minio";
import { wasabiProvider } from "@cloud37/provider-wasabi";
import type { RunningController } from "../../src/testbed/index.ts";
import { accountOf as storeAccount, s3Outcome as outcome } from "../providers/stores.ts";
import { appClient, readWith } from "../application.ts";
import { keyIdsOf as keyIdsAt, userExists as userExistsAt } from "../identity.ts";
import { eventually, uniqueName } from "../kube.ts";
import {
  accessKeyYaml,
  bucketYaml,
  conditionOf,
  createNamespace,
  getAccessKey,
  installCrds,
  k,
  providerConfigYaml,
  providers,
  readConnectionSecret,
  runController,
  s3,
  store,
  waitForAccessKeyCondition,
  waitForAccessKeyGone,
  waitForBucketCondition,
  waitForWarnings,
  type TestProvider,
} from "../harness.ts";

const namespace = "e2e-access-key";
let controller: RunningController;

beforeAll(async () => {
  await installCrds();
  await createNamespace(namespace);
  for (const provider of providers) await k(["apply", "-f", "-"], providerConfigYaml(provider, `keys-${provider}`));
  // Debug logging: the secret scan at the end of the suite then covers every log line the controller can write.
  controller = await runController("access-key", ["--log-level", "debug"]);
});

afterAll(async () => {
  await controller?.service.stop();
});

const providerOf = { minio: minioProvider, aws: awsProvider, wasabi: wasabiProvider } as const;

/** The Account of the test bed's administrator for a provider. */
const accountOf = (provider: TestProvider): Account => storeAccount(provider, store(provider));

const userExists = (provider: TestProvider, userName: string) => userExistsAt(provider, store(provider), userName);
const keyIdsOf = (provider: TestProvider, userName: string) => keyIdsAt(provider, store(provider), userName);

/** Waits until the connection Secret holds a key other than `previous` (any key when undefined). */
const waitForKey = (name: string, previous: string | undefined, timeoutMs = 60_000) =>
  eventually(
    `Secret ${name}-s3 with a key other than ${previous ?? "none"}`,
    async () => {
      const secret = await readConnectionSecret(namespace, `${name}-s3`);
      const id = secret?.["AWS_ACCESS_KEY_ID"];
      return id !== undefined && id !== previous && secret?.["AWS_SECRET_ACCESS_KEY"] !== undefined ? secret : undefined;
    },
    timeoutMs,
  );

const seconds = (value: number) => value / 86_400;

/** Warning events of an object whose message mentions `text`, as "reason: message", once there is one. */
const warningsAbout = async (name: string, text: string): Promise<Array<string>> =>
  (await waitForWarnings(namespace, name, (event) => event.message.includes(text))).map((event) => `${event.reason}: ${event.message}`);

describe.each(providers)("AccessKey on %s", (provider) => {
  const config = `keys-${provider}`;
  let granted: string;
  let other: string;

  beforeAll(async () => {
    granted = uniqueName(`${provider}-data`);
    other = uniqueName(`${provider}-other`);
    for (const bucket of [granted, other]) await k(["apply", "-f", "-"], bucketYaml({ name: bucket, namespace, providerConfig: config }));
    await waitForBucketCondition(namespace, granted, "Ready", "True");
    await waitForBucketCondition(namespace, other, "Ready", "True");
    await s3(provider).send(new PutObjectCommand({ Bucket: other, Key: "private.txt", Body: "not for the app" }));
  });

  it("writes working keys to the Secret: the granted bucket is writable, another bucket is denied; a lost Secret gets a new key", async () => {
    const name = uniqueName(`${provider}-app`);
    await k(["apply", "-f", "-"], accessKeyYaml({ name, namespace, providerConfig: config, forProvider: { buckets: [{ bucketRef: { name: granted }, access: "ReadWrite" }] } }));
    await waitForAccessKeyCondition(namespace, name, "Ready", "True");
    const secret = await waitForKey(name, undefined);
    for (const key of ["username", "password", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_ENDPOINT_URL_S3", "COSI_S3_ENDPOINT", "COSI_S3_REGION", "COSI_S3_ACCESS_KEY_ID", "COSI_S3_ACCESS_SECRET_KEY", "COSI_S3_ADDRESSING_STYLE", "COSI_S3_BUCKET_ID"]) {
      expect(secret[key], key).toBeTruthy();
    }
    expect(secret["COSI_S3_BUCKET_ID"]).toBe(granted);
    expect(secret["username"]).toBe(secret["AWS_ACCESS_KEY_ID"]);

    const object = await getAccessKey(namespace, name);
    expect(object?.metadata["annotations"]).toMatchObject({ [Annotations.externalName]: secret["AWS_ACCESS_KEY_ID"] });
    expect(object?.status?.atProvider).toMatchObject({ userName: `${namespace}-${name}`, accessKeyId: secret["AWS_ACCESS_KEY_ID"] });
    // The default user name is written back (late initialization), so it cannot drift.
    expect((object?.spec["forProvider"] as { userName?: string }).userName).toBe(`${namespace}-${name}`);

    const app = appClient(secret);
    expect(await outcome(app.send(new PutObjectCommand({ Bucket: granted, Key: "from-app.txt", Body: "hello" })))).toBe("ok");
    expect(await readWith(secret, granted, "from-app.txt")).toBe("ok");
    expect(await readWith(secret, other, "private.txt")).toBe("AccessDenied");

    // A deleted Secret cannot be rebuilt (a secret key is shown once): a new key replaces it.
    await k(["delete", "secret", "-n", namespace, `${name}-s3`]);
    const replaced = await waitForKey(name, secret["AWS_ACCESS_KEY_ID"]);
    expect(await readWith(replaced, granted, "from-app.txt")).toBe("ok");
    expect(await warningsAbout(name, "no longer held its secret key")).toHaveLength(1);
    await k(["delete", "accesskey", "-n", namespace, name, "--wait=false"]);
    await waitForAccessKeyGone(namespace, name);
  });

  it("rotates on schedule: the Secret switches, the previous key works until its retention ends", async () => {
    const name = uniqueName(`${provider}-rot`);
    await s3(provider).send(new PutObjectCommand({ Bucket: granted, Key: "shared.txt", Body: "shared" }));
    await k(
      ["apply", "-f", "-"],
      accessKeyYaml({
        name,
        namespace,
        providerConfig: config,
        forProvider: { buckets: [{ bucketName: granted, access: "ReadOnly" }], rotation: { enabled: true, intervalDays: seconds(30), retainPreviousDays: seconds(15) } },
      }),
    );
    const first = await waitForKey(name, undefined);
    const second = await waitForKey(name, first["AWS_ACCESS_KEY_ID"], 60_000);
    // Right after the switch both keys work: applications have time to pick the new one up.
    expect(await readWith(second, granted, "shared.txt")).toBe("ok");
    expect(await readWith(first, granted, "shared.txt")).toBe("ok");
    const status = await eventually("status showing the rotation", async () => {
      const atProvider = (await getAccessKey(namespace, name))?.status?.atProvider;
      return atProvider?.accessKeyId === second["AWS_ACCESS_KEY_ID"] ? atProvider : undefined;
    });
    expect(status.previousAccessKeyIds).toEqual([first["AWS_ACCESS_KEY_ID"]]);
    expect(Date.parse(status.nextRotateTime ?? "") - Date.parse(status.lastRotateTime ?? "")).toBeCloseTo(30_000, -3);
    // After the retention the previous key is deleted and stops working.
    await eventually("the previous key to stop working", async () => ((await readWith(first, granted, "shared.txt")) === "ok" ? undefined : true), 40_000);
    await k(["delete", "accesskey", "-n", namespace, name, "--wait=false"]);
    await waitForAccessKeyGone(namespace, name);
  });

  it("rotates at once on the annotation; deleting the AccessKey deletes the user and every key", async () => {
    const name = uniqueName(`${provider}-now`);
    await k(["apply", "-f", "-"], accessKeyYaml({ name, namespace, providerConfig: config, forProvider: { buckets: [{ bucketName: granted, access: "ReadOnly" }] } }));
    const first = await waitForKey(name, undefined);
    const userName = `${namespace}-${name}`;
    await k(["annotate", "--overwrite", "accesskey", "-n", namespace, name, `${rotationRequestAnnotation}=${new Date().toISOString()}`]);
    const second = await waitForKey(name, first["AWS_ACCESS_KEY_ID"], 30_000);
    expect(await readWith(second, granted, "shared.txt")).toBe("ok");
    expect(await readWith(first, granted, "shared.txt")).toBe("ok");
    expect(await userExists(provider, userName)).toBe(true);

    await k(["delete", "accesskey", "-n", namespace, name, "--wait=false"]);
    await waitForAccessKeyGone(namespace, name);
    expect(await userExists(provider, userName)).toBe(false);
    expect(await readWith(first, granted, "shared.txt")).not.toBe("ok");
    expect(await readWith(second, granted, "shared.txt")).not.toBe("ok");
  });

  it("Orphan keeps the user and its key", async () => {
    const name = uniqueName(`${provider}-orphan`);
    await k(
      ["apply", "-f", "-"],
      accessKeyYaml({ name, namespace, providerConfig: config, forProvider: { buckets: [{ bucketName: granted, access: "ReadOnly" }] }, spec: { deletionPolicy: "Orphan" } }),
    );
    const secret = await waitForKey(name, undefined);
    const userName = `${namespace}-${name}`;
    const uid = String((await getAccessKey(namespace, name))?.metadata["uid"]);
    await k(["delete", "accesskey", "-n", namespace, name, "--wait=false"]);
    await waitForAccessKeyGone(namespace, name);
    expect(await userExists(provider, userName)).toBe(true);
    expect(await readWith(secret, granted, "shared.txt")).toBe("ok");
    // Clean up with the provider itself, as the AccessKey whose mark the user carries.
    const client = await Effect.runPromise(providerOf[provider].accessKey(accountOf(provider)));
    await Effect.runPromise(client.delete({ name, namespace, uid, externalName: secret["AWS_ACCESS_KEY_ID"] ?? "", forProvider: { userName } }));
  });

  it("after a controller died between creating a key and recording it, the unrecorded key is deleted and reported, and one key remains", async () => {
    const name = uniqueName(`${provider}-leak`);
    const userName = `${namespace}-${name}`;
    // What a kill leaves behind: the user (marked as the AccessKey's) with a key whose secret
    // was never stored, and the AccessKey marked create-pending with nothing recorded. The
    // AccessKey is applied paused first, for its uid.
    const forProvider: AccessKeyRequest = { userName, buckets: [{ bucketName: granted, access: "ReadOnly" }] };
    const yaml = (paused: boolean) =>
      accessKeyYaml({
        name,
        namespace,
        providerConfig: config,
        forProvider: { ...forProvider },
        annotations: { [Annotations.createPending]: new Date().toISOString(), ...(paused ? { [Annotations.paused]: "true" } : {}) },
      });
    await k(["apply", "-f", "-"], yaml(true));
    const uid = String((await getAccessKey(namespace, name))?.metadata["uid"]);
    const client = await Effect.runPromise(providerOf[provider].accessKey(accountOf(provider)));
    const leaked = await Effect.runPromise(client.create({ name, namespace, uid, externalName: "", forProvider }));
    const leakedKey = leaked.externalName ?? "";
    await k(["annotate", "accesskey", "-n", namespace, name, `${Annotations.paused}-`]);
    const secret = await waitForKey(name, undefined);
    expect(secret["AWS_ACCESS_KEY_ID"]).not.toBe(leakedKey);
    await waitForAccessKeyCondition(namespace, name, "Ready", "True");
    expect(await warningsAbout(name, leakedKey)).toEqual([expect.stringMatching(new RegExp(`^ExternalResourceNote: deleted access key ${leakedKey} of user ${userName}`))]);
    expect(await keyIdsOf(provider, userName)).toEqual([secret["AWS_ACCESS_KEY_ID"]]);
    await k(["delete", "accesskey", "-n", namespace, name, "--wait=false"]);
    await waitForAccessKeyGone(namespace, name);
  });

  it("waits with a clear condition for a Bucket that does not exist yet, then proceeds", async () => {
    const name = uniqueName(`${provider}-wait`);
    const bucket = uniqueName(`${provider}-later`);
    await k(["apply", "-f", "-"], accessKeyYaml({ name, namespace, providerConfig: config, forProvider: { buckets: [{ bucketRef: { name: bucket }, access: "WriteOnly" }] } }));
    const synced = await waitForAccessKeyCondition(namespace, name, "Synced", "False");
    expect(synced.message).toBe(`cannot resolve references: Bucket ${namespace}/${bucket} does not exist`);
    expect(conditionOf(await getAccessKey(namespace, name), "Ready")?.status).toBe("False");
    await k(["apply", "-f", "-"], bucketYaml({ name: bucket, namespace, providerConfig: config }));
    await waitForAccessKeyCondition(namespace, name, "Ready", "True", undefined, 60_000);
    const secret = await waitForKey(name, undefined);
    const app = appClient(secret);
    expect(await outcome(app.send(new PutObjectCommand({ Bucket: bucket, Key: "drop.txt", Body: "in" })))).toBe("ok");
    expect(await readWith(secret, bucket, "drop.txt")).toBe("AccessDenied");
    await k(["delete", "accesskey", "-n", namespace, name, "--wait=false"]);
    await waitForAccessKeyGone(namespace, name);
  });
});

describe("AccessKey admission", () => {
  const grant = { bucketName: "some-bucket", access: "ReadOnly" };
  it.each([
    { why: "neither grants nor a policy", forProvider: {}, message: "an AccessKey needs at least one bucket grant or a policy" },
    { why: "a grant naming two buckets", forProvider: { buckets: [{ ...grant, bucketRef: { name: "b" } }] }, message: "a grant names exactly one of bucketRef or bucketName" },
    { why: "an unknown access level", forProvider: { buckets: [{ ...grant, access: "Everything" }] }, message: "Unsupported value" },
    { why: "a retention as long as the interval", forProvider: { buckets: [grant], rotation: { enabled: true, intervalDays: 7, retainPreviousDays: 7 } }, message: "retainPreviousDays must be shorter than intervalDays" },
    { why: "a user name with a slash", forProvider: { buckets: [grant], userName: "team/a" }, message: "userName may hold only letters, digits" },
  ])("refuses $why", async ({ forProvider, message }) => {
    await expect(k(["apply", "-f", "-"], accessKeyYaml({ name: uniqueName("refused"), namespace, providerConfig: "keys-minio", forProvider }))).rejects.toThrow(message);
  });

  it("refuses changing the user name", async () => {
    const name = uniqueName("fixed-user");
    const yaml = (userName: string) => accessKeyYaml({ name, namespace, providerConfig: "keys-minio", forProvider: { buckets: [grant], userName }, annotations: { "crossplane.io/paused": "true" } });
    await k(["apply", "-f", "-"], yaml("first-user"));
    await expect(k(["apply", "-f", "-"], yaml("second-user"))).rejects.toThrow("userName cannot be changed");
    await k(["delete", "accesskey", "-n", namespace, name]);
  });
});
