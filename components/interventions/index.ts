export * from "./cobrowse-indicator";
export * from "./command-status-line";
export * from "./intervention-log";
export * from "./intervention-toolbar";
export * from "./interventions";
export * from "./reason-dialog";
export * from "./viewer-notice";
