/**
 * Turns the JSON Schema that Effect Schema generates into the structural OpenAPI v3 schema a
 * CustomResourceDefinition needs: no `additionalProperties: true` beside `properties` (the API
 * server prunes unknown fields instead), an open value (`Schema.Unknown`) kept whole with
 * `x-kubernetes-preserve-unknown-fields`, and no 2^53 bounds on integers.
 */
export type JsonSchema = { readonly [key: string]: unknown };

const maxSafeInteger = Number.MAX_SAFE_INTEGER;

const isObject = (value: unknown): value is JsonSchema => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Folds `allOf` entries (Effect emits them for checks and annotations added after another
 * check) into their parent, since a structural schema allows no defaults inside `allOf`.
 * CEL rules of both are kept.
 */
const flattenAllOf = (node: JsonSchema): JsonSchema => {
  const parts = node["allOf"];
  if (!Array.isArray(parts)) return node;
  const merged: Record<string, unknown> = { ...node };
  delete merged["allOf"];
  for (const part of parts as ReadonlyArray<JsonSchema>) {
    for (const [key, value] of Object.entries(flattenAllOf(part))) {
      const existing = merged[key];
      if (key === "x-kubernetes-validations" && Array.isArray(existing) && Array.isArray(value)) merged[key] = [...existing, ...value];
      else if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(value)) {
        throw new Error(`allOf sets ${key} twice with different values: ${JSON.stringify(existing)} and ${JSON.stringify(value)}`);
      } else merged[key] = value;
    }
  }
  return merged;
};

/** Converts one schema node and everything below it. */
export const toStructural = (input: JsonSchema): JsonSchema => {
  const node = flattenAllOf(input);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "additionalProperties" && value === true) continue;
    if ((key === "maximum" && value === maxSafeInteger) || (key === "minimum" && value === -maxSafeInteger)) continue;
    if (key === "properties" && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, toStructural(child as JsonSchema)]));
    } else if ((key === "items" || key === "additionalProperties") && isObject(value)) {
      out[key] = toStructural(value);
    } else if ((key === "exclusiveMinimum" || key === "exclusiveMaximum") && typeof value === "number") {
      // JSON Schema 2020-12 gives the bound; Kubernetes' OpenAPI v3 (draft 4) wants the bound
      // in minimum/maximum and a boolean saying it is exclusive.
      out[key === "exclusiveMinimum" ? "minimum" : "maximum"] = value;
      out[key] = true;
    } else if (key === "anyOf" || key === "oneOf") {
      throw new Error(`unions are not structural; model the field as one type (found ${key} in ${JSON.stringify(node).slice(0, 200)})`);
    } else {
      out[key] = value;
    }
  }
  if (out["type"] === undefined && out["properties"] === undefined) out["x-kubernetes-preserve-unknown-fields"] = true;
  if (out["type"] === "object" && out["properties"] === undefined && out["additionalProperties"] === undefined) {
    out["x-kubernetes-preserve-unknown-fields"] = true;
  }
  return out;
};
