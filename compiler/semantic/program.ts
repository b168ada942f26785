// The semantic stages' output and the planner's input: rules grouped by their data path in
// a tree, with bodies resolved (rule names -> data refs, locals renamed apart, calls bound
// to a builtin or a user function) and reordered so every variable is bound before use.
import type { Body, Location, Module, Rule, Term, VarTerm } from "../syntax/ast";

/** What a call resolves to after the resolve stage. */
export type Callee =
  { kind: "builtin"; name: string; arity: number } | { kind: "function"; path: string[]; arity: number };

/**
 * A `with` modifier after the resolve stage: a builtin target (`with count as ...`) carries its
 * name, and a value naming a function (`with data.lib.f as g`, `with count as my_count`)
 * carries the callee that replaces the target.
 */
export interface ResolvedWith {
  builtin?: string;
  fn?: Callee;
}

/** The global variables every body can see. */
export const GLOBAL_VARS: ReadonlySet<string> = new Set(["input", "data"]);

/** One rule definition inside a group, with the parts the planner needs. */
export interface RuleDef {
  rule: Rule;
  /** Partial objects: the key terms after the group path (one, or several for nested ref heads). Partial sets: the element. */
  keys: Term[];
  /** Partial sets under a ref head with variables (`a[x] contains y`): the element added to the set at `keys`. */
  setElement?: Term;
  /** Value term (`true` when omitted). */
  value: Term;
  /** Function parameters (patterns). */
  args?: Term[];
  body: Body;
  /** Else branches, in order (complete rules and functions). */
  elses: RuleDef[];
  /** The module the rule came from (for its package and imports). */
  module: Module;
}

/** All definitions of one rule path. */
export interface RuleGroup {
  /** Path below data, e.g. ["test", "p"]. */
  path: string[];
  kind: "complete" | "partial-set" | "partial-object" | "function";
  defs: RuleDef[];
  defaultDef?: RuleDef;
  /** Function arity. */
  arity?: number;
  loc: Location;
}

/** A node of the data tree: a package or a rule-path prefix, maybe holding a rule group. */
export interface TreeNode {
  path: string[];
  children: Map<string, TreeNode>;
  group?: RuleGroup;
}

/** The whole program as the semantic stages leave it. */
export interface Program {
  modules: Module[];
  root: TreeNode;
  /** Rule groups in definition order. */
  groups: RuleGroup[];
  /** Builtins the host declares and implements (name -> arity), callable like OPA's own. */
  customBuiltins?: ReadonlyMap<string, number>;
}

/** Dotted `data.a.b` text of a path. */
export function pathText(path: string[]): string {
  return ["data", ...path].join(".");
}

/** The node at a path, or undefined. */
export function nodeAt(root: TreeNode, path: string[]): TreeNode | undefined {
  let node: TreeNode | undefined = root;
  for (const p of path) {
    node = node.children.get(p);
    if (!node) return undefined;
  }
  return node;
}

/** The source-level name of a (possibly renamed) variable, for messages. */
export function displayName(v: VarTerm): string {
  if (v.wildcard || v.name.startsWith("$wildcard")) return "_";
  const i = v.name.indexOf("$");
  return i > 0 ? v.name.slice(0, i) : v.name;
}
