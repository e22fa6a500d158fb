import { cors } from "./cors.ts";
import { encryption } from "./encryption.ts";
import { lifecycle } from "./lifecycle.ts";
import { publicAccessBlock } from "./publicAccessBlock.ts";
import type { SubResource } from "./subresource.ts";
import { tags } from "./tags.ts";
import { versioning } from "./versioning.ts";

/**
 * The bucket's sub-resources in the order they are applied: versioning first (lifecycle rules
 * on noncurrent versions assume it), then encryption and the public access block (protection
 * before anything else is opened up), lifecycle, CORS, and tags last (they change nothing
 * about how data is stored).
 */
export const subResources: ReadonlyArray<SubResource> = [versioning, encryption, publicAccessBlock, lifecycle, cors, tags];


