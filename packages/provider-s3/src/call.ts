import { Clock, Effect } from "effect";
import { ExternalCalls, externalCallRetry, externalError, type ExternalError, type RetrySettings } from "@cloud37/core";
import { errorCode, reasonOf } from "./errors.ts";

/** How one SDK operation is run: who answers (for Unsupported messages) and how it is retried. */
export interface CallOptions {
  readonly provider: string;
  readonly retry: RetrySettings;
}

/**
 * Runs one SDK operation: maps its failure to an ExternalError named after the operation,
 * records every attempt through core's ExternalCalls (operation, "ok" or the reason tag,
 * seconds), and retries retryable reasons with core's schedule. The promise receives an
 * AbortSignal so an interrupted reconcile also stops the HTTP request.
 */
export const call = <A>(operation: string, run: (signal: AbortSignal) => Promise<A>, options: CallOptions): Effect.Effect<A, ExternalError> => {
  const attempt = Effect.gen(function* () {
    const calls = yield* ExternalCalls;
    const started = yield* Clock.currentTimeMillis;
    const record = (result: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (ended) => Effect.sync(() => calls.record({ operation, result, seconds: (ended - started) / 1000 })));
    return yield* Effect.tryPromise({
      try: (signal) => run(signal),
      catch: (error) => externalError(operation, reasonOf(error, { provider: options.provider, operation })),
    }).pipe(
      Effect.tap(() => record("ok")),
      Effect.tapError((error) => record(error.reason._tag)),
    );
  });
  return Effect.retry(attempt, externalCallRetry(options.retry));
};

/**
 * Runs an operation whose "not configured" answer is an error code (e.g. `NoSuchTagSet`):
 * that code becomes `undefined`, every other failure stays an error.
 */
export const callOptional = <A>(
  operation: string,
  absentCodes: ReadonlyArray<string>,
  run: (signal: AbortSignal) => Promise<A>,
  options: CallOptions,
): Effect.Effect<A | undefined, ExternalError> =>
  call(
    operation,
    (signal) =>
      run(signal).catch((error: unknown) => {
        const code = errorCode(error);
        if (code !== undefined && absentCodes.includes(code)) return undefined;
        throw error;
      }),
    options,
  );
