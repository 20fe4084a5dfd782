/** The filters of the session list: spec, predicates, chips, keyword index, model, persistence. */
export * from "./chips";
export * from "./filter-labels";
export * from "./filter-model";
export * from "./filter-persistence";
export * from "./filter-spec";
export * from "./highlight-ranges";
export * from "./keyword-index";
export * from "./match-session";
export * from "./session-filter-persistence";
