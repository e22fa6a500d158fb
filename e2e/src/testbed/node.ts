import { execFile } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { CoreV1Api } from "@kubernetes/client-node";
import { readLock, unpackDeb, writeOciArchive } from "@cloud37/operator/image";
import { repoRoot } from "./paths.ts";
import type { ControlPlane } from "./controlplane.ts";
import { freePort } from "./ports.ts";
import { startService, waitUntilReady, type Service } from "./service.ts";
import type { GoTools } from "./toolchain.ts";

const run = promisify(execFile);

/**
 * A real node: containerd and runc from pinned Debian packages, and the kubelet (in the `kube`
 * binary), registered with the control plane as "localhost". It uses loopback only: every pod
 * gets the machine's network namespace and a loopback address of its own (the test bed's CNI
 * plugin, controlplane/cni.go), so pod specs need no hostNetwork and pass Pod Security
 * "restricted". `kube node` keeps its mounts, processes and cgroups to itself (node.go).
 */
export interface Node {
  readonly name: string;
  /** The 127.x.y.0/24 its pods' addresses come from. */
  readonly podSubnet: string;
  /** A port free on this machine when the node started, for its pods' servers (metrics, health). */
  readonly metricsPort: number;
  readonly service: Service;
  /**
   * Loads an OCI archive into the node's runtime as a registry pull would leave it (no
   * registry): named by its tag and by its digest, so a pod can name either.
   */
  loadImage(image: { readonly archive: string; readonly reference: string; readonly digest: string }): Promise<void>;
  /** Runs containerd's `ctr` in the kubelet's namespace of images and containers. */
  ctr(args: ReadonlyArray<string>): Promise<string>;
}

const log = (line: string): void => {
  process.stderr.write(`[testbed] ${line}\n`);
};

/** The node's pod subnet: unique per running test bed (its API server port is), never 127.0.x. */
export const podSubnetFor = (apiServerPort: number): string => `127.${apiServerPort >> 8}.${apiServerPort & 255}.0/24`;

/** The pause image (the pod sandbox process), an OCI archive cached beside the binary it holds. */
const pauseImage = async (tools: GoTools): Promise<{ reference: string; archive: string }> => {
  const reference = "cloud37.dev/testbed/pause:latest";
  const archive = join(tools.binDir, "pause.oci.tar");
  if (!existsSync(archive)) {
    const root = join(tools.binDir, `.pause-rootfs-${process.pid}`);
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    await run("cp", [tools.pause, join(root, "pause")]);
    await writeOciArchive(
      { reference, architecture: "amd64", layers: [{ directory: root, createdBy: "pause from k8s.io/kubernetes build/pause" }], config: { User: "65535:65535", Entrypoint: ["/pause"], Env: [], WorkingDir: "/" }, epoch: 0 },
      archive,
    );
    rmSync(root, { recursive: true, force: true });
  }
  return { reference, archive };
};

const containerdConfig = (dir: string, runcBinary: string, cniBin: string, cniConf: string, sandboxImage: string) => `version = 2
# Everything of this containerd lives in the node's directory (state, snapshots, sockets).
root = "${dir}/containerd/root"
state = "${dir}/containerd/state"
disabled_plugins = ["io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "${dir}/containerd.sock"
[ttrpc]
  address = "${dir}/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${sandboxImage}"
  # The machine does not let a process lower its oom_score_adj (no CAP_SYS_RESOURCE):
  # without this, runc cannot start a container.
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  # Pods share the machine's network namespace: no per-pod network sysctls may be set.
  enable_unprivileged_ports = false
  enable_unprivileged_icmp = false
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "${dir}/registry"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "${cniBin}"
    conf_dir = "${cniConf}"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "${runcBinary}"
        Root = "${dir}/runc"
        SystemdCgroup = false
`;

const kubeletConfig = (dir: string, caFile: string, port: number, healthzPort: number) => `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: ${port}
healthzBindAddress: 127.0.0.1
healthzPort: ${healthzPort}
readOnlyPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: ${caFile}}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://${dir}/containerd.sock
imageServiceEndpoint: unix://${dir}/containerd.sock
podLogsDir: ${dir}/pod-logs
# A test node on a shared disk: evict only when really out of space or memory, keep images.
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
resolvConf: /etc/resolv.conf
`;

