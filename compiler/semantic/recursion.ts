// Stage "recursion": rules may not depend on themselves (directly or through other rules,
// functions or whole-package refs); each cycle is one rego_recursion_error.
import { diagnostic, DiagnosticCode, type Diagnostic } from "../diagnostics";
import type { Expr, Term } from "../syntax/ast";
import { pathText, type Program, type RuleDef, type RuleGroup, type TreeNode } from "./program";
import { calleeOf } from "./vars";

function groupsUnder(node: TreeNode, out: RuleGroup[]): void {
  if (node.group) out.push(node.group);
  for (const c of node.children.values()) groupsUnder(c, out);
}

/** Rule groups a data path (static prefix of a ref) may read. */
export function groupsForPath(root: TreeNode, path: string[]): RuleGroup[] {
  let node = root;
  const out: RuleGroup[] = [];
  for (const p of path) {
    if (node.group) return [node.group];
    const c = node.children.get(p);
    if (!c) return out;
    node = c;
  }
  groupsUnder(node, out);
  return out;
}

function visit(n: Term | Expr, f: (path: string[]) => void): void {
  switch (n.type) {
    case "ref": {
      if (n.head.type === "var" && n.head.name === "data") {
        const path: string[] = [];
        for (const p of n.path) {
          // Numbers address base data by their text (see the planner's planDataRef).
          if (p.type === "number") path.push(String(Number(p.raw)));
          else if (p.type !== "string") break;
          else path.push(p.value);
        }
        f(path);
      } else visit(n.head, f);
      n.path.forEach((p) => visit(p, f));
      return;
    }
    case "var":
      if (n.name === "data") f([]);
      return;
    case "array":
    case "set":
      n.items.forEach((i) => visit(i, f));
      return;
    case "object":
      n.entries.forEach(([k, v]) => (visit(k, f), visit(v, f)));
      return;
    case "call": {
      const c = calleeOf(n);
      if (c?.kind === "function") f(c.path);
      n.args.forEach((a) => visit(a, f));
      return;
    }
    case "arraycomp":
    case "setcomp":
      visit(n.term, f);
      n.body.forEach((e) => visit(e, f));
      return;
    case "objectcomp":
      visit(n.key, f);
      visit(n.value, f);
      n.body.forEach((e) => visit(e, f));
      return;
    case "term":
      return visit(n.term, f);
    case "unify":
    case "assign":
      visit(n.left, f);
      return visit(n.right, f);
    case "not":
      n.body?.forEach((e) => visit(e, f));
      return visit(n.expr, f);
    case "every":
      visit(n.domain, f);
      n.body.forEach((e) => visit(e, f));
      return;
    default:
      return;
  }
}

function defTerms(d: RuleDef): Array<Term | Expr> {
  const withs = d.body.flatMap((e) => (e.with ?? []).map((w) => w.value));
  return [
    ...d.body,
    ...withs,
    d.value,
    ...d.keys,
    ...(d.setElement ? [d.setElement] : []),
    ...(d.args ?? []),
    ...d.elses.flatMap(defTerms),
  ];
}

/** The rule groups each group reads directly (refs, calls, whole-package refs). */
export function directDependencies(program: Program): Map<RuleGroup, Set<RuleGroup>> {
  const deps = new Map<RuleGroup, Set<RuleGroup>>();
  for (const g of program.groups) {
    const s = new Set<RuleGroup>();
    for (const d of [...g.defs, ...(g.defaultDef ? [g.defaultDef] : [])]) {
      for (const t of defTerms(d)) visit(t, (path) => groupsForPath(program.root, path).forEach((x) => s.add(x)));
    }
    deps.set(g, s);
  }
  return deps;
}

/** Reports every dependency cycle among rule groups. */
export function checkRecursion(program: Program, diags: Diagnostic[]): void {
  const deps = directDependencies(program);
  // Tarjan's strongly connected components.
  let index = 0;
  const idx = new Map<RuleGroup, number>();
  const low = new Map<RuleGroup, number>();
  const stack: RuleGroup[] = [];
  const on = new Set<RuleGroup>();
  const strong = (v: RuleGroup): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of deps.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: RuleGroup[] = [];
      let w: RuleGroup;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || deps.get(v)!.has(v)) {
        comp.reverse();
        const cycle = [...comp, comp[0]].map((g) => pathText(g.path)).join(" -> ");
        diags.push(
          diagnostic(
            DiagnosticCode.RecursionError,
            `rule ${pathText(comp[0].path)} is recursive: ${cycle}`,
            comp[0].loc,
          ),
        );
      }
    }
  };
  for (const g of program.groups) if (!idx.has(g)) strong(g);
}
