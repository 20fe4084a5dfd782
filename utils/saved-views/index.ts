/** Saved views: named filter combinations per gateway user, in IndexedDB (`utils/user-db/`). */
export * from "./saved-views-model";
export * from "./view-record";
export * from "./views-store";
