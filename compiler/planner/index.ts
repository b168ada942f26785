// Planning: the checked Program -> IR Policy, after OPA's internal/planner. Planning is in
// continuation-passing style: each literal is planned with a callback that plans the rest
// of the body *inside* whatever it opened (a Scan for iteration, nothing for a lookup), so
// iteration needs no backtracking at run time. One Func per rule group and per data-tree
// node that is read as a whole; one Plan per entrypoint.
//
// Invariants worth knowing:
// - "Did this sub-plan succeed?" (`not`, `every`) is a flag set at the end of the sub-plan,
//   never a NotStmt around it: a Scan runs to completion whether or not an iteration succeeded.
// - Rule Funcs take (input, data) only, so the emitter may memoise them per evaluation.
//   `with` on input/data passes other locals; `with` on a rule plans variants of the Funcs
//   that can see it, taking the replacement values as extra parameters.
// - Locals that a loop body reuses are reset (ResetLocal) before use.
import { CompileError, diagnostic, DiagnosticCode } from "../diagnostics";
import {
  DATA_LOCAL,
  INPUT_LOCAL,
  type Block,
  type Func,
  type Local,
  type Operand,
  type Plan,
  type Policy,
  type Stmt,
  type StmtLoc,
} from "../ir/types";
import {
  nodeAt,
  pathText,
  type Callee,
  type Program,
  type ResolvedWith,
  type RuleDef,
  type RuleGroup,
  type TreeNode,
} from "../semantic/program";
import { directDependencies } from "../semantic/recursion";
import type { Body, Expr, Location, RefTerm, Term, WithModifier } from "../syntax/ast";
import { calleeOf, hasOutputArg, hasUnbound, planUnifyOrder, type ResolvedCall } from "../semantic/vars";
import { lookupBuiltin } from "../builtins/table";

/** Plans every entrypoint (slash paths below data, e.g. `test/p`) of a checked program. */
export function plan(program: Program, entrypoints: string[]): Policy {
  const b = new PolicyBuilder(program);
  const plans: Plan[] = entrypoints.map((ep) => b.planEntrypoint(ep));
  b.drain();
  return {
    strings: b.strings,
    builtins: [...b.builtins.entries()]
      .sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0))
      .map(([name, arity]) => ({ name, arity })),
    plans,
    funcs: b.funcs,
  };
}

function unsupported(message: string, loc: Location): CompileError {
  return new CompileError([diagnostic(DiagnosticCode.UnsupportedError, message, loc)]);
}

function stmtLoc(loc: Location): StmtLoc {
  return { file: loc.file, row: loc.line, col: loc.col };
}

class PolicyBuilder {
  readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  readonly builtins = new Map<string, number>();
  readonly funcs: Func[] = [];
  private readonly names = new Set<string>();
  private readonly deps: Map<RuleGroup, Set<RuleGroup>>;
  private readonly reachCache = new Map<RuleGroup, Set<RuleGroup>>();
  private readonly builtinUse = new Map<RuleGroup, Set<string>>();
  private readonly queue: Array<() => void> = [];

  constructor(readonly program: Program) {
    this.deps = directDependencies(program);
  }

