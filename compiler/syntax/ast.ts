// Rego v1 abstract syntax tree. The contract between the parser (syntax/) and the
// semantic checks and planner that consume it. Every node carries its source position.

/** A position in a source file; line and column are 1-based, column counts UTF-16 units. */
export interface Location {
  file: string;
  line: number;
  col: number;
  /** Offset of the first character in the file text. */
  offset: number;
  /** Source text length of the node. */
  length: number;
}

interface NodeBase {
  loc: Location;
}

// ---------- terms ----------

export type Term =
  | NullTerm
  | BooleanTerm
  | NumberTerm
  | StringTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | ObjectTerm
  | SetTerm
  | ArrayComprehension
  | ObjectComprehension
  | SetComprehension
  | CallTerm;

export interface NullTerm extends NodeBase {
  type: "null";
}
export interface BooleanTerm extends NodeBase {
  type: "boolean";
  value: boolean;
}
/** `raw` is the literal text (OPA numbers are arbitrary precision; keep the text). */
export interface NumberTerm extends NodeBase {
  type: "number";
  raw: string;
}
/** Both "quoted" and `raw` strings; `value` is the decoded string. */
export interface StringTerm extends NodeBase {
  type: "string";
  value: string;
}
/** A variable; `_` is the wildcard (the parser renames each `_` to a unique `$wildcardN`, keeping `wildcard: true`). */
export interface VarTerm extends NodeBase {
  type: "var";
  name: string;
  wildcard?: boolean;
}
/**
 * A reference `head.a[b]["c"]`. `head` is a var (`data`, `input`, a local, a rule name)
 * or any term for composite bases (`[1,2][i]`, `f(x).y`). Dot access `a.b` is stored
 * as a string operand, exactly like `a["b"]`.
 */
export interface RefTerm extends NodeBase {
  type: "ref";
  head: Term;
  path: Term[];
}
export interface ArrayTerm extends NodeBase {
  type: "array";
  items: Term[];
}
export interface ObjectTerm extends NodeBase {
  type: "object";
  entries: Array<[Term, Term]>;
}
export interface SetTerm extends NodeBase {
  type: "set";
  items: Term[];
}
export interface ArrayComprehension extends NodeBase {
  type: "arraycomp";
  term: Term;
  body: Body;
}
export interface ObjectComprehension extends NodeBase {
  type: "objectcomp";
  key: Term;
  value: Term;
  body: Body;
}
export interface SetComprehension extends NodeBase {
  type: "setcomp";
  term: Term;
  body: Body;
}
/**
 * A call `f(a, b)`; `operator` is the function reference (`count`, `object.get`,
 * `data.lib.f`, a local rule name). Infix operators are parsed into calls of OPA's
 * internal names: `plus minus mul div rem equal neq lt lte gt gte or and internal.member_2
 * internal.member_3` (`x in xs` and `k, v in xs` as expressions), and unary minus on a
 * non-literal as `minus(0, x)`.
 */
export interface CallTerm extends NodeBase {
  type: "call";
  operator: RefTerm;
  args: Term[];
}

// ---------- expressions and bodies ----------

export type Body = Expr[];

/** One literal of a rule body. */
export type Expr = TermExpr | UnifyExpr | AssignExpr | NotExpr | SomeDeclExpr | SomeInExpr | EveryExpr;

interface ExprBase extends NodeBase {
  /** `with` modifiers attached to this literal (unsupported by the compiler: reported as an error). */
  with?: WithModifier[];
}

/** A bare term: true unless the term is `false` or undefined (calls, refs, comparisons). */
export interface TermExpr extends ExprBase {
  type: "term";
  term: Term;
}
/** `a = b` unification. */
export interface UnifyExpr extends ExprBase {
  type: "unify";
  left: Term;
  right: Term;
}
/** `a := b`: declares every var in `left` (a var, or an array/object pattern). */
export interface AssignExpr extends ExprBase {
  type: "assign";
  left: Term;
  right: Term;
}
export interface NotExpr extends ExprBase {
  type: "not";
  /** The negated literal (`true` for the body form). */
  expr: Expr;
  /** `not { a; b }` (rego.v2): true when the body has no solution; its new variables are local to it. */
  body?: Body;
}
/** `some x, y` declaration. */
export interface SomeDeclExpr extends ExprBase {
  type: "some-decl";
  vars: VarTerm[];
}
/** `some x in xs`, `some k, v in xs` (`key` is undefined for the one-var form). */
export interface SomeInExpr extends ExprBase {
  type: "some-in";
  key?: Term;
  value: Term;
  collection: Term;
}
/** `every x in xs { ... }`, `every k, v in xs { ... }`. */
export interface EveryExpr extends ExprBase {
  type: "every";
  key?: VarTerm;
  value: VarTerm;
  domain: Term;
  body: Body;
}
export interface WithModifier extends NodeBase {
  target: Term;
  value: Term;
}

// ---------- rules and modules ----------

/**
 * One rule definition. Kinds:
 * - complete: `p := v if {...}`, `p = v {...}`, `p if {...}` (value true), `default p := v`
 * - partial-set: `p contains x if {...}`
 * - partial-object: `p[k] := v if {...}` (single-var ref head, pre-ref-heads form)
 * - function: `f(a, b) := v if {...}`
 * Ref heads (`a.b[x] := y`, `a.b.c := 1`) keep the full path in `head.ref`; the last
 * element may be a variable. For a plain `p`, `head.ref` is `[p]` (one string term).
 */
export interface Rule extends NodeBase {
  type: "rule";
  kind: "complete" | "partial-set" | "partial-object" | "function";
  default: boolean;
  head: RuleHead;
  /** Empty body means `true`. */
  body: Body;
  /** `else` chain (complete rules and functions only), in order. */
  else?: Rule[];
  /** METADATA annotations parsed from the YAML comment block above the rule, if any. */
  annotations?: Record<string, unknown>;
}

export interface RuleHead extends NodeBase {
  /** The rule's path below its package: first element is the rule name as a string term, then strings/vars/terms. */
  ref: Term[];
  /** Function parameters (kind function only). */
  args?: Term[];
  /** `contains x` element (partial-set). */
  key?: Term;
  /** Value term; `true` boolean term when omitted. */
  value?: Term;
  /** `:=` (true) or `=` (false). */
  assign: boolean;
}

export interface Import extends NodeBase {
  /** `data.x.y`, `input.z`, `rego.v1`, `future.keywords[.in]`. */
  path: RefTerm;
  alias?: string;
}

export interface Module extends NodeBase {
  type: "module";
  /** Package path without the `data.` prefix, e.g. ["residency", "rules"]. */
  package: string[];
  packageLoc: Location;
  imports: Import[];
  rules: Rule[];
  /** Package-level METADATA annotations, if any. */
  annotations?: Record<string, unknown>;
  /** The source text (for diagnostics that render the line). */
  source: string;
  /** Parsed as Rego v0 (--v0-compatible without `import rego.v1`): v0's deprecated builtins resolve. */
  v0?: boolean;
}
