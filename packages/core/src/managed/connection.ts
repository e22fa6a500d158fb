import { Redacted } from "effect";
import type { ConnectionDetails } from "../contract.ts";

/** The Secret type Crossplane gives connection Secrets. */
export const connectionSecretType = "connection.crossplane.io/v1alpha1";

/**
 * The `data` of a connection Secret: the details base64-encoded, merged over what the Secret
 * already holds (additive: keys someone else wrote stay). Returns undefined when nothing
 * would change, so the controller skips the write.
 */
export const mergeConnectionData = (
  existing: Readonly<Record<string, string>> | undefined,
  details: ConnectionDetails,
): Record<string, string> | undefined => {
  const merged: Record<string, string> = { ...existing };
  let changed = existing === undefined;
  for (const [key, value] of Object.entries(details)) {
    const encoded = Buffer.from(Redacted.value(value)).toString("base64");
    if (merged[key] !== encoded) {
      merged[key] = encoded;
      changed = true;
    }
  }
  return changed ? merged : undefined;
};

/** Wraps plain values as connection details (values are redacted from then on). */
export const connectionDetails = (values: Readonly<Record<string, string | undefined>>): ConnectionDetails =>
  Object.fromEntries(
    Object.entries(values).flatMap(([key, value]) => (value === undefined ? [] : [[key, Redacted.make(value)]])),
  );
