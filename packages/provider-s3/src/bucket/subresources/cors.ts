import type { CORSRule } from "@aws-sdk/client-s3";
import { Effect } from "effect";
import type { CorsRule } from "@cloud37/core";
import { S3Api } from "../../s3Api.ts";
import { asSet, canonical } from "../convert.ts";
import { subResource } from "./subresource.ts";

/**
 * A rule in comparable form. Rule order matters (S3 applies the first rule that matches);
 * inside a rule, origins, methods and headers are sets.
 */
const comparable = (rule: {
  readonly origins: ReadonlyArray<string> | undefined;
  readonly methods: ReadonlyArray<string> | undefined;
  readonly headers: ReadonlyArray<string> | undefined;
  readonly expose: ReadonlyArray<string> | undefined;
  readonly maxAge: number | undefined;
}): string =>
  canonical({
    origins: asSet(rule.origins),
    methods: asSet(rule.methods?.map((method) => method.toUpperCase())),
    headers: asSet(rule.headers),
    expose: asSet(rule.expose),
    maxAge: rule.maxAge,
  });

const fromSpec = (rule: CorsRule): string =>
  comparable({ origins: rule.allowedOrigins, methods: rule.allowedMethods, headers: rule.allowedHeaders, expose: rule.exposeHeaders, maxAge: rule.maxAgeSeconds });

const fromS3 = (rule: CORSRule): string =>
  comparable({ origins: rule.AllowedOrigins, methods: rule.AllowedMethods, headers: rule.AllowedHeaders, expose: rule.ExposeHeaders, maxAge: rule.MaxAgeSeconds });

/** Same rules in the same order, each compared as sets. */
export const corsUpToDate = (desired: ReadonlyArray<CorsRule>, observed: ReadonlyArray<CORSRule>): boolean =>
  desired.length === observed.length && desired.every((rule, index) => fromSpec(rule) === fromS3(observed[index] ?? { AllowedMethods: [], AllowedOrigins: [] }));

/** PutBucketCors's rules. */
export const corsToInput = (rules: ReadonlyArray<CorsRule>): Array<CORSRule> =>
  rules.map((rule) => ({
    AllowedOrigins: [...rule.allowedOrigins],
    AllowedMethods: [...rule.allowedMethods],
    ...(rule.allowedHeaders === undefined ? {} : { AllowedHeaders: [...rule.allowedHeaders] }),
    ...(rule.exposeHeaders === undefined ? {} : { ExposeHeaders: [...rule.exposeHeaders] }),
    ...(rule.maxAgeSeconds === undefined ? {} : { MaxAgeSeconds: rule.maxAgeSeconds }),
  }));

/** CORS rules; an empty list removes the configuration. */
export const cors = subResource<ReadonlyArray<CorsRule>, ReadonlyArray<CORSRule>>({
  name: "cors",
  desired: (parameters) => parameters.cors?.rules,
  read: (bucket) => S3Api.use((s3) => s3.getBucketCors({ Bucket: bucket })).pipe(Effect.map((output) => output?.CORSRules ?? [])),
  isUpToDate: corsUpToDate,
  apply: (bucket, rules) =>
    Effect.asVoid(
      S3Api.use((s3) =>
        rules.length === 0 ? s3.deleteBucketCors({ Bucket: bucket }) : s3.putBucketCors({ Bucket: bucket, CORSConfiguration: { CORSRules: corsToInput(rules) } }),
      ),
    ),
});
