import { Option, Schema } from "effect";
import { TenancyRules, type LabelSelector } from "@cloud37/core";
import type { KubeObject } from "../kube/types.ts";

/** A name a managed resource uses at the provider, which a ProviderConfig's namePrefix governs. */
export interface NameAtProvider {
  readonly what: "bucket" | "user";
  readonly name: string;
}

type Labels = Readonly<Record<string, string>>;

/** True when labels satisfy a standard label selector; an empty selector matches everything. */
export const selectorMatches = (selector: LabelSelector, labels: Labels): boolean =>
  Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value) &&
  (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const value = labels[key];
    switch (operator) {
      case "In":
        return value !== undefined && values.includes(value);
      case "NotIn":
        return value === undefined || !values.includes(value);
      case "Exists":
        return value !== undefined;
      case "DoesNotExist":
        return value === undefined;
    }
  });

/** The prefix a namePrefix template asks of a namespace: `{namespace}-` in team-a is `team-a-`. */
export const prefixFor = (template: string, namespace: string): string => template.replaceAll("{namespace}", namespace);

const decodeRules = Schema.decodeUnknownOption(TenancyRules);

/**
 * Why a (Cluster)ProviderConfig may not serve a managed resource, or undefined when it may:
 * a ClusterProviderConfig's namespaceSelector must match the resource's namespace's labels,
 * and every name the resource uses at the provider must start with the config's namePrefix.
 * Pure, and decided before any external call.
 */
export const tenancyRefusal = (config: KubeObject, namespace: string, namespaceLabels: Labels, names: ReadonlyArray<NameAtProvider>): string | undefined => {
  const cluster = config.metadata.namespace === undefined;
  const where = cluster ? `ClusterProviderConfig ${config.metadata.name}` : `ProviderConfig ${config.metadata.namespace}/${config.metadata.name}`;
  const rules = decodeRules(config.spec);
  if (Option.isNone(rules)) return `${where} has an invalid spec.namespaceSelector or spec.namePrefix`;
  const { namespaceSelector, namePrefix } = rules.value;
  if (cluster && namespaceSelector !== undefined && !selectorMatches(namespaceSelector, namespaceLabels)) {
    return `${where} may not be used from namespace ${namespace}: its labels do not match the config's spec.namespaceSelector; use another ProviderConfig, or ask the platform team to admit the namespace`;
  }
  if (namePrefix === undefined) return undefined;
  const prefix = prefixFor(namePrefix, namespace);
  const outside = names.find(({ name }) => !name.startsWith(prefix));
  if (outside === undefined) return undefined;
  const rename = outside.what === "user" ? "set spec.forProvider.userName to one that does" : "choose a bucket name that does";
  return `${outside.what} name ${outside.name} does not start with ${prefix}, as ${where} requires (spec.namePrefix ${namePrefix}): ${rename}`;
};
