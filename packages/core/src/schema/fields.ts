import { Effect, Schema } from "effect";

/** A CEL rule the API server checks at admission (`x-kubernetes-validations`). */
export interface CelRule {
  readonly rule: string;
  readonly message: string;
  /** Set for transition rules that compare with the stored object (`oldSelf`). */
  readonly optionalOldSelf?: boolean;
}

const celKey = "x-kubernetes-validations";

/**
 * Annotates a schema with CEL rules; they become `x-kubernetes-validations` in the CRD. Rules
 * already on the schema are kept: a kind can add its own to a shared spec.
 */
export const cel =
  (...rules: ReadonlyArray<CelRule>) =>
  <S extends Schema.Top>(schema: S): S["Rebuild"] => {
    const existing = (schema.ast.annotations?.[celKey] ?? []) as ReadonlyArray<CelRule>;
    return schema.annotate({ [celKey]: [...existing, ...rules] } as Schema.Annotations.Annotations);
  };

/** Documents a field; the text becomes the CRD's description (`kubectl explain`). */
export const doc =
  (description: string) =>
  <S extends Schema.Top>(schema: S): S["Rebuild"] =>
    schema.annotate({ description } as Schema.Annotations.Annotations);

/**
 * An optional field with a default. The API server fills the default in at admission (it is
 * written to the CRD); decoding fills it in too, so code never repeats the default.
 */
export const withDefault = <S extends Schema.Top>(schema: S, value: S["Encoded"]) =>
  Schema.withDecodingDefaultKey<S>(Effect.succeed(value))(schema.annotate({ default: value } as Schema.Annotations.Annotations) as S);

/** A Kubernetes object name (RFC 1123 subdomain). */
export const ObjectName = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(253)).pipe(
  doc("Name of a Kubernetes object."),
);

/** A reference to a Secret's key. */
export const SecretKeySelector = Schema.Struct({
  name: ObjectName,
  namespace: Schema.optionalKey(ObjectName.pipe(doc("Namespace of the Secret; defaults to the referrer's namespace."))),
  key: Schema.String.check(Schema.isMinLength(1)),
});

/** Kubernetes condition status. */
export const ConditionStatus = Schema.Literals(["True", "False", "Unknown"]);

/** One entry of `status.conditions` (the Kubernetes metav1.Condition shape Crossplane uses). */
export const Condition = Schema.Struct({
  type: Schema.String,
  status: ConditionStatus,
  reason: Schema.String,
  message: Schema.optionalKey(Schema.String),
  lastTransitionTime: Schema.String,
  observedGeneration: Schema.optionalKey(Schema.Int),
});
export type Condition = typeof Condition.Type;

/** The `status.conditions` list. */
export const Conditions = Schema.Array(Condition).annotate({
  "x-kubernetes-list-type": "map",
  "x-kubernetes-list-map-keys": ["type"],
} as Schema.Annotations.Annotations);

/** One requirement of a label selector (metav1.LabelSelectorRequirement). */
export const LabelSelectorRequirement = Schema.Struct({
  key: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(317)),
  operator: Schema.Literals(["In", "NotIn", "Exists", "DoesNotExist"]),
  values: Schema.optionalKey(Schema.Array(Schema.String)),
}).pipe(
  cel({
    rule: "(self.operator == 'In' || self.operator == 'NotIn') == (has(self.values) && size(self.values) > 0)",
    message: "a selector requirement with operator In or NotIn needs values; Exists and DoesNotExist take none",
  }),
);
export type LabelSelectorRequirement = typeof LabelSelectorRequirement.Type;

/**
 * A standard Kubernetes label selector (metav1.LabelSelector): every matchLabels entry and
 * every requirement must hold. An empty selector matches everything.
 */
export const LabelSelector = Schema.Struct({
  matchLabels: Schema.optionalKey(Schema.Record(Schema.String, Schema.String)),
  matchExpressions: Schema.optionalKey(Schema.Array(LabelSelectorRequirement)),
});
export type LabelSelector = typeof LabelSelector.Type;
