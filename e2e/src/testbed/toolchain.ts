import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { cacheDir, repoRoot } from "./paths.ts";

/** Where the built binaries are: kube (control plane, node, CNI plugins), kubectl, helm, minio, pause. */
export interface GoTools {
  readonly binDir: string;
  readonly kube: string;
  /** The pod sandbox process of the node. */
  readonly pause: string;
  readonly kubectl: string;
  readonly helm: string;
  readonly minio: string;
}

const progress = (line: string): void => {
  process.stderr.write(`[testbed] ${line}\n`);
};

/** Runs a command, passing its output on as progress, and returns its last stdout line. */
export const run = (command: string, args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<string> =>
  new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let lastLine = "";
    let output = "";
    const collect = (chunk: Buffer): void => {
      const text = chunk.toString();
      output = (output + text).slice(-20_000);
      process.stderr.write(text);
    };
    child.stdout.on("data", (chunk: Buffer) => {
      collect(chunk);
      const lines = chunk.toString().trim().split("\n");
      lastLine = lines[lines.length - 1] ?? lastLine;
    });
    child.stderr.on("data", collect);
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolveRun(lastLine.trim());
      else reject(new Error(`${command} ${args.join(" ")} failed (exit ${String(code)}):\n${output.slice(-4000)}`));
    });
  });

let goTools: Promise<GoTools> | undefined;

/** Builds (first time, several minutes, with progress) or finds the cached Go binaries. */
export const ensureGoTools = (): Promise<GoTools> => {
  goTools ??= run("bash", [join(repoRoot, "e2e/toolchain/build.sh")]).then((binDir) => ({
    binDir,
    kube: join(binDir, "kube"),
    pause: join(binDir, "pause"),
    kubectl: join(binDir, "kubectl"),
    helm: join(binDir, "helm"),
    minio: join(binDir, "minio"),
  }));
  return goTools;
};

let motoServer: Promise<string> | undefined;

/** Installs moto (pinned, every dependency locked) into a cached virtualenv; returns moto_server's path. */
export const ensureMoto = (): Promise<string> => {
  motoServer ??= (async () => {
    const requirements = join(repoRoot, "e2e/moto/requirements.txt");
    const key = createHash("sha256").update(readFileSync(requirements)).digest("hex").slice(0, 12);
    const venv = join(cacheDir, `moto-${key}`);
    const marker = join(venv, ".installed");
    const server = join(venv, "bin", "moto_server");
    if (existsSync(marker)) return server;
    progress(`installing moto from PyPI into ${venv} (first time only)…`);
    const started = Date.now();
    rmSync(venv, { recursive: true, force: true });
    mkdirSync(cacheDir, { recursive: true });
    // pip is quiet for its whole minute: say that it is still going, and for how long.
    const beat = setInterval(() => progress(`still installing moto… ${Math.round((Date.now() - started) / 1000)}s`), 30_000);
    try {
      await run("python3", ["-m", "venv", venv]);
      await run(join(venv, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", "-r", requirements]);
    } finally {
      clearInterval(beat);
    }
    writeFileSync(marker, new Date().toISOString());
    progress(`moto installed in ${Math.round((Date.now() - started) / 1000)}s`);
    return server;
  })();
  return motoServer;
};
