import { Schema } from "effect";
import { Conditions, ObjectName, cel, doc, withDefault } from "./fields.ts";

/** Which ProviderConfig a managed resource uses. */
export const ProviderConfigReference = Schema.Struct({
  kind: withDefault(Schema.Literals(["ClusterProviderConfig", "ProviderConfig"]), "ClusterProviderConfig"),
  name: ObjectName,
});
export type ProviderConfigReference = typeof ProviderConfigReference.Type;

/** What happens to the external resource when the managed resource is deleted. */
export const DeletionPolicy = Schema.Literals(["Delete", "Orphan"]);
export type DeletionPolicy = typeof DeletionPolicy.Type;

/** The actions the controller may take on the external resource (Crossplane's management policies). */
export const ManagementAction = Schema.Literals(["Observe", "Create", "Update", "Delete", "LateInitialize", "*"]);
export type ManagementAction = typeof ManagementAction.Type;

/** Names the Secret the connection details are written to, in the resource's own namespace. */
export const ConnectionSecretReference = Schema.Struct({ name: ObjectName });

/** The spec fields every managed kind shares, around its own `forProvider`. */
export const managedSpec = <P extends Schema.Top>(forProvider: P) =>
  Schema.Struct({
    providerConfigRef: withDefault(ProviderConfigReference, { kind: "ClusterProviderConfig", name: "default" }),
    deletionPolicy: withDefault(DeletionPolicy.pipe(doc("Delete removes the external resource with this object; Orphan leaves it.")), "Delete"),
    managementPolicies: withDefault(
      Schema.Array(ManagementAction).check(Schema.isMaxLength(6)).pipe(
        doc("Actions the controller may take: Observe, Create, Update, Delete, LateInitialize, or * for all. An empty list pauses the resource."),
        cel(
          { rule: "!('*' in self) || size(self) == 1", message: "managementPolicies: '*' cannot be combined with other actions" },
          { rule: "size(self) == 0 || '*' in self || 'Observe' in self", message: "managementPolicies: every set of actions must include Observe" },
          {
            rule: "!('Delete' in self) || '*' in self || 'Create' in self || self.all(a, a == 'Observe' || a == 'Delete')",
            message: "managementPolicies: without Create, Delete goes only with Observe (a combination Crossplane does not support)",
          },
        ),
      ),
      ["*"],
    ),
    writeConnectionSecretToRef: Schema.optionalKey(ConnectionSecretReference),
    forProvider: forProvider.pipe(doc("The desired state at the provider.")),
  });

/** The status fields every managed kind shares, around its own `atProvider`. */
export const managedStatus = <O extends Schema.Top>(atProvider: O) =>
  Schema.Struct({
    atProvider: Schema.optionalKey(atProvider.pipe(doc("The state observed at the provider."))),
    conditions: Schema.optionalKey(Conditions),
    observedGeneration: Schema.optionalKey(Schema.Int),
    lastHandledReconcileAt: Schema.optionalKey(
      Schema.String.pipe(doc("The last crossplane.io/reconcile-requested-at value the controller handled.")),
    ),
  });
