import { defineConfig } from "vitest/config";

// The provider tests alone, without the shared test bed (control plane, Go toolchain): they
// start their own motos, and a MinIO when its binary is built. The full e2e run uses
// e2e/vitest.config.ts, whose global setup these tests reuse instead.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
