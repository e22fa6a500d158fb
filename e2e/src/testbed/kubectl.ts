import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Runs the test bed's kubectl against a kubeconfig; resolves with stdout, rejects with stderr. */
export const kubectl = async (binary: string, kubeconfig: string, args: ReadonlyArray<string>, input?: string): Promise<string> => {
  const child = run(binary, ["--kubeconfig", kubeconfig, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  try {
    return (await child).stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`kubectl ${args.join(" ")}: ${e.stderr?.trim() || e.message}`);
  }
};
