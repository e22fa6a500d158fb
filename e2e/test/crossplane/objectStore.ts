import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../../src/testbed/index.ts";
import { eventually, kube } from "../kube.ts";
import { conditionOf, getManaged, k } from "../harness.ts";

/** The examples the e2e applies as they are: the XRD, the Composition and the example ObjectStore. */
export const examples = join(repoRoot, "examples/crossplane");

type Condition = { type: string; status: string; reason: string; message?: string; lastTransitionTime?: string };
type Conditioned = { metadata: { name: string; annotations?: Record<string, string> }; spec?: Record<string, unknown>; status?: { conditions?: Array<Condition> } & Record<string, unknown> };

/** Installs the ObjectStore definition and its Composition, and waits until ObjectStores are served. */
export const installObjectStoreApi = async (): Promise<void> => {
  await k(["apply", "-f", join(examples, "00-definition.yaml")]);
  await k(["wait", "--for", "condition=Established", "--timeout", "120s", "compositeresourcedefinition/objectstores.storage.example.org"]);
  await k(["wait", "--for", "condition=Established", "--timeout", "120s", "crd/objectstores.storage.example.org"]);
  await k(["apply", "-f", join(examples, "10-composition.yaml")]);
};

/**
 * The example ObjectStore (examples/crossplane/20-objectstore.yaml) with this test's name,
 * namespace, bucket name and ProviderConfig, and `spec` merged over its spec.
 */
export const objectStoreYaml = (options: {
  readonly name: string;
  readonly namespace: string;
  readonly bucketName: string;
  readonly providerConfig: string;
  readonly spec?: Record<string, unknown>;
}): string => {
  const example = parse(readFileSync(join(examples, "20-objectstore.yaml"), "utf8")) as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  return JSON.stringify({
    ...example,
    metadata: { ...example.metadata, name: options.name, namespace: options.namespace },
    spec: { ...example.spec, bucketName: options.bucketName, providerConfigName: options.providerConfig, ...options.spec },
  });
};

/** Reads an ObjectStore (undefined when it does not exist). */
export const getObjectStore = async (namespace: string, name: string): Promise<Conditioned | undefined> =>
  (await kube()
    .custom.getNamespacedCustomObject({ group: "storage.example.org", version: "v1alpha1", namespace, plural: "objectstores", name })
    .catch((error: { code?: number }) => {
      if (error.code === 404) return undefined;
      throw error;
    })) as Conditioned | undefined;

/** The four resources an ObjectStore composes, by their names in its namespace. */
export const composedOf = (name: string) =>
  [
    { plural: "buckets", name },
    { plural: "bucketpolicies", name: `${name}-public-read` },
    { plural: "accesskeys", name: `${name}-writer` },
    { plural: "accesskeys", name: `${name}-reader` },
  ] as const;

/** Reads a composed (cloud37) resource, undefined when it does not exist. */
export const getComposed = (namespace: string, plural: string, name: string): Promise<Conditioned | undefined> => getManaged<Conditioned>(plural, namespace, name);

/** Waits until an ObjectStore's condition has the status, returning the ObjectStore. */
export const waitForObjectStore = (namespace: string, name: string, type: string, status: string, timeoutMs = 150_000) =>
  eventually(
    `ObjectStore ${namespace}/${name} ${type}=${status}`,
    async () => {
      const store = await getObjectStore(namespace, name);
      return conditionOf(store as never, type)?.status === status ? store : undefined;
    },
    timeoutMs,
  );

/** Waits until an ObjectStore and everything it composed are gone from the API server. */
export const waitForObjectStoreGone = (namespace: string, name: string, timeoutMs = 150_000) =>
  eventually(
    `ObjectStore ${namespace}/${name} and its composed resources to be gone`,
    async () => {
      if ((await getObjectStore(namespace, name)) !== undefined) return undefined;
      for (const composed of composedOf(name)) if ((await getComposed(namespace, composed.plural, composed.name)) !== undefined) return undefined;
      return true;
    },
    timeoutMs,
  );

/** The Ready condition of an object. */
export const readyOf = (object: Conditioned | undefined): Condition | undefined => object?.status?.conditions?.find((c) => c.type === "Ready");
