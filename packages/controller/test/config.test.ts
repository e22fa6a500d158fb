import { assert, describe, it } from "@effect/vitest";
import { Duration, Effect } from "effect";
import { loadConfig } from "../src/config.ts";

describe("config", () => {
  it.effect("defaults every setting", () =>
    Effect.gen(function* () {
      const config = yield* loadConfig([], {});
      assert.deepStrictEqual(config.providers, ["aws", "wasabi", "minio", "generic"]);
      assert.strictEqual(Duration.toMillis(config.pollInterval), 60_000);
      assert.strictEqual(Duration.toMillis(config.minPollInterval), 10_000);
      assert.strictEqual(config.maxConcurrentReconciles, 10);
      assert.isTrue(config.leaderElection);
      assert.strictEqual(config.leaderElectionNamespace, "default");
      assert.strictEqual(config.healthPort, 8080);
      assert.strictEqual(config.healthBindAddress, "", "every address");
      assert.deepStrictEqual(config.watchNamespaces, [], "every namespace");
      assert.strictEqual(config.logLevel, "info");
      assert.isUndefined(config.kubeconfig);
      assert.deepStrictEqual([config.leaseDuration, config.renewDeadline, config.retryPeriod].map(Duration.toMillis), [15_000, 10_000, 2_000]);
    }));

  it.effect.each([
    { why: "flags are read in both spellings", argv: ["--providers", "aws,minio", "--poll-interval=1m30s"], env: {}, field: "pollInterval", expected: 90_000 },
    { why: "the shortest poll an annotation may ask for is a flag", argv: ["--min-poll-interval", "30s"], env: {}, field: "minPollInterval", expected: 30_000 },
    { why: "environment is read", argv: [], env: { MAX_CONCURRENT_RECONCILES: "3" }, field: "maxConcurrentReconciles", expected: 3 },
    { why: "flags win over environment", argv: ["--max-concurrent-reconciles", "7"], env: { MAX_CONCURRENT_RECONCILES: "3" }, field: "maxConcurrentReconciles", expected: 7 },
    { why: "the pod's namespace is the lease namespace by default", argv: [], env: { POD_NAMESPACE: "crossplane-system" }, field: "leaderElectionNamespace", expected: "crossplane-system" },
    { why: "--no-leader-election disables it", argv: ["--no-leader-election"], env: {}, field: "leaderElection", expected: false },
    { why: "--leader-election=false disables it", argv: ["--leader-election=false"], env: {}, field: "leaderElection", expected: false },
    { why: "--metrics-port is the same server as --health-port", argv: ["--metrics-port", "0"], env: {}, field: "healthPort", expected: 0 },
    { why: "KUBECONFIG is honoured", argv: [], env: { KUBECONFIG: "/tmp/kc" }, field: "kubeconfig", expected: "/tmp/kc" },
    { why: "--watch-namespaces takes a comma-separated list", argv: ["--watch-namespaces=team-a,team-b"], env: {}, field: "watchNamespaces", expected: ["team-a", "team-b"] },
    { why: "WATCH_NAMESPACES is read, trimmed and deduplicated", argv: [], env: { WATCH_NAMESPACES: " team-a, team-b ,team-a," }, field: "watchNamespaces", expected: ["team-a", "team-b"] },
    { why: "an empty --watch-namespaces watches every namespace", argv: ["--watch-namespaces="], env: { WATCH_NAMESPACES: "team-a" }, field: "watchNamespaces", expected: [] },
    { why: "--health-bind-address takes an IPv4 address (the pod's IP)", argv: ["--health-bind-address", "10.244.0.7"], env: {}, field: "healthBindAddress", expected: "10.244.0.7" },
    { why: "HEALTH_BIND_ADDRESS takes an IPv6 address", argv: [], env: { HEALTH_BIND_ADDRESS: "fd00::7" }, field: "healthBindAddress", expected: "fd00::7" },
  ])("$why", ({ argv, env, field, expected }) =>
    Effect.gen(function* () {
      const config = yield* loadConfig(argv, env);
      const value = (config as unknown as Record<string, unknown>)[field];
      assert.deepStrictEqual(Duration.isDuration(value) ? Duration.toMillis(value) : value, expected);
    }));

  it.effect("reads the provider list", () =>
    Effect.gen(function* () {
      const config = yield* loadConfig([], { PROVIDERS: "minio, generic" });
      assert.deepStrictEqual(config.providers, ["minio", "generic"]);
    }));

  it.effect.each([
    { why: "an unknown provider", argv: ["--providers", "aws,gcs"], mentions: "--providers" },
    { why: "an empty provider list", argv: ["--providers", ","], mentions: "--providers" },
    { why: "a duration without unit", argv: ["--poll-interval", "60"], mentions: "--poll-interval" },
    { why: "zero workers", argv: ["--max-concurrent-reconciles", "0"], mentions: "--max-concurrent-reconciles" },
    { why: "a port out of range", argv: ["--health-port", "70000"], mentions: "--health-port" },
    { why: "a non-boolean", argv: ["--leader-election=maybe"], mentions: "--leader-election" },
    { why: "an unknown log level", argv: ["--log-level", "verbose"], mentions: "--log-level" },
    { why: "an unknown flag", argv: ["--pol-interval", "1s"], mentions: "--pol-interval" },
    { why: "a namespace name with capitals", argv: ["--watch-namespaces", "team-a,Team-B"], mentions: "--watch-namespaces" },
    { why: "a namespace name longer than 63 characters", argv: ["--watch-namespaces", "a".repeat(64)], mentions: "--watch-namespaces" },
    { why: "a host name as bind address", argv: ["--health-bind-address", "localhost"], mentions: "--health-bind-address" },
    { why: "inconsistent lease timing", argv: ["--leader-election-renew-deadline", "20s"], mentions: "renew-deadline" },
  ])("fails fast on $why, naming the flag", ({ argv, mentions }) =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(loadConfig(argv, {}));
      assert.strictEqual(error._tag, "ConfigError");
      assert.include(error.message, mentions);
    }));
});
