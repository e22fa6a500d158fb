import { Redacted } from "effect";
import type { ConnectionDetails } from "../contract.ts";

/** The Secret type Crossplane gives connection Secrets. */
export const connectionSecretType = "connection.crossplane.io/v1alpha1";

/** Wraps plain values as connection details (values are redacted from then on). */
export const connectionDetails = (values: Readonly<Record<string, string | undefined>>): ConnectionDetails =>
  Object.fromEntries(
    Object.entries(values).flatMap(([key, value]) => (value === undefined ? [] : [[key, Redacted.make(value)]])),
  );
