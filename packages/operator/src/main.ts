/**
 * The controller process: the generic controller with the providers `--providers` enables.
 * This is the only place that knows both; see `--help`-style flags in packages/controller/src/config.ts.
 */
import { Effect } from "effect";
import { registerControllers, runController } from "@cloud37/controller";
import { loadProviders } from "./providers.ts";

runController((manager, config) =>
  Effect.map(loadProviders(config.providers), (providers) =>
    registerControllers(manager, { providers, pollInterval: config.pollInterval, minPollInterval: config.minPollInterval }),
  ),
);
