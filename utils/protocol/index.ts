export * from "./agent";
export * from "./commands";
export * from "./decode";
export * from "./events";
export * from "./frames";
export * from "./http";
export * from "./session-rules";
export * from "./shapes";
