import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { k, seenSecretsFile } from "./harness.ts";
import { testbed } from "./testbed-info.ts";

/** The servers' own logs; every other log in the test bed directory is a controller's. */
const serverLogs = new Set(["controlplane.log", "node.log", "minio.log", "moto-aws.log", "moto-wasabi.log"]);

/** Every kind the controller writes status to. */
const kinds = ["buckets", "bucketpolicies", "accesskeys", "providerconfigs", "clusterproviderconfigs"];

/** The values to look for: as they are, and base64-encoded (as a Secret's data holds them). */
const forms = (value: string): ReadonlyArray<string> => [value, Buffer.from(value).toString("base64")];

// Runs last (see last.sequencer.ts): it checks what the whole suite left behind.
describe("secrets", () => {
  it("no secret value (administrator keys, every AccessKey secret the suite saw) is in a controller log, an event or a managed object", async () => {
    const info = testbed();
    const seen = existsSync(seenSecretsFile()) ? readFileSync(seenSecretsFile(), "utf8").split("\n") : [];
    const secrets = new Set([info.minio.secretKey, info.aws.secretAccessKey, info.wasabi.secretAccessKey, ...seen].filter((value) => value.length >= 8));

    const logs = readdirSync(info.dir).filter((file) => file.endsWith(".log") && !serverLogs.has(file));
    const places: Array<{ readonly where: string; readonly text: string }> = logs.map((file) => ({ where: `log ${file}`, text: readFileSync(join(info.dir, file), "utf8") }));
    places.push({ where: "events", text: await k(["get", "events", "--all-namespaces", "-o", "json"]) });
    for (const kind of kinds) places.push({ where: kind, text: await k(["get", kind, "--all-namespaces", "-o", "json"]) });

    // The places are real: the controller logged, and events name what it created.
    expect(logs.length).toBeGreaterThan(0);
    expect(places.find((place) => place.where === "events")?.text).toContain("CreatedExternalResource");

    const found = [...secrets].flatMap((secret) =>
      forms(secret).flatMap((form) => places.filter((place) => place.text.includes(form)).map((place) => `${place.where} holds a secret value (${secret.slice(0, 3)}…)`)),
    );
    expect(found).toEqual([]);
    console.info(`scanned ${places.length} places (${logs.length} controller logs) for ${secrets.size} secret values (${secrets.size - 3} from AccessKey Secrets)`);
  });
});
