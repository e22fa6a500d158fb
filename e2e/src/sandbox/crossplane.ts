/** `npm run sandbox -- --crossplane`: Crossplane beside the sandbox, composing examples/crossplane/. */
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { kubectl, startCrossplane, type Crossplane, type Testbed } from "../testbed/index.ts";
import { crossplaneExamplesDir, renderExamples } from "./examples.ts";

const say = (line: string): void => {
  process.stdout.write(`[sandbox] ${line}\n`);
};

/**
 * Starts Crossplane with function-patch-and-transform against the sandbox's control plane,
 * applies examples/crossplane/ (the ObjectStore XRD, its Composition, an ObjectStore) and
 * shows the ObjectStore until it is Ready. The caller stops the returned Crossplane.
 */
export const startSandboxCrossplane = async (testbed: Testbed, kubeconfig: string): Promise<Crossplane> => {
  const k = (args: ReadonlyArray<string>, input?: string) => kubectl(testbed.tools.kubectl, kubeconfig, args, input);
  say("starting Crossplane (the first time builds it from the Go module proxy: about 6 minutes)…");
  const crossplane = await startCrossplane({ kubectl: testbed.tools.kubectl, kubeconfig, dir: testbed.dir });
  try {
    say("applying examples/crossplane/…");
    // The XRD first: ObjectStores can be applied once Crossplane serves their CRD.
    await k(["apply", "-f", join(crossplaneExamplesDir, "00-definition.yaml")]);
    await k(["wait", "--for", "condition=Established", "--timeout", "120s", "compositeresourcedefinition/objectstores.storage.example.org"]);
    await k(["wait", "--for", "condition=Established", "--timeout", "120s", "crd/objectstores.storage.example.org"]);
    process.stdout.write(await k(["apply", "-f", "-"], renderExamples(testbed.env, crossplaneExamplesDir)));
    const deadline = Date.now() + 180_000;
    let shown = "";
    while (Date.now() < deadline) {
      const table = await k(["get", "objectstores", "-A", "-o", "wide"]).catch((error: Error) => error.message);
      if (table !== shown) process.stdout.write(`\n${(shown = table)}`);
      const ready = await k(["get", "objectstores", "-A", "-o", "jsonpath={range .items[*]}{.status.conditions[?(@.type=='Ready')].status}{'\\n'}{end}"]).catch(() => "");
      const rows = ready.trim().split("\n").filter((row) => row !== "");
      if (rows.length > 0 && rows.every((row) => row === "True")) {
        say("the ObjectStore is Ready: `kubectl get objectstores -A`, `kubectl get secret -n default assets-writer`");
        return crossplane;
      }
      await sleep(1000);
    }
    say("the ObjectStore is not Ready yet: see `kubectl describe objectstore -n default assets` and the Crossplane logs in " + join(testbed.dir, "crossplane"));
    return crossplane;
  } catch (error) {
    await crossplane.stop();
    throw error;
  }
};
