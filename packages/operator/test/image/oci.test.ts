import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeOciArchive, type ImageSpec } from "../../image/oci.ts";

const layerDir = (files: Record<string, string>, mtime: Date): string => {
  const dir = mkdtempSync(join(tmpdir(), "oci-layer-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
    utimesSync(join(dir, path), mtime, mtime);
  }
  symlinkSync("app/main.js", join(dir, "entry.js"));
  return dir;
};

const spec = (directory: string): ImageSpec => ({
  reference: "example.test/app:1.2.3",
  architecture: "amd64",
  layers: [{ directory, createdBy: "test" }],
  config: { User: "65532:65532", Entrypoint: ["/usr/local/bin/node", "/app/main.js"], Env: ["A=b"], WorkingDir: "/app" },
  epoch: 0,
});

/** Unpacks an archive and reads its index, manifest, config and layer listing. */
const open = (archive: string) => {
  const dir = mkdtempSync(join(tmpdir(), "oci-open-"));
  execFileSync("tar", ["-xf", archive, "-C", dir]);
  const blob = (digest: string) => join(dir, "blobs", "sha256", digest.replace("sha256:", ""));
  const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8"));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), "utf8"));
  const config = JSON.parse(readFileSync(blob(manifest.config.digest), "utf8"));
  const layer = blob(manifest.layers[0].digest);
  const listing = execFileSync("tar", ["-tvzf", layer], { encoding: "utf8" });
  const diffId = `sha256:${execFileSync("sh", ["-c", `gzip -dc '${layer}' | sha256sum`], { encoding: "utf8" }).split(" ")[0]}`;
  return { dir, index, manifest, config, listing, diffId, layout: JSON.parse(readFileSync(join(dir, "oci-layout"), "utf8")) };
};

describe("writeOciArchive", () => {
  it("gives the same digest for the same contents, whatever their timestamps", async () => {
    const files = { "app/main.js": "console.log(1)", "etc/passwd": "root:x:0:0::/:/sbin/nologin\n" };
    const out = mkdtempSync(join(tmpdir(), "oci-out-"));
    const first = await writeOciArchive(spec(layerDir(files, new Date("2020-01-01"))), join(out, "a.tar"));
    const second = await writeOciArchive(spec(layerDir(files, new Date("2024-06-30"))), join(out, "b.tar"));
    expect(second.digest).toBe(first.digest);
    expect(readFileSync(join(out, "b.tar")).equals(readFileSync(join(out, "a.tar")))).toBe(true);
    const changed = await writeOciArchive(spec(layerDir({ ...files, "app/main.js": "console.log(2)" }, new Date("2020-01-01"))), join(out, "c.tar"));
    expect(changed.digest).not.toBe(first.digest);
  });

  it("writes an OCI layout whose manifest, config and layer agree, owned by root, one mtime", async () => {
    const out = mkdtempSync(join(tmpdir(), "oci-out-"));
    const written = await writeOciArchive(spec(layerDir({ "app/main.js": "x" }, new Date())), join(out, "image.tar"));
    const image = open(written.archive);
    expect(image.layout).toEqual({ imageLayoutVersion: "1.0.0" });
    expect(image.index.manifests[0]).toMatchObject({
      digest: written.digest,
      platform: { architecture: "amd64", os: "linux" },
      annotations: { "org.opencontainers.image.ref.name": "1.2.3", "io.containerd.image.name": "example.test/app:1.2.3" },
    });
    expect(image.manifest.layers[0].mediaType).toBe("application/vnd.oci.image.layer.v1.tar+gzip");
    expect(image.config).toMatchObject({ architecture: "amd64", os: "linux", created: "1970-01-01T00:00:00Z", config: { User: "65532:65532" } });
    // The config names the uncompressed layer by its digest (diff id), as runtimes verify.
    expect(image.config.rootfs.diff_ids).toEqual([image.diffId]);
    expect(image.listing).toMatch(/0\/0 .* 1970-01-01 00:00 app\/main\.js/);
    expect(image.listing).toMatch(/entry\.js -> app\/main\.js/);
    expect(image.listing).not.toMatch(/\.\//);
    expect(written.compressedBytes).toBe(image.manifest.layers[0].size);
  });
});
