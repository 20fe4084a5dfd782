export * from "./color";
export * from "./duration";
export * from "./elapsed";
export * from "./size";
export * from "./text";
