import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { buildImage } from "@cloud37/operator/image";
import { stringify } from "yaml";
import { ensureControllerBundle } from "./controller.ts";
import type { ControlPlane } from "./controlplane.ts";
import type { Node } from "./node.ts";
import { repoRoot } from "./paths.ts";
import type { GoTools } from "./toolchain.ts";

const run = promisify(execFile);

/** The chart, as users install it. */
export const chartDir = join(repoRoot, "helm", "s3-provider");

const log = (line: string): void => {
  process.stderr.write(`[testbed] ${line}\n`);
};

/** Runs the test bed's helm against a cluster, with its caches in `dir`; rejects with helm's message. */
export const helm = async (binary: string, kubeconfig: string, dir: string, args: ReadonlyArray<string>): Promise<string> => {
  const env = { ...process.env, KUBECONFIG: kubeconfig, HELM_CACHE_HOME: join(dir, "helm-cache"), HELM_CONFIG_HOME: join(dir, "helm-config"), HELM_DATA_HOME: join(dir, "helm-data") };
  try {
    return (await run(binary, [...args], { encoding: "utf8", env, maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    throw new Error(`helm ${args.join(" ")}: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
  }
};

/** The controller's image as `npm run image` builds it. */
export interface ControllerImage {
  readonly reference: string;
  readonly repository: string;
  readonly digest: string;
  readonly archive: string;
}

/** What decides the image's bytes: the bundle, and the sources and pins of the image build. */
const imageInputsKey = (): string => {
  const hash = createHash("sha256");
  const dist = join(repoRoot, "packages", "operator", "dist");
  const image = join(repoRoot, "packages", "operator", "image");
  for (const [dir, suffix] of [[dist, ".js"], [image, ".ts"], [image, ".json"]] as const) {
    for (const name of readdirSync(dir).filter((file) => file.endsWith(suffix)).sort()) hash.update(name).update(readFileSync(join(dir, name)));
  }
  hash.update(readFileSync(join(repoRoot, "helm", "s3-provider", "Chart.yaml")));
  hash.update(process.version);
  return hash.digest("hex");
};

let image: Promise<ControllerImage> | undefined;

/**
 * Builds the controller image from the current sources (once per process; reused when nothing
 * it is made of changed) and loads it into the node, as a pull would.
 */
export const ensureControllerImage = (node: Node): Promise<ControllerImage> => {
  image ??= (async () => {
    await ensureControllerBundle();
    const key = imageInputsKey();
    const stamp = join(repoRoot, "packages", "operator", "dist", "image", "inputs.sha256");
    const archiveOf = (digestFile: string) => digestFile.replace(/\.digest$/, "");
    const previous = existsSync(stamp) ? readFileSync(stamp, "utf8").split("\n") : [];
    let built: { reference: string; digest: string; archive: string };
    if (previous[0] === key && previous[1] !== undefined && existsSync(archiveOf(previous[1]))) {
      built = { reference: previous[2] ?? "", digest: readFileSync(previous[1], "utf8").trim(), archive: archiveOf(previous[1]) };
    } else {
      log("building the controller image (npm run image)…");
      const result = await buildImage({ progress: log });
      log(`image ${result.reference} ${result.digest} (${(result.compressedBytes / 1e6).toFixed(1)} MB) in ${result.seconds.toFixed(1)}s`);
      built = result;
      writeFileSync(stamp, `${key}\n${result.archive}.digest\n${result.reference}\n`);
    }
    await node.loadImage(built);
    return { ...built, repository: built.reference.slice(0, built.reference.lastIndexOf(":")) };
  })();
  return image;
};

/** Chart values that point the controller at the test bed: its image by digest, the loopback API server. */
export const testbedValues = (apiServer: string, controllerImage: Pick<ControllerImage, "repository" | "digest">, metricsPort: number): Record<string, unknown> => ({
  image: { repository: controllerImage.repository, digest: controllerImage.digest, pullPolicy: "IfNotPresent" },
  // The node has no kube-proxy: the `kubernetes` Service's ClusterIP leads nowhere, the
  // API server listens on loopback, and the node's pods share the machine's loopback.
  kubernetesAPI: { host: "127.0.0.1", port: new URL(apiServer).port },
  // Every pod of the node is on the machine's network: listen only on the pod's own address, on
  // a port of this test bed's, so that nothing another test bed runs can be in the way.
  metrics: { bindPodIP: true, port: metricsPort },
});

/** Deep merge of plain objects (later wins), for layering chart values. */
export const mergeValues = (...layers: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      const existing = out[key];
      out[key] =
        typeof value === "object" && value !== null && !Array.isArray(value) && typeof existing === "object" && existing !== null && !Array.isArray(existing)
          ? mergeValues(existing as Record<string, unknown>, value as Record<string, unknown>)
          : value;
    }
  }
  return out;
};

/**
 * `helm upgrade --install` of the chart from helm/ with the test bed's values and `values`
 * on top, then waits until the Deployment has rolled out (its pods Ready through their probes).
 */
export const installChart = async (options: {
  readonly tools: GoTools;
  readonly controlPlane: ControlPlane;
  readonly node: Node;
  readonly dir: string;
  readonly release: string;
  readonly namespace: string;
  readonly values?: Record<string, unknown>;
  readonly timeoutSeconds?: number;
}): Promise<ControllerImage> => {
  const controllerImage = await ensureControllerImage(options.node);
  const valuesFile = join(options.dir, `${options.release}-${options.namespace}-values.yaml`);
  writeFileSync(valuesFile, stringify(mergeValues(testbedValues(options.controlPlane.server, controllerImage, options.node.metricsPort), options.values ?? {})));
  const timeout = `${options.timeoutSeconds ?? 180}s`;
  await helm(options.tools.helm, options.controlPlane.kubeconfigPath, options.dir, [
    "upgrade", "--install", options.release, chartDir,
    "--namespace", options.namespace,
    "--values", valuesFile,
    "--wait", "--timeout", timeout,
  ]);
  return controllerImage;
};
