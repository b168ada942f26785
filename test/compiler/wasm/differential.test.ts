// Differential test of the lowering: random well-formed IR plans (nested Blocks, Break, Not,
// Scan, Dot, Equal/NotEqual, AssignVarOnce) run through emitWasm + the SDK and through a small
// reference interpreter of the IR's documented semantics (compiler/ir/types.ts). The
// interpreter lives here only: it is a test oracle, never a source of policy decisions.
// A broad net (it catches label-counting mutants of the lowering in some runs, not all);
// emit.test.ts pins each construct's semantics with fixed cases.
import * as fc from "fast-check";
import { loadPolicySync } from "@open-policy-agent/opa-wasm";
import { Block, Operand, Stmt } from "../../../compiler/ir/types";
import { emitWasm } from "../../../compiler/wasm";
import { Strings, withMinorVersion1 } from "./helpers";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const OUT = 2; // the output array
const POOL = [3, 4, 5, 6]; // value locals, all set before the random part runs
const ONCE = 7; // target of AssignVarOnce
const KEYS = ["a", "b", "xs"];
const CONSTS = ["a", "x", "k1"];

class Conflict extends Error {}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as Json[]).length && a.every((x, i) => deepEqual(x, (b as Json[])[i]));
  const ka = Object.keys(a);
  const bo = b as { [k: string]: Json };
  return ka.length === Object.keys(bo).length && ka.every((k) => k in bo && deepEqual(a[k], bo[k]));
}

/** The reference semantics: a statement yields how many enclosing blocks it leaves (0 = none). */
class Interp {
  locals = new Map<number, Json>();
  constructor(private readonly strings: string[]) {}

  private val(o: Operand): Json {
    if (o.kind === "bool") return o.value;
    if (o.kind === "string") return this.strings[o.index];
    const v = this.locals.get(o.local);
    if (v === undefined) throw new Error(`test bug: local ${o.local} read while unset`);
    return v;
  }

  /** Runs a block: `completed` if it ran to the end; `leave` = blocks to leave beyond this one. */
  block(b: Block): { completed: boolean; leave: number } {
    for (const s of b.stmts) {
      const k = this.stmt(s);
      if (k > 0) return { completed: false, leave: k - 1 };
    }
    return { completed: true, leave: 0 };
  }

  stmt(s: Stmt): number {
    switch (s.type) {
      case "Block":
        for (const b of s.blocks) {
          const r = this.block(b);
          if (r.leave > 0) return r.leave;
        }
        return 0;
      case "Break":
        return s.index + 1;
      case "Not": {
        const r = this.block(s.block);
        if (r.leave > 0) return r.leave;
        return r.completed ? 1 : 0;
      }
      case "Scan": {
        const src = this.locals.get(s.source);
        if (src === undefined || src === null || typeof src !== "object") return 1;
        const entries: [Json, Json][] = Array.isArray(src) ? src.map((v, i) => [i, v]) : Object.entries(src);
        for (const [k, v] of entries) {
          this.locals.set(s.key, k);
          this.locals.set(s.value, v);
          const r = this.block(s.block);
          if (r.leave > 0) return r.leave;
        }
        return 0;
      }
      case "Dot": {
        const src = this.val(s.source);
        const key = this.val(s.key);
        if (src === null || typeof src !== "object" || Array.isArray(src) || typeof key !== "string") return 1;
        if (!Object.prototype.hasOwnProperty.call(src, key)) return 1;
        this.locals.set(s.target, src[key]);
        return 0;
      }
      case "Equal":
        return deepEqual(this.val(s.a), this.val(s.b)) ? 0 : 1;
      case "NotEqual":
        return deepEqual(this.val(s.a), this.val(s.b)) ? 1 : 0;
      case "AssignVar":
        this.locals.set(s.target, this.val(s.source));
        return 0;
      case "AssignVarOnce": {
        const cur = this.locals.get(s.target);
        const v = this.val(s.source);
        if (cur !== undefined && !deepEqual(cur, v)) throw new Conflict();
        this.locals.set(s.target, v);
        return 0;
      }
      case "ArrayAppend":
        (this.locals.get(s.array) as Json[]).push(this.val(s.value));
        return 0;
      case "IsDefined":
        return this.locals.has(s.source) ? 0 : 1;
      case "MakeArray":
        this.locals.set(s.target, []);
        return 0;
      default:
        throw new Error(`test bug: ${s.type} not modelled`);
    }
  }
}

/** Locals a Scan at nesting level d copies its source into and iterates with; never written otherwise. */
const scanLocals = (d: number) => ({ source: 10 + 3 * d, key: 11 + 3 * d, value: 12 + 3 * d });

/**
 * Random statements; `depth` = IR blocks open around them (for valid Break indices), `readable`
 * = extra locals set here (keys and values of enclosing Scans), `scans` = Scans open around them.
 */
