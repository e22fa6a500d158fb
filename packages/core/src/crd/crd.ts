import { Schema } from "effect";
import { group, version, type KindDefinition } from "../kinds.ts";
import { toStructural, type JsonSchema } from "./structural.ts";

const jsonSchemaOf = (schema: Schema.Top): JsonSchema =>
  toStructural(
    Schema.toJsonSchemaDocument(schema, { includeAnnotationKey: (key) => key.startsWith("x-kubernetes-") }).schema as JsonSchema,
  );

/** The CustomResourceDefinition object of a kind. */
export const customResourceDefinition = (kind: KindDefinition) => ({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: `${kind.plural}.${group}` },
  spec: {
    group,
    names: {
      kind: kind.kind,
      listKind: `${kind.kind}List`,
      plural: kind.plural,
      singular: kind.kind.toLowerCase(),
      categories: [...kind.categories],
      ...(kind.shortNames.length > 0 ? { shortNames: [...kind.shortNames] } : {}),
    },
    scope: kind.scope,
    versions: [
      {
        name: version,
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: kind.columns.map((column) => ({ ...column })),
        schema: {
          openAPIV3Schema: {
            description: kind.description,
            type: "object",
            required: ["spec"],
            properties: {
              apiVersion: { type: "string" },
              kind: { type: "string" },
              metadata: { type: "object" },
              spec: jsonSchemaOf(kind.spec),
              status: jsonSchemaOf(kind.status),
            },
          },
        },
      },
    ],
  },
});
