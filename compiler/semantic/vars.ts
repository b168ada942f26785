// Variable analysis shared by the safety stage and the planner: which variables a term or
// expression needs bound, and which it binds. Both use the same functions so the planner
// schedules exactly what the safety stage accepted.
import type { CallTerm, Expr, Term, VarTerm } from "../syntax/ast";
import { GLOBAL_VARS, type Callee, type ResolvedWith } from "./program";

/** A call after resolution carries its callee. */
export interface ResolvedCall extends CallTerm {
  callee?: Callee;
}

/** The resolved callee of a call term (set by the resolve stage). */
export function calleeOf(call: CallTerm): Callee | undefined {
  return (call as ResolvedCall).callee;
}

/** True if the call has one argument more than the callee's arity (the output argument). */
export function hasOutputArg(call: CallTerm): boolean {
  const c = calleeOf(call);
  return c !== undefined && call.args.length === c.arity + 1;
}

/** A set of variable names; null means "cannot be scheduled yet". */
export type VarSet = Set<string> | null;

function isBound(name: string, bound: ReadonlySet<string>): boolean {
  return GLOBAL_VARS.has(name) || bound.has(name);
}

function union(a: ReadonlySet<string>, b: Iterable<string>): Set<string> {
  const s = new Set(a);
  for (const x of b) s.add(x);
  return s;
}

/** Every variable occurrence in a term, including inside comprehension bodies. */
export function deepVars(t: Term | Expr, out: VarTerm[] = []): VarTerm[] {
  walkTerm(t, (v) => out.push(v), true);
  return out;
}

/** Variable occurrences of an expression outside nested comprehension and `every` bodies. */
export function topVars(e: Expr | Term, out: VarTerm[] = []): VarTerm[] {
  walkTerm(e, (v) => out.push(v), false);
  return out;
}

function walkTerm(n: Term | Expr, f: (v: VarTerm) => void, deep: boolean): void {
  switch (n.type) {
    case "var":
      f(n);
      return;
    case "ref":
      walkTerm(n.head, f, deep);
      n.path.forEach((p) => walkTerm(p, f, deep));
      return;
    case "array":
    case "set":
      n.items.forEach((i) => walkTerm(i, f, deep));
      return;
    case "object":
      n.entries.forEach(([k, v]) => {
        walkTerm(k, f, deep);
        walkTerm(v, f, deep);
      });
      return;
    case "call":
      n.args.forEach((a) => walkTerm(a, f, deep));
      return;
    case "arraycomp":
    case "setcomp":
      if (deep) {
        walkTerm(n.term, f, deep);
        n.body.forEach((e) => walkTerm(e, f, deep));
      }
      return;
    case "objectcomp":
      if (deep) {
        walkTerm(n.key, f, deep);
        walkTerm(n.value, f, deep);
        n.body.forEach((e) => walkTerm(e, f, deep));
      }
      return;
    case "term":
      walkTerm(n.term, f, deep);
      return;
    case "unify":
    case "assign":
      walkTerm(n.left, f, deep);
      walkTerm(n.right, f, deep);
      return;
    case "not":
      walkTerm(n.expr, f, deep);
      if (deep) n.body?.forEach((e) => walkTerm(e, f, deep));
      return;
    case "some-decl":
      n.vars.forEach(f);
      return;
    case "some-in":
      if (n.key) walkTerm(n.key, f, deep);
      walkTerm(n.value, f, deep);
      walkTerm(n.collection, f, deep);
      return;
    case "every":
      walkTerm(n.domain, f, deep);
      if (deep) {
        if (n.key) f(n.key);
        f(n.value);
        n.body.forEach((e) => walkTerm(e, f, deep));
      }
      return;
    default:
      return;
  }
}

/** Variables of a nested body (comprehension or `every`) that refer to the enclosing scope. */
export function closureOf(t: Term | Expr, visible: ReadonlySet<string>): Set<string> {
  const s = new Set<string>();
  for (const v of deepVars(t)) if (visible.has(v.name)) s.add(v.name);
  return s;
}

