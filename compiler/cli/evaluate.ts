// `rego-wasm eval`: a query compiled as a synthetic module and evaluated once, printed in the
// shape of `opa eval --format json`. The query `e1; e2` becomes
//   package __rego_wasm_eval
//   result := [[[v1, v2], {"x": x, ...}] | __v1 := (e1-term) ...; ...]
// so every solution keeps its expression values and variable bindings, in evaluation order.
import { loadPolicySync } from "@open-policy-agent/opa-wasm";
import { lookupBuiltin } from "../builtins/table";
import { compileModules, parseSources, requiredMemoryPages, type Source } from "../index";
import { parseQuery } from "../syntax";
import { hostImpls, type CustomBuiltins } from "./custom-builtins";
import type { Body, Expr, Term } from "../syntax/ast";

/** The synthetic package the query is compiled into. */
export const EVAL_PACKAGE = "__rego_wasm_eval";
/** File name the query's positions refer to. */
export const QUERY_FILE = "<query>";

/** One expression of opa eval's result. */
export interface EvalExpression {
  value: unknown;
  text: string;
  location: { row: number; col: number };
}

/** opa eval --format json output: `{}` when the query is undefined. */
export interface EvalOutput {
  result?: Array<{ expressions: EvalExpression[]; bindings?: Record<string, unknown> }>;
}

/** Output variables of a query: named variables in order of appearance (not under `not`, not function names). */
export function queryVars(body: Body): string[] {
  const seen: string[] = [];
  const term = (t: Term | undefined): void => {
    if (!t) return;
    switch (t.type) {
      case "var":
        if (!t.wildcard && !t.name.startsWith("$") && !seen.includes(t.name)) seen.push(t.name);
        return;
      case "ref":
        if (!(t.head.type === "var" && (t.head.name === "data" || t.head.name === "input"))) term(t.head);
        t.path.forEach(term);
        return;
      case "array":
      case "set":
        t.items.forEach(term);
        return;
      case "object":
        t.entries.forEach(([k, v]) => (term(k), term(v)));
        return;
      case "call":
        t.args.forEach(term);
        return;
      default:
        return;
    }
  };
  const expr = (e: Expr): void => {
    switch (e.type) {
      case "term":
        return term(e.term);
      case "unify":
      case "assign":
        term(e.left);
        return term(e.right);
      case "some-decl":
        return e.vars.forEach(term);
      case "some-in":
        term(e.key);
        term(e.value);
        return term(e.collection);
      case "every":
        return term(e.domain);
      default:
        return;
    }
  };
  body.forEach(expr);
  return seen;
}

/** True for a call that binds its last argument (`count(xs, n)`): its value is `true`, not a term. */
function bindsOutput(e: Expr): boolean {
  if (e.type !== "term" || e.term.type !== "call") return false;
  const op = e.term.operator;
  if (op.head.type !== "var" || !op.path.every((p) => p.type === "string")) return false;
  const name = [op.head.name, ...op.path.map((p) => (p.type === "string" ? p.value : ""))].join(".");
  const spec = lookupBuiltin(name);
  return spec !== undefined && e.term.args.length === spec.arity + 1;
}

/** Builds the synthetic module text for a query; throws CompileError on query syntax errors. */
export function queryModule(query: string): { text: string; body: Body } {
  const body = parseQuery(query, QUERY_FILE);
  const vars = queryVars(body);
  const lines: string[] = [];
  const values: string[] = [];
  body.forEach((e, i) => {
    const src = query.slice(e.loc.offset, e.loc.offset + e.loc.length);
    if (e.type === "term" && !bindsOutput(e)) {
      const t = e.term;
      const termSrc = query.slice(t.loc.offset, t.loc.offset + t.loc.length);
      const withSrc = query.slice(t.loc.offset + t.loc.length, e.loc.offset + e.loc.length);
      lines.push(`__v${i} := (${termSrc})${withSrc}`, `__v${i} != false`);
      values.push(`__v${i}`);
    } else {
      lines.push(src);
      values.push("true");
    }
  });
  const bindings = `{${vars.map((v) => `${JSON.stringify(v)}: ${v}`).join(", ")}}`;
  const text =
    `package ${EVAL_PACKAGE}\n\nresult := [__row |\n${lines.join("\n")}\n` +
    `__row := [[${values.join(", ")}], ${bindings}]\n]\n`;
  return { text, body };
}

/**
 * Evaluates a query against the modules and data; throws CompileError (query or policy) or
 * the SDK's evaluation error.
 */
export function evaluateQuery(
  sources: Source[],
  query: string,
  options: {
    data?: Record<string, unknown>;
    input?: unknown;
    builtins?: CustomBuiltins;
    /** Abort on the first builtin error; default false, as opa eval (the call is undefined). */
    strictBuiltinErrors?: boolean;
  } = {},
): EvalOutput {
  const { text, body } = queryModule(query);
  const modules = parseSources([...sources, { file: `${QUERY_FILE}.rego`, text }]);
  const { wasm } = compileModules(modules, {
    entrypoints: [`${EVAL_PACKAGE}/result`],
    customBuiltins: options.builtins?.decls,
    strictBuiltinErrors: options.strictBuiltinErrors ?? false,
    memoryPages: 16384,
  });
  const memory = { initial: Math.max(5, requiredMemoryPages(wasm)) };
  const policy = loadPolicySync(wasm, memory, hostImpls(options.builtins?.impls, options.strictBuiltinErrors));
  policy.setData(options.data ?? {});
  const rs = policy.evaluate(options.input, `${EVAL_PACKAGE}/result`) as Array<{ result: unknown }>;
  const rows = (rs[0]?.result ?? []) as Array<[unknown[], Record<string, unknown>]>;
  if (!rows.length) return {};
  return {
    result: rows.map(([vals, bindings]) => {
      const row: { expressions: EvalExpression[]; bindings?: Record<string, unknown> } = {
        expressions: body.map((e, i) => ({
          value: vals[i],
          text: query.slice(e.loc.offset, e.loc.offset + e.loc.length),
          location: { row: e.loc.line, col: e.loc.col },
        })),
      };
      if (Object.keys(bindings).length) row.bindings = bindings;
      return row;
    }),
  };
}
