import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { chartDir, helm as runHelm } from "../../src/testbed/index.ts";
import { testbed } from "../testbed-info.ts";

/** The chart's folder. */
export const chart = chartDir;

/** The test bed's helm, built with the toolchain beside kubectl. */
export const helmBinary = (): string => join(testbed().kubectl, "..", "helm");

/** Runs the test bed's helm against the test bed; rejects with its stderr. */
export const helm = (args: ReadonlyArray<string>): Promise<string> => runHelm(helmBinary(), testbed().kubeconfigPath, testbed().dir, args);

/** A rendered object, as far as the tests read it. */
export type Rendered = {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [field: string]: unknown;
};

/** Rendered manifests (`---`-separated YAML) as objects. */
export const parseAll = (manifests: string): Array<Rendered> =>
  parseAllDocuments(manifests)
    .map((document) => document.toJS() as Rendered | null)
    .filter((object): object is Rendered => object !== null);

/** `helm template` of the chart as release `s3` in `namespace`, with `--set` values, parsed into objects. */
export const render = async (namespace: string, ...sets: ReadonlyArray<string>): Promise<Array<Rendered>> =>
  parseAll(await helm(["template", "s3", chart, "--namespace", namespace, ...sets.flatMap((set) => ["--set", set])]));

/** The rendered objects of a kind. */
export const ofKind = (objects: ReadonlyArray<Rendered>, kind: string): Array<Rendered> => objects.filter((object) => object.kind === kind);

/** The one rendered object of a kind (and name); fails when there is none or more than one. */
export const one = (objects: ReadonlyArray<Rendered>, kind: string, name?: string): Rendered => {
  const found = ofKind(objects, kind).filter((object) => name === undefined || object.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind}${name === undefined ? "" : ` ${name}`}, rendered ${found.length}`);
  return found[0]!;
};

/** An RBAC rule. */
export type Rule = { readonly apiGroups: Array<string>; readonly resources: Array<string>; readonly verbs: Array<string> };

/** A container probe, as far as the tests read it. */
export type Probe = { readonly httpGet: { readonly path: string; readonly port: string }; readonly periodSeconds: number; readonly failureThreshold?: number };

/** The pod template of the rendered Deployment. */
export type PodSpec = {
  readonly hostNetwork?: boolean;
  readonly dnsPolicy?: string;
  readonly priorityClassName?: string;
  readonly serviceAccountName: string;
  readonly securityContext: Record<string, unknown>;
  readonly containers: Array<{
    readonly image: string;
    readonly args: Array<string>;
    readonly env: Array<{ readonly name: string; readonly value?: string; readonly valueFrom?: { readonly fieldRef?: { readonly fieldPath: string } } }>;
    readonly securityContext: Record<string, unknown>;
    readonly ports: Array<{ readonly name: string; readonly containerPort: number }>;
    readonly startupProbe: Probe;
    readonly livenessProbe: Probe;
    readonly readinessProbe: Probe;
  }>;
};
export const podTemplate = (objects: ReadonlyArray<Rendered>) =>
  (one(objects, "Deployment") as unknown as { spec: { template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec } } }).spec.template;
