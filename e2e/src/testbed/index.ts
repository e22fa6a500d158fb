export { startTestbed, type Testbed } from "./testbed.ts";
export { startControlPlane, type ControlPlane } from "./controlplane.ts";
export { startMinio, type Minio } from "./minio.ts";
export { startMoto, type Moto } from "./moto.ts";
export { ensureGoTools, ensureMoto, type GoTools } from "./toolchain.ts";
export { startService, waitUntilReady, type Service } from "./service.ts";
export { freePort } from "./ports.ts";
export { cacheDir, repoRoot } from "./paths.ts";
