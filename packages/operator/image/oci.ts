/**
 * Writes OCI images without a container engine: each layer is a directory made into a tar
 * (GNU tar, with the reproducible-builds flags: sorted names, one mtime, owner root, no
 * extended headers) and gzipped by Node's zlib, then the config, manifest and index are
 * written as an OCI image layout and packed into one archive (`ctr images import`,
 * `skopeo copy oci-archive:…`, `podman load` read it). The same directories give the same
 * bytes, so the same digest.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

const MEDIA = {
  index: "application/vnd.oci.image.index.v1+json",
  manifest: "application/vnd.oci.image.manifest.v1+json",
  config: "application/vnd.oci.image.config.v1+json",
  layer: "application/vnd.oci.image.layer.v1.tar+gzip",
} as const;

/** What runs: the OCI image config's `config` object (the fields this project sets). */
export interface RuntimeConfig {
  readonly User: string;
  readonly Entrypoint: ReadonlyArray<string>;
  readonly Cmd?: ReadonlyArray<string>;
  readonly Env: ReadonlyArray<string>;
  readonly WorkingDir: string;
  readonly Labels?: Readonly<Record<string, string>>;
}

export interface ImageSpec {
  /** The full reference, e.g. ghcr.io/cloud37/s3-provider:0.1.0. */
  readonly reference: string;
  readonly architecture: string;
  /** Root directories of the layers, bottom first; each is archived as it is on disk. */
  readonly layers: ReadonlyArray<{ readonly directory: string; readonly createdBy: string }>;
  readonly config: RuntimeConfig;
  /** Seconds since the epoch for every timestamp (SOURCE_DATE_EPOCH); 0 when unset. */
  readonly epoch: number;
}

export interface WrittenImage {
  readonly archive: string;
  /** The manifest digest: what a registry reports and `image@sha256:…` pins. */
  readonly digest: string;
  /** Compressed size of all layers, in bytes (what a pull transfers). */
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
}

interface Blob {
  readonly digest: string;
  readonly size: number;
}

const sha256 = (data: Buffer | string) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

/** GNU tar of `names` under `directory`, normalized so that only contents and modes matter. */
const tar = (directory: string, names: ReadonlyArray<string>, epoch: number): Readable => {
  const child = spawn(
    "tar",
    ["--create", "--file=-", "--format=gnu", "--sort=name", `--mtime=@${epoch}`, "--owner=0", "--group=0", "--numeric-owner", "--no-acls", "--no-xattrs", "--no-selinux", `--directory=${directory}`, "--", ...names],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.once("exit", (code) => {
    if (code !== 0) child.stdout.destroy(new Error(`tar of ${directory} failed (exit ${String(code)}): ${stderr.trim()}`));
  });
  return child.stdout;
};

/** Archives a layer directory into the blob store; returns the gzip blob and the tar's digest (diff id). */
const writeLayer = async (blobs: string, directory: string, epoch: number): Promise<Blob & { readonly diffId: string; readonly uncompressed: number }> => {
  const names = (await readdir(directory)).sort();
  const temporary = join(blobs, `.layer-${process.pid}-${Date.now()}`);
  const diff = createHash("sha256");
  const blob = createHash("sha256");
  let uncompressed = 0;
  let size = 0;
  const gzip = createGzip({ level: 9 });
  await pipeline(
    tar(directory, names, epoch),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        diff.update(chunk);
        uncompressed += chunk.length;
        yield chunk;
      }
    },
    gzip,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        blob.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(temporary),
  );
  const digest = `sha256:${blob.digest("hex")}`;
  renameSync(temporary, join(blobs, digest.slice("sha256:".length)));
  return { digest, size, diffId: `sha256:${diff.digest("hex")}`, uncompressed };
};

const writeJsonBlob = (blobs: string, value: unknown): Blob => {
  const data = JSON.stringify(value);
  const digest = sha256(data);
  writeFileSync(join(blobs, digest.slice("sha256:".length)), data);
  return { digest, size: Buffer.byteLength(data) };
};

/** Writes the image as an OCI archive at `archive` (atomically) and returns its digest and sizes. */
export const writeOciArchive = async (spec: ImageSpec, archive: string): Promise<WrittenImage> => {
  mkdirSync(dirname(archive), { recursive: true });
  const layout = mkdtempSync(join(dirname(archive), ".oci-layout-"));
  try {
    const blobs = join(layout, "blobs", "sha256");
    mkdirSync(blobs, { recursive: true });
    const layers = [];
    for (const layer of spec.layers) layers.push(await writeLayer(blobs, layer.directory, spec.epoch));
    const created = new Date(spec.epoch * 1000).toISOString().replace(/\.000Z$/, "Z");
    const config = writeJsonBlob(blobs, {
      created,
      architecture: spec.architecture,
      os: "linux",
      config: spec.config,
      rootfs: { type: "layers", diff_ids: layers.map((layer) => layer.diffId) },
      history: spec.layers.map((layer) => ({ created, created_by: layer.createdBy })),
    });
    const manifest = writeJsonBlob(blobs, {
      schemaVersion: 2,
      mediaType: MEDIA.manifest,
      config: { mediaType: MEDIA.config, digest: config.digest, size: config.size },
      layers: layers.map((layer) => ({ mediaType: MEDIA.layer, digest: layer.digest, size: layer.size })),
    });
    const tag = spec.reference.slice(spec.reference.lastIndexOf(":") + 1);
    writeFileSync(join(layout, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
    writeFileSync(
      join(layout, "index.json"),
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.index,
        manifests: [
          {
            mediaType: MEDIA.manifest,
            digest: manifest.digest,
            size: manifest.size,
            platform: { architecture: spec.architecture, os: "linux" },
            // The tag for OCI tools, the full name for containerd's importer.
            annotations: { "org.opencontainers.image.ref.name": tag, "io.containerd.image.name": spec.reference },
          },
        ],
      }),
    );
    const temporary = `${archive}.tmp`;
    await pipeline(tar(layout, ["blobs", "index.json", "oci-layout"], spec.epoch), createWriteStream(temporary));
    renameSync(temporary, archive);
    return {
      archive,
      digest: manifest.digest,
      compressedBytes: layers.reduce((sum, layer) => sum + layer.size, 0),
      uncompressedBytes: layers.reduce((sum, layer) => sum + layer.uncompressed, 0),
    };
  } finally {
    rmSync(layout, { recursive: true, force: true });
  }
};

/** The sha256 of a file, as `sha256:<hex>`. */
export const fileDigest = async (path: string): Promise<string> => {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return `sha256:${hash.digest("hex")}`;
};