  str(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  /**
   * The Func name of a rule group, planning it on first use. With `mocks` (rules replaced by
   * `with`), a variant that takes their values as extra parameters after input and data.
   */
  groupFunc(g: RuleGroup, mocks: MockSpec[] = []): string {
    const n = `g0.${pathText(g.path)}${variantSuffix(mocks)}`;
    if (!this.names.has(n)) {
      this.names.add(n);
      this.queue.push(() => this.funcs.push(new FnPlanner(this, mocks).group(g, n)));
    }
    return n;
  }

  /** The Func name of a tree node's whole document (virtual docs merged with base data). */
  nodeFunc(node: TreeNode, mocks: MockSpec[] = []): string {
    const n = `g0.${pathText(node.path)}${variantSuffix(mocks)}`;
    if (!this.names.has(n)) {
      this.names.add(n);
      this.queue.push(() => this.funcs.push(new FnPlanner(this, mocks).node(node, n)));
    }
    return n;
  }

  /** True if evaluating `g` may call builtin `name` (directly or through the rules it reads). */
  callsBuiltin(g: RuleGroup, name: string): boolean {
    const direct = (x: RuleGroup) => {
      let s = this.builtinUse.get(x);
      if (!s) {
        s = builtinsCalled(x);
        this.builtinUse.set(x, s);
      }
      return s.has(name);
    };
    if (direct(g)) return true;
    for (const x of this.reach(g)) if (direct(x)) return true;
    return false;
  }

  /** Every group `g` reads, directly or through other rules. */
  reach(g: RuleGroup): Set<RuleGroup> {
    let r = this.reachCache.get(g);
    if (!r) {
      r = new Set<RuleGroup>();
      const todo = [...(this.deps.get(g) ?? [])];
      while (todo.length) {
        const x = todo.pop()!;
        if (r.has(x)) continue;
        r.add(x);
        todo.push(...(this.deps.get(x) ?? []));
      }
      this.reachCache.set(g, r);
    }
    return r;
  }

  planEntrypoint(ep: string): Plan {
    const path = ep.split("/").filter((p) => p !== "");
    // Fail closed: an entrypoint that names no rule or package would silently be undefined.
    let node: TreeNode | undefined = this.program.root;
    for (const p of path) {
      if (!node || node.group) break;
      node = node.children.get(p);
    }
    if (!node) {
      const loc: Location = { file: "<entrypoint>", line: 1, col: 1, offset: 0, length: 0 };
      throw new CompileError([
        diagnostic(DiagnosticCode.CompileError, `entrypoint ${ep} does not refer to a rule or package`, loc),
      ]);
    }
    if (node.group?.kind === "function") {
      const loc = node.group.loc;
      throw new CompileError([diagnostic(DiagnosticCode.CompileError, `entrypoint ${ep} refers to a function`, loc)]);
    }
    const p = new FnPlanner(this);
    const loc: Location = { file: "<entrypoint>", line: 1, col: 1, offset: 0, length: 0 };
    const block = p.block(() =>
      p.planDataRef(
        path.map((s) => ({ type: "string", value: s, loc }) as Term),
        (v) => p.emit({ type: "ResultSetAdd", value: p.toLocal(v) }),
        loc,
      ),
    );
    return { name: path.join("/"), blocks: [block] };
  }

  drain(): void {
    while (this.queue.length) this.queue.shift()!();
  }
}

type Iter = () => void;
type ValueIter = (v: Operand) => void;

/** What `with` replaces: a rule group or a builtin (by name). */
type MockKey = RuleGroup | string;

/** One replacement a variant Func is planned under: by a value (a parameter) or by a function. */
interface MockSpec {
  key: MockKey;
  fn?: Callee;
}

/** A replacement in effect: the local holding the value, or the function to call instead. */
type Mock = { local: Local } | { fn: Callee };

function keyText(k: MockKey): string {
  return typeof k === "string" ? k : pathText(k.path);
}

function calleeText(c: Callee): string {
  return c.kind === "builtin" ? c.name : pathText(c.path);
}

function variantSuffix(mocks: MockSpec[]): string {
  const text = (m: MockSpec) => (m.fn ? `${keyText(m.key)}=${calleeText(m.fn)}` : keyText(m.key));
  return mocks.length ? `$with(${mocks.map(text).join(",")})` : "";
}

/** Builtin names a group's definitions call directly. */
function builtinsCalled(g: RuleGroup): Set<string> {
  const out = new Set<string>();
  const visit = (n: unknown): void => {
    if (!n || typeof n !== "object") return;
    if (Array.isArray(n)) return n.forEach(visit);
    const o = n as Record<string, unknown>;
    if (o.type === "call") {
      const c = calleeOf(o as unknown as Extract<Term, { type: "call" }>);
      if (c?.kind === "builtin") out.add(c.name);
    }
    for (const [k, v] of Object.entries(o)) if (k !== "loc" && k !== "module" && k !== "rule") visit(v);
  };
  for (const d of [...g.defs, ...(g.defaultDef ? [g.defaultDef] : [])]) {
    visit(d.body);
    visit(d.value);
    visit(d.keys);
    visit(d.args);
    visit(d.setElement);
    d.elses.forEach((e) => (visit(e.body), visit(e.value)));
  }
  return out;
}

function groupsBelow(node: TreeNode, out: RuleGroup[] = []): RuleGroup[] {
  if (node.group) out.push(node.group);
  for (const c of node.children.values()) groupsBelow(c, out);
  return out;
}

class FnPlanner {
  private next = 2;
  private cur: Stmt[] = [];
  private vars = new Map<string, Local>();
  /** The locals standing for input and data; `with` swaps them for one literal. */
  private inputLocal: Local = INPUT_LOCAL;
  private dataLocal: Local = DATA_LOCAL;
  /** Rules and builtins replaced by `with ... as`: the replacement value's local, or a function. */
  private mocks = new Map<MockKey, Mock>();
  /** Parameters receiving the replacement values of a variant Func, after input and data. */
  private readonly mockParams: Local[];
  /** The rule whose body is being planned, for rego.metadata.rule() and rego.metadata.chain(). */
  private active?: { def: RuleDef; path: string[] };

  constructor(
    private readonly b: PolicyBuilder,
    mockList: MockSpec[] = [],
  ) {
    this.mockParams = [];
    for (const m of mockList) {
      if (m.fn) {
        this.mocks.set(m.key, { fn: m.fn });
        continue;
      }
      const l = this.newLocal();
      this.mocks.set(m.key, { local: l });
      this.mockParams.push(l);
    }
  }

  /** The replacements a call of `target` can observe, in a canonical order. */
  private relevantMocks(target: RuleGroup | TreeNode): MockSpec[] {
    if (!this.mocks.size) return [];
    const groups = "children" in target ? groupsBelow(target) : [target];
    const builtins = new Set<string>();
    const seen = (k: MockKey) =>
      typeof k === "string"
        ? builtins.has(k) || groups.some((g) => this.b.callsBuiltin(g, k))
        : groups.some((g) => g === k || this.b.reach(g).has(k));
    // A replacement function is evaluated under the same replacements: what it calls counts too.
    const relevant = new Map<MockKey, Mock>();
    for (let grew = true; grew;) {
      grew = false;
      for (const [k, m] of this.mocks) {
        if (relevant.has(k) || !seen(k)) continue;
        relevant.set(k, m);
        grew = true;
        if ("fn" in m) {
          if (m.fn.kind === "builtin") builtins.add(m.fn.name);
          else {
            const g = nodeAt(this.b.program.root, m.fn.path)?.group;
            if (g) groups.push(g);
          }
        }
      }
    }
    return [...relevant.entries()]
      .map(([key, m]) => ("fn" in m ? { key, fn: m.fn } : { key }))
      .sort((a, b) => (keyText(a.key) < keyText(b.key) ? -1 : 1));
  }

  /** Arguments for calling a Func variant: input, data, then the replacement values. */
  private baseArgs(mocks: MockSpec[]): Operand[] {
    const values: Operand[] = [];
    for (const m of mocks) {
      const r = this.mocks.get(m.key);
      if (r && "local" in r) values.push(this.local(r.local));
    }
    return [this.local(this.inputLocal), this.local(this.dataLocal), ...values];
  }

  /** The local of a value replacement for `g` (checked defined: a package-wide `with` may not cover it), if any. */
  private mockedValue(g: RuleGroup): Local | undefined {
    const m = this.mocks.get(g);
    if (!m || !("local" in m)) return undefined;
    this.emit({ type: "IsDefined", source: m.local });
    return m.local;
  }

  // ---------- plumbing ----------

  newLocal(): Local {
    return this.next++;
  }

  emit(s: Stmt): void {
    this.cur.push(s);
  }

  block(f: () => void): Block {
    const saved = this.cur;
    this.cur = [];
    try {
      f();
      return { stmts: this.cur };
    } finally {
      this.cur = saved;
    }
  }

  toLocal(op: Operand): Local {
    if (op.kind === "local") return op.local;
    const l = this.newLocal();
    this.emit({ type: "AssignVar", source: op, target: l });
    return l;
  }

  private local(l: Local): Operand {
    return { kind: "local", local: l };
  }

