// Stage "negation": OPA's rewriteDynamicTerms and rewriteExprTerms, where they change meaning.
// OPA binds a call's operands that are refs or calls to fresh variables in the enclosing body
// (`not f(input.x)` is `__local0__ = input.x; not f(__local0__)`), after its safety checks, so
// an undefined operand makes a negated literal undefined instead of true. Outside `not` the
// rewrite changes nothing (an undefined operand makes the call undefined either way), so only
// negated literals are rewritten here. Refs in a negated unification, comparison with `==`
// (OPA's RewriteEquals makes it `=` first) or a bare negated ref stay inside (`not x = input.y`,
// `not input.y == 1` and `not input.y` are true when input.y is undefined); only their
// dynamic parts (`not a[input.k]`) and call heads (`not f(x).y`) are bound. Modules importing
// `future.keywords.not` or `rego.v2` keep every operand inside the negation (OPA's not-body).
import type { Diagnostic } from "../diagnostics";
import type { Body, CallTerm, Expr, Module, NotExpr, RefTerm, Term, VarTerm } from "../syntax/ast";
import { calleeOf } from "./vars";
import type { Program } from "./program";

/** True when the module opts into OPA's not-body semantics. */
export function negationKeepsOperands(m: Module): boolean {
  return m.imports.some((imp) => {
    const head = imp.path.head.type === "var" ? imp.path.head.name : "";
    const text = [head, ...imp.path.path.map((p) => (p.type === "string" ? p.value : "?"))].join(".");
    return text === "future.keywords.not" || text === "rego.v2";
  });
}

/** True when a term holds a wildcard (`_`), which stays local to the negation. */
function hasWildcard(t: Term): boolean {
  switch (t.type) {
    case "var":
      return !!t.wildcard || t.name.startsWith("$");
    case "ref":
      return hasWildcard(t.head) || t.path.some(hasWildcard);
    case "array":
    case "set":
      return t.items.some(hasWildcard);
    case "object":
      return t.entries.some(([k, v]) => hasWildcard(k) || hasWildcard(v));
    case "call":
      return t.args.some(hasWildcard);
    default:
      return false;
  }
}

/** A literal `a == b` (builtin `equal` with two operands), which OPA compiles as `a = b`. */
function isEqualCall(t: Term): t is CallTerm {
  if (t.type !== "call" || t.args.length !== 2) return false;
  const c = calleeOf(t);
  return c?.kind === "builtin" && c.name === "equal";
}

class Hoister {
  private counter = 0;

  body(body: Body, hoist: boolean): Body {
    const out: Body = [];
    for (const e of body) {
      const r = this.nested(e, hoist);
      if (hoist && r.type === "not" && !r.body) out.push(...this.negated(r));
      else out.push(r);
    }
    return out;
  }

  /** Rewrites the bodies nested in a literal (comprehensions, every, not-bodies). */
  private nested(e: Expr, hoist: boolean): Expr {
    switch (e.type) {
      case "term":
        return { ...e, term: this.term(e.term, hoist) };
      case "unify":
      case "assign":
        return { ...e, left: this.term(e.left, hoist), right: this.term(e.right, hoist) };
      case "not":
        return e.body ? { ...e, body: this.body(e.body, hoist) } : { ...e, expr: this.nested(e.expr, hoist) };
      case "every":
        return { ...e, domain: this.term(e.domain, hoist), body: this.body(e.body, hoist) };
      default:
        return e;
    }
  }

  private term(t: Term, hoist: boolean): Term {
    switch (t.type) {
      case "ref":
        return { ...t, head: this.term(t.head, hoist), path: t.path.map((p) => this.term(p, hoist)) };
      case "array":
      case "set":
        return { ...t, items: t.items.map((i) => this.term(i, hoist)) };
      case "object":
        return { ...t, entries: t.entries.map(([k, v]) => [this.term(k, hoist), this.term(v, hoist)] as [Term, Term]) };
      case "call":
        return { ...t, args: t.args.map((a) => this.term(a, hoist)) };
      case "arraycomp":
      case "setcomp":
        return { ...t, body: this.body(t.body, hoist) };
      case "objectcomp":
        return { ...t, body: this.body(t.body, hoist) };
      default:
        return t;
    }
  }

  /** The literals binding the negated literal's dynamic operands, then the literal itself. */
  private negated(e: NotExpr): Expr[] {
    const extras: Expr[] = [];
    const bind = (t: Term): Term => {
      if (hasWildcard(t)) return t;
      const v: VarTerm = { type: "var", name: `$not${++this.counter}`, loc: t.loc };
      extras.push({ type: "unify", left: v, right: t, loc: t.loc, ...(e.with ? { with: e.with } : {}) });
      return v;
    };
    // OPA's rewriteDynamicsOne: refs and calls are bound after their own parts; composites are walked.
    const one = (t: Term): Term => {
      switch (t.type) {
        case "ref":
          return bind(inRef(t));
        case "var":
          return t.name === "input" || t.name === "data" ? bind(t) : t;
        case "call":
          return bind({ ...t, args: t.args.map(one) });
        case "array":
        case "set":
          return { ...t, items: t.items.map(one) };
        case "object":
          return { ...t, entries: t.entries.map(([k, v]) => [one(k), one(v)] as [Term, Term]) };
        default:
          return t;
      }
    };
    // rewriteDynamicsInTerm on a ref: its path elements and a call at its head are bound, not the ref.
    const inRef = (t: RefTerm): RefTerm => ({
      ...t,
      head: t.head.type === "call" ? one(t.head) : t.head,
      path: t.path.map(one),
    });
    const inTerm = (t: Term): Term => (t.type === "ref" ? inRef(t) : t.type === "var" ? t : one(t));
    const inner = e.expr;
    let rewritten: Expr = inner;
    if (inner.type === "term" && isEqualCall(inner.term)) {
      // OPA's RewriteEquals stage turns a literal `a == b` into `a = b` first: refs stay inside.
      const [a, b] = inner.term.args;
      rewritten = { ...inner, term: { ...inner.term, args: [inTerm(a), inTerm(b)] } };
    } else if (inner.type === "term" && inner.term.type === "call") {
      rewritten = { ...inner, term: { ...inner.term, args: inner.term.args.map(one) } };
    } else if (inner.type === "term") {
      rewritten = { ...inner, term: inTerm(inner.term) };
    } else if (inner.type === "unify") {
      rewritten = { ...inner, left: inTerm(inner.left), right: inTerm(inner.right) };
    }
    return [...extras, { ...e, expr: rewritten }];
  }

  run(program: Program): void {
    for (const g of program.groups) {
      for (const def of [...g.defs, ...(g.defaultDef ? [g.defaultDef] : [])]) {
        const hoist = !negationKeepsOperands(def.module);
        for (const d of [def, ...def.elses]) {
          d.body = this.body(d.body, hoist);
          d.value = this.term(d.value, hoist);
          d.keys = d.keys.map((k) => this.term(k, hoist));
        }
      }
    }
  }
}

/** Binds the dynamic operands of negated literals before them, as OPA does (see above). */
export function hoistNegations(program: Program, _diags: Diagnostic[]): void {
  new Hoister().run(program);
}
