import { isIP } from "node:net";
import { parseArgs } from "node:util";
import { parseGoDuration, ProviderName } from "@cloud37/core";
import { Duration, Effect, Schema, SchemaTransformation } from "effect";

/** Configuration was invalid; the message names the flag and what was expected. */
export class ConfigError extends Schema.TaggedError<ConfigError>()("ConfigError", {
  message: Schema.String,
}) {}

const GO_DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;

/** A duration written the Go way ("90s", "1m30s", "500ms"), as Kubernetes tools write them. */
export const GoDuration = Schema.String.check(
  Schema.isPattern(GO_DURATION, { expected: 'a duration such as "60s", "1m30s" or "500ms"' }),
).pipe(
  Schema.decodeTo(
    Schema.Duration,
    SchemaTransformation.transform({
      decode: (text: string) => Duration.millis(parseGoDuration(text) ?? 0),
      encode: (duration: Duration.Duration) => `${Duration.toMillis(duration)}ms`,
    }),
  ),
);

const withDefault = <S extends Schema.Top>(schema: S, value: S["Encoded"]) => Schema.withDecodingDefaultKey<S>(Effect.succeed(value))(schema);

const intBetween = (minimum: number, maximum: number) =>
  Schema.FiniteFromString.check(Schema.isInt(), Schema.isBetween({ minimum, maximum }));

const BooleanFromString = Schema.Literals(["true", "false"]).pipe(
  Schema.decodeTo(
    Schema.Boolean,
    SchemaTransformation.transform({ decode: (text) => text === "true", encode: (value) => (value ? "true" : "false") }),
  ),
);

const ProvidersFromString = Schema.String.pipe(
  Schema.decodeTo(
    Schema.Array(ProviderName).check(Schema.isMinLength(1)),
    SchemaTransformation.transform<ReadonlyArray<ProviderName>, string>({
      decode: (text) => text.split(",").map((name) => name.trim()).filter((name) => name !== "") as Array<ProviderName>,
      encode: (names) => names.join(","),
    }),
  ),
);

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Namespace names, comma-separated; the empty list means every namespace. Repeats are dropped. */
const NamespacesFromString = Schema.String.pipe(
  Schema.decodeTo(
    Schema.Array(
      Schema.String.check(
        Schema.isMaxLength(63),
        Schema.isPattern(NAMESPACE, { expected: "namespace names (lowercase letters, digits and '-'), comma-separated" }),
      ),
    ),
    SchemaTransformation.transform<ReadonlyArray<string>, string>({
      decode: (text) => [...new Set(text.split(",").map((name) => name.trim()).filter((name) => name !== ""))],
      encode: (names) => names.join(","),
    }),
  ),
);

/** An IPv4 or IPv6 address to listen on, or "" for every address. */
const BindAddress = Schema.String.check(
  Schema.makeFilter((text: string) => text === "" || isIP(text) !== 0, { expected: "an IP address such as 10.0.0.7 or ::1, or empty for every address" }),
);

/** The controller's configuration, decoded from strings (flags and environment) with defaults. */
export const ControllerConfig = Schema.Struct({
  providers: withDefault(ProvidersFromString, "aws,wasabi,minio,generic"),
  pollInterval: withDefault(GoDuration, "60s"),
  /** The shortest poll a resource's crossplane.io/poll-interval annotation may ask for. */
  minPollInterval: withDefault(GoDuration, "10s"),
  maxConcurrentReconciles: withDefault(intBetween(1, 1000), "10"),
  leaderElection: withDefault(BooleanFromString, "true"),
  leaderElectionNamespace: withDefault(Schema.String.check(Schema.isMinLength(1)), "default"),
  leaderElectionId: withDefault(Schema.String.check(Schema.isPattern(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/)), "cloud37-s3-provider"),
  leaseDuration: withDefault(GoDuration, "15s"),
  renewDeadline: withDefault(GoDuration, "10s"),
  retryPeriod: withDefault(GoDuration, "2s"),
  /** Namespaces whose namespaced resources are watched; empty watches every namespace. */
  watchNamespaces: withDefault(NamespacesFromString, ""),
  /** One server serves /healthz, /readyz and /metrics; 0 picks a free port. */
  healthPort: withDefault(intBetween(0, 65535), "8080"),
  /** The address that server listens on (e.g. the pod's IP); empty listens on every address. */
  healthBindAddress: withDefault(BindAddress, ""),
  logLevel: withDefault(Schema.Literals(["trace", "debug", "info", "warn", "error"]), "info"),
  kubeconfig: Schema.optionalKey(Schema.String.check(Schema.isMinLength(1))),
  /** How long shutdown waits for in-flight reconciles. */
  shutdownTimeout: withDefault(GoDuration, "20s"),
});