function stmtArb(S: Strings, depth: number, size: number, readable: number[], scans: number): fc.Arbitrary<Stmt> {
  const local = fc.constantFrom(...POOL, ...readable).map((l): Operand => ({ kind: "local", local: l }));
  const constant = fc.constantFrom(...CONSTS).map((c) => S.s(c));
  const operand = fc.oneof(local, constant);
  const leaf: fc.Arbitrary<Stmt>[] = [
    fc
      .record({
        src: fc.constantFrom(0, ...POOL, ...readable),
        key: fc.constantFrom(...KEYS),
        target: fc.constantFrom(...POOL),
      })
      .map(({ src, key, target }): Stmt => ({
        type: "Dot",
        source: { kind: "local", local: src },
        key: S.s(key),
        target,
      })),
    fc
      .record({ a: local, b: operand, eq: fc.boolean() })
      .map(({ a, b, eq }): Stmt => ({ type: eq ? "Equal" : "NotEqual", a, b })),
    local.map((value): Stmt => ({ type: "ArrayAppend", array: OUT, value })),
    fc
      .record({ source: operand, target: fc.constantFrom(...POOL) })
      .map(({ source, target }): Stmt => ({ type: "AssignVar", source, target })),
    local.map((source): Stmt => ({
      type: "AssignVarOnce",
      source,
      target: ONCE,
      loc: { file: "d.rego", row: 1, col: 1 },
    })),
    fc.nat({ max: depth - 1 }).map((index): Stmt => ({ type: "Break", index })),
  ];
  if (size <= 0) return fc.oneof(...leaf);
  const body = (d: number, r: number[], sc: number) =>
    fc.array(stmtArb(S, d, size - 1, r, sc), { minLength: 1, maxLength: 3 }).map((stmts): Block => ({ stmts }));
  const sl = scanLocals(scans);
  return fc.oneof(
    { arbitrary: fc.oneof(...leaf), weight: 4 },
    {
      arbitrary: fc
        .array(body(depth + 1, readable, scans), { minLength: 1, maxLength: 2 })
        .map((blocks): Stmt => ({ type: "Block", blocks })),
      weight: 1,
    },
    { arbitrary: body(depth + 1, readable, scans).map((block): Stmt => ({ type: "Not", block })), weight: 1 },
    {
      // The source is a fresh local (a pool value or input.<key>), as the planner does: the
      // body cannot change what is iterated.
      arbitrary: fc
        .record({
          from: fc.constantFrom(0, ...POOL),
          key: fc.option(fc.constantFrom(...KEYS), { nil: undefined, freq: 4 }),
          block: body(depth + 1, [...readable, sl.key, sl.value], scans + 1),
        })
        .map(({ from, key, block }): Stmt => ({
          type: "Block",
          blocks: [
            {
              stmts: [
                key === undefined
                  ? { type: "AssignVar", source: { kind: "local", local: from }, target: sl.source }
                  : { type: "Dot", source: { kind: "local", local: from }, key: S.s(key), target: sl.source },
                { type: "Scan", source: sl.source, key: sl.key, value: sl.value, block },
              ],
            },
          ],
        })),
      weight: 2,
    },
  );
}

const jsonLeaf = fc.oneof(
  fc.constantFrom("a", "x", "k1", "b"),
  fc.integer({ min: -2, max: 2 }),
  fc.boolean(),
  fc.constant(null),
);
const jsonValue: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { arbitrary: jsonLeaf, weight: 2 },
    { arbitrary: fc.array(tie("v"), { maxLength: 4 }), weight: 2 },
    { arbitrary: fc.dictionary(fc.constantFrom("a", "b", "xs", "k1"), tie("v"), { maxKeys: 3 }), weight: 1 },
  ),
})).v;
const inputArb = fc.record({ a: jsonValue, b: jsonValue, xs: jsonValue }, { requiredKeys: [] });

describe("lowering agrees with the IR semantics on random plans", () => {
  it("Blocks, Break, Not, Scan, Dot, comparisons, AssignVarOnce", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1 << 30 }),
        fc.array(inputArb, { minLength: 3, maxLength: 3 }),
        (seed, inputs) => {
          const S = new Strings();
          // Set up the pool, then the random blocks, then report OUT (and ONCE when set).
          const prologue: Stmt[] = [
            { type: "MakeArray", capacity: 0, target: OUT },
            ...POOL.map((l, i): Stmt => ({ type: "AssignVar", source: S.s(CONSTS[i % CONSTS.length]), target: l })),
          ];
          const random = fc.sample(
            fc.array(fc.array(stmtArb(S, 1, 3, [], 0), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
            {
              seed,
              numRuns: 1,
            },
          )[0];
          const blocks: Block[] = [
            { stmts: prologue },
            ...random.map((stmts) => ({ stmts })),
            { stmts: [{ type: "ArrayAppend", array: OUT, value: { kind: "string", index: S.index("|") } }] },
            {
              stmts: [
                { type: "IsDefined", source: ONCE },
                { type: "ArrayAppend", array: OUT, value: { kind: "local", local: ONCE } },
              ],
            },
            { stmts: [{ type: "ResultSetAdd", value: OUT }] },
          ];
          const wasm = emitWasm({ strings: S.list, builtins: [], funcs: [], plans: [{ name: "d/p", blocks }] });
          const fast = loadPolicySync(wasm);
          const legacy = loadPolicySync(withMinorVersion1(wasm));
          for (const input of inputs) {
            const ref = new Interp(S.list);
            ref.locals.set(0, input as Json);
            ref.locals.set(1, {});
            let want: unknown;
            try {
              for (const b of blocks) {
                if (b.stmts.some((s) => s.type === "ResultSetAdd")) break;
                ref.block(b);
              }
              want = [{ result: ref.locals.get(OUT) }];
            } catch (e) {
              if (!(e instanceof Conflict)) throw e;
              want = "conflict";
            }
            for (const policy of [fast, legacy]) {
              let got: unknown;
              try {
                got = policy.evaluate(input);
              } catch (e) {
                expect(String(e)).toContain("d.rego:1:1: eval_conflict_error");
                got = "conflict";
              }
              expect(got).toEqual(want);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
