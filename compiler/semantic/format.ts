// Rego-like text of resolved programs, for `dumpStages` and test messages.
import type { Expr, Term } from "../syntax/ast";
import { pathText, type Program, type RuleDef, type RuleGroup } from "./program";
import { calleeOf } from "./vars";

/** Text of a term. */
export function termText(t: Term): string {
  switch (t.type) {
    case "null":
      return "null";
    case "boolean":
      return String(t.value);
    case "number":
      return t.raw;
    case "string":
      return JSON.stringify(t.value);
    case "var":
      return t.name;
    case "ref":
      return (
        termText(t.head) +
        t.path
          .map((p) =>
            p.type === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p.value) ? `.${p.value}` : `[${termText(p)}]`,
          )
          .join("")
      );
    case "array":
      return `[${t.items.map(termText).join(", ")}]`;
    case "set":
      return t.items.length ? `{${t.items.map(termText).join(", ")}}` : "set()";
    case "object":
      return `{${t.entries.map(([k, v]) => `${termText(k)}: ${termText(v)}`).join(", ")}}`;
    case "arraycomp":
      return `[${termText(t.term)} | ${t.body.map(exprText).join("; ")}]`;
    case "setcomp":
      return `{${termText(t.term)} | ${t.body.map(exprText).join("; ")}}`;
    case "objectcomp":
      return `{${termText(t.key)}: ${termText(t.value)} | ${t.body.map(exprText).join("; ")}}`;
    case "call": {
      const c = calleeOf(t);
      const name = c ? (c.kind === "builtin" ? c.name : pathText(c.path)) : termText(t.operator);
      return `${name}(${t.args.map(termText).join(", ")})`;
    }
  }
}

/** Text of a body literal. */
export function exprText(e: Expr): string {
  switch (e.type) {
    case "term":
      return termText(e.term);
    case "unify":
      return `${termText(e.left)} = ${termText(e.right)}`;
    case "assign":
      return `${termText(e.left)} := ${termText(e.right)}`;
    case "not":
      return e.body ? `not { ${e.body.map(exprText).join("; ")} }` : `not ${exprText(e.expr)}`;
    case "some-decl":
      return `some ${e.vars.map(termText).join(", ")}`;
    case "some-in":
      return `some ${e.key ? termText(e.key) + ", " : ""}${termText(e.value)} in ${termText(e.collection)}`;
    case "every":
      return `every ${e.key ? termText(e.key) + ", " : ""}${termText(e.value)} in ${termText(e.domain)} { ${e.body.map(exprText).join("; ")} }`;
  }
}

function defText(g: RuleGroup, d: RuleDef, prefix: string): string {
  const head =
    g.kind === "partial-set"
      ? `${prefix} contains ${termText(d.keys[0] ?? d.value)}`
      : g.kind === "partial-object"
        ? `${prefix}${d.keys.map((k) => `[${termText(k)}]`).join("")} := ${termText(d.value)}`
        : g.kind === "function"
          ? `${prefix}(${(d.args ?? []).map(termText).join(", ")}) := ${termText(d.value)}`
          : `${prefix} := ${termText(d.value)}`;
  const body = d.body.length ? ` if { ${d.body.map(exprText).join("; ")} }` : "";
  const elses = d.elses.map(
    (e) => ` else := ${termText(e.value)}${e.body.length ? ` if { ${e.body.map(exprText).join("; ")} }` : ""}`,
  );
  return head + body + elses.join("");
}

/** Text of a whole program: one line per rule definition. */
export function programText(p: Program): string {
  const lines: string[] = [];
  for (const g of p.groups) {
    const name = pathText(g.path);
    if (g.defaultDef) lines.push(`default ${name} := ${termText(g.defaultDef.value)}`);
    for (const d of g.defs) lines.push(defText(g, d, name));
  }
  return lines.join("\n") + "\n";
}
