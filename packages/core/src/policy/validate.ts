/**
 * Structural checks of IAM-style policy documents (bucket policies now, identity policies
 * later). Each check answers with one deterministic message naming the field, so a bad
 * document gives the same status message on every poll.
 */

/** The policy language versions AWS (and S3-compatible stores) accept. */
export const policyVersions: ReadonlyArray<string> = ["2012-10-17", "2008-10-17"];

/**
 * Which kind of policy a document is:
 * - `resource`: attached to a resource (a bucket policy): each statement names who it applies
 *   to (Principal or NotPrincipal);
 * - `identity`: attached to a user or role (an IAM policy): statements name no principal.
 */
export type PolicyKind = "resource" | "identity";

/** Options of `validatePolicy`. */
export interface ValidatePolicyOptions {
  /** Defaults to `resource`. */
  readonly kind?: PolicyKind;
  /** How messages name the document, e.g. `spec.forProvider.policy`; defaults to `policy`. */
  readonly path?: string;
}

const topLevelFields = ["Version", "Id", "Statement"];
const statementFields = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];
const principalTypes = ["AWS", "Service", "Federated", "CanonicalUser"];

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isStringList = (value: unknown): boolean =>
  (typeof value === "string" && value.length > 0) ||
  (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string" && item.length > 0));

const isConditionValue = (value: unknown): boolean => {
  const scalar = (item: unknown) => typeof item === "string" || typeof item === "number" || typeof item === "boolean";
  return scalar(value) || (Array.isArray(value) && value.length > 0 && value.every(scalar));
};

const stringListMessage = "must be a non-empty string or a non-empty array of non-empty strings";

/** The first key of a record (in sorted order, so messages are stable) that is not in `allowed`. */
const unknownField = (record: Readonly<Record<string, unknown>>, allowed: ReadonlyArray<string>): string | undefined =>
  Object.keys(record)
    .sort()
    .find((key) => !allowed.includes(key));

/** "exactly one of A and B": checks a pair of mutually exclusive fields. */
const exactlyOne = (statement: Readonly<Record<string, unknown>>, at: string, field: string): string | undefined => {
  const not = `Not${field}`;
  const has = field in statement;
  const hasNot = not in statement;
  if (has === hasNot) return `${at} must set exactly one of ${field} and ${not}${has ? ", not both" : ""}`;
  const name = has ? field : not;
  return isStringList(statement[name]) ? undefined : `${at}.${name} ${stringListMessage}`;
};

const principalProblem = (value: unknown, at: string): string | undefined => {
  if (value === "*") return undefined;
  const expected = `${at} must be "*" or an object mapping ${principalTypes.join(", ")} to a string or an array of strings`;
  if (!isRecord(value) || Object.keys(value).length === 0) return expected;
  const unknown = unknownField(value, principalTypes);
  if (unknown !== undefined) return `${at} has an unknown principal type "${unknown}" (allowed: ${principalTypes.join(", ")})`;
  const bad = principalTypes.find((type) => type in value && !isStringList(value[type]));
  return bad === undefined ? undefined : `${at}.${bad} ${stringListMessage}`;
};

const conditionProblem = (value: unknown, at: string): string | undefined => {
  if (!isRecord(value)) return `${at} must be an object mapping condition operators to {key: value} objects`;
  for (const operator of Object.keys(value).sort()) {
    const block = value[operator];
    if (!isRecord(block) || Object.keys(block).length === 0) return `${at}.${operator} must be a non-empty object mapping condition keys to values`;
    const bad = Object.keys(block)
      .sort()
      .find((key) => !isConditionValue(block[key]));
    if (bad !== undefined) return `${at}.${operator}.${bad} must be a string, number or boolean, or a non-empty array of them`;
  }
  return undefined;
};

const statementProblem = (statement: unknown, at: string, kind: PolicyKind): string | undefined => {
  if (!isRecord(statement)) return `${at} must be an object`;
  const unknown = unknownField(statement, statementFields);
  if (unknown !== undefined) return `${at} has an unknown field "${unknown}" (allowed: ${statementFields.join(", ")})`;
  if ("Sid" in statement && typeof statement["Sid"] !== "string") return `${at}.Sid must be a string`;
  if (statement["Effect"] !== "Allow" && statement["Effect"] !== "Deny") return `${at}.Effect must be "Allow" or "Deny"`;
  if (kind === "resource") {
    const principal = "Principal" in statement ? "Principal" : "NotPrincipal";
    if ("Principal" in statement === "NotPrincipal" in statement) {
      return `${at} must set exactly one of Principal and NotPrincipal${"Principal" in statement ? ", not both" : ""}`;
    }
    const problem = principalProblem(statement[principal], `${at}.${principal}`);
    if (problem !== undefined) return problem;
  } else {
    const principal = ["Principal", "NotPrincipal"].find((field) => field in statement);
    if (principal !== undefined) return `${at}.${principal} is not allowed in an identity policy`;
  }
  const problem = exactlyOne(statement, at, "Action") ?? exactlyOne(statement, at, "Resource");
  if (problem !== undefined) return problem;
  return "Condition" in statement ? conditionProblem(statement["Condition"], `${at}.Condition`) : undefined;
};

/**
 * Checks the structure of a policy document. Returns a deterministic message naming the first
 * problem (the statement index and field), or undefined when the document is well formed.
 * It checks the grammar only: whether actions and resources exist is the provider's answer.
 */
export const validatePolicy = (doc: unknown, options: ValidatePolicyOptions = {}): string | undefined => {
  const path = options.path ?? "policy";
  const kind = options.kind ?? "resource";
  if (!isRecord(doc)) return `${path} must be an object with Version and Statement`;
  const unknown = unknownField(doc, topLevelFields);
  if (unknown !== undefined) return `${path} has an unknown field "${unknown}" (allowed: ${topLevelFields.join(", ")})`;
  if ("Version" in doc && !policyVersions.includes(doc["Version"] as string)) {
    return `${path}.Version must be ${policyVersions.map((version) => `"${version}"`).join(" or ")}`;
  }
  if ("Id" in doc && typeof doc["Id"] !== "string") return `${path}.Id must be a string`;
  const statements = doc["Statement"];
  if (statements === undefined) return `${path}.Statement is required`;
  if (isRecord(statements)) return statementProblem(statements, `${path}.Statement`, kind);
  if (!Array.isArray(statements) || statements.length === 0) return `${path}.Statement must be an object or a non-empty array of objects`;
  const sids = new Set<string>();
  for (const [index, statement] of statements.entries()) {
    const at = `${path}.Statement[${index}]`;
    const problem = statementProblem(statement, at, kind);
    if (problem !== undefined) return problem;
    const sid = (statement as Readonly<Record<string, unknown>>)["Sid"];
    if (typeof sid === "string" && sid !== "") {
      if (sids.has(sid)) return `${at}.Sid "${sid}" is used by an earlier statement; Sids must be unique`;
      sids.add(sid);
    }
  }
  return undefined;
};
