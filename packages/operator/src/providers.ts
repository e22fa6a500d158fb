import type { Provider, ProviderName } from "@cloud37/core";
import { awsProvider } from "@cloud37/provider-aws";
import { minioProvider } from "@cloud37/provider-minio";
import { genericProvider } from "@cloud37/provider-s3";
import { wasabiProvider } from "@cloud37/provider-wasabi";

/** Every provider this build contains. */
export const allProviders: ReadonlyMap<ProviderName, Provider> = new Map<ProviderName, Provider>([
  ["aws", awsProvider],
  ["wasabi", wasabiProvider],
  ["minio", minioProvider],
  ["generic", genericProvider],
]);

/** The providers `--providers` enables. */
export const enabledProviders = (names: ReadonlyArray<ProviderName>): ReadonlyMap<ProviderName, Provider> =>
  new Map([...allProviders].filter(([name]) => names.includes(name)));
