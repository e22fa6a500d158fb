import { Duration, Schema } from "effect";
import { retryClassOf, type ConditionValue, type ExternalError } from "@cloud37/core";
import type { EventRecord, KubeError, KubeObject } from "../kube/types.ts";
import type { LifecycleMilestone } from "../observability/lifecycle.ts";
import type { ReconcileResult } from "../runtime/types.ts";

/** What one reconcile decided: the conditions to set, what was observed, an event, and when to look again. */
export interface Outcome<O = unknown> {
  readonly conditions: ReadonlyArray<ConditionValue>;
  readonly atProvider?: O;
  readonly events: ReadonlyArray<EventRecord>;
  readonly result: ReconcileResult;
  /** Set when the object is gone (finalizer removed): there is no status left to write. */
  readonly objectGone?: boolean;
  /** The newest version of the object this reconcile wrote (metadata, spec), to base the status on. */
  readonly latest?: KubeObject;
  /** Set when reconciling is paused: nothing was looked at, so a reconcile request stays pending. */
  readonly paused?: boolean;
  /** What this reconcile achieved, for the lifecycle metrics. */
  readonly milestone?: LifecycleMilestone;
  /** The `crossplane.io/reconcile-requested-at` token this reconcile handled, echoed into the status. */
  readonly handledReconcileRequest?: string;
}

/**
 * The event reason of a provider's note: a one-off fact (a leaked key deleted, a key replaced),
 * always sent, unlike the Warnings of lasting errors, which are sent when Synced changes.
 */
export const noteReason = "ExternalResourceNote";

/** Ends a reconcile early with an outcome: the one path every failure takes. */
export class Stop extends Schema.TaggedError<Stop>()("Stop", { outcome: Schema.Any }) {}

/** Look again after `after`, or only on change when undefined. */
export const done = (after?: Duration.Duration): ReconcileResult => (after === undefined ? { _tag: "done" } : { _tag: "done", requeueAfter: after });

/** Look again at once (e.g. to observe what was just created). */
export const immediately: ReconcileResult = { _tag: "done", requeueAfter: Duration.zero };

/**
 * The outcome of a failed external call: Synced=False with the error as the message and a
 * Warning event. A retryable reason backs off; any other waits for a change or the next poll,
 * so a spec or credentials problem never turns into a retry storm.
 */
export const externalFailure = (
  what: "observe" | "create" | "update" | "delete" | "connect to",
  eventReason: string,
  error: ExternalError,
  poll: Duration.Duration,
  extra: ReadonlyArray<ConditionValue> = [],
): Stop => {
  const message = `cannot ${what} external resource: ${error.message}`;
  return new Stop({
    outcome: {
      conditions: [...extra, { type: "Synced", status: "False", reason: "ReconcileError", message }],
      events: [{ type: "Warning", reason: eventReason, message }],
      result: retryClassOf(error.reason) === "backoff" ? { _tag: "retry", reason: error.reason._tag } : done(poll),
    } satisfies Outcome,
  });
};

/** A failure only the user can fix (bad spec, missing ProviderConfig): Synced=False, wait. */
export const userFailure = (eventReason: string, message: string, poll: Duration.Duration, extra: ReadonlyArray<ConditionValue> = []): Stop =>
  new Stop({
    outcome: {
      conditions: [...extra, { type: "Synced", status: "False", reason: "ReconcileError", message }],
      events: [{ type: "Warning", reason: eventReason, message }],
      result: done(poll),
    } satisfies Outcome,
  });

/**
 * A failed Kubernetes write. A Conflict means the object changed under us: the change
 * itself requeues it, so retry quietly. Anything else is reported and backed off.
 */
export const kubeFailure = (error: KubeError): Stop =>
  new Stop({
    outcome: {
      conditions:
        error.reason === "Conflict"
          ? []
          : [{ type: "Synced", status: "False", reason: "ReconcileError", message: `cannot ${error.operation}: ${error.reason}` }],
      events: [],
      result: { _tag: "retry", reason: `kube ${error.reason}` },
    } satisfies Outcome,
  });
