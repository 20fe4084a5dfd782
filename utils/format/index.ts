export * from "./color";
export * from "./duration";
export * from "./elapsed";
export * from "./insight";
export * from "./labels";
export * from "./size";
export * from "./text";
