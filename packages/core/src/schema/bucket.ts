import { Schema } from "effect";
import { cel, doc, withDefault } from "./fields.ts";
import { managedSpec, managedStatus } from "./managed.ts";

const Days = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1));

/** Bucket versioning. */
export const Versioning = Schema.Struct({ status: Schema.Literals(["Enabled", "Suspended"]) });

/** Default server-side encryption. */
export const Encryption = Schema.Struct({
  algorithm: Schema.Literals(["AES256", "aws:kms"]),
  kmsKeyId: Schema.optionalKey(Schema.String.check(Schema.isMinLength(1))),
  bucketKeyEnabled: Schema.optionalKey(Schema.Boolean),
}).pipe(cel({ rule: "!has(self.kmsKeyId) || self.algorithm == 'aws:kms'", message: "kmsKeyId requires algorithm aws:kms" }));

/** The bucket's public access block; an unset flag means false. */
export const PublicAccessBlock = Schema.Struct({
  blockPublicAcls: Schema.optionalKey(Schema.Boolean),
  blockPublicPolicy: Schema.optionalKey(Schema.Boolean),
  ignorePublicAcls: Schema.optionalKey(Schema.Boolean),
  restrictPublicBuckets: Schema.optionalKey(Schema.Boolean),
});

/** One lifecycle rule, applied to the objects under `prefix`. */
export const LifecycleRule = Schema.Struct({
  id: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(255)),
  status: withDefault(Schema.Literals(["Enabled", "Disabled"]), "Enabled"),
  prefix: Schema.optionalKey(Schema.String),
  expiration: Schema.optionalKey(Schema.Struct({ days: Days })),
  noncurrentVersionExpiration: Schema.optionalKey(Schema.Struct({ noncurrentDays: Days })),
  abortIncompleteMultipartUpload: Schema.optionalKey(Schema.Struct({ daysAfterInitiation: Days })),
}).pipe(
  cel({
    rule: "has(self.expiration) || has(self.noncurrentVersionExpiration) || has(self.abortIncompleteMultipartUpload)",
    message: "a lifecycle rule needs at least one action: expiration, noncurrentVersionExpiration or abortIncompleteMultipartUpload",
  }),
);
export type LifecycleRule = typeof LifecycleRule.Type;

/** One CORS rule. */
export const CorsRule = Schema.Struct({
  allowedOrigins: Schema.Array(Schema.String).check(Schema.isMinLength(1)),
  allowedMethods: Schema.Array(Schema.Literals(["GET", "PUT", "POST", "DELETE", "HEAD"])).check(Schema.isMinLength(1)),
  allowedHeaders: Schema.optionalKey(Schema.Array(Schema.String)),
  exposeHeaders: Schema.optionalKey(Schema.Array(Schema.String)),
  maxAgeSeconds: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))),
});
export type CorsRule = typeof CorsRule.Type;

/**
 * The tag that marks a bucket as a Bucket's: `<uid>` when it created the bucket,
 * `adopted:<uid>` when it adopted one. Users cannot set tags under `s3.cloud37.dev/`.
 */
export const bucketOwnerTag = "s3.cloud37.dev/owner";

/**
 * Whether a Bucket may take over an existing bucket this controller did not create (one
 * without an ownership tag). A bucket another resource owns is never taken over.
 */
export const BucketAdoption = Schema.Literals(["Never", "Adopt", "AdoptWithForceDestroy"]);
export type BucketAdoption = typeof BucketAdoption.Type;

/** `spec.forProvider` of a Bucket: its desired configuration. */
export const BucketParameters = Schema.Struct({
  region: Schema.optionalKey(Schema.String.check(Schema.isMinLength(1)).pipe(doc("Region; defaults to the ProviderConfig's."))),
  objectLockEnabled: Schema.optionalKey(
    Schema.Boolean.pipe(
      doc("Object lock; can only be chosen when the bucket is created."),
      cel({ rule: "self == oldSelf", message: "objectLockEnabled can only be set when the bucket is created" }),
    ),
  ),
  versioning: Schema.optionalKey(Versioning),
  encryption: Schema.optionalKey(Encryption),
  publicAccessBlock: Schema.optionalKey(PublicAccessBlock),
  lifecycle: Schema.optionalKey(
    Schema.Struct({
      rules: Schema.Array(LifecycleRule).check(Schema.isMaxLength(1000)),
    }),
  ),
  cors: Schema.optionalKey(Schema.Struct({ rules: Schema.Array(CorsRule).check(Schema.isMaxLength(100)) })),
  tags: Schema.optionalKey(
    Schema.Record(Schema.String, Schema.String).pipe(doc("Bucket tags (at most 49: the 50th is the ownership tag s3.cloud37.dev/owner).")),
  ),
  forceDestroy: withDefault(
    Schema.Boolean.pipe(
      doc("On delete, remove every object, version and delete marker first. Without it a non-empty bucket is never deleted; an adopted bucket only with adoption AdoptWithForceDestroy."),
    ),
    false,
  ),
  adoption: Schema.optionalKey(
    BucketAdoption.pipe(
      doc(
        "Taking over an existing bucket this controller did not create. Never (the default): such a bucket is refused and left alone. Adopt: it becomes this Bucket's (tagged), and forceDestroy never empties it. AdoptWithForceDestroy: the same, and forceDestroy may empty it. A bucket another resource owns is never taken over.",
      ),
    ),
  ),
}).pipe(
  cel(
    { rule: "!has(self.tags) || size(self.tags) <= 49", message: "a bucket has at most 49 tags of yours: the 50th is the ownership tag" },
    { rule: "!has(self.tags) || self.tags.all(key, !key.startsWith('s3.cloud37.dev/'))", message: "tag keys under s3.cloud37.dev/ are reserved for the controller's ownership mark" },
  ),
);
export type BucketParameters = typeof BucketParameters.Type;

/** `status.atProvider` of a Bucket. */
export const BucketObservation = Schema.Struct({
  arn: Schema.optionalKey(Schema.String),
  region: Schema.optionalKey(Schema.String),
  endpoint: Schema.optionalKey(Schema.String),
  bucketDomainName: Schema.optionalKey(Schema.String),
});
export type BucketObservation = typeof BucketObservation.Type;

/** A Bucket's `spec`. */
export const BucketSpec = managedSpec(BucketParameters);
export type BucketSpec = typeof BucketSpec.Type;

/** A Bucket's `status`. */
export const BucketStatus = managedStatus(BucketObservation);
