import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { isAlive, repoRoot } from "../../src/testbed/index.ts";
import { eventually } from "../kube.ts";

describe("test bed teardown", () => {
  it("leaves no server behind when the process that started it is killed with SIGKILL", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cloud37-teardown-"));
    const script = join(dir, "start-minio.ts");
    writeFileSync(
      script,
      `import { ensureGoTools, startMinio } from ${JSON.stringify(join(repoRoot, "e2e/src/testbed/index.ts"))};
const minio = await startMinio({ binary: (await ensureGoTools()).minio, dir: ${JSON.stringify(dir)} });
console.log(minio.service.pid);
await new Promise(() => undefined);
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout });
    const minioPid = Number(await new Promise<string>((resolve) => lines.once("line", resolve)));
    expect(isAlive(minioPid)).toBe(true);

    child.kill("SIGKILL");
    await eventually("MinIO to die with its parent", async () => (isAlive(minioPid) ? undefined : true), 10_000);
  });
});
