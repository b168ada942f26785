// Why did a test fail? Compiled code keeps no trace, so `rego-wasm test -v` asks it instead:
// for a failing test with body e1..en it compiles probe rules `__probe_k contains {vars} if
// { e1; ...; ek }`, evaluates them, and reports the first literal e(k+1) after the longest
// prefix that still holds, with the values its variables had there (a set: each solution).
import { loadPolicySync } from "@open-policy-agent/opa-wasm";
import { lookupBuiltin } from "../builtins/table";
import { compileModules, parseSources, requiredMemoryPages, type Source } from "../index";
import { hostImpls, type CustomBuiltins } from "./custom-builtins";
import type { Expr, Location, Module, Rule, Term, VarTerm } from "../syntax/ast";

/** Where a failing test stopped. */
export interface Explanation {
  /** The literal that did not hold after every literal before it did (absent when the whole body held). */
  failedAt?: { file: string; row: number; col: number; text: string };
  /** The values of the failing literal's operands (source text -> value; absent when undefined). */
  operands?: Array<{ text: string; value?: unknown }>;
  /** Up to three solutions of the literals before it: variable name -> value. */
  bindings?: Array<Record<string, unknown>>;
  /** Set when the probe itself could not be compiled or run. */
  unavailable?: string;
}

const PROBE = "__probe_";

function topVarNames(e: Expr | Term, out: Set<string>): void {
  const visit = (n: Expr | Term): void => {
    switch (n.type) {
      case "var":
        if (!n.wildcard && !n.name.startsWith("$")) out.add(n.name);
        return;
      case "ref":
        visit(n.head);
        n.path.forEach(visit);
        return;
      case "array":
      case "set":
        n.items.forEach(visit);
        return;
      case "object":
        n.entries.forEach(([k, v]) => (visit(k), visit(v)));
        return;
      case "call":
        n.args.forEach(visit);
        return;
      case "term":
        return visit(n.term);
      case "unify":
      case "assign":
        visit(n.left);
        return visit(n.right);
      case "some-decl":
        n.vars.forEach((v: VarTerm) => visit(v));
        return;
      case "some-in":
        if (n.key) visit(n.key);
        visit(n.value);
        return visit(n.collection);
      default:
        // not, every and comprehensions bind nothing outside themselves.
        return;
    }
  };
  visit(e);
}

function probeRule(test: Rule, k: number, withVars: boolean, names: Set<string>): Rule {
  const loc = test.head.loc;
  const vars = new Set<string>();
  if (withVars) for (const e of test.body.slice(0, k)) topVarNames(e, vars);
  const entries: Array<[Term, Term]> = [...vars]
    .filter((v) => !names.has(v) && v !== "input" && v !== "data")
    .sort()
    .map((v) => [
      { type: "string", value: v, loc },
      { type: "var", name: v, loc },
    ]);
  const key: Term = { type: "object", entries, loc };
  return {
    type: "rule",
    kind: "partial-set",
    default: false,
    head: { loc, ref: [{ type: "string", value: `${PROBE}${k}`, loc }], key, assign: false },
    body: test.body.slice(0, k),
    loc,
  };
}

/** The terms of a literal worth showing: a call and its arguments, both sides of `=`, the negated term. */
function operandTerms(e: Expr): Term[] {
  const shown = (t: Term) => t.type !== "string" && t.type !== "number" && t.type !== "boolean" && t.type !== "null";
  switch (e.type) {
    case "term": {
      const t = e.term;
      if (t.type !== "call") return [t].filter(shown);
      const op = t.operator;
      const name =
        op.head.type === "var"
          ? [op.head.name, ...op.path.map((p) => (p.type === "string" ? p.value : ""))].join(".")
          : "";
      const spec = lookupBuiltin(name);
      // A call binding its last argument has no value of its own; its inputs are what matter.
      if (spec && t.args.length === spec.arity + 1) return t.args.slice(0, -1).filter(shown);
      return (spec?.operator ? t.args : [t, ...t.args]).filter(shown);
    }
    case "unify":
      return [e.left, e.right].filter((t) => shown(t) && t.type !== "var");
    case "assign":
      return [e.right].filter(shown);
    case "not":
      return e.body ? [] : operandTerms(e.expr);
    default:
      return [];
  }
}

