/**
 * `npm run image`: the controller's container image, built here without Docker and without
 * pulling a base image. The runtime comes from pinned Debian packages and the npm `node`
 * package (runtime.ts), the application is the bundle in packages/operator/dist, and the
 * result is an OCI archive beside a file holding its digest. Same inputs, same digest.
 *
 *   npm run image [-- --reference REPO:TAG] [--output FILE]
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeOciArchive, type WrittenImage } from "./oci.ts";
import { assembleApp, assembleRuntime, repoRoot, runtimeConfig } from "./runtime.ts";

/** The repository the chart pulls from by default (helm/s3-provider/values.yaml). */
export const imageRepository = "ghcr.io/cloud37/s3-provider";

/** The chart's appVersion: the image tag the chart uses when none is set. */
export const appVersion = (): string => {
  const chart = readFileSync(join(repoRoot, "helm", "s3-provider", "Chart.yaml"), "utf8");
  const version = /^appVersion:\s*"?([^"\s]+)"?\s*$/m.exec(chart)?.[1];
  if (version === undefined) throw new Error("helm/s3-provider/Chart.yaml has no appVersion");
  return version;
};

const ARCHITECTURES: Readonly<Record<string, string>> = { x64: "amd64" };

export interface BuiltImage extends WrittenImage {
  readonly reference: string;
  readonly architecture: string;
  readonly seconds: number;
}

/** Builds the image from the current bundle; `progress` receives one line per step. */
export const buildImage = async (options: {
  readonly reference?: string;
  readonly output?: string;
  readonly progress?: (line: string) => void;
} = {}): Promise<BuiltImage> => {
  const progress = options.progress ?? (() => undefined);
  const started = Date.now();
  const architecture = ARCHITECTURES[process.arch];
  if (architecture === undefined) {
    throw new Error(`the offline build pins Debian packages for amd64 only (this machine is ${process.arch}); build other architectures from the Containerfile`);
  }
  const version = appVersion();
  const reference = options.reference ?? `${imageRepository}:${version}`;
  const distDir = join(repoRoot, "packages", "operator", "dist");
  const outDir = join(distDir, "image");
  const output = options.output ?? join(outDir, `s3-provider-${version}-linux-${architecture}.oci.tar`);
  const staging = join(outDir, ".staging");
  try {
    progress("laying out the runtime (Debian glibc, libgcc, libstdc++; Node from the npm node package)…");
    await assembleRuntime(join(staging, "runtime"), progress);
    progress("laying out the controller bundle…");
    assembleApp(join(staging, "app"), distDir);
    progress("writing the OCI archive (tar, gzip -9)…");
    const written = await writeOciArchive(
      {
        reference,
        architecture,
        layers: [
          { directory: join(staging, "runtime"), createdBy: "cloud37 runtime: Debian 12 libc6, libgcc-s1, libstdc++6; Node from the npm node package" },
          { directory: join(staging, "app"), createdBy: "cloud37 s3-provider controller bundle (packages/operator/dist)" },
        ],
        config: runtimeConfig(version),
        epoch: Number(process.env["SOURCE_DATE_EPOCH"] ?? 0),
      },
      output,
    );
    writeFileSync(`${output}.digest`, `${written.digest}\n`);
    return { ...written, reference, architecture, seconds: (Date.now() - started) / 1000 };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
};

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

if (import.meta.main) {
  const { values } = parseArgs({ options: { reference: { type: "string" }, output: { type: "string" } } });
  const say = (line: string) => process.stdout.write(`[image] ${line}\n`);
  const image = await buildImage({ ...(values.reference ? { reference: values.reference } : {}), ...(values.output ? { output: values.output } : {}), progress: say });
  say(`${image.reference} (linux/${image.architecture}) in ${image.seconds.toFixed(1)}s`);
  say(`digest: ${image.digest}`);
  say(`size: ${megabytes(image.compressedBytes)} compressed, ${megabytes(image.uncompressedBytes)} unpacked`);
  say(`archive: ${image.archive} (load it with \`ctr -n k8s.io images import\`, \`podman load -i\` or \`skopeo copy oci-archive:…\`)`);
}
