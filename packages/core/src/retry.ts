import { Duration, Schedule } from "effect";
import { isRetryable, type ExternalError } from "./errors.ts";

/** How an external call is retried within one reconcile (ProviderConfig `spec.retry`). */
export interface RetrySettings {
  readonly maxAttempts: number;
  readonly backoff: "exponential" | "constant";
}

export const defaultRetrySettings: RetrySettings = { maxAttempts: 3, backoff: "exponential" };

/**
 * The retry schedule of one external call: only while the reason is retryable, at most
 * `maxAttempts` tries in all, exponential from 200 ms capped at 5 s, jittered so that many
 * resources hitting the same throttle do not retry in lockstep.
 */
export const externalCallRetry = (settings: RetrySettings = defaultRetrySettings) => {
  const base: Schedule.Schedule<unknown> =
    settings.backoff === "exponential"
      ? Schedule.min([Schedule.exponential(Duration.millis(200)), Schedule.spaced(Duration.seconds(5))])
      : Schedule.spaced(Duration.millis(500));
  return base.pipe(
    Schedule.jittered,
    Schedule.upTo({ times: Math.max(0, settings.maxAttempts - 1) }),
    Schedule.setInputType<ExternalError>(),
    Schedule.while(({ input }) => isRetryable(input)),
  );
};
