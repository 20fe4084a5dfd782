export * from "./decode";
export * from "./frame-scheduler";
export * from "./panel-model";
export * from "./port";
export * from "./read-focus";
export * from "./toast-rules";
export * from "./use-panel-model";
