export * from "./action-catalog";
export * from "./agent-results";
export * from "./cobrowse-state";
export * from "./describe-error";
export * from "./history-request";
export * from "./intervention-model";
export * from "./log-entries";
export * from "./shortcuts";