  private bound(): Set<string> {
    return new Set(this.vars.keys());
  }

  private bind(name: string, l: Local, iter: Iter): void {
    const had = this.vars.has(name);
    const prev = this.vars.get(name);
    this.vars.set(name, l);
    iter();
    if (had) this.vars.set(name, prev!);
    else this.vars.delete(name);
  }

  // ---------- funcs ----------

  group(g: RuleGroup, name: string): Func {
    const params: Local[] = [INPUT_LOCAL, DATA_LOCAL, ...this.mockParams];
    const argStart = params.length;
    for (let i = 0; i < (g.arity ?? 0); i++) params.push(this.newLocal());
    const result = this.newLocal();
    const blocks: Block[] = [];
    const add = (f: () => void) => blocks.push(this.block(f));
    switch (g.kind) {
      case "complete":
      case "function":
        for (const d of g.defs) this.valueDef(d, params.slice(argStart), result, add, conflictMessage(g), g.path);
        if (g.defaultDef) {
          const d = g.defaultDef;
          add(() => {
            this.vars = new Map();
            this.active = { def: d, path: g.path };
            this.emit({ type: "IsUndefined", source: result });
            this.planTerm(d.value, (v) => this.emit({ type: "AssignVar", source: v, target: result }));
          });
        }
        break;
      case "partial-set":
        add(() => this.emit({ type: "MakeSet", target: result }));
        for (const d of g.defs) {
          add(() => {
            this.vars = new Map();
            this.active = { def: d, path: g.path };
            this.planBody(d.body, 0, () =>
              this.planTerm(d.keys[0], (k) => this.emit({ type: "SetAdd", set: result, value: k })),
            );
          });
        }
        break;
      case "partial-object":
        add(() => this.emit({ type: "MakeObject", target: result }));
        for (const d of g.defs) {
          add(() => {
            this.vars = new Map();
            this.active = { def: d, path: g.path };
            this.planBody(d.body, 0, () =>
              this.planTerms(d.keys, (ks) =>
                d.setElement
                  ? this.planTerm(d.setElement, (v) => this.insertPath(result, ks, v, d.rule.head.loc, true))
                  : this.planTerm(d.value, (v) => this.insertPath(result, ks, v, d.rule.head.loc)),
              ),
            );
          });
        }
        break;
    }
    return { name, params, result, blocks, path: ["data", ...g.path] };
  }

  /** Complete rules and functions: AssignVarOnce detects conflicting values; else chains go through a temporary. */
  private valueDef(
    d: RuleDef,
    params: Local[],
    result: Local,
    add: (f: () => void) => void,
    conflict: string,
    path: string[],
  ): void {
    const loc = stmtLoc(d.rule.head.loc);
    const branch = (x: RuleDef, target: Local, guard?: Local) =>
      add(() => {
        this.vars = new Map();
        this.active = { def: d, path };
        if (guard !== undefined) this.emit({ type: "IsUndefined", source: guard });
        this.unifyParams(x.args ?? [], params, 0, () =>
          this.planBody(x.body, 0, () =>
            this.planTerm(x.value, (v) =>
              this.emit({ type: "AssignVarOnce", source: v, target, loc: stmtLoc(x.rule.head.loc), conflict }),
            ),
          ),
        );
      });
    if (!d.elses.length) return branch(d, result);
    const t = this.newLocal();
    branch(d, t);
    for (const e of d.elses) branch(e, t, t);
    add(() => {
      this.emit({ type: "IsDefined", source: t });
      this.emit({ type: "AssignVarOnce", source: this.local(t), target: result, loc, conflict });
    });
  }

  private unifyParams(args: Term[], params: Local[], i: number, iter: Iter): void {
    if (i === args.length) return iter();
    this.planUnifyValue(args[i], this.local(params[i]), () => this.unifyParams(args, params, i + 1, iter));
  }

  /** Inserts value under a key path into nested objects, creating the intermediate ones. */
  private insertPath(obj: Local, keys: Operand[], value: Operand, loc: Location, intoSet = false): void {
    let o = obj;
    for (const [i, k] of keys.entries()) {
      const last = i === keys.length - 1;
      if (last && !intoSet) break;
      const t = this.newLocal();
      this.emit({ type: "ResetLocal", target: t });
      this.emit({ type: "Block", blocks: [{ stmts: [{ type: "Dot", source: this.local(o), key: k, target: t }] }] });
      this.emit({
        type: "Block",
        blocks: [
          {
            stmts: [
              { type: "IsUndefined", source: t },
              last ? { type: "MakeSet", target: t } : { type: "MakeObject", target: t },
              { type: "ObjectInsert", object: o, key: k, value: this.local(t) },
            ],
          },
        ],
      });
      this.emit(last ? { type: "IsSet", source: this.local(t) } : { type: "IsObject", source: this.local(t) });
      o = t;
    }
    if (intoSet) this.emit({ type: "SetAdd", set: o, value });
    else this.emit({ type: "ObjectInsertOnce", object: o, key: keys[keys.length - 1], value, loc: stmtLoc(loc) });
  }

