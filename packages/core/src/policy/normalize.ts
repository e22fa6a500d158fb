/**
 * Semantic comparison of IAM-style policy documents. Stores answer with a document that
 * means the same as the one sent but is written differently (MinIO turns `"*"` into
 * `{"AWS": ["*"]}` and strings into lists, AWS may reorder), so comparing text would report
 * drift on every poll.
 */

/** The version a document without `Version` is read as (AWS's rule). */
export const defaultPolicyVersion = "2008-10-17";

/**
 * A policy document in one canonical form: statements as a list sorted by their canonical
 * text, string-or-list fields as sorted lists without duplicates, Principal `"*"` as
 * `{"AWS": ["*"]}`, condition values as sorted lists of strings, empty Sids dropped.
 * Fields it does not know (and values of an unexpected shape) are kept as they are.
 */
export interface NormalizedPolicy {
  readonly Version: unknown;
  readonly Id?: unknown;
  readonly Statement: ReadonlyArray<unknown>;
  readonly [field: string]: unknown;
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** JSON text with object keys sorted: equal for values that differ only in key order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    isRecord(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => compare(a, b))) : inner,
  ) ?? "undefined";

const mapValues = (record: Readonly<Record<string, unknown>>, f: (value: unknown) => unknown): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));

const sortedUnique = (values: ReadonlyArray<string>): ReadonlyArray<string> => [...new Set(values)].sort(compare);

/** A string or a list of strings as a sorted list (these fields are sets); anything else as is. */
const stringSet = (value: unknown): unknown =>
  typeof value === "string" ? [value] : Array.isArray(value) && value.every((item) => typeof item === "string") ? sortedUnique(value) : value;

/** `"*"` means every AWS principal: the same as `{"AWS": "*"}`. */
const principal = (value: unknown): unknown =>
  value === "*" ? { AWS: ["*"] } : isRecord(value) ? mapValues(value, stringSet) : value;

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean";

/** Condition values are compared as sets of strings: `true`, `"true"` and `["true"]` are one value. */
const conditionValues = (value: unknown): unknown =>
  isScalar(value) ? [String(value)] : Array.isArray(value) && value.every(isScalar) ? sortedUnique(value.map(String)) : value;

const condition = (value: unknown): unknown =>
  isRecord(value) ? mapValues(value, (block) => (isRecord(block) ? mapValues(block, conditionValues) : block)) : value;

const statementField: Readonly<Record<string, (value: unknown) => unknown>> = {
  Principal: principal,
  NotPrincipal: principal,
  Action: stringSet,
  NotAction: stringSet,
  Resource: stringSet,
  NotResource: stringSet,
  Condition: condition,
};

const normalizeStatement = (statement: unknown): unknown => {
  if (!isRecord(statement)) return statement;
  const entries = Object.entries(statement)
    .filter(([key, value]) => !(key === "Sid" && value === ""))
    .map(([key, value]) => [key, (statementField[key] ?? ((same: unknown) => same))(value)] as const);
  return Object.fromEntries(entries);
};

const statementsOf = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** A policy document in its canonical form (see `NormalizedPolicy`). */
export const normalizePolicy = (doc: Readonly<Record<string, unknown>>): NormalizedPolicy => ({
  ...doc,
  Version: doc["Version"] ?? defaultPolicyVersion,
  Statement: statementsOf(doc["Statement"])
    .map(normalizeStatement)
    .map((statement) => ({ statement, text: canonical(statement) }))
    .sort((a, b) => compare(a.text, b.text))
    .map(({ statement }) => statement),
});

/** A record without one key. */
const without = (value: unknown, key: string): unknown => {
  if (!isRecord(value)) return value;
  const { [key]: _dropped, ...rest } = value;
  return rest;
};

const optionalString = (value: unknown, key: string): string | undefined => {
  const field = isRecord(value) ? value[key] : undefined;
  return typeof field === "string" ? field : undefined;
};

/**
 * True when two lists of (normalized) statements are the same multiset, where a Sid only
 * counts when both statements have one. Statements that differ only in Sids are grouped;
 * within a group, equal Sids pair first, then a Sid pairs with a statement without one.
 */
const sameStatements = (left: ReadonlyArray<unknown>, right: ReadonlyArray<unknown>): boolean => {
  if (left.length !== right.length) return false;
  const groups = new Map<string, { readonly left: Array<string | undefined>; readonly right: Array<string | undefined> }>();
  const add = (side: "left" | "right") => (statement: unknown) => {
    const text = canonical(without(statement, "Sid"));
    const group = groups.get(text) ?? { left: [], right: [] };
    group[side].push(optionalString(statement, "Sid"));
    groups.set(text, group);
  };
  left.forEach(add("left"));
  right.forEach(add("right"));
  return [...groups.values()].every((group) => {
    if (group.left.length !== group.right.length) return false;
    const unmatched = [...group.right];
    const leftover = group.left.filter((sid) => {
      const at = sid === undefined ? -1 : unmatched.indexOf(sid);
      if (at === -1) return true;
      unmatched.splice(at, 1);
      return false;
    });
    const count = (sids: ReadonlyArray<string | undefined>, named: boolean) => sids.filter((sid) => (sid !== undefined) === named).length;
    // Each remaining Sid must pair with a statement that has none on the other side.
    return count(leftover, true) <= count(unmatched, false) && count(unmatched, true) <= count(leftover, false);
  });
};

/**
 * True when two policy documents mean the same: statement order, key order, string versus
 * one-element list, duplicate list items, Principal `"*"` versus `{"AWS": "*"}` and the form
 * of condition values do not matter; Sid (and the document's Id) count only when both set one.
 */
export const samePolicy = (a: unknown, b: unknown): boolean => {
  if (!isRecord(a) || !isRecord(b)) return canonical(a) === canonical(b);
  const left = normalizePolicy(a);
  const right = normalizePolicy(b);
  const bothIds = optionalString(left, "Id") !== undefined && optionalString(right, "Id") !== undefined;
  const rest = (policy: NormalizedPolicy) => {
    const body = without(policy, "Statement");
    return canonical(bothIds ? body : without(body, "Id"));
  };
  return rest(left) === rest(right) && sameStatements(left.Statement, right.Statement);
};
