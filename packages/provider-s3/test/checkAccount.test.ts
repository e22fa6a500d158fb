import { describe, expect, it } from "vitest";
import { Redacted } from "effect";
import { ownerIdentity } from "../src/checkAccount.ts";
import { account } from "./fixtures.ts";

describe("ownerIdentity", () => {
  it.each([
    { owner: { id: "abc", displayName: "ops" }, account: account(), identity: "ops", why: "the owner's display name first" },
    { owner: { id: "abc", displayName: undefined }, account: account(), identity: "abc", why: "else the canonical id" },
    { owner: { id: undefined, displayName: undefined }, account: account(), identity: "AKIDTEST", why: "else the access key id (not secret)" },
    {
      owner: { id: undefined, displayName: undefined },
      account: account({ credentials: { source: "Environment" } }),
      identity: "Environment",
      why: "else where the credentials come from",
    },
  ])("$why", ({ owner, account: forAccount, identity }) => {
    expect(ownerIdentity(forAccount, owner)).toBe(identity);
  });

  it("never returns the secret", () => {
    const secret = account({ credentials: { source: "Secret", accessKeyId: "id", secretAccessKey: Redacted.make("s3cr3t") } });
    expect(ownerIdentity(secret, { id: undefined, displayName: undefined })).not.toContain("s3cr3t");
  });
});