  node(node: TreeNode, name: string): Func {
    const result = this.newLocal();
    const blocks: Block[] = [];
    blocks.push(
      this.block(() => {
        this.emit({ type: "MakeObject", target: result });
        for (const [key, c] of [...node.children.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
          if (c.group?.kind === "function") continue;
          const m = c.group ? this.mocks.get(c.group) : undefined;
          const mocked = m && "local" in m ? m.local : undefined;
          const t = this.newLocal();
          const rel = this.relevantMocks(c.group ?? c);
          const call: Stmt[] =
            mocked !== undefined
              ? [
                  { type: "IsDefined", source: mocked },
                  { type: "AssignVar", source: this.local(mocked), target: t },
                ]
              : [
                  {
                    type: "Call",
                    func: c.group ? this.b.groupFunc(c.group, rel) : this.b.nodeFunc(c, rel),
                    args: this.baseArgs(rel),
                    result: t,
                  },
                ];
          this.emit({
            type: "Block",
            blocks: [
              {
                stmts: [
                  ...call,
                  {
                    type: "ObjectInsert",
                    object: result,
                    key: { kind: "string", index: this.b.str(key) },
                    value: this.local(t),
                  },
                ],
              },
            ],
          });
        }
      }),
    );
    // Base documents under the same path merge with the virtual ones.
    blocks.push(
      this.block(() => {
        let src: Local = DATA_LOCAL;
        for (const p of node.path) {
          const t = this.newLocal();
          this.emit({ type: "Dot", source: this.local(src), key: { kind: "string", index: this.b.str(p) }, target: t });
          src = t;
        }
        this.emit({ type: "IsObject", source: this.local(src) });
        const m = this.newLocal();
        this.emit({ type: "ResetLocal", target: m });
        this.emit({ type: "Block", blocks: [{ stmts: [{ type: "ObjectMerge", a: src, b: result, target: m }] }] });
        // A leaf both documents define: OPA shows the base value, so base keys override.
        const k = this.newLocal();
        const v = this.newLocal();
        this.emit({
          type: "Block",
          blocks: [
            {
              stmts: [
                { type: "IsUndefined", source: m },
                {
                  type: "Scan",
                  source: src,
                  key: k,
                  value: v,
                  block: {
                    stmts: [{ type: "ObjectInsert", object: result, key: this.local(k), value: this.local(v) }],
                  },
                },
                { type: "AssignVar", source: this.local(result), target: m },
              ],
            },
          ],
        });
        this.emit({ type: "AssignVar", source: this.local(m), target: result });
      }),
    );
    return {
      name,
      params: [INPUT_LOCAL, DATA_LOCAL, ...this.mockParams],
      result,
      blocks,
      path: ["data", ...node.path],
    };
  }

  // ---------- bodies ----------

  planBody(body: Body, i: number, iter: Iter): void {
    if (i === body.length) return iter();
    this.planExpr(body[i], () => this.planBody(body, i + 1, iter));
  }

  private planExpr(e: Expr, iter: Iter): void {
    if (e.with?.length) return this.planWith(e, 0, iter);
    this.planLiteral(e, iter);
  }

  /** `with input.a as v` / `with data.x as v`: evaluate the literal against an upserted copy. */
  private planWith(e: Expr, i: number, iter: Iter): void {
    const mods = e.with!;
    if (i === mods.length) {
      return this.planLiteral(e, iter);
    }
    const m = mods[i];
    const target = m.target;
    if (target.type !== "ref" && target.type !== "var") throw unsupported("unsupported: `with` target", m.loc);
    const head = target.type === "var" ? target : target.head;
    const path = target.type === "ref" ? target.path : [];
    const rw = m as WithModifier & ResolvedWith;
    if (
      head.type !== "var" ||
      (head.name !== "input" && head.name !== "data" && !rw.builtin) ||
      !path.every((p) => p.type === "string")
    ) {
      throw unsupported("unsupported: `with` target other than input, data or a function", m.loc);
    }
    const keys = path.map((p) => (p.type === "string" ? p.value : ""));
    // Replacements cover this literal only: restore the previous ones around the rest of the body.
    const withMocks = (entries: Array<[MockKey, Mock]>, then: Iter) => {
      const saved = this.mocks;
      const inner = new Map(saved);
      for (const [k, v] of entries) inner.set(k, v);
      this.mocks = inner;
      this.planWith(e, i + 1, () => {
        this.mocks = saved;
        then();
        this.mocks = inner;
      });
      this.mocks = saved;
    };
    if (rw.builtin) {
      if (rw.fn) return withMocks([[rw.builtin, { fn: rw.fn }]], iter);
      return this.planTerm(m.value, (v) => withMocks([[rw.builtin!, { local: this.toLocal(v) }]], iter));
    }
    const targetNode = head.name === "data" ? nodeAt(this.b.program.root, keys) : undefined;
    const mockTarget = targetNode?.group;
    if (mockTarget) {
      if (rw.fn) return withMocks([[mockTarget, { fn: rw.fn }]], iter);
      return this.planTerm(m.value, (v) => withMocks([[mockTarget, { local: this.toLocal(v) }]], iter));
    }
    if (targetNode) {
      // A whole package (or any prefix of rules): every rule below reads its part of the value,
      // undefined where the value has none; base data below the path is replaced too.
      return this.planTerm(m.value, (v) => {
        const entries: Array<[MockKey, Mock]> = [];
        for (const g of groupsBelow(targetNode)) {
          if (g.kind === "function") continue;
          entries.push([g, { local: this.dotPath(v, g.path.slice(targetNode.path.length)) }]);
        }
        const replaced = this.upsert(this.dataLocal, keys, v);
        const saved = this.dataLocal;
        this.dataLocal = replaced;
        withMocks(entries, () => {
          const inner = this.dataLocal;
          this.dataLocal = saved;
          iter();
          this.dataLocal = inner;
        });
        this.dataLocal = saved;
      });
    }
    this.planTerm(m.value, (v) => {
      const isInput = head.name === "input";
      const base = isInput ? this.inputLocal : this.dataLocal;
      const replaced = this.upsert(base, keys, v);
      const swap = (l: Local) => {
        const prev = isInput ? this.inputLocal : this.dataLocal;
        if (isInput) this.inputLocal = l;
        else this.dataLocal = l;
        return prev;
      };
      const saved = swap(replaced);
      // The modifier applies to this literal only: restore before planning the rest.
      this.planWith(e, i + 1, () => {
        const inner = swap(saved);
        iter();
        swap(inner);
      });
      swap(saved);
    });
  }

  /** A local holding `v` at a key path, left unset (undefined) where the path does not exist. */
  private dotPath(v: Operand, keys: string[]): Local {
    const t = this.newLocal();
    this.emit({ type: "ResetLocal", target: t });
    const stmts: Stmt[] = [];
    let cur = v;
    for (const k of keys) {
      const n = this.newLocal();
      stmts.push({ type: "Dot", source: cur, key: { kind: "string", index: this.b.str(k) }, target: n });
      cur = this.local(n);
    }
    stmts.push({ type: "AssignVar", source: cur, target: t });
    this.emit({ type: "Block", blocks: [{ stmts }] });
    return t;
  }

  /** A copy of `src` with `value` at `keys` (objects are created where missing). */
  private upsert(src: Local, keys: string[], value: Operand): Local {
    if (!keys.length) return this.toLocal(value);
    const n = this.newLocal();
    const k = this.newLocal();
    const v = this.newLocal();
    const child = this.newLocal();
    const key: Operand = { kind: "string", index: this.b.str(keys[0]) };
    this.emit({ type: "MakeObject", target: n });
    this.emit({ type: "ResetLocal", target: child });
    this.emit({
      type: "Block",
      blocks: [
        {
          stmts: [
            { type: "IsDefined", source: src },
            { type: "IsObject", source: this.local(src) },
            {
              type: "Scan",
              source: src,
              key: k,
              value: v,
              block: {
                stmts: [
                  { type: "NotEqual", a: this.local(k), b: key },
                  { type: "ObjectInsert", object: n, key: this.local(k), value: this.local(v) },
                ],
              },
            },
            { type: "Dot", source: this.local(src), key, target: child },
          ],
        },
      ],
    });
    const sub = this.upsert(child, keys.slice(1), value);
    this.emit({ type: "ObjectInsert", object: n, key, value: this.local(sub) });
    return n;
  }

  private planLiteral(e: Expr, iter: Iter): void {
    switch (e.type) {
      case "term": {
        const t = e.term;
        if (t.type === "call" && !hasOutputArg(t)) {
          const c = calleeOf(t);
          // Comparisons in literal position need no boolean value.
          if (c?.kind === "builtin" && (c.name === "equal" || c.name === "neq")) {
            return this.planTerm(t.args[0], (a) =>
              this.planTerm(t.args[1], (b2) => {
                this.emit({ type: c.name === "equal" ? "Equal" : "NotEqual", a, b: b2 });
                iter();
              }),
            );
          }
        }
        if (t.type === "call" && hasOutputArg(t)) {
          return this.planCall(t, iter);
        }
        const rel = relationOf(t);
        if (t.type === "call" && rel) {
          // A relation without an output argument holds if it has any result (OPA: len != 0).
          return this.planTerms(t.args, (ops) => {
            const r = this.newLocal();
            const c = rel;
            this.b.builtins.set(c.name, c.arity);
            this.emit({ type: "Call", func: c.name, args: ops, result: r, loc: stmtLoc(t.loc) });
            const len = this.newLocal();
            const zero = this.newLocal();
            this.emit({ type: "Len", source: this.local(r), target: len });
            this.emit({ type: "MakeNumberInt", value: 0, target: zero });
            this.emit({ type: "NotEqual", a: this.local(len), b: this.local(zero) });
            iter();
          });
        }
        return this.planTerm(t, (v) => {
          this.emit({ type: "NotEqual", a: v, b: { kind: "bool", value: false } });
          iter();
        });
      }
      case "unify":
      case "assign":
        return this.planUnify(e.left, e.right, iter, e.loc);
      case "not": {
        const saved = this.vars;
        this.vars = new Map(saved);
        const body = e.body;
        const found = this.succeeded((done) => (body ? this.planBody(body, 0, done) : this.planExpr(e.expr, done)));
        this.vars = saved;
        this.emit({ type: "IsUndefined", source: found });
        return iter();
      }
      case "every":
        // every x in xs { body } holds unless some element has no solution of body.
        return this.planTerm(e.domain, (d) => {
          const src = this.toLocal(d);
          const counter = this.newLocal();
          const k = this.newLocal();
          const v = this.newLocal();
          this.emit({ type: "ResetLocal", target: counter });
          const block = this.block(() => {
            const inner = () => {
              const ok = this.succeeded((done) => this.planBody(e.body, 0, done));
              this.emit({ type: "IsUndefined", source: ok });
              this.emit({ type: "AssignVar", source: { kind: "bool", value: true }, target: counter });
            };
            this.bind(e.value.name, v, () => (e.key ? this.bind(e.key.name, k, inner) : inner()));
          });
          this.emit({ type: "Scan", source: src, key: k, value: v, block });
          this.emit({ type: "IsUndefined", source: counter });
          iter();
        });
      case "some-decl":
        return iter();
      case "some-in":
        throw unsupported("unsupported: `some ... in` was not rewritten", e.loc);
    }
  }

  /**
   * Plans `f` in its own block and returns a local that is defined iff some path through it
   * reached its end. A NotStmt alone cannot tell this once `f` iterates: a Scan runs to
   * completion whether or not any iteration succeeded.
   */
  private succeeded(f: (done: Iter) => void): Local {
    const flag = this.newLocal();
    this.emit({ type: "ResetLocal", target: flag });
    const block = this.block(() =>
      f(() => this.emit({ type: "AssignVar", source: { kind: "bool", value: true }, target: flag })),
    );
    this.emit({ type: "Block", blocks: [block] });
    return flag;
  }

  // ---------- unification ----------

  private planUnify(a: Term, b: Term, iter: Iter, loc: Location): void {
    const order = planUnifyOrder(a, b, this.bound(), new Set());
    if (!order) throw unsupported("unsupported: cannot order this unification", loc);
    switch (order.kind) {
      case "mismatch":
        this.emit({ type: "Equal", a: { kind: "bool", value: true }, b: { kind: "bool", value: false } });
        return;
      case "pairs": {
        const step = (i: number): void => {
          if (i === order.order.length) return iter();
          const [x, y] = order.order[i];
          this.planUnify(x, y, () => step(i + 1), loc);
        };
        return step(0);
      }
      case "eval-left":
        return this.planTerm(a, (v) => this.planUnifyValue(b, v, iter));
      case "eval-right":
        return this.planTerm(b, (v) => this.planUnifyValue(a, v, iter));
    }
  }

  /** Unifies a pattern with a known value: binds its unbound vars, compares the rest. */
  private planUnifyValue(p: Term, v: Operand, iter: Iter): void {
    if (p.type === "var" && !this.vars.has(p.name) && p.name !== "input" && p.name !== "data") {
      return this.bind(p.name, this.toLocal(v), iter);
    }
    if (p.type === "array" && hasUnbound(p, this.bound())) {
      this.emit({ type: "IsArray", source: v });
      this.checkLen(v, p.items.length);
      const step = (i: number): void => {
        if (i === p.items.length) return iter();
        const idx = this.newLocal();
        const e = this.newLocal();
        this.emit({ type: "MakeNumberInt", value: i, target: idx });
        this.emit({ type: "Dot", source: v, key: this.local(idx), target: e });
        this.planUnifyValue(p.items[i], this.local(e), () => step(i + 1));
      };
      return step(0);
    }
    if (p.type === "object" && hasUnbound(p, this.bound())) {
      this.emit({ type: "IsObject", source: v });
      this.checkLen(v, p.entries.length);
      const step = (i: number): void => {
        if (i === p.entries.length) return iter();
        const [kt, vt] = p.entries[i];
        this.planTerm(kt, (k) => {
          const e = this.newLocal();
          this.emit({ type: "Dot", source: v, key: k, target: e });
          this.planUnifyValue(vt, this.local(e), () => step(i + 1));
        });
      };
      return step(0);
    }
    this.planTerm(p, (pv) => {
      this.emit({ type: "Equal", a: pv, b: v });
      iter();
    });
  }

  private checkLen(v: Operand, n: number): void {
    const len = this.newLocal();
    const want = this.newLocal();
    this.emit({ type: "Len", source: v, target: len });
    this.emit({ type: "MakeNumberInt", value: n, target: want });
    this.emit({ type: "Equal", a: this.local(len), b: this.local(want) });
  }

  // ---------- terms ----------

  /** Plans terms left to right; only terms that iterate nest the rest (large literals stay flat). */
  planTerms(ts: Term[], iter: (ops: Operand[]) => void): void {
    const ops: Operand[] = [];
    const step = (i: number): void => {
      const mark = ops.length;
      while (i < ts.length && !this.mayIterate(ts[i])) {
        let got: Operand | undefined;
        this.planTerm(ts[i], (v) => {
          got = v;
        });
        if (!got) throw unsupported("unsupported: internal planner error (term produced no value)", ts[i].loc);
        ops.push(got);
        i++;
      }
      if (i === ts.length) iter([...ops]);
      else
        this.planTerm(ts[i], (v) => {
          const before = ops.length;
          ops.push(v);
          step(i + 1);
          ops.length = before;
        });
      ops.length = mark;
    };
    step(0);
  }

  /** True if planning `t` may open a Scan (a ref with an unbound variable in its path). */
  private mayIterate(t: Term): boolean {
    switch (t.type) {
      case "ref":
        return (
          this.mayIterate(t.head) ||
          t.path.some((p) =>
            p.type === "var"
              ? !this.vars.has(p.name) && p.name !== "input" && p.name !== "data"
              : this.mayIterate(p) || ((p.type === "array" || p.type === "object") && hasUnbound(p, this.bound())),
          )
        );
      case "array":
      case "set":
        return t.items.some((x) => this.mayIterate(x));
      case "object":
        return t.entries.some(([k, v]) => this.mayIterate(k) || this.mayIterate(v));
      case "call":
        return relationOf(t) !== undefined || t.args.some((x) => this.mayIterate(x));
      default:
        return false;
    }
  }

  planTerm(t: Term, iter: ValueIter): void {
    switch (t.type) {
      case "null": {
        const l = this.newLocal();
        this.emit({ type: "MakeNull", target: l });
        return iter(this.local(l));
      }
      case "boolean":
        return iter({ kind: "bool", value: t.value });
      case "number": {
        const l = this.newLocal();
        const n = Number(t.raw);
        if (/^-?\d+$/.test(t.raw) && Number.isSafeInteger(n)) this.emit({ type: "MakeNumberInt", value: n, target: l });
        else this.emit({ type: "MakeNumberRef", index: this.b.str(t.raw), target: l });
        return iter(this.local(l));
      }
      case "string":
        return iter({ kind: "string", index: this.b.str(t.value) });
      case "var": {
        if (t.name === "input") {
          // input is unset (0) when the caller gave none: the term is undefined then.
          this.emit({ type: "IsDefined", source: this.inputLocal });
          return iter(this.local(this.inputLocal));
        }
        if (t.name === "data") return this.planDataRef([], iter, t.loc);
        const l = this.vars.get(t.name);
        if (l === undefined) throw unsupported(`unsupported: variable ${t.name} used before it is bound`, t.loc);
        return iter(this.local(l));
      }
      case "ref":
        return this.planRef(t, iter);
      case "array":
        return this.planTerms(t.items, (ops) => {
          const l = this.newLocal();
          this.emit({ type: "MakeArray", capacity: ops.length, target: l });
          for (const o of ops) this.emit({ type: "ArrayAppend", array: l, value: o });
          iter(this.local(l));
        });
      case "set":
        return this.planTerms(t.items, (ops) => {
          const l = this.newLocal();
          this.emit({ type: "MakeSet", target: l });
          for (const o of ops) this.emit({ type: "SetAdd", set: l, value: o });
          iter(this.local(l));
        });
      case "object":
        return this.planTerms(
          t.entries.flatMap(([k, v]) => [k, v]),
          (ops) => {
            const l = this.newLocal();
            this.emit({ type: "MakeObject", target: l });
            for (let i = 0; i < ops.length; i += 2)
              this.emit({ type: "ObjectInsert", object: l, key: ops[i], value: ops[i + 1] });
            iter(this.local(l));
          },
        );
      case "arraycomp":
      case "setcomp":
      case "objectcomp": {
        const l = this.newLocal();
        this.emit(
          t.type === "arraycomp"
            ? { type: "MakeArray", capacity: 0, target: l }
            : t.type === "setcomp"
              ? { type: "MakeSet", target: l }
              : { type: "MakeObject", target: l },
        );
        const block = this.block(() =>
          this.planBody(t.body, 0, () => {
            if (t.type === "arraycomp")
              this.planTerm(t.term, (v) => this.emit({ type: "ArrayAppend", array: l, value: v }));
            else if (t.type === "setcomp")
              this.planTerm(t.term, (v) => this.emit({ type: "SetAdd", set: l, value: v }));
            else
              this.planTerm(t.key, (k) =>
                this.planTerm(t.value, (v) =>
                  this.emit({ type: "ObjectInsertOnce", object: l, key: k, value: v, loc: stmtLoc(t.loc) }),
                ),
              );
          }),
        );
        this.emit({ type: "Block", blocks: [block] });
        return iter(this.local(l));
      }
      case "call":
        return this.planCall(t, undefined, iter);
    }
  }

  /** Plans a call; with an output argument (`count(x, n)`) the result is unified with it. */
  private planCall(t: Extract<Term, { type: "call" }>, iter?: Iter, valueIter?: ValueIter): void {
    const c = calleeOf(t);
    if (!c) throw unsupported("unsupported: unresolved call", t.loc);
    const output = hasOutputArg(t);
    const ins = output ? t.args.slice(0, -1) : t.args;
    if (c.kind === "builtin" && lookupBuiltin(c.name)?.inlined) {
      // rego.metadata.*: a constant of the rule the call is written in (OPA rewrites them at compile time).
      if (!this.active) throw unsupported(`unsupported: ${c.name} outside a rule`, t.loc);
      const value = regoMetadata(c.name, this.active.def, this.active.path, this.b.program);
      const term = jsonTerm(value, t.loc);
      return this.planTerm(term, (v) =>
        output ? this.planUnifyValue(t.args[t.args.length - 1], v, iter!) : valueIter!(v),
      );
    }
    const rel = relationOf(t);
    if (rel) {
      // A relation's native returns the collection of its results: one solution per element.
      return this.planTerms(ins, (ops) => {
        const r = this.newLocal();
        const c = rel;
        this.b.builtins.set(c.name, c.arity);
        this.emit({ type: "Call", func: c.name, args: ops, result: r, loc: stmtLoc(t.loc) });
        const k = this.newLocal();
        const v = this.newLocal();
        const block = this.block(() =>
          output ? this.planUnifyValue(t.args[t.args.length - 1], this.local(v), iter!) : valueIter!(this.local(v)),
        );
        this.emit({ type: "Scan", source: r, key: k, value: v, block });
      });
    }
    this.planTerms(ins, (ops) => {
      const r = this.newLocal();
      this.emitCall(c, ops, r, t.loc);
      if (output) this.planUnifyValue(t.args[t.args.length - 1], this.local(r), iter!);
      else valueIter!(this.local(r));
    });
  }

  /** Calls a builtin or function into `r`, honouring `with` replacements of it (by a value or another function). */
  private emitCall(c: Callee, ops: Operand[], r: Local, loc: Location, depth = 0): void {
    const g = c.kind === "function" ? nodeAt(this.b.program.root, c.path)?.group : undefined;
    if (c.kind === "function" && !g) throw unsupported(`unsupported: function ${pathText(c.path)} not found`, loc);
    const m = this.mocks.get(c.kind === "builtin" ? c.name : g!);
    if (m && "local" in m) {
      // `with f as value`: every call of f yields the value.
      this.emit({ type: "IsDefined", source: m.local });
      this.emit({ type: "AssignVar", source: this.local(m.local), target: r });
      return;
    }
    if (m && "fn" in m) {
      if (depth > 16) throw unsupported(`unsupported: \`with\` replacements of ${calleeText(c)} form a cycle`, loc);
      return this.emitCall(m.fn, ops, r, loc, depth + 1);
    }
    if (c.kind === "builtin") {
      this.b.builtins.set(c.name, c.arity);
      this.emit({ type: "Call", func: c.name, args: ops, result: r, loc: stmtLoc(loc) });
      return;
    }
    const rel = this.relevantMocks(g!);
    this.emit({
      type: "Call",
      func: this.b.groupFunc(g!, rel),
      args: [...this.baseArgs(rel), ...ops],
      result: r,
      loc: stmtLoc(loc),
    });
  }

  private planRef(t: Extract<Term, { type: "ref" }>, iter: ValueIter): void {
    const h = t.head;
    if (h.type === "var" && h.name === "data") return this.planDataRef(t.path, iter, t.loc);
    if (h.type === "var" && h.name === "input") {
      this.emit({ type: "IsDefined", source: this.inputLocal });
      return this.planRefPath(this.local(this.inputLocal), t.path, 0, iter);
    }
    this.planTerm(h, (base) => this.planRefPath(base, t.path, 0, iter));
  }

  private planRefPath(base: Operand, path: Term[], i: number, iter: ValueIter, baseData = false): void {
    if (i === path.length) return iter(base);
    const e = path[i];
    if (baseData && e.type === "number") {
      // Base data is JSON: `data.x[2]` is an array index or the object key "2".
      const t = this.newLocal();
      const n = this.newLocal();
      this.emit({ type: "ResetLocal", target: t });
      this.planTerm(e, (num) => {
        this.emit({ type: "Block", blocks: [{ stmts: [{ type: "Dot", source: base, key: num, target: t }] }] });
      });
      const text: Operand = { kind: "string", index: this.b.str(String(Number(e.raw))) };
      this.emit({
        type: "Block",
        blocks: [
          {
            stmts: [
              { type: "IsUndefined", source: t },
              { type: "Dot", source: base, key: text, target: n },
              { type: "AssignVar", source: this.local(n), target: t },
            ],
          },
        ],
      });
      this.emit({ type: "IsDefined", source: t });
      return this.planRefPath(this.local(t), path, i + 1, iter, true);
    }
    if (e.type === "var" && !this.vars.has(e.name) && e.name !== "input" && e.name !== "data") {
      const src = this.toLocal(base);
      const k = this.newLocal();
      const v = this.newLocal();
      const block = this.block(() =>
        this.bind(e.name, k, () => this.planRefPath(this.local(v), path, i + 1, iter, baseData)),
      );
      this.emit({ type: "Scan", source: src, key: k, value: v, block });
      return;
    }
    if ((e.type === "array" || e.type === "object") && hasUnbound(e, this.bound())) {
      // A composite key with unbound vars (`s[[1, x]]`): iterate and unify each key with it.
      const src = this.toLocal(base);
      const k = this.newLocal();
      const v = this.newLocal();
      const block = this.block(() =>
        this.planUnifyValue(e, this.local(k), () => this.planRefPath(this.local(v), path, i + 1, iter)),
      );
      this.emit({ type: "Scan", source: src, key: k, value: v, block });
      return;
    }
    this.planTerm(e, (key) => {
      const t = this.newLocal();
      this.emit({ type: "Dot", source: base, key, target: t });
      this.planRefPath(this.local(t), path, i + 1, iter, baseData);
    });
  }

  /** A ref below data: walk the rule tree while the path is static, call rule or node Funcs, then Dot/Scan the rest. */
  planDataRef(rawPath: Term[], iter: ValueIter, loc: Location): void {
    // Documents below data are objects with string keys: `data.x[2]` means `data.x["2"]`
    // until a rule's value is reached.
    let path = rawPath;
    const keyed = (upto: number) =>
      path.map((t, j) =>
        j < upto && t.type === "number" ? ({ type: "string", value: String(Number(t.raw)), loc: t.loc } as Term) : t,
      );
    let node = this.b.program.root;
    for (let i = 0; i < path.length; i++) {
      if (node.group) return this.callGroup(node.group, loc, (v) => this.planRefPath(v, path, i, iter));
      path = keyed(i + 1);
      const e = path[i];
      if (e.type !== "string") return this.callNode(node, (v) => this.planRefPath(v, path, i, iter));
      const c = node.children.get(e.value);
      // Outside every rule and package: plain base data.
      if (!c) return this.planRefPath(this.local(this.dataLocal), path, 0, iter, true);
      node = c;
    }
    if (node.group) return this.callGroup(node.group, loc, iter);
    this.callNode(node, iter);
  }

  private callGroup(g: RuleGroup, loc: Location, iter: ValueIter): void {
    if (g.kind === "function" && g.arity === 0) {
      // OPA evaluates a reference to a function without parameters (`f` for `f() := ...`) as its call.
      const operator: RefTerm = { type: "ref", head: { type: "var", name: "data", loc }, path: [], loc };
      const call: ResolvedCall = {
        type: "call",
        operator,
        args: [],
        loc,
        callee: { kind: "function", path: g.path, arity: 0 },
      };
      return this.planCall(call, undefined, iter);
    }
    if (g.kind === "function")
      throw unsupported(`unsupported: reference to function ${pathText(g.path)} without a call`, loc);
    const mocked = this.mockedValue(g);
    if (mocked !== undefined) return iter(this.local(mocked));
    const rel = this.relevantMocks(g);
    const r = this.newLocal();
    this.emit({ type: "Call", func: this.b.groupFunc(g, rel), args: this.baseArgs(rel), result: r });
    iter(this.local(r));
  }

  private callNode(node: TreeNode, iter: ValueIter): void {
    const rel = this.relevantMocks(node);
    const r = this.newLocal();
    this.emit({ type: "Call", func: this.b.nodeFunc(node, rel), args: this.baseArgs(rel), result: r });
    iter(this.local(r));
  }
}

/** The builtin a call names if it is a relation (`walk`), whose results are iterated. */
function relationOf(t: Term): { name: string; arity: number } | undefined {
  if (t.type !== "call") return undefined;
  const c = calleeOf(t);
  return c?.kind === "builtin" && lookupBuiltin(c.name)?.relation === true ? c : undefined;
}

/** OPA's eval_conflict_error message for a complete rule or function with two values. */
function conflictMessage(g: RuleGroup): string {
  return g.kind === "function"
    ? `eval_conflict_error: function ${pathText(g.path)} produced conflicting values for the same inputs`
    : `eval_conflict_error: rule ${pathText(g.path)} produced conflicting values`;
}

/** A JSON value as a constant AST term. */
function jsonTerm(v: unknown, loc: Location): Term {
  if (v === null) return { type: "null", loc };
  if (typeof v === "boolean") return { type: "boolean", value: v, loc };
  if (typeof v === "number") return { type: "number", raw: String(v), loc };
  if (typeof v === "string") return { type: "string", value: v, loc };
  if (Array.isArray(v)) return { type: "array", items: v.map((x) => jsonTerm(x, loc)), loc };
  const o = v as Record<string, unknown>;
  return {
    type: "object",
    entries: Object.keys(o).map((k) => [jsonTerm(k, loc), jsonTerm(o[k], loc)] as [Term, Term]),
    loc,
  };
}

/** An annotation block as OPA reports it: with its scope. */
function withScope(a: Record<string, unknown>, scope: string): Record<string, unknown> {
  return { ...a, scope: typeof a.scope === "string" ? a.scope : scope };
}

/**
 * rego.metadata.rule(): the rule's own (rule-scoped) annotations or {}. rego.metadata.chain(): the
 * rule, then document-, package- and subpackages-scoped annotations outward, each {path, annotations}
 * with the path below data; only the first entry may lack annotations.
 */
function regoMetadata(name: string, def: RuleDef, path: string[], program: Program): unknown {
  const own = def.rule.annotations;
  const ruleScoped = own && (own.scope === undefined || own.scope === "rule") ? withScope(own, "rule") : undefined;
  if (name === "rego.metadata.rule") return ruleScoped ?? {};
  const chain: Array<Record<string, unknown>> = [ruleScoped ? { path, annotations: ruleScoped } : { path }];
  const doc = program.modules
    .flatMap((m) => m.rules.filter((r) => r.annotations?.scope === "document").map((r) => ({ m, r })))
    .find(({ m, r }) => {
      const head = r.head.ref.map((x) => (x.type === "string" ? x.value : "?"));
      return [...m.package, ...head].join("\u0000") === path.join("\u0000");
    });
  if (doc) chain.push({ path, annotations: doc.r.annotations });
  const pkg = def.module.package;
  const pkgAnn = program.modules.find(
    (m) => m.package.join(".") === pkg.join(".") && m.annotations?.scope === "package",
  );
  if (pkgAnn) chain.push({ path: pkg, annotations: pkgAnn.annotations });
  for (let n = pkg.length; n >= 0; n--) {
    const prefix = pkg.slice(0, n);
    const sub = program.modules.find(
      (m) => m.package.join(".") === prefix.join(".") && m.annotations?.scope === "subpackages",
    );
    if (sub) chain.push({ path: prefix, annotations: sub.annotations });
  }
  return chain;
}
