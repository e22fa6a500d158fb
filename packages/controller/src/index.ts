export { runController, managerFromConfig } from "./runtime/main.ts";
export { makeManager, type Manager } from "./runtime/manager.ts";
export { registerControllers } from "./runtime/controllers.ts";
export type { ControllerDefinition, ReconcileResult, Cache, Trigger, ObjectKey } from "./runtime/types.ts";
export { loadConfig, type ControllerConfig } from "./config.ts";
export type { KubeApi, KubeObject, ResourceType } from "./kube/types.ts";
