import { Cause, Duration, Effect, Exit, Logger, References } from "effect";
import type { LogLevel } from "effect/LogLevel";
import { loadConfig, type ControllerConfig } from "../config.ts";
import { loadKubeConfig, makeKubeApi } from "../kube/client.ts";
import { makeKubeHttp } from "../kube/http.ts";
import { listWatchFromHttp } from "../kube/informer.ts";
import type { KubeError } from "../kube/types.ts";
import { defaultIdentity, leaseStoreFromHttp } from "../leader/lease.ts";
import { jsonLogger } from "../observability/log.ts";
import { makeMetrics } from "../observability/metrics.ts";
import { makeManager, type Manager } from "./manager.ts";

const LEVELS: Record<ControllerConfig["logLevel"], LogLevel> = { trace: "Trace", debug: "Debug", info: "Info", warn: "Warn", error: "Error" };

/** A manager on the real API server (kubeconfig or in-cluster), configured from `config`. */
export const managerFromConfig = (config: ControllerConfig): Effect.Effect<Manager, KubeError> =>
  Effect.gen(function* () {
    const kubeConfig = yield* loadKubeConfig(config.kubeconfig);
    const metrics = makeMetrics();
    const http = makeKubeHttp(kubeConfig, metrics);
    const identity = defaultIdentity();
    return yield* makeManager(
      {
        kubeApi: makeKubeApi(http, { instance: process.env["POD_NAME"] ?? identity }),
        listWatch: listWatchFromHttp(http),
        leaseStore: leaseStoreFromHttp(http, config.leaderElectionNamespace, config.leaderElectionId),
        metrics,
      },
      {
        maxConcurrentReconciles: config.maxConcurrentReconciles,
        healthPort: config.healthPort,
        ...(config.healthBindAddress === "" ? {} : { healthHost: config.healthBindAddress }),
        watchNamespaces: config.watchNamespaces,
        shutdownTimeout: config.shutdownTimeout,
        ...(config.leaderElection
          ? { leaderElection: { identity, leaseDuration: config.leaseDuration, renewDeadline: config.renewDeadline, retryPeriod: config.retryPeriod } }
          : {}),
      },
    );
  });

/**
 * The process entry point: reads configuration (exit 2 when invalid), logs JSON at the
 * configured level, builds the manager, lets `setup` register controllers, runs until SIGTERM
 * (exit 0) or lost leadership or a startup failure (exit 1).
 */
export const runController = (
  setup: (manager: Manager, config: ControllerConfig) => Effect.Effect<void, unknown>,
  argv: ReadonlyArray<string> = process.argv.slice(2),
): void => {
  const program = Effect.gen(function* () {
    const config = yield* loadConfig(argv).pipe(
      Effect.tapError((error) => Effect.sync(() => process.stderr.write(`${error.message}\n`))),
      Effect.mapError((error) => ({ exitCode: 2, error })),
    );
    return yield* Effect.gen(function* () {
      yield* Effect.logInfo("starting", {
        providers: config.providers,
        watchNamespaces: config.watchNamespaces.length === 0 ? "all" : config.watchNamespaces,
        leaderElection: config.leaderElection,
        pollIntervalSeconds: Duration.toSeconds(config.pollInterval),
      });
      const manager = yield* managerFromConfig(config);
      yield* setup(manager, config);
      yield* manager.run;
    }).pipe(
      Effect.provideService(References.MinimumLogLevel, LEVELS[config.logLevel]),
      Effect.mapError((error) => ({ exitCode: 1, error })),
    );
  }).pipe(Effect.provide(Logger.layer([jsonLogger()])));
  Effect.runFork(program).addObserver((exit) => {
    if (Exit.isSuccess(exit)) process.exit(0);
    const failure = Cause.findErrorOption(exit.cause);
    const code = failure._tag === "Some" ? failure.value.exitCode : 1;
    // Invalid configuration was already printed plainly; anything else is logged as JSON.
    if (code !== 2) {
      const detail = failure._tag === "Some" ? Cause.fail(failure.value.error) : exit.cause;
      Effect.runSync(Effect.logFatal("controller stopped", detail).pipe(Effect.provide(Logger.layer([jsonLogger()]))));
    }
    process.exit(code);
  });
};
