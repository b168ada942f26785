// Stage "resolve": give every name its meaning. Locals declared with `:=`, `some` and
// `every` are renamed apart (`x$3`) so nested scopes cannot collide; import aliases and
// package rule names become `data` refs; calls are bound to a builtin or a user function
// (unknown names and arity mismatches are type errors); `some ... in` becomes a ref
// iteration; `with` is reported as unsupported.
import { lookupBuiltin, type BuiltinSpec } from "../builtins/table";
import { diagnostic, DiagnosticCode, type Diagnostic } from "../diagnostics";
import type { Body, Expr, Location, Module, RefTerm, Term, VarTerm, WithModifier } from "../syntax/ast";
import { nodeAt, pathText, type Callee, type Program, type ResolvedWith, type RuleDef } from "./program";
import { deepVars, type ResolvedCall } from "./vars";

type Scope = Map<string, string>;

interface ModuleCtx {
  module: Module;
  /** alias -> ref path (head var name + string elements). */
  imports: Map<string, { head: "data" | "input"; path: string[] }>;
  ruleNames: Set<string>;
}

const str = (value: string, loc: Location): Term => ({ type: "string", value, loc });
const dataRef = (path: string[], loc: Location): RefTerm => ({
  type: "ref",
  head: { type: "var", name: "data", loc },
  path: path.map((p) => str(p, loc)),
  loc,
});

/** Resolves every rule body of the program in place. */
export function resolve(program: Program, diags: Diagnostic[]): void {
  const ruleNames = new Map<string, Set<string>>();
  for (const m of program.modules) {
    const key = m.package.join(".");
    const s = ruleNames.get(key) ?? new Set<string>();
    for (const r of m.rules) {
      const first = r.head.ref[0];
      if (first?.type === "string") s.add(first.value);
    }
    ruleNames.set(key, s);
  }
  const ctxs = new Map<Module, ModuleCtx>();
  for (const m of program.modules) {
    const imports = new Map<string, { head: "data" | "input"; path: string[] }>();
    for (const imp of m.imports) {
      const head = imp.path.head;
      if (head.type !== "var") continue;
      if (head.name !== "data" && head.name !== "input") continue; // rego.v1, future.keywords
      if (!imp.path.path.every((p) => p.type === "string")) {
        diags.push(diagnostic(DiagnosticCode.CompileError, "import path must contain only names", imp.loc));
        continue;
      }
      const path = imp.path.path.map((p) => (p.type === "string" ? p.value : ""));
      const alias = imp.alias ?? (path.length ? path[path.length - 1] : head.name);
      if (!imp.alias && path.length === 0) continue;
      // A rule and an import of the same name would make every use ambiguous.
      if (ruleNames.get(m.package.join("."))?.has(alias)) {
        diags.push(diagnostic(DiagnosticCode.CompileError, `import ${alias} conflicts with rule ${alias}`, imp.loc));
      }
      if (imports.has(alias)) {
        diags.push(diagnostic(DiagnosticCode.CompileError, `import ${alias} declared twice`, imp.loc));
      }
      imports.set(alias, { head: head.name, path });
    }
    ctxs.set(m, { module: m, imports, ruleNames: ruleNames.get(m.package.join(".")) ?? new Set() });
  }
  const r = new Resolver(program, diags);
  for (const g of program.groups) {
    for (const def of [...g.defs, ...(g.defaultDef ? [g.defaultDef] : [])]) r.resolveDef(def, ctxs.get(def.module)!);
  }
}

/** Builtins Rego v0 still has, by the v1 builtin that computes the same (OPA's --v0-compatible). */
const V0_BUILTINS: Readonly<Record<string, string>> = {
  re_match: "regex.match",
  set_diff: "minus",
  "net.cidr_overlap": "net.cidr_contains",
};

class Resolver {
  private counter = 0;
  /** Free variable names seen so far in each scope (for "referenced above"). */
  private readonly used = new WeakMap<Scope, Set<string>>();
  private ctx!: ModuleCtx;

  constructor(
    private readonly program: Program,
    private readonly diags: Diagnostic[],
  ) {}

  resolveDef(def: RuleDef, ctx: ModuleCtx): void {
    this.ctx = ctx;
    const resolveOne = (d: RuleDef) => {
      const scopes: Scope[] = [new Map()];
      if (d.args) {
        for (const a of d.args) for (const v of deepVars(a)) scopes[0].set(v.name, v.name);
        d.args = d.args.map((a) => this.term(a, scopes));
      }
      d.body = this.body(d.body, scopes);
      d.value = this.term(d.value, scopes);
      d.keys = d.keys.map((k) => this.term(k, scopes));
      if (d.setElement) d.setElement = this.term(d.setElement, scopes);
    };
    resolveOne(def);
    for (const e of def.elses) resolveOne(e);
  }

