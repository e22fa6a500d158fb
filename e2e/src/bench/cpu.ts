/**
 * CPU time as the kernel counts it, for the bench's "where the machine's time went": the whole
 * machine, one process (the controller, the API server with etcd, MinIO), and the bench itself.
 */
import { readFileSync } from "node:fs";

/** Kernel clock ticks per second (USER_HZ): 100 on every Linux this runs on. */
const ticksPerSecond = 100;

/** CPU seconds the whole machine has spent busy since boot (every process). */
export const machineBusySeconds = (): number => {
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
  return (ticks.slice(0, 8).reduce((sum, tick) => sum + tick, 0) - idle) / ticksPerSecond;
};

/** CPU seconds (user + system, all threads) a running process has used; NaN once it is gone. */
export const processCpuSeconds = (pid: number): number => {
  try {
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond; // utime, stime: fields 14, 15
  } catch {
    return Number.NaN;
  }
};

/** CPU seconds this process (the bench) has used. */
export const ownCpuSeconds = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
