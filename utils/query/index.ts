/** The worker's query over the active sessions: orders, filters, grouping and the windows panels view. */

export * from "./agent-summary";
export * from "./query-service";
export * from "./session-order";
export * from "./session-sort";
export * from "./view-engine";
export * from "./view-feed";
export * from "./view-spec";