/** Variables bound by evaluating `t` (ref iteration), or null if it needs an unbound one. */
export function evalOut(t: Term, bound: ReadonlySet<string>, visible: ReadonlySet<string>): VarSet {
  switch (t.type) {
    case "null":
    case "boolean":
    case "number":
    case "string":
      return new Set();
    case "var":
      return isBound(t.name, bound) ? new Set() : null;
    case "ref": {
      const acc = evalOut(t.head, bound, visible);
      if (!acc) return null;
      for (const p of t.path) {
        if (p.type === "var" && !isBound(p.name, bound) && !acc.has(p.name)) {
          acc.add(p.name);
          continue;
        }
        if ((p.type === "array" || p.type === "object") && hasUnbound(p, union(bound, acc))) {
          // Composite key pattern: the planner iterates and unifies each key with it.
          const r = patternOut(p, union(bound, acc), visible);
          if (!r) return null;
          r.forEach((x) => acc.add(x));
          continue;
        }
        const r = evalOut(p, union(bound, acc), visible);
        if (!r) return null;
        r.forEach((x) => acc.add(x));
      }
      return acc;
    }
    case "array":
    case "set":
      return foldEval(t.items, bound, visible);
    case "object":
      return foldEval(
        t.entries.flatMap(([k, v]) => [k, v]),
        bound,
        visible,
      );
    case "call":
      return foldEval(t.args, bound, visible);
    case "arraycomp":
    case "setcomp":
    case "objectcomp": {
      for (const v of closureOf(t, visible)) if (!isBound(v, bound)) return null;
      return new Set();
    }
  }
}

function foldEval(ts: Term[], bound: ReadonlySet<string>, visible: ReadonlySet<string>): VarSet {
  const acc = new Set<string>();
  for (const t of ts) {
    const r = evalOut(t, acc.size ? union(bound, acc) : bound, visible);
    if (!r) return null;
    r.forEach((x) => acc.add(x));
  }
  return acc;
}

/** True if the term is a scalar constant (usable as a static object key). */
export function isScalar(t: Term): boolean {
  return t.type === "null" || t.type === "boolean" || t.type === "number" || t.type === "string";
}

/** A canonical text of a scalar term, for matching object pattern keys. */
export function scalarKey(t: Term): string {
  switch (t.type) {
    case "null":
      return "null";
    case "boolean":
      return String(t.value);
    case "number":
      return `n:${Number(t.raw)}`;
    case "string":
      return `s:${t.value}`;
    default:
      return "";
  }
}

/** True if the pattern holds a variable that is not bound yet (so unification must destructure). */
export function hasUnbound(p: Term, bound: ReadonlySet<string>): boolean {
  return topVars(p).some((v) => !isBound(v.name, bound));
}

/** Variables bound by unifying pattern `p` against a known value, or null. */
export function patternOut(p: Term, bound: ReadonlySet<string>, visible: ReadonlySet<string>): VarSet {
  switch (p.type) {
    case "var":
      return isBound(p.name, bound) ? new Set() : new Set([p.name]);
    case "array": {
      const acc = new Set<string>();
      for (const i of p.items) {
        const r = patternOut(i, union(bound, acc), visible);
        if (!r) return null;
        r.forEach((x) => acc.add(x));
      }
      return acc;
    }
    case "object": {
      const acc = new Set<string>();
      for (const [k, v] of p.entries) {
        const rk = evalOut(k, union(bound, acc), visible);
        if (!rk || rk.size) return null;
        const r = patternOut(v, union(bound, acc), visible);
        if (!r) return null;
        r.forEach((x) => acc.add(x));
      }
      return acc;
    }
    default:
      return evalOut(p, bound, visible);
  }
}

