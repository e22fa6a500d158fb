/**
 * Least-privilege identity policies from bucket grants: each access level allows only the
 * S3 actions it needs, on only the buckets granted. The result is an ordinary IAM document,
 * so AWS, Wasabi (IAM) and MinIO (canned policies) take it alike.
 */
import type { BucketAccess } from "../schema/accessKey.ts";

/** One bucket, by its name at the provider, and the access granted to it. */
export interface ResolvedGrant {
  readonly bucketName: string;
  readonly access: BucketAccess;
}

/** Actions on the bucket itself and on its objects, per access level. */
interface Actions {
  readonly bucket: ReadonlyArray<string>;
  readonly objects: ReadonlyArray<string>;
}

const readOnly: Actions = {
  bucket: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketVersions"],
  objects: ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging"],
};

// Multipart uploads need listing their parts and aborting them; nothing here reads data.
const writeOnly: Actions = {
  bucket: ["s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
  objects: ["s3:PutObject", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
};

const readWrite: Actions = {
  bucket: [...new Set([...readOnly.bucket, ...writeOnly.bucket])],
  objects: [...new Set([...readOnly.objects, ...writeOnly.objects, "s3:DeleteObject", "s3:DeleteObjectVersion"])],
};

const admin: Actions = { bucket: ["s3:*"], objects: ["s3:*"] };

/** The actions each access level allows. */
export const grantActions: Readonly<Record<BucketAccess, Actions>> = { ReadOnly: readOnly, WriteOnly: writeOnly, ReadWrite: readWrite, Admin: admin };

const accessOrder: ReadonlyArray<BucketAccess> = ["ReadOnly", "WriteOnly", "ReadWrite", "Admin"];

/**
 * The identity policy of a set of grants plus an optional extra document: two statements per
 * access level used (the buckets, and their objects), then the extra document's statements.
 * `bucketArn` gives a bucket's ARN (its partition follows the region).
 */
export const grantPolicy = (
  grants: ReadonlyArray<ResolvedGrant>,
  bucketArn: (bucketName: string) => string,
  extra?: Readonly<Record<string, unknown>>,
): { readonly Version: string; readonly Statement: ReadonlyArray<Readonly<Record<string, unknown>>> } => {
  const generated = accessOrder.flatMap((access) => {
    const buckets = [...new Set(grants.filter((grant) => grant.access === access).map((grant) => grant.bucketName))].sort();
    if (buckets.length === 0) return [];
    const { bucket, objects } = grantActions[access];
    return [
      { Sid: `${access}Buckets`, Effect: "Allow", Action: [...bucket], Resource: buckets.map(bucketArn) },
      { Sid: `${access}Objects`, Effect: "Allow", Action: [...objects], Resource: buckets.map((name) => `${bucketArn(name)}/*`) },
    ];
  });
  const extraStatements = extra?.["Statement"];
  const additional = extraStatements === undefined ? [] : Array.isArray(extraStatements) ? extraStatements : [extraStatements];
  return { Version: "2012-10-17", Statement: [...generated, ...(additional as ReadonlyArray<Readonly<Record<string, unknown>>>)] };
};
