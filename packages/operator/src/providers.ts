import { Effect } from "effect";
import type { Provider, ProviderName } from "@cloud37/core";

/**
 * Every provider this build contains, each loaded only when `--providers` enables it: a
 * provider's code and the SDK clients only it uses (IAM and STS for AWS and Wasabi) stay out of
 * memory in a deployment that does not use it.
 */
const loaders: Readonly<Record<ProviderName, () => Promise<Provider>>> = {
  aws: async () => (await import("@cloud37/provider-aws")).awsProvider,
  wasabi: async () => (await import("@cloud37/provider-wasabi")).wasabiProvider,
  minio: async () => (await import("@cloud37/provider-minio")).minioProvider,
  generic: async () => (await import("@cloud37/provider-s3")).genericProvider,
};

/** The providers `--providers` enables, loaded. */
export const loadProviders = (names: ReadonlyArray<ProviderName>): Effect.Effect<ReadonlyMap<ProviderName, Provider>> =>
  Effect.promise(async () => new Map(await Promise.all(names.map(async (name) => [name, await loaders[name]()] as const))));
