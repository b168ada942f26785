// Stage "safety": reorder each body so every variable is bound before it is used (OPA's
// reorderBodyForSafety: repeatedly take the first literal that can run), recursively for
// comprehension and `every` bodies; what can never be bound is rego_unsafe_var_error.
import { diagnostic, DiagnosticCode, type Diagnostic } from "../diagnostics";
import type { Body, Expr, Term, VarTerm } from "../syntax/ast";
import { displayName, GLOBAL_VARS, type Program, type RuleDef } from "./program";
import { deepVars, evalOut, exprOut, hasOutputArg, patternOut, topVars } from "./vars";

/** Reorders all bodies of the program in place and reports unsafe variables. */
export function checkSafety(program: Program, diags: Diagnostic[]): void {
  const s = new Safety(diags);
  for (const g of program.groups) {
    for (const def of [...g.defs, ...(g.defaultDef ? [g.defaultDef] : [])]) {
      s.def(def);
      def.elses.forEach((e) => s.def(e));
    }
  }
}

class Safety {
  constructor(private readonly diags: Diagnostic[]) {}

  def(d: RuleDef): void {
    let bound = new Set<string>();
    for (const a of d.args ?? []) {
      const out = patternOut(a, bound, new Set());
      if (out) bound = new Set([...bound, ...out]);
    }
    const visible = new Set<string>(bound);
    for (const e of d.body) topVars(e).forEach((v) => visible.add(v.name));
    const heads = [...d.keys, d.value, ...(d.setElement ? [d.setElement] : [])];
    for (const t of heads) topVars(t).forEach((v) => visible.add(v.name));
    const after = this.body(d.body, bound, visible);
    if (!after) return;
    const reported = new Set<string>();
    for (const t of heads) {
      if (evalOut(t, after, visible)) continue;
      this.reportUnbound([t], after, visible, reported);
    }
  }

  /** Reorders `body` in place; returns the bound set after it, or undefined after reporting. */
  body(body: Body, bound: ReadonlySet<string>, visible: ReadonlySet<string>): Set<string> | undefined {
    const cur = new Set(bound);
    const rest = [...body];
    const ordered: Expr[] = [];
    while (rest.length) {
      const i = rest.findIndex((e) => exprOut(e, cur, visible) !== null);
      if (i < 0) break;
      const e = rest.splice(i, 1)[0];
      exprOut(e, cur, visible)!.forEach((v) => cur.add(v));
      ordered.push(e);
    }
    body.splice(0, body.length, ...ordered, ...rest);
    if (rest.length) {
      this.reportUnbound(rest, cur, visible, new Set());
      return undefined;
    }
    // Nested bodies see the variables bound where their literal runs.
    const at = new Set(bound);
    for (const e of ordered) {
      this.nested(e, at, visible);
      exprOut(e, at, visible)!.forEach((v) => at.add(v));
    }
    return cur;
  }

  private nested(n: Expr | Term, bound: ReadonlySet<string>, visible: ReadonlySet<string>): void {
    switch (n.type) {
      case "term":
        return this.nested(n.term, bound, visible);
      case "unify":
      case "assign":
        this.nested(n.left, bound, visible);
        return this.nested(n.right, bound, visible);
      case "not":
        if (n.body) this.body(n.body, bound, this.extend(visible, n.body, []));
        return this.nested(n.expr, bound, visible);
      case "every": {
        this.nested(n.domain, bound, visible);
        const inner = new Set(bound);
        if (n.key) inner.add(n.key.name);
        inner.add(n.value.name);
        this.body(n.body, inner, this.extend(visible, n.body, []));
        return;
      }
      case "ref":
        this.nested(n.head, bound, visible);
        n.path.forEach((p) => this.nested(p, bound, visible));
        return;
      case "array":
      case "set":
        n.items.forEach((i) => this.nested(i, bound, visible));
        return;
      case "object":
        n.entries.forEach(([k, v]) => {
          this.nested(k, bound, visible);
          this.nested(v, bound, visible);
        });
        return;
      case "call":
        n.args.forEach((a) => this.nested(a, bound, visible));
        return;
      case "arraycomp":
      case "setcomp":
      case "objectcomp": {
        const heads = n.type === "objectcomp" ? [n.key, n.value] : [n.term];
        const vis = this.extend(visible, n.body, heads);
        const after = this.body(n.body, bound, vis);
        if (!after) return;
        for (const h of heads) if (!evalOut(h, after, vis)) this.reportUnbound([h], after, vis, new Set());
        return;
      }
      default:
        return;
    }
  }

