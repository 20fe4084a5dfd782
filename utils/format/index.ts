export * from "./duration";
export * from "./elapsed";
export * from "./size";
