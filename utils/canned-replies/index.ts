/** Canned replies: saved texts for intervention fields, per gateway user, in IndexedDB. */
export * from "./canned-insert";
export * from "./canned-model";
export * from "./canned-schema";
export * from "./canned-store";