/** Starts the node beside a running control plane and waits until it is Ready. */
export const startNode = async (options: { readonly tools: GoTools; readonly controlPlane: ControlPlane; readonly dir: string }): Promise<Node> => {
  const started = Date.now();
  const dir = join(options.dir, "node");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const [packages, pause] = await Promise.all([
    Promise.all(readLock(join(repoRoot, "e2e", "toolchain", "node-packages.json")).map(async (pkg) => [pkg.name, await unpackDeb(pkg, log)] as const)),
    pauseImage(options.tools),
  ]);
  const root = Object.fromEntries(packages) as Record<string, string>;
  const containerd = join(root["containerd"]!, "usr", "bin");
  const runc = join(root["runc"]!, "usr", "sbin", "runc");
  const tini = join(root["tini"]!, "usr", "bin", "tini");

  const cniBin = join(dir, "cni", "bin");
  const cniConf = join(dir, "cni", "conf");
  mkdirSync(cniBin, { recursive: true });
  mkdirSync(cniConf, { recursive: true });
  for (const plugin of ["cloud37-hostnet", "loopback"]) symlinkSync(options.tools.kube, join(cniBin, plugin));
  const podSubnet = podSubnetFor(Number(new URL(options.controlPlane.server).port));
  writeFileSync(
    join(cniConf, "10-cloud37.conflist"),
    JSON.stringify({ cniVersion: "1.0.0", name: "cloud37-testbed", plugins: [{ type: "cloud37-hostnet", subnet: podSubnet, dataDir: join(dir, "cni", "ipam") }] }),
  );
  writeFileSync(join(dir, "containerd.toml"), containerdConfig(dir, runc, cniBin, cniConf, pause.reference));
  // The node never pulls: images are loaded into it. Any pull goes to a closed loopback port and
  // fails at once (ImagePullBackOff), instead of reaching for a registry on the internet.
  mkdirSync(join(dir, "registry", "_default"), { recursive: true });
  writeFileSync(join(dir, "registry", "_default", "hosts.toml"), `server = "http://127.0.0.1:9"\n`);
  const [port, healthzPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  writeFileSync(join(dir, "kubelet.yaml"), kubeletConfig(dir, options.controlPlane.caFile, port, healthzPort));

  const socket = join(dir, "containerd.sock");
  const service = startService({
    name: "node",
    command: options.tools.kube,
    args: [
      "node",
      "--dir", dir,
      "--tini", tini,
      "--containerd", join(containerd, "containerd"),
      "--containerd-config", join(dir, "containerd.toml"),
      "--containerd-socket", socket,
      "--bin-path", `${containerd}:${join(root["runc"]!, "usr", "sbin")}`,
      "--",
      `--config=${join(dir, "kubelet.yaml")}`,
      `--kubeconfig=${options.controlPlane.nodeKubeconfigPath}`,
      "--hostname-override=localhost",
      `--root-dir=${join(dir, "kubelet")}`,
      `--cert-dir=${join(dir, "kubelet", "pki")}`,
    ],
    logDir: options.dir,
  });
  const ctr = async (args: ReadonlyArray<string>) =>
    (await run(join(containerd, "ctr"), ["--address", socket, "--namespace", "k8s.io", ...args], { maxBuffer: 16 * 1024 * 1024 })).stdout;
  const core = options.controlPlane.kubeConfig.makeApiClient(CoreV1Api);
  await waitUntilReady(
    service,
    async () => existsSync(socket) && (await core.readNode({ name: "localhost" })).status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true,
    120_000,
  );
  await ctr(["images", "import", pause.archive]);
  log(`node localhost Ready in ${((Date.now() - started) / 1000).toFixed(1)}s (pods on ${podSubnet})`);
  return {
    name: "localhost",
    podSubnet,
    metricsPort,
    service,
    ctr,
    loadImage: async (image) => {
      await ctr(["images", "import", image.archive]);
      // A pull records `repo@digest` beside `repo:tag`; the runtime finds a digest reference only so.
      const repository = image.reference.slice(0, image.reference.lastIndexOf(":"));
      await ctr(["images", "tag", "--force", image.reference, `${repository}@${image.digest}`]);
    },
  };
};
