import { setTimeout as sleep } from "node:timers/promises";
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { testbed } from "./testbed-info.ts";

/** API clients for the test bed's cluster, as its administrator. */
export const kube = () => {
  const config = new KubeConfig();
  config.loadFromFile(testbed().kubeconfigPath);
  return {
    config,
    core: config.makeApiClient(CoreV1Api),
    rbac: config.makeApiClient(RbacAuthorizationV1Api),
    crds: config.makeApiClient(ApiextensionsV1Api),
    custom: config.makeApiClient(CustomObjectsApi),
  };
};

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs` with `what`. */
export const eventually = async <A>(what: string, check: () => Promise<A | undefined>, timeoutMs = 60_000): Promise<A> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(250);
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last === undefined ? "" : `: ${String(last)}`}`);
};

/** A name unique to this run, so tests never collide on the shared cluster or stores. */
export const uniqueName = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
