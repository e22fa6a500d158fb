import { Schema } from "effect";
import { ObjectName, cel, doc, withDefault } from "./fields.ts";
import { managedSpec, managedStatus } from "./managed.ts";

/** What a grant lets the key do in one bucket. */
export const BucketAccess = Schema.Literals(["ReadOnly", "ReadWrite", "WriteOnly", "Admin"]);
export type BucketAccess = typeof BucketAccess.Type;

/** One bucket the key may use, and how. */
export const BucketGrant = Schema.Struct({
  bucketRef: Schema.optionalKey(Schema.Struct({ name: ObjectName }).pipe(doc("A Bucket in this namespace; the key waits until it is Ready."))),
  bucketName: Schema.optionalKey(
    Schema.String.check(Schema.isMinLength(3), Schema.isMaxLength(63)).pipe(doc("A bucket by its name at the provider, when it is not managed here.")),
  ),
  access: BucketAccess.pipe(
    doc(
      "ReadOnly: list and read objects. WriteOnly: write objects (and multipart uploads), no reading. ReadWrite: both, plus deleting objects. Admin: every S3 action on the bucket and its objects.",
    ),
  ),
}).pipe(cel({ rule: "has(self.bucketRef) != has(self.bucketName)", message: "a grant names exactly one of bucketRef or bucketName" }));
export type BucketGrant = typeof BucketGrant.Type;

/** Key rotation. Days may be fractional (0.5 is twelve hours). */
export const Rotation = Schema.Struct({
  enabled: withDefault(Schema.Boolean.pipe(doc("Create a new key every intervalDays.")), false),
  intervalDays: withDefault(
    Schema.Finite.check(Schema.isGreaterThan(0)).pipe(doc("Age at which the key is replaced by a new one.")),
    90,
  ),
  retainPreviousDays: withDefault(
    Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0)).pipe(doc("How long the previous key keeps working after a rotation; then it is deleted.")),
    7,
  ),
}).pipe(
  cel({
    rule: "self.retainPreviousDays < self.intervalDays",
    message: "rotation.retainPreviousDays must be shorter than intervalDays: a user holds at most two keys",
  }),
);
export type Rotation = typeof Rotation.Type;

/** `spec.forProvider` of an AccessKey. */
export const AccessKeyParameters = Schema.Struct({
  userName: Schema.optionalKey(
    Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(64), Schema.isPattern(/^[\w+=,.@-]+$/)).pipe(
      doc("The user (identity) at the provider; defaults to <namespace>-<name>. Cannot be changed once set."),
      cel(
        { rule: "self.matches('^[A-Za-z0-9_+=,.@-]+$')", message: "userName may hold only letters, digits and +=,.@_-" },
        { rule: "self == oldSelf", message: "userName cannot be changed: create a new AccessKey instead" },
      ),
    ),
  ),
  buckets: Schema.optionalKey(
    Schema.Array(BucketGrant)
      .check(Schema.isMaxLength(100))
      .pipe(doc("The buckets the key may use; a least-privilege policy is generated from these grants.")),
  ),
  policy: Schema.optionalKey(
    Schema.Record(Schema.String, Schema.Unknown).pipe(
      doc("An extra identity policy document (IAM JSON: Version, Statement, no Principal), added to the generated one."),
    ),
  ),
  rotation: Schema.optionalKey(Rotation),
}).pipe(
  cel({
    rule: "(has(self.buckets) && size(self.buckets) > 0) || has(self.policy)",
    message: "an AccessKey needs at least one bucket grant or a policy: a key without either can do nothing",
  }),
);
export type AccessKeyParameters = typeof AccessKeyParameters.Type;

/** `status.atProvider` of an AccessKey. Key ids are not secret; secret keys never appear here. */
export const AccessKeyObservation = Schema.Struct({
  userName: Schema.optionalKey(Schema.String),
  accessKeyId: Schema.optionalKey(Schema.String.pipe(doc("The key in the connection Secret."))),
  previousAccessKeyIds: Schema.optionalKey(Schema.Array(Schema.String).pipe(doc("Keys replaced by a rotation that still work until their retention ends."))),
  lastRotateTime: Schema.optionalKey(Schema.String.pipe(doc("When the current key was created."))),
  nextRotateTime: Schema.optionalKey(Schema.String.pipe(doc("When the current key will be replaced (rotation enabled)."))),
});
export type AccessKeyObservation = typeof AccessKeyObservation.Type;

/** An AccessKey's `spec`. */
export const AccessKeySpec = managedSpec(AccessKeyParameters);
export type AccessKeySpec = typeof AccessKeySpec.Type;

/** An AccessKey's `status`. */
export const AccessKeyStatus = managedStatus(AccessKeyObservation);

/**
 * Asks for a rotation now: an RFC 3339 time, e.g. `kubectl annotate --overwrite accesskey/x
 * s3.cloud37.dev/rotate-requested-at=$(date -u +%FT%TZ)`. The key is replaced once if it is
 * older than that time; a time in the future schedules the rotation.
 */
export const rotationRequestAnnotation = "s3.cloud37.dev/rotate-requested-at";

/** The user an AccessKey owns when `forProvider.userName` is unset: `<namespace>-<name>`. */
export const defaultUserName = (namespace: string, name: string): string => `${namespace}-${name}`;

/**
 * What the provider is asked for: the parameters with every `bucketRef` resolved to its
 * `bucketName`, and the rotation request of the annotation.
 */
export type AccessKeyRequest = AccessKeyParameters & { readonly rotationRequestedAt?: string };
