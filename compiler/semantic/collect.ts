// Stage "collect": merge modules into one data tree (packages merge across files) and group
// rule definitions by their full data path; rules of different kinds on one path, several
// defaults, and rules that overlap rules below them are compile errors.
import { diagnostic, DiagnosticCode, type Diagnostic } from "../diagnostics";
import type { Module, Rule, Term } from "../syntax/ast";
import { pathText, type Program, type RuleDef, type RuleGroup, type TreeNode } from "./program";

function child(node: TreeNode, name: string): TreeNode {
  let c = node.children.get(name);
  if (!c) {
    c = { path: [...node.path, name], children: new Map() };
    node.children.set(name, c);
  }
  return c;
}

/** Where a rule lives: the group path, its kind, and the key terms after the path. */
export function rulePlacement(
  m: Module,
  rule: Rule,
): { path: string[]; kind: RuleGroup["kind"]; keys: Term[]; setElement?: Term } | { error: string } {
  const ref = rule.head.ref;
  const firstDynamic = ref.findIndex((t) => t.type !== "string");
  const strs = (ts: Term[]) => ts.map((t) => (t.type === "string" ? t.value : ""));
  if (rule.kind === "partial-set" && firstDynamic > 0) {
    // `a.b[x] contains y`: an object of sets; the set lives at the key path.
    return {
      path: [...m.package, ...strs(ref.slice(0, firstDynamic))],
      kind: "partial-object",
      keys: ref.slice(firstDynamic),
      setElement: rule.head.key,
    };
  }
  if (rule.kind === "function" || rule.kind === "partial-set") {
    if (firstDynamic >= 0)
      return {
        error: `rule head with a variable in its reference (${rule.kind === "function" ? "function" : "partial set"})`,
      };
    const keys = rule.kind === "partial-set" && rule.head.key ? [rule.head.key] : [];
    return { path: [...m.package, ...strs(ref)], kind: rule.kind, keys };
  }
  if (firstDynamic < 0) return { path: [...m.package, ...strs(ref)], kind: "complete", keys: [] };
  if (firstDynamic === 0) return { error: "rule head starting with a non-name" };
  if (rule.default) return { error: "default rule with a variable in its reference" };
  return {
    path: [...m.package, ...strs(ref.slice(0, firstDynamic))],
    kind: "partial-object",
    keys: ref.slice(firstDynamic),
  };
}

/** Builds the data tree and rule groups; bodies are not touched yet. */
export function collect(modules: Module[], diags: Diagnostic[]): Program {
  const root: TreeNode = { path: [], children: new Map() };
  const groups: RuleGroup[] = [];
  for (const m of modules) {
    let node = root;
    for (const p of m.package) node = child(node, p);
  }
  for (const m of modules) {
    for (const rule of m.rules) {
      const place = rulePlacement(m, rule);
      if ("error" in place) {
        diags.push(diagnostic(DiagnosticCode.UnsupportedError, `unsupported: ${place.error}`, rule.head.loc));
        continue;
      }
      let node = root;
      for (const p of place.path) node = child(node, p);
      const def: RuleDef = {
        rule,
        keys: place.keys,
        setElement: place.setElement,
        value: rule.head.value ?? { type: "boolean", value: true, loc: rule.head.loc },
        args: rule.head.args,
        body: rule.body,
        elses: (rule.else ?? []).map((e) => ({
          rule: e,
          keys: [],
          value: e.head.value ?? { type: "boolean", value: true, loc: e.head.loc },
          args: rule.head.args,
          body: e.body,
          elses: [],
          module: m,
        })),
        module: m,
      };
      let g = node.group;
      if (!g) {
        g = { path: place.path, kind: place.kind, defs: [], loc: rule.loc };
        if (place.kind === "function") g.arity = rule.head.args?.length ?? 0;
        node.group = g;
        groups.push(g);
      } else if (g.kind !== place.kind || (g.kind === "function" && g.arity !== (rule.head.args?.length ?? 0))) {
        diags.push(diagnostic(DiagnosticCode.TypeError, `conflicting rules ${pathText(place.path)} found`, rule.loc));
        continue;
      }
      if (rule.default) {
        if (g.defaultDef) {
          diags.push(
            diagnostic(DiagnosticCode.TypeError, `multiple default rules ${pathText(place.path)} found`, rule.loc),
          );
          continue;
        }
        g.defaultDef = def;
      } else {
        g.defs.push(def);
      }
    }
  }
  const program: Program = { modules, root, groups };
  absorbIntoObjects(program, root, diags);
  checkOverlaps(root, diags);
  return program;
}

/**
 * A partial object `p[k] := v` also holds the rules below it (`p.foo := 1`, `p.q[x] := y`,
 * `p.s[x] contains y`): they become definitions of p with their relative path as leading keys.
 */
function absorbIntoObjects(program: Program, node: TreeNode, diags: Diagnostic[]): void {
  const g = node.group;
  if (g?.kind === "partial-object" && node.children.size) {
    const below: Array<{ rel: string[]; group: RuleGroup }> = [];
    const walk = (n: TreeNode, rel: string[]) => {
      for (const [k, c] of n.children) {
        if (c.group) below.push({ rel: [...rel, k], group: c.group });
        walk(c, [...rel, k]);
      }
    };
    walk(node, []);
    for (const { rel, group } of below) {
      if (group.kind === "function" || group.defaultDef || group.kind === "partial-set") {
        diags.push(
          diagnostic(
            DiagnosticCode.UnsupportedError,
            `unsupported: rule ${pathText(group.path)} inside partial object ${pathText(g.path)}`,
            group.loc,
          ),
        );
        continue;
      }
      for (const d of group.defs) {
        if (d.elses.length) {
          diags.push(
            diagnostic(
              DiagnosticCode.UnsupportedError,
              `unsupported: else inside partial object ${pathText(g.path)}`,
              d.rule.loc,
            ),
          );
          continue;
        }
        const loc = d.rule.head.loc;
        g.defs.push({ ...d, keys: [...rel.map((value) => ({ type: "string", value, loc }) as Term), ...d.keys] });
      }
      program.groups.splice(program.groups.indexOf(group), 1);
    }
    node.children.clear();
    return;
  }
  for (const c of node.children.values()) absorbIntoObjects(program, c, diags);
}

function checkOverlaps(node: TreeNode, diags: Diagnostic[]): void {
  if (node.group && node.children.size > 0) {
    const below = [...node.children.keys()].join(", ");
    diags.push(
      diagnostic(
        DiagnosticCode.TypeError,
        `rule ${pathText(node.path)} conflicts with rules or packages below it (${below})`,
        node.group.loc,
      ),
    );
  }
  for (const c of node.children.values()) checkOverlaps(c, diags);
}
