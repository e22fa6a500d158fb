import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { s3Outcome as outcome } from "./providers/stores.ts";

/** An S3 client signing with the keys of a connection Secret, as an application would build it. */
export const appClient = (secret: Record<string, string>): S3Client =>
  new S3Client({
    endpoint: secret["AWS_ENDPOINT_URL_S3"] ?? "",
    region: secret["AWS_REGION"] ?? "",
    forcePathStyle: secret["COSI_S3_ADDRESSING_STYLE"] === "path",
    credentials: { accessKeyId: secret["AWS_ACCESS_KEY_ID"] ?? "", secretAccessKey: secret["AWS_SECRET_ACCESS_KEY"] ?? "" },
  });

/** Reads an object with a key pair: "ok" or the error code. */
export const readWith = (secret: Record<string, string>, bucket: string, key: string) => outcome(appClient(secret).send(new GetObjectCommand({ Bucket: bucket, Key: key })));