/** Pairs of an array/object unification that can be split element-wise, or undefined. */
export function unifyPairs(a: Term, b: Term): Array<[Term, Term]> | "mismatch" | undefined {
  if (a.type === "array" && b.type === "array") {
    if (a.items.length !== b.items.length) return "mismatch";
    return a.items.map((x, i) => [x, b.items[i]]);
  }
  if (a.type === "object" && b.type === "object") {
    if (!a.entries.every(([k]) => isScalar(k)) || !b.entries.every(([k]) => isScalar(k))) return undefined;
    if (a.entries.length !== b.entries.length) return "mismatch";
    const bm = new Map(b.entries.map(([k, v]) => [scalarKey(k), v] as const));
    const pairs: Array<[Term, Term]> = [];
    for (const [k, v] of a.entries) {
      const w = bm.get(scalarKey(k));
      if (!w) return "mismatch";
      pairs.push([v, w]);
    }
    return pairs;
  }
  return undefined;
}

/** How a unification `a = b` will be planned, given the bound variables; null if not yet schedulable. */
export type UnifyPlan =
  | { kind: "pairs"; order: Array<[Term, Term]>; out: Set<string> }
  | { kind: "mismatch"; out: Set<string> }
  | { kind: "eval-left"; out: Set<string> }
  | { kind: "eval-right"; out: Set<string> };

/** Chooses how to plan `a = b` (shared by safety and planner). */
export function planUnifyOrder(
  a: Term,
  b: Term,
  bound: ReadonlySet<string>,
  visible: ReadonlySet<string>,
): UnifyPlan | null {
  const pairs = unifyPairs(a, b);
  if (pairs === "mismatch") return { kind: "mismatch", out: new Set() };
  if (pairs) {
    const acc = new Set<string>();
    const rest = [...pairs];
    const order: Array<[Term, Term]> = [];
    while (rest.length) {
      const cur = union(bound, acc);
      const i = rest.findIndex(([x, y]) => planUnifyOrder(x, y, cur, visible) !== null);
      if (i < 0) return null;
      const [x, y] = rest.splice(i, 1)[0];
      planUnifyOrder(x, y, cur, visible)!.out.forEach((v) => acc.add(v));
      order.push([x, y]);
    }
    return { kind: "pairs", order, out: acc };
  }
  // Prefer evaluating the side without unbound variables, destructuring into the other.
  const ea = evalOut(a, bound, visible);
  if (ea) {
    const pb = patternOut(b, union(bound, ea), visible);
    if (pb) return { kind: "eval-left", out: union(ea, pb) };
  }
  const eb = evalOut(b, bound, visible);
  if (eb) {
    const pa = patternOut(a, union(bound, eb), visible);
    if (pa) return { kind: "eval-right", out: union(eb, pa) };
  }
  return null;
}

/** Variables an expression binds when scheduled with `bound`, or null if it cannot run yet. */
export function exprOut(e: Expr, bound: ReadonlySet<string>, visible: ReadonlySet<string>): VarSet {
  for (const w of e.with ?? []) {
    // A function replacing a function is a name, not a value to evaluate.
    if ((w as ResolvedWith).fn) continue;
    const r = evalOut(w.value, bound, visible);
    if (!r || r.size) return null;
  }
  switch (e.type) {
    case "term": {
      const t = e.term;
      if (t.type === "call" && hasOutputArg(t)) {
        const ins = foldEval(t.args.slice(0, -1), bound, visible);
        if (!ins) return null;
        const out = patternOut(t.args[t.args.length - 1], union(bound, ins), visible);
        return out ? union(ins, out) : null;
      }
      return evalOut(t, bound, visible);
    }
    case "unify":
    case "assign":
      return planUnifyOrder(e.left, e.right, bound, visible)?.out ?? null;
    case "not": {
      // A negated body runs once its variables from outside are bound, like `every`.
      if (e.body) for (const v of closureOf(e, visible)) if (!isBound(v, bound)) return null;
      for (const v of topVars(e.expr)) if (!v.name.startsWith("$") && !isBound(v.name, bound)) return null;
      return exprOut(e.expr, bound, visible) ? new Set() : null;
    }
    case "every": {
      if (!evalOut(e.domain, bound, visible)) return null;
      for (const v of closureOf(e, visible)) if (!isBound(v, bound)) return null;
      return new Set();
    }
    case "some-decl":
      return new Set();
    case "some-in":
      return null;
  }
}