/** The decoded configuration. */
export type ControllerConfig = typeof ControllerConfig.Type;

type Field = keyof typeof ControllerConfig.Encoded;

/** Each field's flag and environment variable. */
const SOURCES: ReadonlyArray<readonly [Field, string, ReadonlyArray<string>]> = [
  ["providers", "providers", ["PROVIDERS"]],
  ["pollInterval", "poll-interval", ["POLL_INTERVAL"]],
  ["minPollInterval", "min-poll-interval", ["MIN_POLL_INTERVAL"]],
  ["maxConcurrentReconciles", "max-concurrent-reconciles", ["MAX_CONCURRENT_RECONCILES"]],
  ["leaderElection", "leader-election", ["LEADER_ELECTION"]],
  ["leaderElectionNamespace", "leader-election-namespace", ["LEADER_ELECTION_NAMESPACE", "POD_NAMESPACE"]],
  ["leaderElectionId", "leader-election-id", ["LEADER_ELECTION_ID"]],
  ["leaseDuration", "leader-election-lease-duration", ["LEADER_ELECTION_LEASE_DURATION"]],
  ["renewDeadline", "leader-election-renew-deadline", ["LEADER_ELECTION_RENEW_DEADLINE"]],
  ["retryPeriod", "leader-election-retry-period", ["LEADER_ELECTION_RETRY_PERIOD"]],
  ["watchNamespaces", "watch-namespaces", ["WATCH_NAMESPACES"]],
  ["healthPort", "health-port", ["HEALTH_PORT", "METRICS_PORT"]],
  ["healthBindAddress", "health-bind-address", ["HEALTH_BIND_ADDRESS"]],
  ["logLevel", "log-level", ["LOG_LEVEL"]],
  ["kubeconfig", "kubeconfig", ["KUBECONFIG"]],
  ["shutdownTimeout", "shutdown-timeout", ["SHUTDOWN_TIMEOUT"]],
];

const flagOf = (field: string) => SOURCES.find(([name]) => name === field)?.[1] ?? field;

/** Reads flags (`--name value`, `--name=value`, `--no-leader-election`) and environment into strings. */
const readRaw = (argv: ReadonlyArray<string>, env: Readonly<Record<string, string | undefined>>) => {
  const options: Record<string, { type: "string" }> = { "metrics-port": { type: "string" } };
  for (const [, flag] of SOURCES) options[flag] = { type: "string" };
  // A bare boolean flag means true; --no-<flag> means false.
  const args = argv.flatMap((arg) =>
    arg === "--leader-election" ? ["--leader-election=true"] : arg === "--no-leader-election" ? ["--leader-election=false"] : [arg],
  );
  const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
  const raw: Record<string, string> = {};
  for (const [field, flag, vars] of SOURCES) {
    const fromEnv = vars.map((name) => env[name]).find((value) => value !== undefined && value !== "");
    const value = (values[flag] as string | undefined) ?? (flag === "health-port" ? (values["metrics-port"] as string | undefined) : undefined) ?? fromEnv;
    if (value !== undefined) raw[field] = value;
  }
  return raw;
};

/** Parses and validates configuration from command-line arguments and the environment. */
export const loadConfig = (
  argv: ReadonlyArray<string> = process.argv.slice(2),
  env: Readonly<Record<string, string | undefined>> = process.env,
): Effect.Effect<ControllerConfig, ConfigError> =>
  Effect.try({ try: () => readRaw(argv, env), catch: (error) => new ConfigError({ message: `invalid arguments: ${(error as Error).message}` }) }).pipe(
    Effect.flatMap((raw) =>
      Schema.decodeUnknownEffect(ControllerConfig)(raw, { errors: "all" }).pipe(
        Effect.mapError((error) => new ConfigError({ message: describe(error.message) })),
      ),
    ),
    Effect.filterOrFail(
      (config) => Duration.isLessThan(config.renewDeadline, config.leaseDuration) && Duration.isLessThan(config.retryPeriod, config.renewDeadline),
      () => new ConfigError({ message: "invalid configuration: leader election needs retry-period < renew-deadline < lease-duration" }),
    ),
  );

/** Rewrites schema paths (["pollInterval"]) into flag names (--poll-interval). */
const describe = (message: string) =>
  "invalid configuration: " + message.replace(/\["([A-Za-z]+)"\]/g, (_, field: string) => `--${flagOf(field)}`);
