import type { CORSRule } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import type { CorsRule } from "@cloud37/core";
import { corsToInput, corsUpToDate } from "../../../src/bucket/subresources/cors.ts";

const app: CorsRule = { allowedOrigins: ["https://app.example", "https://b.example"], allowedMethods: ["GET", "PUT"], maxAgeSeconds: 600 };
const any: CorsRule = { allowedOrigins: ["*"], allowedMethods: ["HEAD"] };
const s3App: CORSRule = { AllowedOrigins: ["https://app.example", "https://b.example"], AllowedMethods: ["GET", "PUT"], MaxAgeSeconds: 600 };
const s3Any: CORSRule = { AllowedOrigins: ["*"], AllowedMethods: ["HEAD"] };

describe("corsUpToDate", () => {
  it.each([
    { desired: [app, any], observed: [s3App, s3Any], upToDate: true, why: "the same rules" },
    { desired: [app], observed: [{ ...s3App, AllowedMethods: ["PUT", "GET"] }], upToDate: true, why: "method order means nothing" },
    { desired: [app], observed: [{ ...s3App, AllowedOrigins: ["https://b.example", "https://app.example"] }], upToDate: true, why: "origin order means nothing" },
    { desired: [any], observed: [{ ...s3Any, AllowedHeaders: [] }], upToDate: true, why: "no headers and an empty list are the same" },
    { desired: [app, any], observed: [s3Any, s3App], upToDate: false, why: "rule order matters: the first match wins" },
    { desired: [app], observed: [{ ...s3App, MaxAgeSeconds: 60 }], upToDate: false, why: "a changed max age" },
    { desired: [app], observed: [{ ...s3App, AllowedMethods: ["GET"] }], upToDate: false, why: "a missing method" },
    { desired: [app], observed: [], upToDate: false, why: "no CORS at S3" },
  ])("$why", ({ desired, observed, upToDate }) => {
    expect(corsUpToDate(desired, observed)).toBe(upToDate);
  });

  it("writes rules that read back as up to date", () => {
    expect(corsUpToDate([app, any], corsToInput([app, any]))).toBe(true);
  });
});
