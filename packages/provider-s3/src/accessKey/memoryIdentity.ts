import { Effect, Redacted } from "effect";
import { NotFound, externalError } from "@cloud37/core";
import type { IdentityPort, KeyInfo } from "./identityApi.ts";

/** A user of the in-memory identity service. */
export interface MemoryUser {
  /** The ownership mark (an AccessKey's uid), or undefined for a user made outside the controller. */
  owner: string | undefined;
  policy: unknown;
  keys: Array<KeyInfo & { readonly secret: string }>;
}

/** An in-memory identity service for unit tests: its users, and the port over them. */
export interface MemoryIdentity {
  readonly users: Map<string, MemoryUser>;
  readonly port: IdentityPort;
}

/** An in-memory identity service that allows `maxKeysPerUser` keys per user (IAM's 2 by default). */
export const makeMemoryIdentity = (maxKeysPerUser = 2): MemoryIdentity => {
  const users = new Map<string, MemoryUser>();
  let counter = 0;
  const userOf = (name: string) => {
    const user = users.get(name);
    return user === undefined ? Effect.fail(externalError("GetUser", new NotFound({ message: `user ${name} does not exist` }))) : Effect.succeed(user);
  };
  return {
    users,
    port: {
      maxKeysPerUser,
      readUser: (name) => Effect.sync(() => {
        const user = users.get(name);
        return user === undefined ? undefined : { owner: user.owner, policy: user.policy };
      }),
      createUser: (name, owner, document) => Effect.sync(() => void (users.has(name) || users.set(name, { owner, policy: document, keys: [] }))),
      deleteUser: (name) => Effect.sync(() => void users.delete(name)),
      putPolicy: (name, _owner, document) => Effect.map(userOf(name), (user) => void (user.policy = document)),
      listKeys: (name) => Effect.map(userOf(name), (user) => user.keys.map(({ id, created }) => ({ id, created }))),
      createKey: (name, _owner, now) =>
        Effect.flatMap(userOf(name), (user) => {
          if (user.keys.length >= maxKeysPerUser) return Effect.die(new Error(`LimitExceeded: user ${name} holds ${maxKeysPerUser} keys`));
          counter += 1;
          const key = { id: `AKIAMEMORY${String(counter).padStart(6, "0")}`, created: now, secret: `memory-secret-${counter}` };
          user.keys.push(key);
          return Effect.succeed({ id: key.id, created: key.created, secret: Redacted.make(key.secret) });
        }),
      deleteKey: (name, keyId) => Effect.map(userOf(name), (user) => void (user.keys = user.keys.filter((key) => key.id !== keyId))),
    },
  };
};
