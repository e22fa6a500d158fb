import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CreateBucketCommand, GetBucketVersioningCommand, ListObjectVersionsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, type RunningController } from "../../src/testbed/index.ts";
import { keyIdsOf, userExists, userMadeOutside } from "../identity.ts";
import { eventually, kube, uniqueName } from "../kube.ts";
import {
  accessKeyYaml,
  bucketExists,
  bucketYaml,
  createNamespace,
  getBucket,
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
  waitForBucketGone,
  type TestProvider,
} from "../harness.ts";

// Two tenants: the namespaces of team A and team B, both using the same account.
const teamA = "e2e-tenancy-a";
const teamB = "e2e-tenancy-b";
let controller: RunningController;

beforeAll(async () => {
  await installCrds();
  for (const namespace of [teamA, teamB]) await createNamespace(namespace);
  for (const provider of providers) await k(["apply", "-f", "-"], providerConfigYaml(provider, `tenancy-${provider}`));
  controller = await runController("tenancy");
});

afterAll(async () => {
  await controller?.service.stop();
});

const versionsIn = async (provider: TestProvider, bucket: string): Promise<number> => (await s3(provider).send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions?.length ?? 0;

const patchForProvider = (kind: string, namespace: string, name: string, forProvider: Record<string, unknown>) =>
  k(["patch", kind, "-n", namespace, name, "--type", "merge", "-p", JSON.stringify({ spec: { forProvider } })]);

describe.each(providers)("tenancy on %s", (provider) => {
  const config = `tenancy-${provider}`;

  it("refuses an AccessKey for a user made directly at the provider: no Secret, its keys untouched, and deleting the AccessKey deletes nothing", async () => {
    const userName = uniqueName(`${provider}-ops-admin`);
    const adminKey = await userMadeOutside(provider, store(provider), userName);
    const name = uniqueName(`${provider}-grab`);
    await k(["apply", "-f", "-"], accessKeyYaml({ name, namespace: teamA, providerConfig: config, forProvider: { userName, buckets: [{ bucketName: "any-bucket", access: "ReadOnly" }] } }));
    const refused = await waitForAccessKeyCondition(teamA, name, "Synced", "False");
    expect(refused.message).toBe(
      `cannot observe external resource: CheckUserOwner: user ${userName} exists at the provider but was not created by this AccessKey (it carries no ownership mark of this controller): nothing was changed and no Secret was written; create an AccessKey with another spec.forProvider.userName (see docs/security.md)`,
    );
    expect(await readConnectionSecret(teamA, `${name}-s3`)).toBeUndefined();
    expect(await keyIdsOf(provider, store(provider), userName)).toEqual([adminKey]);

    await k(["delete", "accesskey", "-n", teamA, name, "--wait=false"]);
    await waitForAccessKeyGone(teamA, name);
    expect(await userExists(provider, store(provider), userName)).toBe(true);
    expect(await keyIdsOf(provider, store(provider), userName)).toEqual([adminKey]);
  });

  it("refuses a Bucket naming a bucket made directly at the provider, and deleting it deletes nothing; adopted with Adopt, forceDestroy does not empty it, with AdoptWithForceDestroy it does", async () => {
    const existing = uniqueName(`${provider}-ops-data`);
    await s3(provider).send(new CreateBucketCommand({ Bucket: existing }));
    await s3(provider).send(new PutObjectCommand({ Bucket: existing, Key: "precious.txt", Body: "the ops team's" }));
    const refusedName = uniqueName(`${provider}-grab`);
    const bucket = (name: string, forProvider: Record<string, unknown>) =>
      bucketYaml({ name, namespace: teamA, providerConfig: config, annotations: { "crossplane.io/external-name": existing }, forProvider });
    await k(["apply", "-f", "-"], bucket(refusedName, { versioning: { status: "Enabled" }, forceDestroy: true }));
    const refused = await waitForBucketCondition(teamA, refusedName, "Synced", "False");
    expect(refused.message).toContain(`bucket ${existing} exists but was not created by this Bucket (it has no s3.cloud37.dev/owner tag): nothing was changed`);
    expect((await s3(provider).send(new GetBucketVersioningCommand({ Bucket: existing }))).Status).toBeUndefined();
    await k(["delete", "bucket", "-n", teamA, refusedName, "--wait=false"]);
    await waitForBucketGone(teamA, refusedName);
    expect(await versionsIn(provider, existing)).toBe(1);

    const adopter = uniqueName(`${provider}-adopt`);
    await k(["apply", "-f", "-"], bucket(adopter, { versioning: { status: "Enabled" }, forceDestroy: true, adoption: "Adopt" }));
    await waitForBucketCondition(teamA, adopter, "Ready", "True");
    expect((await s3(provider).send(new GetBucketVersioningCommand({ Bucket: existing }))).Status).toBe("Enabled");
    await k(["delete", "bucket", "-n", teamA, adopter, "--wait=false"]);
    const kept = await eventually("the delete of the adopted bucket to wait", async () => {
      const synced = (await getBucket(teamA, adopter))?.status?.conditions?.find((c) => c.type === "Synced");
      return synced?.message?.includes("was adopted") === true ? synced : undefined;
    });
    expect(kept.message).toContain("forceDestroy empties an adopted bucket only with spec.forProvider.adoption: AdoptWithForceDestroy");
    expect(await versionsIn(provider, existing)).toBe(1);
    await patchForProvider("bucket", teamA, adopter, { adoption: "AdoptWithForceDestroy" });
    await waitForBucketGone(teamA, adopter);
    expect(await bucketExists(provider, existing)).toBe(false);
  });

  it("never lets a Bucket in another namespace take a bucket another Bucket created, even with adoption and forceDestroy", async () => {
    const owned = uniqueName(`${provider}-team-a`);
    await k(["apply", "-f", "-"], bucketYaml({ name: owned, namespace: teamA, providerConfig: config }));
    await waitForBucketCondition(teamA, owned, "Ready", "True");
    await s3(provider).send(new PutObjectCommand({ Bucket: owned, Key: "team-a.txt", Body: "team A's data" }));
    const thief = uniqueName(`${provider}-thief`);
    await k(
      ["apply", "-f", "-"],
      bucketYaml({ name: thief, namespace: teamB, providerConfig: config, annotations: { "crossplane.io/external-name": owned }, forProvider: { adoption: "AdoptWithForceDestroy", forceDestroy: true } }),
    );
    const refused = await waitForBucketCondition(teamB, thief, "Synced", "False");
    const uid = String((await getBucket(teamA, owned))?.metadata["uid"]);
    expect(refused.message).toContain(`bucket ${owned} belongs to another Bucket (its s3.cloud37.dev/owner tag names uid ${uid})`);
    await k(["delete", "bucket", "-n", teamB, thief, "--wait=false"]);
    await waitForBucketGone(teamB, thief);
    expect(await versionsIn(provider, owned)).toBe(1);
    await waitForBucketCondition(teamA, owned, "Ready", "True");
    await patchForProvider("bucket", teamA, owned, { forceDestroy: true });
    await k(["delete", "bucket", "-n", teamA, owned, "--wait=false"]);
    await waitForBucketGone(teamA, owned);
  });

  it("a second AccessKey naming another's connection Secret gets Synced=False, makes no user or key, and the Secret is untouched", async () => {
    const secretName = uniqueName(`${provider}-keys`);
    const first = uniqueName(`${provider}-first`);
    const second = uniqueName(`${provider}-second`);
    const yaml = (name: string) =>
      accessKeyYaml({ name, namespace: teamA, providerConfig: config, forProvider: { buckets: [{ bucketName: "any-bucket", access: "ReadOnly" }] }, spec: { writeConnectionSecretToRef: { name: secretName } } });
    await k(["apply", "-f", "-"], yaml(first));
    await waitForAccessKeyCondition(teamA, first, "Ready", "True");
    const before = await kube().core.readNamespacedSecret({ namespace: teamA, name: secretName });
    const beforeData = await readConnectionSecret(teamA, secretName);
    await k(["apply", "-f", "-"], yaml(second));
    const refused = await waitForAccessKeyCondition(teamA, second, "Synced", "False");
    expect(refused.message).toBe(
      `cannot publish connection details: Secret ${teamA}/${secretName} exists and is controlled by AccessKey ${first}; it was left untouched: choose another spec.writeConnectionSecretToRef.name, or delete that Secret`,
    );
    const after = await kube().core.readNamespacedSecret({ namespace: teamA, name: secretName });
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect(await readConnectionSecret(teamA, secretName)).toEqual(beforeData);
    expect(await userExists(provider, store(provider), `${teamA}-${second}`)).toBe(false);
    for (const name of [second, first]) {
      await k(["delete", "accesskey", "-n", teamA, name, "--wait=false"]);
      await waitForAccessKeyGone(teamA, name);
    }
  });

  it("a ClusterProviderConfig's namespaceSelector and namePrefix refuse before any call, and a namespace labelled later is admitted", async () => {
    const scoped = `tenancy-${provider}-scoped`;
    const label = `e2e.cloud37.dev/tenant-${provider}`;
    await k(["apply", "-f", "-"], providerConfigYaml(provider, scoped, undefined, { namespaceSelector: { matchLabels: { [label]: "true" } }, namePrefix: "{namespace}-" }));
    const namespace = uniqueName(`e2e-ns-${provider}`);
    await createNamespace(namespace);
    const inside = `${namespace}-data`;
    const outside = uniqueName(`${provider}-elsewhere`);
    for (const name of [inside, outside]) await k(["apply", "-f", "-"], bucketYaml({ name, namespace, providerConfig: scoped }));
    const refused = await waitForBucketCondition(namespace, inside, "Synced", "False");
    expect(refused.message).toBe(
      `cannot connect to provider: ClusterProviderConfig ${scoped} may not be used from namespace ${namespace}: its labels do not match the config's spec.namespaceSelector; use another ProviderConfig, or ask the platform team to admit the namespace`,
    );
    expect(await bucketExists(provider, inside)).toBe(false);

    await k(["label", "namespace", namespace, `${label}=true`]);
    await waitForBucketCondition(namespace, inside, "Ready", "True");
    const misnamed = await eventually("the misnamed Bucket to be refused for its name", async () => {
      const synced = (await getBucket(namespace, outside))?.status?.conditions?.find((c) => c.type === "Synced");
      return synced?.message?.includes("does not start with") === true ? synced : undefined;
    });
    expect(misnamed.message).toBe(
      `cannot connect to provider: bucket name ${outside} does not start with ${namespace}-, as ClusterProviderConfig ${scoped} requires (spec.namePrefix {namespace}-): choose a bucket name that does`,
    );
    expect(await bucketExists(provider, outside)).toBe(false);
    for (const name of [inside, outside]) {
      await k(["delete", "bucket", "-n", namespace, name, "--wait=false"]);
    }
    await waitForBucketGone(namespace, inside);
    expect(await bucketExists(provider, inside)).toBe(false);
  });
});

describe("the admission limits of docs/security.md", () => {
  it("refuse an AccessKey's own policy and bucket adoption in tenant namespaces, as written there", async () => {
    const doc = readFileSync(join(repoRoot, "docs/security.md"), "utf8");
    const section = doc.slice(doc.indexOf("### Admission limits for tenants"));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const namespace = uniqueName("e2e-tenant");
    await createNamespace(namespace);
    await k(["label", "namespace", namespace, "s3.cloud37.dev/tenant=true"]);
    await k(["apply", "-f", "-"], yaml ?? "");
    try {
      const paused = { "crossplane.io/paused": "true" };
      const grant = { buckets: [{ bucketName: `${namespace}-data`, access: "ReadOnly" }] };
      const ownPolicy = { ...grant, policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] } };
      await eventually("the admission policy to be enforced", async () =>
        k(["apply", "-f", "-"], accessKeyYaml({ name: uniqueName("own-policy"), namespace, providerConfig: "tenancy-minio", forProvider: ownPolicy, annotations: paused })).then(
          () => undefined,
          (error: Error) => (error.message.includes("tenants may not attach their own policy document") ? true : undefined),
        ),
      );
      await expect(
        k(["apply", "-f", "-"], bucketYaml({ name: `${namespace}-adopt`, namespace, providerConfig: "tenancy-minio", forProvider: { adoption: "Adopt" }, annotations: paused })),
      ).rejects.toThrow("adopting existing buckets is reserved to the platform team");
      // What tenants do day to day still goes through.
      await k(["apply", "-f", "-"], accessKeyYaml({ name: uniqueName("grants"), namespace, providerConfig: "tenancy-minio", forProvider: grant, annotations: paused }));
      await k(["apply", "-f", "-"], bucketYaml({ name: `${namespace}-data`, namespace, providerConfig: "tenancy-minio", annotations: paused }));
    } finally {
      await k(["delete", "--ignore-not-found", "-f", "-"], yaml ?? "");
      await k(["delete", "namespace", namespace, "--wait=false"]);
    }
  });
});
