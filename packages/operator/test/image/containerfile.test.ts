import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { layout, repoRoot, runtimeConfig } from "../../image/runtime.ts";

/** The Containerfile's runtime stage: its instructions, continuation lines joined. */
const runtimeStage = (): Array<{ readonly instruction: string; readonly args: string }> => {
  const text = readFileSync(join(repoRoot, "Containerfile"), "utf8").replace(/\\\n\s*/g, " ");
  const stages = text.split(/^FROM /m);
  return stages[stages.length - 1]!
    .split("\n")
    .filter((line) => /^[A-Z]+ /.test(line))
    .map((line) => ({ instruction: line.slice(0, line.indexOf(" ")), args: line.slice(line.indexOf(" ") + 1).trim() }));
};

const one = (instruction: string) => runtimeStage().filter((line) => line.instruction === instruction).map((line) => line.args);

describe("the Containerfile and the offline build (npm run image)", () => {
  const config = runtimeConfig("0.0.0");

  it("run the same process: entrypoint, user, working directory", () => {
    expect(JSON.parse(one("ENTRYPOINT")[0]!)).toEqual(config.Entrypoint);
    expect(one("USER")).toEqual([config.User]);
    expect(one("WORKDIR")).toEqual([config.WorkingDir]);
  });

  it("set the same environment", () => {
    const env = one("ENV")[0]!.split(/\s+/);
    expect(env.sort()).toEqual([...config.Env].sort());
  });

  it("put Node and the bundle in the same places, the bundle without source maps", () => {
    const copies = one("COPY");
    expect(copies).toContain(`--from=build /src/node_modules/node/bin/node ${layout.node}`);
    expect(copies).toContain(`--from=build /src/packages/operator/dist/*.js ${layout.app}/`);
  });

  it("label the image alike (the offline build adds its version)", () => {
    const labels = Object.fromEntries([...one("LABEL")[0]!.matchAll(/([\w.]+)="([^"]*)"/g)].map((match) => [match[1], match[2]]));
    const { "org.opencontainers.image.version": version, ...rest } = config.Labels ?? {};
    expect(version).toBe("0.0.0");
    expect(labels).toEqual(rest);
  });

  it("build on a runtime with glibc and no shell, as user 65532", () => {
    expect(readFileSync(join(repoRoot, "Containerfile"), "utf8")).toMatch(/^FROM gcr\.io\/distroless\/cc-debian12:nonroot$/m);
    expect(config.User).toBe("65532:65532");
  });
});
