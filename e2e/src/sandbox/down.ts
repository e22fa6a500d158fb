/** `npm run sandbox:down`: stops a detached sandbox and everything it started. */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { isAlive } from "../testbed/service.ts";
import { pidFile } from "./paths.ts";


if (!existsSync(pidFile)) {
  console.log("[sandbox] no sandbox is running");
  process.exit(0);
}
const pid = Number(readFileSync(pidFile, "utf8"));
if (!isAlive(pid)) {
  rmSync(pidFile, { force: true });
  console.log("[sandbox] no sandbox is running");
  process.exit(0);
}
process.kill(pid, "SIGTERM");
const deadline = Date.now() + 60_000;
while (isAlive(pid) && Date.now() < deadline) await sleep(200);
if (isAlive(pid)) {
  // Its servers die with it (parent-death signal), so a hard stop leaves nothing behind.
  process.kill(pid, "SIGKILL");
  rmSync(pidFile, { force: true });
}
console.log("[sandbox] stopped");
