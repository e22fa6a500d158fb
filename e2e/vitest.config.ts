import { defineConfig } from "vitest/config";
import { LastSequencer } from "./test/last.sequencer.ts";

// One test bed (control plane, MinIO, two motos) for the whole run, started by the global
// setup. Files run one at a time: each starts its own controller against the shared cluster.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/global-setup.ts"],
    fileParallelism: false,
    // The secret scan looks at everything the other files did.
    sequence: { sequencer: LastSequencer },
    testTimeout: 120_000,
    hookTimeout: 1_800_000,
    reporters: ["default"],
  },
});
