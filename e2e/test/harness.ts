import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { GetBucketPolicyCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { kubectl, repoRoot, startController, type RunningController } from "../src/testbed/index.ts";
import { eventually, kube } from "./kube.ts";
import { testbed } from "./testbed-info.ts";

/** The providers the e2e suite covers, each served by a real server of the test bed. */
export const providers = ["minio", "aws", "wasabi"] as const;
export type TestProvider = (typeof providers)[number];

export const group = "s3.cloud37.dev";
export const version = "v1alpha1";

/** Runs the test bed's kubectl as the administrator. */
export const k = (args: ReadonlyArray<string>, input?: string): Promise<string> => kubectl(testbed().kubectl, testbed().kubeconfigPath, args, input);

/** Installs (or updates) the CRDs and waits until they are served. */
export const installCrds = async (): Promise<void> => {
  await k(["apply", "--server-side", "--force-conflicts", "-f", join(repoRoot, "crds")]);
  await k(["wait", "--for", "condition=Established", "--timeout", "60s", "-f", join(repoRoot, "crds")]);
};

/** Endpoint and credentials of a provider's server in the test bed. */
export const store = (provider: TestProvider) => {
  const info = testbed();
  return provider === "minio"
    ? { endpoint: info.minio.endpoint, accessKeyId: info.minio.accessKey, secretAccessKey: info.minio.secretKey }
    : { endpoint: info[provider].endpoint, accessKeyId: info[provider].accessKeyId, secretAccessKey: info[provider].secretAccessKey };
};

/** A plain S3 client on a provider's server, to check what the controller really did. */
export const s3 = (provider: TestProvider): S3Client => {
  const { endpoint, accessKeyId, secretAccessKey } = store(provider);
  return new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
};

/** Whether a bucket exists on a provider's server (HeadBucket as its administrator). */
export const bucketExists = (provider: TestProvider, bucket: string): Promise<boolean> =>
  s3(provider)
    .send(new HeadBucketCommand({ Bucket: bucket }))
    .then(
      () => true,
      () => false,
    );

/**
 * YAML of a credentials Secret and a ClusterProviderConfig named `name` for a provider;
 * `extraSpec` adds spec fields (e.g. namespaceSelector, namePrefix).
 */
export const providerConfigYaml = (provider: TestProvider, name: string, secretKey?: string, extraSpec: Record<string, unknown> = {}): string => {
  const { endpoint, accessKeyId, secretAccessKey } = store(provider);
  return `apiVersion: v1
kind: Secret
metadata: {name: ${name}-credentials, namespace: default}
stringData: {access-key-id: "${accessKeyId}", secret-access-key: "${secretKey ?? secretAccessKey}"}
---
apiVersion: ${group}/${version}
kind: ClusterProviderConfig
metadata: {name: ${name}}
spec:
  provider: ${provider}
  region: us-east-1
  endpoint: ${endpoint}
  forcePathStyle: true
  credentials: {source: Secret, secretRef: {name: ${name}-credentials, namespace: default}}
${Object.entries(extraSpec).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}\n`).join("")}`;
};

/** Starts the real controller against the test bed, polling every `poll`. */
export const runController = (name: string, args: ReadonlyArray<string> = []): Promise<RunningController> =>
  startController({
    kubeconfig: testbed().kubeconfigPath,
    logDir: testbed().dir,
    name,
    args: ["--poll-interval", "5s", "--leader-election-id", `e2e-${name}`, ...args],
  });

type Conditioned = { status?: { conditions?: Array<{ type: string; status: string; reason: string; message?: string }> }; metadata: Record<string, unknown> };

/** Reads a namespaced Bucket (undefined when it does not exist). */
export const getBucket = (namespace: string, name: string) => getManaged<Conditioned & { spec: Record<string, unknown> }>("buckets", namespace, name);

/** Reads a namespaced managed object by its plural (undefined when it does not exist). */
export const getManaged = async <T>(plural: string, namespace: string, name: string): Promise<T | undefined> =>
  (await kube()
    .custom.getNamespacedCustomObject({ group, version, namespace, plural, name })
    .catch((error: { code?: number }) => {
      if (error.code === 404) return undefined;
      throw error;
    })) as T | undefined;

/** Waits until a managed object's condition has the given status (and reason, when given). */
const waitForCondition = (
  what: string,
  read: () => Promise<Conditioned | undefined>,
  type: string,
  status: string,
  reason: string | undefined,
  timeoutMs: number,
) =>
  eventually(
    `${what} ${type}=${status}${reason === undefined ? "" : ` (${reason})`}`,
    async () => {
      const condition = conditionOf(await read(), type);
      return condition?.status === status && (reason === undefined || condition.reason === reason) ? condition : undefined;
    },
    timeoutMs,
  );

/** Waits until a managed object is gone from the API server. */
const waitForGone = (what: string, read: () => Promise<unknown>, timeoutMs: number) =>
  eventually(`${what} to be gone`, async () => ((await read()) === undefined ? true : undefined), timeoutMs);

/** A core/v1 Event as the tests read it. */
export interface EventView {
  readonly reason: string;
  readonly message: string;
  readonly count?: number;
}

/**
 * The Warning events of an object, once at least one of them `matches`: the controller writes
 * Events in the background, so one may follow the condition it reports by a moment.
 */
export const waitForWarnings = (namespace: string, name: string, matches: (event: EventView) => boolean = () => true): Promise<ReadonlyArray<EventView>> =>
  eventually(`a Warning event of ${namespace}/${name}`, async () => {
    const events = JSON.parse(await k(["get", "events", "-n", namespace, "--field-selector", `involvedObject.name=${name},type=Warning`, "-o", "json"])) as { items: Array<EventView> };
    const matching = events.items.filter(matches);
    return matching.length > 0 ? matching : undefined;
  });

/** Reads a ClusterProviderConfig. */
export const getClusterProviderConfig = async (name: string): Promise<(Conditioned & { status?: { identity?: string; users?: number } }) | undefined> =>
  (await kube()
    .custom.getClusterCustomObject({ group, version, plural: "clusterproviderconfigs", name })
    .catch((error: { code?: number }) => {
      if (error.code === 404) return undefined;
      throw error;
    })) as (Conditioned & { status?: { identity?: string; users?: number } }) | undefined;

/** A condition of an object, by type. */
export const conditionOf = (object: Conditioned | undefined, type: string) => object?.status?.conditions?.find((c) => c.type === type);

/** Waits until a Bucket's condition has the given status (and reason, when given). */
export const waitForBucketCondition = (namespace: string, name: string, type: string, status: string, reason?: string, timeoutMs = 60_000) =>
  waitForCondition(`Bucket ${namespace}/${name}`, () => getBucket(namespace, name), type, status, reason, timeoutMs);

/** Waits until a Bucket object is gone from the API server. */
export const waitForBucketGone = (namespace: string, name: string, timeoutMs = 60_000) =>
  waitForGone(`Bucket ${namespace}/${name}`, () => getBucket(namespace, name), timeoutMs);

/** YAML of a Bucket. */
export const bucketYaml = (options: {
  readonly name: string;
  readonly namespace: string;
  readonly providerConfig: string;
  readonly forProvider?: Record<string, unknown>;
  readonly spec?: Record<string, unknown>;
  readonly annotations?: Record<string, string>;
}): string =>
  JSON.stringify({
    apiVersion: `${group}/${version}`,
    kind: "Bucket",
    metadata: { name: options.name, namespace: options.namespace, ...(options.annotations === undefined ? {} : { annotations: options.annotations }) },
    spec: { providerConfigRef: { kind: "ClusterProviderConfig", name: options.providerConfig }, forProvider: options.forProvider ?? {}, ...options.spec },
  });

/** Creates a namespace for one test file (ignored when it exists). */
export const createNamespace = async (name: string): Promise<void> => {
  await k(["create", "namespace", name]).catch(() => "");
};

/** Reads a namespaced BucketPolicy (undefined when it does not exist). */
export const getBucketPolicyResource = (namespace: string, name: string) =>
  getManaged<Conditioned & { spec: Record<string, unknown>; status?: { atProvider?: { bucketName?: string } } }>("bucketpolicies", namespace, name);

/** Waits until a BucketPolicy's condition has the given status (and reason, when given). */
export const waitForBucketPolicyCondition = (namespace: string, name: string, type: string, status: string, reason?: string, timeoutMs = 60_000) =>
  waitForCondition(`BucketPolicy ${namespace}/${name}`, () => getBucketPolicyResource(namespace, name), type, status, reason, timeoutMs);

/** Waits until a BucketPolicy object is gone from the API server. */
export const waitForBucketPolicyGone = (namespace: string, name: string, timeoutMs = 60_000) =>
  waitForGone(`BucketPolicy ${namespace}/${name}`, () => getBucketPolicyResource(namespace, name), timeoutMs);

/** YAML of a BucketPolicy on a Bucket (`bucketRef`) or on a bucket by name. */
export const bucketPolicyYaml = (options: {
  readonly name: string;
  readonly namespace: string;
  readonly providerConfig: string;
  readonly bucketRef?: string;
  readonly bucketName?: string;
  readonly policy: Record<string, unknown>;
  readonly spec?: Record<string, unknown>;
}): string =>
  JSON.stringify({
    apiVersion: `${group}/${version}`,
    kind: "BucketPolicy",
    metadata: { name: options.name, namespace: options.namespace },
    spec: {
      providerConfigRef: { kind: "ClusterProviderConfig", name: options.providerConfig },
      forProvider: {
        ...(options.bucketRef === undefined ? {} : { bucketRef: { name: options.bucketRef } }),
        ...(options.bucketName === undefined ? {} : { bucketName: options.bucketName }),
        policy: options.policy,
      },
      ...options.spec,
    },
  });

/**
 * The policy a provider's server holds for a bucket, parsed: `{ policy }`, or `{ code }` with
 * the error code when it answers with one (e.g. `NoSuchBucketPolicy`).
 */
export const readBucketPolicy = async (provider: TestProvider, bucket: string): Promise<{ readonly policy?: unknown; readonly code?: string }> =>
  s3(provider)
    .send(new GetBucketPolicyCommand({ Bucket: bucket }))
    .then(
      (output) => ({ policy: JSON.parse(output.Policy ?? "null") as unknown }),
      (error: { name?: string; Code?: string }) => ({ code: error.Code ?? error.name ?? "unknown" }),
    );

/** How many calls of an operation a controller counted (`s3provider_external_calls_total`, every result). */
export const externalCalls = async (metricsUrl: string, operation: string): Promise<number> => {
  const text = await (await fetch(metricsUrl)).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith("s3provider_external_calls_total{") && line.includes(`operation="${operation}"`))
    .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);
};

/** An AccessKey object as the tests read it. */
export type AccessKeyObject = Conditioned & {
  spec: Record<string, unknown>;
  status?: { atProvider?: { userName?: string; accessKeyId?: string; previousAccessKeyIds?: Array<string>; lastRotateTime?: string; nextRotateTime?: string } };
};

/** Reads a namespaced AccessKey (undefined when it does not exist). */
export const getAccessKey = (namespace: string, name: string) => getManaged<AccessKeyObject>("accesskeys", namespace, name);

/** Waits until an AccessKey's condition has the given status (and reason, when given). */
export const waitForAccessKeyCondition = (namespace: string, name: string, type: string, status: string, reason?: string, timeoutMs = 60_000) =>
  waitForCondition(`AccessKey ${namespace}/${name}`, () => getAccessKey(namespace, name), type, status, reason, timeoutMs);

/** Waits until an AccessKey object is gone from the API server. */
export const waitForAccessKeyGone = (namespace: string, name: string, timeoutMs = 60_000) =>
  waitForGone(`AccessKey ${namespace}/${name}`, () => getAccessKey(namespace, name), timeoutMs);

/** YAML of an AccessKey writing its keys to the Secret `<name>-s3`. */
export const accessKeyYaml = (options: {
  readonly name: string;
  readonly namespace: string;
  readonly providerConfig: string;
  readonly forProvider: Record<string, unknown>;
  readonly spec?: Record<string, unknown>;
  readonly annotations?: Record<string, string>;
}): string =>
  JSON.stringify({
    apiVersion: `${group}/${version}`,
    kind: "AccessKey",
    metadata: { name: options.name, namespace: options.namespace, ...(options.annotations === undefined ? {} : { annotations: options.annotations }) },
    spec: {
      providerConfigRef: { kind: "ClusterProviderConfig", name: options.providerConfig },
      writeConnectionSecretToRef: { name: `${options.name}-s3` },
      forProvider: options.forProvider,
      ...options.spec,
    },
  });

/** The file the secret values seen by the tests are collected in, for the final scan. */
export const seenSecretsFile = () => join(testbed().dir, "seen-secret-values.txt");

/**
 * Reads a connection Secret (undefined when it does not exist). Every secret value read is
 * remembered in `seenSecretsFile`, so the last test can check that none reached a log line,
 * an event or a status.
 */
export const readConnectionSecret = async (namespace: string, name: string): Promise<Record<string, string> | undefined> => {
  const secret = await kube()
    .core.readNamespacedSecret({ namespace, name })
    .catch((error: { code?: number }) => {
      if (error.code === 404) return undefined;
      throw error;
    });
  if (secret === undefined) return undefined;
  const data = Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, "base64").toString("utf8")]));
  const secrets = [data["password"], data["AWS_SECRET_ACCESS_KEY"], data["COSI_S3_ACCESS_SECRET_KEY"]].filter((value): value is string => value !== undefined);
  if (secrets.length > 0) appendFileSync(seenSecretsFile(), secrets.map((value) => `${value}\n`).join(""));
  return data;
};
