export * from "./client";
export * from "./interventions";
export * from "./link";
export * from "./stream-reply";
