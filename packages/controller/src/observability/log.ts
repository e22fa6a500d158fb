import { Cause, Layer, Logger, Redacted, References } from "effect";
import type { LogLevel } from "effect/LogLevel";

/** What a redacted value prints as. */
export const REDACTED = "<redacted>";

/**
 * Field names whose values are never printed. The top-level `key` (the object key a controller
 * works on, e.g. "ns/name") is exempt: it names an object, not a credential.
 */
const SECRET_FIELD = /secret|password|token|credential|key$/i;

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** A copy of `value` fit for a log line: Redacted values and secret-named fields replaced. */
export const redact = (value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown => {
  if (Redacted.isRedacted(value)) return REDACTED;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "function" || typeof value === "symbol") return undefined;
  if (typeof value !== "object" || value === null) return value;
  if (seen.has(value) || depth > 8) return "[...]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) {
    // Errors print as their tag and message; their fields go through the same redaction.
    const fields: Record<string, unknown> = { message: value.message };
    for (const [name, field] of Object.entries(value)) fields[name] = SECRET_FIELD.test(name) ? REDACTED : redact(field, depth + 1, seen);
    return fields;
  }
  if (!isPlainObject(value)) return String(value);
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) out[name] = SECRET_FIELD.test(name) ? REDACTED : redact(field, depth + 1, seen);
  return out;
};

const messageText = (part: unknown): string => {
  if (typeof part === "string") return part;
  const safe = redact(part);
  return typeof safe === "string" ? safe : JSON.stringify(safe);
};

/** Formats one log entry as a JSON object: time, level, msg, then annotations and fields. */
export const formatEntry = (entry: {
  readonly message: unknown;
  readonly logLevel: LogLevel;
  readonly cause: Cause.Cause<unknown>;
  readonly date: Date;
  readonly annotations: Readonly<Record<string, unknown>>;
}): Record<string, unknown> => {
  const parts = Array.isArray(entry.message) ? entry.message : [entry.message];
  const texts: Array<string> = [];
  const fields: Record<string, unknown> = {};
  for (const part of parts) {
    // A plain object after the message contributes fields rather than text.
    if (isPlainObject(part)) Object.assign(fields, part);
    else texts.push(messageText(part));
  }
  const line: Record<string, unknown> = { time: entry.date.toISOString(), level: entry.logLevel.toLowerCase(), msg: texts.join(" ") };
  for (const [name, value] of Object.entries({ ...entry.annotations, ...fields })) {
    if (name === "time" || name === "level" || name === "msg") continue;
    line[name] = name !== "key" && SECRET_FIELD.test(name) ? REDACTED : redact(value);
  }
  if (entry.cause.reasons.length > 0 && !Cause.hasInterruptsOnly(entry.cause)) line["error"] = Cause.pretty(entry.cause);
  return line;
};

/** An Effect Logger writing one redacted JSON object per line through `write` (stdout by default). */
export const jsonLogger = (write: (line: string) => void = (line) => void process.stdout.write(line + "\n")) =>
  Logger.make<unknown, void>(({ message, logLevel, cause, date, fiber }) => {
    const annotations = fiber.getRef(References.CurrentLogAnnotations);
    write(JSON.stringify(formatEntry({ message, logLevel, cause, date, annotations })));
  });

/** Replaces the default logger with the JSON logger and sets the minimum level. */
export const logLayer = (level: LogLevel = "Info", write?: (line: string) => void) =>
  Layer.mergeAll(Logger.layer([jsonLogger(write)]), Layer.succeed(References.MinimumLogLevel, level));
