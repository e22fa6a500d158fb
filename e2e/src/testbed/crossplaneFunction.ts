import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { Service } from "./service.ts";

/** A Composition Function package in the local registry. */
export interface FunctionPackage {
  /** The Function's name, as Compositions refer to it. */
  readonly name: string;
  /** Its repository in the registry, e.g. crossplane-contrib/function-patch-and-transform. */
  readonly repository: string;
  readonly version: string;
}

type Condition = { readonly type: string; readonly status: string; readonly reason?: string; readonly message?: string };
type Conditioned = { readonly metadata: { readonly name: string; readonly resourceVersion: string }; readonly status?: { readonly conditions?: ReadonlyArray<Condition>; readonly endpoint?: string } };

const statusOf = (object: Conditioned | undefined, type: string) => object?.status?.conditions?.find((c) => c.type === type)?.status;

/**
 * Installs a Function from the local registry and plays the External package runtime's part:
 * Crossplane (PACKAGE_RUNTIME=Function=External) unpacks the package into a FunctionRevision
 * and then expects someone else to run the function and say where it is. That is the
 * revision's status: `endpoint` (the gRPC address Crossplane calls, with mTLS),
 * `tlsServerSecretName` (a Secret holding the server certificate, `<name>-tls-server`) and a
 * `RuntimeHealthy` condition, as Crossplane's own Deployment runtime writes them. The status
 * is written again whenever Crossplane's status updates have dropped it, until the Function
 * is Installed and Healthy.
 */
export const registerFunction = async (options: {
  readonly kubectl: (args: ReadonlyArray<string>, input?: string) => Promise<string>;
  readonly namespace: string;
  readonly fn: FunctionPackage;
  /** host:port of the registry holding the package. */
  readonly registry: string;
  /** host:port the function serves gRPC on. */
  readonly endpoint: string;
  readonly serverCertificate: string;
  /** Crossplane core, for its log when the Function never becomes Healthy. */
  readonly core: Service;
}): Promise<void> => {
  const { kubectl: k, fn, namespace } = options;
  const secretName = `${fn.name}-tls-server`;
  await k(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: secretName, namespace },
      type: "Opaque",
      data: { "tls.crt": readFileSync(options.serverCertificate).toString("base64") },
    }),
  );
  // The Function CRD's CEL rule wants a dot in the registry host: 127.0.0.1 has them, localhost has not.
  await k(
    ["apply", "-f", "-"],
    JSON.stringify({ apiVersion: "pkg.crossplane.io/v1", kind: "Function", metadata: { name: fn.name }, spec: { package: `${options.registry}/${fn.repository}:${fn.version}` } }),
  );

  const deadline = Date.now() + 120_000;
  let last = "";
  while (Date.now() < deadline) {
    const fnObject = JSON.parse(await k(["get", "functions.pkg.crossplane.io", fn.name, "-o", "json"])) as Conditioned;
    if (statusOf(fnObject, "Installed") === "True" && statusOf(fnObject, "Healthy") === "True") return;
    last = JSON.stringify(fnObject.status?.conditions ?? []);
    const revisions = JSON.parse(await k(["get", "functionrevisions.pkg.crossplane.io", "-l", `pkg.crossplane.io/package=${fn.name}`, "-o", "json"])) as {
      items: ReadonlyArray<Conditioned>;
    };
    for (const revision of revisions.items) {
      if (revision.status?.endpoint === options.endpoint && statusOf(revision, "RuntimeHealthy") === "True") continue;
      const conditions = [
        ...(revision.status?.conditions ?? []).filter((c) => c.type !== "RuntimeHealthy"),
        { type: "RuntimeHealthy", status: "True", reason: "HealthyPackageRevision", lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") },
      ];
      // Guarded by resourceVersion: a status Crossplane wrote meanwhile is read again, not overwritten.
      await k([
        "patch", "functionrevisions.pkg.crossplane.io", revision.metadata.name, "--subresource=status", "--type=merge",
        "-p", JSON.stringify({ metadata: { resourceVersion: revision.metadata.resourceVersion }, status: { endpoint: options.endpoint, tlsServerSecretName: secretName, conditions } }),
      ]).catch(() => "");
    }
    await sleep(500);
  }
  throw new Error(`Function ${fn.name} did not become Installed and Healthy in 120s (conditions ${last}). Crossplane log ${options.core.logFile}:\n${options.core.tail()}`);
};
