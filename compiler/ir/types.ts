// The planner's output and the Wasm emitter's input: a small typed IR modelled on OPA's
// internal/ir. Invariant for every statement: when it is "undefined" (a lookup misses, a
// comparison fails, a value has the wrong type), control leaves the innermost enclosing
// Block; BreakStmt leaves `index + 1` enclosing blocks. Locals hold value addresses; an
// unset local is 0, which is never a valid value.

/** Local variable slot index. 0 is reserved for `input`, 1 for `data`. */
export type Local = number;
export const INPUT_LOCAL: Local = 0;
export const DATA_LOCAL: Local = 1;

/** An operand: a local, a boolean constant, or an entry of the string table. */
export type Operand =
  { kind: "local"; local: Local } | { kind: "bool"; value: boolean } | { kind: "string"; index: number };

export interface Policy {
  /** Constant strings, indexed by Operand.string.index and MakeNumberRef. */
  strings: string[];
  /** Builtins called by name (CallStmt.func matches one of these names). */
  builtins: BuiltinRef[];
  /** One plan per entrypoint. */
  plans: Plan[];
  /** Functions: rule bodies, user functions, helpers. */
  funcs: Func[];
}

export interface BuiltinRef {
  /** Rego name, e.g. "count", "object.get", "sprintf". */
  name: string;
  arity: number;
}

export interface Plan {
  /** Entrypoint name as the SDK sees it, e.g. "residency/findings" (path with slashes). */
  name: string;
  blocks: Block[];
}

export interface Func {
  /** Unique name, e.g. "g0.data.residency.findings". */
  name: string;
  /** Parameter locals; by convention params[0] is input and params[1] is data. */
  params: Local[];
  /** The local holding the result; the function returns 0 (undefined) if it stays unset. */
  result: Local;
  blocks: Block[];
  /** Rule path for diagnostics, e.g. ["data", "residency", "findings"]. */
  path: string[];
}

export interface Block {
  stmts: Stmt[];
}

/** Source position carried to runtime errors (conflicts, builtin errors). */
export interface StmtLoc {
  file: string;
  row: number;
  col: number;
}

export type Stmt = (
  | { type: "ReturnLocal"; source: Local }
  /** Call a builtin (by Rego name) or a planned Func (by Func.name). Undefined result -> undefined. */
  | { type: "Call"; func: string; args: Operand[]; result: Local }
  /** Run nested blocks in order (each is a scope for undefined). */
  | { type: "Block"; blocks: Block[] }
  | { type: "Break"; index: number }
  /** target = source[key]; undefined if missing. Works on arrays (number key), objects and sets (membership). */
  | { type: "Dot"; source: Operand; key: Operand; target: Local }
  | { type: "Len"; source: Operand; target: Local }
  /** For each key/value of an array, object or set (set: key = value = element), run block. Undefined if source is not a collection. */
  | { type: "Scan"; source: Local; key: Local; value: Local; block: Block }
  /** Runs block; defined only if block is undefined (runs to completion without defining). */
  | { type: "Not"; block: Block }
  | { type: "AssignInt"; value: number; target: Local }
  | { type: "AssignVar"; source: Operand; target: Local }
  /** Assign if target is unset; if set to a different value -> runtime conflict error (eval_conflict_error). */
  | { type: "AssignVarOnce"; source: Operand; target: Local; conflict?: string }
  | { type: "ResetLocal"; target: Local }
  | { type: "MakeNull"; target: Local }
  | { type: "MakeNumberInt"; value: number; target: Local }
  /** Number from the decimal text strings[index]. */
  | { type: "MakeNumberRef"; index: number; target: Local }
  | { type: "MakeArray"; capacity: number; target: Local }
  | { type: "MakeObject"; target: Local }
  | { type: "MakeSet"; target: Local }
  | { type: "Equal"; a: Operand; b: Operand }
  | { type: "NotEqual"; a: Operand; b: Operand }
  | { type: "IsArray"; source: Operand }
  | { type: "IsObject"; source: Operand }
  | { type: "IsSet"; source: Operand }
  | { type: "IsDefined"; source: Local }
  | { type: "IsUndefined"; source: Local }
  | { type: "ArrayAppend"; array: Local; value: Operand }
  | { type: "ObjectInsert"; object: Local; key: Operand; value: Operand }
  /** Insert; if the key exists with a different value -> runtime conflict error. */
  | { type: "ObjectInsertOnce"; object: Local; key: Operand; value: Operand }
  /** target = deep merge of a and b (objects); undefined on conflict. */
  | { type: "ObjectMerge"; a: Local; b: Local; target: Local }
  | { type: "SetAdd"; set: Local; value: Operand }
  /** Add value to the plan's result set (rendered as [{"result": value}, ...]). */
  | { type: "ResultSetAdd"; value: Local }
  | { type: "Nop" }
) & { loc?: StmtLoc };

export type StmtType = Stmt["type"];
