import { Schema } from "effect";
import { ObjectName, cel, doc } from "./fields.ts";
import { managedSpec, managedStatus } from "./managed.ts";

/** `spec.forProvider` of a BucketPolicy. */
export const BucketPolicyParameters = Schema.Struct({
  bucketRef: Schema.optionalKey(
    Schema.Struct({ name: ObjectName }).pipe(doc("A Bucket in this namespace; the policy waits until it is Ready.")),
  ),
  bucketName: Schema.optionalKey(
    Schema.String.check(Schema.isMinLength(3), Schema.isMaxLength(63)).pipe(doc("A bucket by its name at the provider, when it is not managed here.")),
  ),
  policy: Schema.Record(Schema.String, Schema.Unknown).pipe(
    doc("The policy document (IAM JSON: Version, Statement). Compared semantically: statement order and string-or-list forms do not matter."),
  ),
}).pipe(cel({ rule: "has(self.bucketRef) || has(self.bucketName)", message: "set bucketRef or bucketName" }));
export type BucketPolicyParameters = typeof BucketPolicyParameters.Type;

/** `status.atProvider` of a BucketPolicy. */
export const BucketPolicyObservation = Schema.Struct({
  bucketName: Schema.optionalKey(Schema.String),
});
export type BucketPolicyObservation = typeof BucketPolicyObservation.Type;

/** A BucketPolicy's `spec`. */
export const BucketPolicySpec = managedSpec(BucketPolicyParameters);
export type BucketPolicySpec = typeof BucketPolicySpec.Type;

/** A BucketPolicy's `status`. */
export const BucketPolicyStatus = managedStatus(BucketPolicyObservation);
