export * from "./client";
export * from "./example-runtime";
export * from "./fake-llm";
export * from "./human-queue";
export * from "./interventions";
export * from "./link";
export * from "./review-drafts";
export * from "./stream-reply";
