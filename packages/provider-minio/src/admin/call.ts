import { Clock, Effect } from "effect";
import { ExternalCalls, externalCallRetry, externalError, type ExternalError, type RetrySettings } from "@cloud37/core";
import { adminReasonOf } from "./errors.ts";

/**
 * Runs one admin operation as provider-s3's `call` runs an SDK operation: the failure is
 * mapped to an ExternalError named after the operation (admin codes first), every attempt is
 * recorded through core's ExternalCalls, and retryable reasons are retried with core's
 * schedule. The whole attempt (encrypting, sending, decrypting) is retried together, so a
 * retried request never reuses a salt or nonce.
 */
export const adminCall = <A>(operation: string, attempt: Effect.Effect<A, unknown>, retry: RetrySettings): Effect.Effect<A, ExternalError> => {
  const once = Effect.gen(function* () {
    const calls = yield* ExternalCalls;
    const started = yield* Clock.currentTimeMillis;
    const record = (result: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (ended) => Effect.sync(() => calls.record({ operation, result, seconds: (ended - started) / 1000 })));
    return yield* attempt.pipe(
      Effect.mapError((error) => externalError(operation, adminReasonOf(error, operation))),
      Effect.tap(() => record("ok")),
      Effect.tapError((error) => record(error.reason._tag)),
    );
  });
  return Effect.retry(once, externalCallRetry(retry));
};
