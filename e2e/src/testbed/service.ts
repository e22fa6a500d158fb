import { spawn } from "node:child_process";
import { openSync, closeSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** A server process of the test bed: its own process group, its output kept in a log file. */
export interface Service {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code (or signal) once the process has gone. */
  readonly exited: Promise<string>;
  /** SIGTERM to the whole group, SIGKILL after a grace period; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to the whole group, at once: a crash, with no chance to clean up. */
  kill(): Promise<void>;
  /** The last lines of the log, for error messages. */
  tail(lines?: number): string;
}

export interface ServiceOptions {
  readonly name: string;
  readonly command: string;
  readonly args: ReadonlyArray<string>;
  readonly logDir: string;
  readonly env?: Record<string, string>;
  readonly cwd?: string;
}

const running = new Set<Service>();

/** True while a process with this pid exists. */
export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// A killed test run must not leave servers behind. `setpriv --pdeathsig` makes the kernel
// kill each server when this process dies, even by SIGKILL; the exit hook covers normal exits.
process.once("exit", () => {
  for (const service of running) killGroup(service.pid, "SIGKILL");
});

const killGroup = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
};

/** Starts a server process; it dies with this process. */
export const startService = (options: ServiceOptions): Service => {
  const logFile = join(options.logDir, `${options.name}.log`);
  const fd = openSync(logFile, "a");
  const child = spawn("setpriv", ["--pdeathsig", "SIGKILL", "--", options.command, ...options.args], {
    stdio: ["ignore", fd, fd],
    detached: true,
    cwd: options.cwd ?? options.logDir,
    env: { ...process.env, ...options.env },
  });
  closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name}: could not start ${options.command}`);
  const exited = new Promise<string>((resolveExit) => {
    child.once("exit", (code, signal) => resolveExit(signal ?? `exit code ${String(code)}`));
    child.once("error", (error) => resolveExit(error.message));
  });
  let done = false;
  void exited.then(() => {
    done = true;
  });

  const service: Service = {
    name: options.name,
    pid,
    logFile,
    exited,
    tail: (lines = 40) =>
      existsSync(logFile) ? readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n") : "",
    kill: async () => {
      running.delete(service);
      killGroup(pid, "SIGKILL");
      await exited;
    },
    stop: async (graceMs = 10_000) => {
      running.delete(service);
      if (done) return;
      killGroup(pid, "SIGTERM");
      const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
      if (timedOut) {
        killGroup(pid, "SIGKILL");
        await exited;
      }
      // Children the server started itself share its group; make sure none outlives it.
      killGroup(pid, "SIGKILL");
    },
  };
  running.add(service);
  return service;
};

/**
 * Polls `check` until it returns true. Fails early, with the service's log, when the
 * service exits, and with the log too when the deadline passes.
 */
export const waitUntilReady = async (
  service: Service,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: string | undefined;
  void service.exited.then((how) => {
    exitedWith = how;
  });
  while (Date.now() < deadline) {
    if (exitedWith !== undefined) {
      throw new Error(`${service.name} exited (${exitedWith}) before it was ready. Log ${service.logFile}:\n${service.tail()}`);
    }
    if (await check().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`${service.name} was not ready within ${timeoutMs / 1000}s. Log ${service.logFile}:\n${service.tail()}`);
};