  /** OPA's builtin of that name, or a custom one the host declared. */
  private builtinSpec(name: string): BuiltinSpec | undefined {
    const spec = lookupBuiltin(name);
    if (spec && spec.unsupported === undefined) return spec;
    // A host may supply a builtin the compiler refuses (http.send, io.jwt.*).
    const arity = this.program.customBuiltins?.get(name);
    return arity === undefined ? spec : { arity };
  }

  private fresh(name: string): string {
    return `${name}$${++this.counter}`;
  }

  private lookup(name: string, scopes: Scope[]): string | undefined {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const r = scopes[i].get(name);
      if (r !== undefined) return r;
    }
    return undefined;
  }

  private declare(v: VarTerm, scopes: Scope[]): VarTerm {
    const top = scopes[scopes.length - 1];
    if (v.wildcard || v.name.startsWith("$")) return v;
    if (v.name === "input" || v.name === "data") {
      this.diags.push(diagnostic(DiagnosticCode.CompileError, `variables must not shadow ${v.name}`, v.loc));
      return v;
    }
    if (top.has(v.name)) {
      this.diags.push(diagnostic(DiagnosticCode.CompileError, `var ${v.name} assigned above`, v.loc));
      return { ...v, name: top.get(v.name)! };
    }
    if (this.used.get(top)?.has(v.name)) {
      // Declaring after use would silently split one name into two variables.
      this.diags.push(diagnostic(DiagnosticCode.CompileError, `var ${v.name} referenced above`, v.loc));
    }
    const n = this.fresh(v.name);
    top.set(v.name, n);
    return { ...v, name: n };
  }

  private declarePattern(t: Term, scopes: Scope[], inSome = false): Term {
    switch (t.type) {
      case "var":
        return this.declare(t, scopes);
      case "array":
        return { ...t, items: t.items.map((i) => this.declarePattern(i, scopes, inSome)) };
      case "object":
        return {
          ...t,
          entries: t.entries.map(
            ([k, v]) => [this.term(k, scopes), this.declarePattern(v, scopes, inSome)] as [Term, Term],
          ),
        };
      default:
        // `some f(x) in xs`: a ground term compared with each element.
        if (inSome) return this.term(t, scopes);
        if (
          t.type === "ref" &&
          t.head.type === "var" &&
          !t.path.length &&
          (t.head.name === "input" || t.head.name === "data")
        ) {
          this.diags.push(diagnostic(DiagnosticCode.CompileError, `variables must not shadow ${t.head.name}`, t.loc));
          return t;
        }
        this.diags.push(diagnostic(DiagnosticCode.CompileError, "cannot assign to this term", t.loc));
        return t;
    }
  }

  body(body: Body, scopes: Scope[]): Body {
    const out: Body = [];
    for (const e of body) {
      const r = this.expr(e, scopes);
      if (r) out.push(r);
    }
    return out;
  }

  private expr(e: Expr, scopes: Scope[]): Expr | undefined {
    const r = this.exprInner(e, scopes);
    if (r && e.with?.length) return { ...r, with: e.with.map((w) => this.withModifier(w, scopes)) };
    return r;
  }

  /**
   * `with input... as v`; `with data... as v` over base data, one rule, or a whole package;
   * `with f as g` / `with count as g` replacing a function or builtin by a function or a value.
   */
  private withModifier(w: WithModifier, scopes: Scope[]): WithModifier {
    // Targets name documents or functions, never locals: resolve imports and package rule names only.
    const t = this.term(w.target, []);
    const head = t.type === "ref" ? t.head : t;
    const path = t.type === "ref" ? t.path : [];
    const names = path.map((p) => (p.type === "string" ? p.value : ""));
    if (head.type !== "var" || !path.every((p) => p.type === "string")) {
      this.diags.push(
        diagnostic(DiagnosticCode.UnsupportedError, "unsupported: `with` target with a variable in its path", t.loc),
      );
      return w;
    }
    const out: WithModifier & ResolvedWith = { ...w, target: t, value: this.term(w.value, scopes) };
    let replacesFunction = false;
    if (head.name === "data") {
      let node = this.program.root;
      for (const [i, n] of names.entries()) {
        const c = node.children.get(n);
        if (!c) break;
        if (c.group && i < names.length - 1) {
          this.diags.push(
            diagnostic(
              DiagnosticCode.CompileError,
              `with keyword cannot partially replace virtual document(s) (${pathText(c.group.path)})`,
              t.loc,
            ),
          );
          return out;
        }
        node = c;
      }
      replacesFunction = nodeAt(this.program.root, names)?.group?.kind === "function";
    } else if (head.name !== "input") {
      const name = [head.name, ...names].join(".");
      const spec = this.builtinSpec(name);
      if (!spec || name.startsWith("internal.") || name === "equal" || name === "assign" || name === "eq") {
        this.diags.push(
          diagnostic(
            DiagnosticCode.TypeError,
            spec
              ? `with keyword replacing built-in function: target must not be ${name}`
              : `with keyword target must reference existing input, data, or a function (${name})`,
            t.loc,
          ),
        );
        return out;
      }
      out.builtin = name;
      replacesFunction = true;
    }
    if (replacesFunction) {
      const fn = this.functionValue(out.value);
      if (fn) out.fn = fn;
    }
    return out;
  }

  /** The function a `with` value names (a user function or a builtin), if it names one. */
  private functionValue(v: Term): Callee | undefined {
    const head = v.type === "ref" ? v.head : v;
    const path = v.type === "ref" ? v.path : [];
    if (head.type !== "var" || !path.every((p) => p.type === "string")) return undefined;
    const names = path.map((p) => (p.type === "string" ? p.value : ""));
    if (head.name === "data") {
      const g = nodeAt(this.program.root, names)?.group;
      return g?.kind === "function" ? { kind: "function", path: names, arity: g.arity ?? 0 } : undefined;
    }
    if (head.name === "input" || head.name.includes("$")) return undefined;
    const name = [head.name, ...names].join(".");
    const spec = this.builtinSpec(name);
    return spec ? { kind: "builtin", name, arity: spec.arity } : undefined;
  }

  private exprInner(e: Expr, scopes: Scope[]): Expr | undefined {
    switch (e.type) {
      case "term":
        return { ...e, term: this.term(e.term, scopes) };
      case "unify":
        return { ...e, left: this.term(e.left, scopes), right: this.term(e.right, scopes) };
      case "assign": {
        const right = this.term(e.right, scopes);
        const left = this.declarePattern(e.left, scopes);
        return { ...e, left, right };
      }
      case "not": {
        if (e.body) return { ...e, body: this.body(e.body, [...scopes, new Map()]) };
        const inner = this.expr(e.expr, scopes);
        return inner ? { ...e, expr: inner } : undefined;
      }
      case "some-decl":
        for (const v of e.vars) this.declare(v, scopes);
        return undefined;
      case "some-in": {
        const coll = this.term(e.collection, scopes);
        const key = e.key
          ? this.declarePattern(e.key, scopes, true)
          : ({ type: "var", name: `$some${++this.counter}`, wildcard: true, loc: e.loc } as VarTerm);
        const value = this.declarePattern(e.value, scopes, true);
        // `some k, v in xs` is `xs[k] = v`; constant and composite patterns are looked up or unified.
        const ref: RefTerm =
          coll.type === "ref"
            ? { ...coll, path: [...coll.path, key] }
            : { type: "ref", head: coll, path: [key], loc: coll.loc };
        return { type: "unify", left: ref, right: value, loc: e.loc };
      }
      case "every": {
        const domain = this.term(e.domain, scopes);
        const inner: Scope[] = [...scopes, new Map()];
        const key = e.key ? (this.declare(e.key, inner) as VarTerm) : undefined;
        const value = this.declare(e.value, inner) as VarTerm;
        const body = this.body(e.body, inner);
        return { ...e, key, value, domain, body };
      }
    }
  }

  /** Resolves a name that is not a local: import alias, package rule, or none. */
  private global(name: string, loc: Location): RefTerm | undefined {
    const imp = this.ctx.imports.get(name);
    if (imp)
      return { type: "ref", head: { type: "var", name: imp.head, loc }, path: imp.path.map((p) => str(p, loc)), loc };
    if (this.ctx.ruleNames.has(name)) return dataRef([...this.ctx.module.package, name], loc);
    return undefined;
  }

  term(t: Term, scopes: Scope[]): Term {
    switch (t.type) {
      case "null":
      case "boolean":
      case "number":
      case "string":
        return t;
      case "var": {
        if (t.name === "input" || t.name === "data") return t;
        const local = this.lookup(t.name, scopes);
        if (local !== undefined) return { ...t, name: local };
        if (!t.wildcard) {
          const g = this.global(t.name, t.loc);
          if (g) return g;
        }
        const top = scopes[scopes.length - 1];
        if (top) {
          const used = this.used.get(top) ?? new Set<string>();
          used.add(t.name);
          this.used.set(top, used);
        }
        return t;
      }
      case "ref": {
        const head = this.term(t.head, scopes);
        const path = t.path.map((p) => this.term(p, scopes));
        if (head.type === "ref") return { ...t, head: head.head, path: [...head.path, ...path] };
        return { ...t, head, path };
      }
      case "array":
        return { ...t, items: t.items.map((i) => this.term(i, scopes)) };
      case "set":
        return { ...t, items: t.items.map((i) => this.term(i, scopes)) };
      case "object":
        return {
          ...t,
          entries: t.entries.map(([k, v]) => [this.term(k, scopes), this.term(v, scopes)] as [Term, Term]),
        };
      case "arraycomp":
      case "setcomp": {
        const inner: Scope[] = [...scopes, new Map()];
        const body = this.body(t.body, inner);
        return { ...t, body, term: this.term(t.term, inner) };
      }
      case "objectcomp": {
        const inner: Scope[] = [...scopes, new Map()];
        const body = this.body(t.body, inner);
        return { ...t, body, key: this.term(t.key, inner), value: this.term(t.value, inner) };
      }
      case "call":
        return this.call(t, scopes);
    }
  }

  /**
   * `print(a, b)` is `internal.print([{x | x := a}, {y | y := b}])` (as OPA rewrites it): an
   * undefined argument is an empty set, so print still runs and shows `<undefined>`.
   */
  private printCall(t: ResolvedCall, scopes: Scope[]): Term | undefined {
    const op = t.operator;
    if (op.head.type !== "var" || op.head.name !== "print" || op.path.length) return undefined;
    if (this.lookup("print", scopes) !== undefined || this.global("print", op.loc)) return undefined;
    const sets: Term[] = t.args.map((a) => {
      const v: VarTerm = { type: "var", name: `$print${++this.counter}`, wildcard: true, loc: a.loc };
      return { type: "setcomp", term: v, body: [{ type: "assign", left: v, right: a, loc: a.loc }], loc: a.loc };
    });
    const operator: RefTerm = {
      type: "ref",
      head: { type: "var", name: "internal", loc: op.loc },
      path: [str("print", op.loc)],
      loc: op.loc,
    };
    const rewritten: ResolvedCall = { ...t, operator, args: [{ type: "array", items: sets, loc: t.loc }] };
    return this.call(rewritten, scopes);
  }

  private call(t: ResolvedCall, scopes: Scope[]): Term {
    const printed = this.printCall(t, scopes);
    if (printed) return printed;
    const args = t.args.map((a) => this.term(a, scopes));
    const op = t.operator;
    const out: ResolvedCall = { ...t, args };
    if (op.head.type !== "var" || !op.path.every((p) => p.type === "string")) {
      this.diags.push(diagnostic(DiagnosticCode.UnsupportedError, "unsupported: dynamic function reference", op.loc));
      return out;
    }
    const names = [op.head.name, ...op.path.map((p) => (p.type === "string" ? p.value : ""))];
    const shown = names.join(".");
    if (this.lookup(names[0], scopes) !== undefined) {
      this.diags.push(
        diagnostic(DiagnosticCode.UnsupportedError, `unsupported: call of local variable ${shown}`, op.loc),
      );
      return out;
    }
    let dataPath: string[] | undefined;
    if (names[0] === "data") dataPath = names.slice(1);
    else {
      const g = this.global(names[0], op.loc);
      if (g) {
        if (g.head.type === "var" && g.head.name === "input") {
          this.diags.push(diagnostic(DiagnosticCode.TypeError, `undefined function ${shown}`, op.loc));
          return out;
        }
        dataPath = [...g.path.map((p) => (p.type === "string" ? p.value : "")), ...names.slice(1)];
      }
    }
    let callee: Callee | undefined;
    if (dataPath) {
      const g = nodeAt(this.program.root, dataPath)?.group;
      if (!g) {
        this.diags.push(diagnostic(DiagnosticCode.TypeError, `undefined function ${pathText(dataPath)}`, op.loc));
        return out;
      }
      if (g.kind !== "function") {
        this.diags.push(diagnostic(DiagnosticCode.TypeError, `${pathText(dataPath)} is not a function`, op.loc));
        return out;
      }
      callee = { kind: "function", path: dataPath, arity: g.arity ?? 0 };
    } else {
      const name = (this.ctx.module.v0 && V0_BUILTINS[shown]) || shown;
      const spec = this.builtinSpec(name);
      if (!spec) {
        this.diags.push(diagnostic(DiagnosticCode.TypeError, `undefined function ${shown}`, op.loc));
        return out;
      }
      if (spec.unsupported !== undefined) {
        this.diags.push(
          diagnostic(DiagnosticCode.UnsupportedError, `unsupported builtin ${shown}: ${spec.unsupported}`, op.loc),
        );
        return out;
      }
      callee = { kind: "builtin", name, arity: spec.arity };
    }
    if (args.length !== callee.arity && args.length !== callee.arity + 1) {
      const name = callee.kind === "builtin" ? callee.name : pathText(callee.path);
      this.diags.push(
        diagnostic(
          DiagnosticCode.TypeError,
          `${name}: arity mismatch: want ${callee.arity} arguments, have ${args.length}`,
          t.loc,
        ),
      );
      return out;
    }
    out.callee = callee;
    return out;
  }
}
