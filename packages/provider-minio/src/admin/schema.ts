import { Schema } from "effect";

/**
 * The JSON bodies MinIO's admin API answers with (madmin-go v3.0.109 types), reduced to the
 * fields this provider reads. Unknown fields are ignored; a missing required one makes the
 * answer unreadable rather than silently wrong.
 */

const optionalString = Schema.optionalKey(Schema.String);
/** Go encodes a nil slice as `null`. */
const stringList = Schema.optionalKey(Schema.NullOr(Schema.Array(Schema.String)));

export const AccountStatusJson = Schema.Literals(["enabled", "disabled"]);

/** madmin InfoMessage (GET /info). */
export const InfoMessageJson = Schema.Struct({
  mode: optionalString,
  deploymentID: optionalString,
  region: optionalString,
  servers: Schema.optionalKey(
    Schema.NullOr(Schema.Array(Schema.Struct({ state: optionalString, endpoint: optionalString, version: optionalString }))),
  ),
});

/** madmin UserInfo (GET /user-info, plain JSON). Its `secretKey` field is deliberately not read. */
export const UserInfoJson = Schema.Struct({
  status: AccountStatusJson,
  policyName: optionalString,
  memberOf: stringList,
  updatedAt: optionalString,
});

/** madmin PolicyInfo (GET /info-canned-policy?v=2). */
export const PolicyInfoJson = Schema.Struct({
  PolicyName: Schema.String,
  Policy: Schema.Unknown,
  CreateDate: optionalString,
  UpdateDate: optionalString,
});

/** madmin PolicyAssociationResp (encrypted). */
export const PolicyAssociationJson = Schema.Struct({
  policiesAttached: stringList,
  policiesDetached: stringList,
  updatedAt: optionalString,
});

/** madmin AddServiceAccountResp (encrypted). */
export const AddServiceAccountJson = Schema.Struct({
  credentials: Schema.Struct({ accessKey: Schema.String, secretKey: Schema.String, expiration: optionalString }),
});

/** madmin ServiceAccountInfo, one entry of ListServiceAccountsResp (encrypted). */
export const ServiceAccountEntryJson = Schema.Struct({
  accessKey: Schema.String,
  parentUser: Schema.String,
  accountStatus: Schema.String,
  impliedPolicy: Schema.optionalKey(Schema.Boolean),
  name: optionalString,
  description: optionalString,
  expiration: Schema.optionalKey(Schema.NullOr(Schema.String)),
});

export const ListServiceAccountsJson = Schema.Struct({
  accounts: Schema.optionalKey(Schema.NullOr(Schema.Array(ServiceAccountEntryJson))),
});

/** madmin InfoServiceAccountResp (encrypted). */
export const InfoServiceAccountJson = Schema.Struct({
  parentUser: Schema.String,
  accountStatus: Schema.String,
  impliedPolicy: Schema.optionalKey(Schema.Boolean),
  policy: optionalString,
  name: optionalString,
  description: optionalString,
  expiration: Schema.optionalKey(Schema.NullOr(Schema.String)),
});
