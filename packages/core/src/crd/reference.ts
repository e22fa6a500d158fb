import { customResourceDefinition } from "./crd.ts";
import { apiVersion, kinds, type KindDefinition } from "../kinds.ts";

type Node = {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: ReadonlyArray<unknown>;
  readonly properties?: Record<string, Node>;
  readonly items?: Node;
  readonly additionalProperties?: Node;
  readonly required?: ReadonlyArray<string>;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly pattern?: string;
  readonly "x-kubernetes-validations"?: ReadonlyArray<{ readonly message: string }>;
  readonly "x-kubernetes-preserve-unknown-fields"?: boolean;
};

const typeOf = (node: Node): string => {
  if (node["x-kubernetes-preserve-unknown-fields"] === true && node.type === undefined) return "any";
  if (node.type === "array") return `${typeOf(node.items ?? {})}[]`;
  if (node.type === "object" && node.additionalProperties !== undefined) return `map[string]${typeOf(node.additionalProperties)}`;
  return node.type ?? "any";
};

const rulesOf = (node: Node): string => {
  const parts: Array<string> = [];
  if (node.enum !== undefined) parts.push(`one of ${node.enum.map((v) => `\`${String(v)}\``).join(", ")}`);
  if (node.minimum !== undefined) parts.push(`≥ ${node.minimum}`);
  if (node.maximum !== undefined) parts.push(`≤ ${node.maximum}`);
  if (node.minLength === 1) parts.push("non-empty");
  else if (node.minLength !== undefined && node.minLength > 1) parts.push(`at least ${node.minLength} characters`);
  if (node.maxLength !== undefined) parts.push(`at most ${node.maxLength} characters`);
  if (node.maxItems !== undefined) parts.push(`at most ${node.maxItems} items`);
  if (node.pattern !== undefined) parts.push(`matches \`${node.pattern}\``);
  for (const rule of node["x-kubernetes-validations"] ?? []) parts.push(rule.message);
  return parts.join("; ");
};

const escape = (text: string): string => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** Rows of a field table, one per field, depth first. */
const rows = (node: Node, path: string, required: boolean): ReadonlyArray<string> => {
  const row =
    path === ""
      ? []
      : [
          `| \`${path}\` | ${typeOf(node)} | ${required ? "yes" : ""} | ${node.default === undefined ? "" : `\`${JSON.stringify(node.default)}\``} | ${escape(
            [node.description?.replace(/\.$/, ""), rulesOf(node)].filter((part) => part !== undefined && part !== "").join(". "),
          )} |`,
        ];
  const children = node.properties ?? node.items?.properties;
  const childRequired = node.required ?? node.items?.required ?? [];
  const prefix = node.type === "array" ? `${path}[]` : path;
  return [
    ...row,
    ...Object.entries(children ?? {}).flatMap(([name, child]) => rows(child, prefix === "" ? name : `${prefix}.${name}`, childRequired.includes(name))),
  ];
};

const section = (kind: KindDefinition): string => {
  const schema = customResourceDefinition(kind).spec.versions[0]!.schema.openAPIV3Schema as unknown as { properties: { spec: Node; status: Node } };
  const table = (title: string, node: Node, root: string) =>
    [`### ${title}`, "", "| field | type | required | default | notes |", "| --- | --- | --- | --- | --- |", ...rows(node, root, false).slice(0)].join("\n");
  return [
    `## ${kind.kind}`,
    "",
    `${kind.description} Scope: ${kind.scope === "Cluster" ? "cluster" : "namespaced"}. \`kubectl get\` columns: ${kind.columns.map((c) => c.name).join(", ")}.`,
    "",
    table("spec", schema.properties.spec, "spec"),
    "",
    table("status", schema.properties.status, "status"),
    "",
  ].join("\n");
};

/** The API reference page (docs/api-reference.md), generated from the same schemas as the CRDs. */
export const renderReference = (): string =>
  [
    "<!-- Generated from packages/core/src/schema by `npm run generate`. Do not edit. -->",
    `# API reference: \`${apiVersion}\``,
    "",
    "Every rule listed under notes is checked by the API server at admission: a spec that breaks one is refused by `kubectl apply` with that message.",
    "",
    ...kinds.map(section),
  ].join("\n");
