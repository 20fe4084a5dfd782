/**
 * The extension's IndexedDB database (`live-conversations`) and what every per-user store in it shares:
 * opening and migrating it, reading one user's records, and the panel-side session that reopens a user's
 * store when the signed-in user changes. Saved views, alert rules and canned replies build on it.
 */
export * from "./database";
export * from "./user-records";
export * from "./user-store-session";
