/** Saved views: named filter combinations per gateway user, in IndexedDB. */
export * from "./saved-views-model";
export * from "./view-record";
export * from "./views-db";
export * from "./views-store";