function operandProbe(test: Rule, k: number, j: number, term: Term): Rule {
  const loc = term.loc;
  const v: VarTerm = { type: "var", name: "__probe_value", loc };
  const e = test.body[k];
  const assign: Expr = { type: "assign", left: v, right: term, loc };
  if (e.with) assign.with = e.with;
  return {
    type: "rule",
    kind: "partial-set",
    default: false,
    head: { loc, ref: [{ type: "string", value: `${PROBE}t${k}_${j}`, loc }], key: v, assign: false },
    body: [...test.body.slice(0, k), assign],
    loc,
  };
}

function isTestRule(r: Rule): boolean {
  return r.head.ref.some(
    (t) => t.type === "string" && (t.value.startsWith("test_") || t.value.startsWith("todo_test_")),
  );
}

/** Explains one failing test by probing prefixes of its body; never throws. */
export function explainFailure(
  sources: Source[],
  test: { rule: Rule; module: Module },
  data: Record<string, unknown>,
  builtins?: CustomBuiltins,
  strictBuiltinErrors = false,
): Explanation {
  const at: Location = test.rule.loc;
  const attempt = (withVars: boolean, withOperands: boolean): Explanation | undefined => {
    let modules: Module[];
    try {
      modules = parseSources(sources);
    } catch {
      return undefined;
    }
    const mod = modules.find((m) => m.loc.file === at.file);
    const rule = mod?.rules.find((r) => r.loc.offset === at.offset);
    if (!mod || !rule) return undefined;
    // Other tests stay out: one unsupported test must not hide this one's explanation.
    for (const m of modules) m.rules = m.rules.filter((r) => !isTestRule(r));
    // Rule names and imports of the test's package are documents, not variables to show.
    const names = new Set<string>();
    for (const m of modules) {
      if (m.package.join(".") !== mod.package.join(".")) continue;
      for (const r of m.rules) if (r.head.ref[0].type === "string") names.add(r.head.ref[0].value);
    }
    for (const imp of mod.imports) {
      const last = imp.path.path[imp.path.path.length - 1];
      names.add(imp.alias ?? (last?.type === "string" ? last.value : ""));
    }
    const n = rule.body.length;
    const probes: Rule[] = [];
    for (let k = 0; k <= n; k++) probes.push(probeRule(rule, k, withVars, names));
    const operands: Array<{ k: number; text: string; index: number }> = [];
    if (withOperands) {
      for (let k = 0; k < n; k++) {
        operandTerms(rule.body[k]).forEach((t, j) => {
          operands.push({ k, text: mod.source.slice(t.loc.offset, t.loc.offset + t.loc.length), index: probes.length });
          probes.push(operandProbe(rule, k, j, t));
        });
      }
    }
    const host: Module = { ...mod, rules: [...mod.rules, ...probes] };
    const all = modules.map((m) => (m === mod ? host : m));
    let results: unknown[];
    const out0: Explanation = {};
    try {
      const eps = probes.map((p) => [...mod.package, (p.head.ref[0] as { value: string }).value].join("/"));
      const { wasm } = compileModules(all, {
        entrypoints: eps,
        customBuiltins: builtins?.decls,
        strictBuiltinErrors,
        memoryPages: 16384,
      });
      const memory = { initial: Math.max(5, requiredMemoryPages(wasm)) };
      const policy = loadPolicySync(wasm, memory, hostImpls(builtins?.impls, strictBuiltinErrors));
      policy.setData(data);
      const saved = console.log;
      console.log = () => undefined;
      try {
        results = eps.map((ep) => (policy.evaluate(undefined, ep) as Array<{ result: unknown }>)[0]?.result);
      } finally {
        console.log = saved;
      }
    } catch {
      return undefined;
    }
    let k = n;
    while (k > 0 && !(Array.isArray(results[k]) && (results[k] as unknown[]).length > 0)) k--;
    const shown = operands.filter((o) => o.k === k);
    if (shown.length) {
      out0.operands = shown.map((o) => {
        const vs = results[o.index] as unknown[] | undefined;
        return Array.isArray(vs) && vs.length ? { text: o.text, value: vs[0] } : { text: o.text };
      });
    }
    const out: Explanation = out0;
    const sols = results[k];
    if (withVars && Array.isArray(sols) && sols.length && Object.keys(sols[0] as object).length) {
      out.bindings = (sols as Array<Record<string, unknown>>).slice(0, 3);
    }
    if (k < n) {
      const e = rule.body[k];
      const text = mod.source.slice(e.loc.offset, e.loc.offset + e.loc.length);
      out.failedAt = { file: e.loc.file, row: e.loc.line, col: e.loc.col, text };
    }
    return out;
  };
  return (
    attempt(true, true) ??
    attempt(true, false) ??
    attempt(false, false) ?? { unavailable: "the failing test's body could not be probed" }
  );
}
