import { Effect } from "effect";
import { decodeJson, operation, send, type AdminContext } from "./request.ts";
import { PolicyInfoJson } from "./schema.ts";
import type { MinioAdmin } from "./types.ts";

/** Canned (named) policies: plain JSON both ways, since a policy document is not secret. */
export const policyOperations = (context: AdminContext): Pick<MinioAdmin, "addCannedPolicy" | "removeCannedPolicy" | "infoCannedPolicy"> => ({
  // PUT /add-canned-policy?name=: the policy document as the body.
  addCannedPolicy: (name, document) =>
    operation(
      context,
      "AddCannedPolicy",
      Effect.asVoid(
        send(context, { method: "PUT", path: "/add-canned-policy", query: { name }, body: Buffer.from(JSON.stringify(document), "utf8") }),
      ),
    ),
  // DELETE /remove-canned-policy?name=
  removeCannedPolicy: (name) =>
    operation(context, "RemoveCannedPolicy", Effect.asVoid(send(context, { method: "DELETE", path: "/remove-canned-policy", query: { name } }))),
  // GET /info-canned-policy?name=&v=2: madmin PolicyInfo (v1 answers the bare document).
  infoCannedPolicy: (name) =>
    operation(
      context,
      "InfoCannedPolicy",
      Effect.gen(function* () {
        const response = yield* send(context, { method: "GET", path: "/info-canned-policy", query: { name, v: "2" } });
        const info = yield* decodeJson(PolicyInfoJson, response.body);
        return { name: info.PolicyName, document: info.Policy, createDate: info.CreateDate, updateDate: info.UpdateDate };
      }),
    ),
});
