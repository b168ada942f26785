// Public entry of the syntax stage: the Rego v1 parser and the AST types.
export { parseModule, parseQuery, KEYWORDS } from "./parser";
export type * from "./ast";
