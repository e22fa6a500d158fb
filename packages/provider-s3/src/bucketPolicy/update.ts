import { Effect } from "effect";
import type { BucketPolicyParameters, ManagedResource } from "@cloud37/core";
import type { Target } from "../target.ts";
import { putPolicy } from "./create.ts";

/** Repairs a drifted policy: puts the spec's document again (PutBucketPolicy replaces it whole). */
export const update = (resource: ManagedResource<BucketPolicyParameters>, target: Target) => Effect.as(putPolicy(resource, target), {});
