import { Effect } from "effect";
import { Unsupported, externalError, type BucketParameters, type ExternalError } from "@cloud37/core";
import type { S3Api } from "../../s3Api.ts";

/** What observing one configured sub-resource found. */
export interface SubResourceState {
  readonly name: string;
  readonly upToDate: boolean;
  /** Unset fields of the spec the bucket has values for. */
  readonly lateInitialized: Partial<BucketParameters> | undefined;
  /** Makes the bucket match the spec. */
  readonly apply: Effect.Effect<void, ExternalError, S3Api>;
}

/**
 * One bucket setting managed on its own (versioning, tags, ...): how it is read, compared
 * and applied. `D` is the desired state from the spec, `O` the observed state, both in the
 * spec's terms so that comparisons are pure.
 */
export interface SubResourceDefinition<D, O> {
  readonly name: string;
  /** The desired state, or undefined when the spec leaves the setting unmanaged. */
  readonly desired: (parameters: BucketParameters) => D | undefined;
  readonly read: (bucket: string) => Effect.Effect<O, ExternalError, S3Api>;
  readonly isUpToDate: (desired: D, observed: O) => boolean;
  readonly lateInit?: (desired: D, observed: O) => Partial<BucketParameters> | undefined;
  readonly apply: (bucket: string, desired: D) => Effect.Effect<void, ExternalError, S3Api>;
}

/** A sub-resource with its types hidden, so different ones fit in one ordered list. */
export interface SubResource {
  readonly name: string;
  /** Observes it, or undefined when the spec does not manage it (then nothing is read). */
  readonly observe: (bucket: string, parameters: BucketParameters) => Effect.Effect<SubResourceState, ExternalError, S3Api> | undefined;
  /** Applies it, or undefined when the spec does not manage it. */
  readonly apply: (bucket: string, parameters: BucketParameters) => Effect.Effect<void, ExternalError, S3Api> | undefined;
}

/**
 * A server that does not implement a sub-resource's API (NotImplemented) is reported as the
 * spec field that needs it, so the message tells the user what to remove.
 */
const namingTheField =
  (name: string) =>
  (error: ExternalError): ExternalError => {
    if (error.reason._tag !== "Unsupported") return error;
    const field = `spec.forProvider.${name}`;
    const { provider } = error.reason;
    return externalError(error.operation, new Unsupported({ field, provider, message: `${field} is not supported by ${provider}` }));
  };

/** Builds a sub-resource from its definition. */
export const subResource = <D, O>(definition: SubResourceDefinition<D, O>): SubResource => {
  const unsupported = namingTheField(definition.name);
  const apply = (bucket: string, desired: D) => Effect.mapError(definition.apply(bucket, desired), unsupported);
  return {
    name: definition.name,
    observe: (bucket, parameters) => {
      const desired = definition.desired(parameters);
      if (desired === undefined) return undefined;
      return definition.read(bucket).pipe(
        Effect.mapError(unsupported),
        Effect.map((observed) => ({
          name: definition.name,
          upToDate: definition.isUpToDate(desired, observed),
          lateInitialized: definition.lateInit?.(desired, observed),
          apply: apply(bucket, desired),
        })),
      );
    },
    apply: (bucket, parameters) => {
      const desired = definition.desired(parameters);
      return desired === undefined ? undefined : apply(bucket, desired);
    },
  };
};