  private extend(visible: ReadonlySet<string>, body: Body, heads: Term[]): Set<string> {
    const s = new Set(visible);
    for (const e of body) topVars(e).forEach((v) => s.add(v.name));
    for (const h of heads) topVars(h).forEach((v) => s.add(v.name));
    return s;
  }

  /** The variables to blame for an expression that cannot run: inputs, not the outputs it would bind. */
  private culprits(n: Expr | Term, bound: ReadonlySet<string>, visible: ReadonlySet<string>): VarTerm[] {
    const unbound = (t: Expr | Term) => {
      const top = topVars(t);
      const seen = new Set(top);
      // Closure variables of nested bodies must be bound outside too.
      const closure = deepVars(t).filter((v) => !seen.has(v) && visible.has(v.name));
      return [...top, ...closure].filter((v) => !GLOBAL_VARS.has(v.name) && !bound.has(v.name));
    };
    const pure = (t: Term): boolean =>
      t.type === "var" ||
      (t.type === "array" && t.items.every(pure)) ||
      (t.type === "object" && t.entries.every(([, v]) => pure(v)));
    if (n.type === "unify" || n.type === "assign") {
      const l = evalOut(n.left, bound, visible) ? [] : unbound(n.left);
      const r = evalOut(n.right, bound, visible) ? [] : unbound(n.right);
      const blame = [
        ...(pure(n.left) && r.length ? [] : l),
        ...(pure(n.right) && l.length && n.type !== "assign" ? [] : r),
      ];
      if (blame.length) return blame;
    }
    if (n.type === "term" && n.term.type === "call" && hasOutputArg(n.term)) {
      const ins = n.term.args.slice(0, -1).flatMap((a) => unbound(a));
      if (ins.length) return ins;
    }
    return unbound(n);
  }

  /** Variables an expression could bind if its inputs were bound. */
  private potentialOut(n: Expr | Term): Set<string> {
    const s = new Set<string>();
    const pure = (t: Term): boolean =>
      t.type === "var" ||
      (t.type === "array" && t.items.every(pure)) ||
      (t.type === "object" && t.entries.every(([, v]) => pure(v)));
    if (n.type === "assign") topVars(n.left).forEach((v) => s.add(v.name));
    else if (n.type === "unify") {
      if (pure(n.left)) topVars(n.left).forEach((v) => s.add(v.name));
      if (pure(n.right)) topVars(n.right).forEach((v) => s.add(v.name));
    } else if (n.type === "term" && n.term.type === "call" && hasOutputArg(n.term)) {
      topVars(n.term.args[n.term.args.length - 1]).forEach((v) => s.add(v.name));
    }
    return s;
  }

  private reportUnbound(
    ns: Array<Expr | Term>,
    bound: ReadonlySet<string>,
    visible: ReadonlySet<string>,
    reported: Set<string>,
  ): void {
    const before = this.diags.length;
    const blamed = ns.map((n) => this.culprits(n, bound, visible));
    // A var another literal could bind is a symptom, not the cause: blame the rest first.
    const outs = new Set<string>();
    ns.forEach((n, i) => {
      const own = new Set(blamed[i].map((v) => v.name));
      for (const v of this.potentialOut(n)) if (!own.has(v)) outs.add(v);
    });
    const roots = blamed.flat().filter((v) => !outs.has(v.name));
    for (const v of roots.length ? roots : blamed.flat()) {
      if (GLOBAL_VARS.has(v.name) || bound.has(v.name) || reported.has(v.name)) continue;
      reported.add(v.name);
      this.diags.push(diagnostic(DiagnosticCode.UnsafeVarError, `var ${displayName(v)} is unsafe`, v.loc));
    }
    if (this.diags.length === before && ns.length) {
      this.diags.push(diagnostic(DiagnosticCode.UnsafeVarError, "expression cannot be ordered safely", ns[0].loc));
    }
  }
}
