// The runtime as the SDK meets it: a small IR policy emitted on top of runtime.wasm, loaded
// with @open-policy-agent/opa-wasm, calling native builtins, with inputs and data far larger
// than the 5 initial pages and many evaluations on one instance (heap resets).
import { loadPolicy, loadPolicySync } from "@open-policy-agent/opa-wasm";
import { Policy, Operand, Stmt } from "../../../compiler/ir/types";
import { emitWasm } from "../../../compiler/wasm";

const local = (n: number): Operand => ({ kind: "local", local: n });

/**
 * One plan `t/p`: result = {"n": count(input.xs), "sorted": sort(input.xs),
 * "names": concat(",", data.names), "hit": internal.member_2(input.probe, data.names)}.
 */
function policy(): Policy {
  const strings = ["xs", "n", "sorted", "names", "probe", "hit", ","];
  const s = (text: string): Operand => ({ kind: "string", index: strings.indexOf(text) });
  const stmts: Stmt[] = [
    { type: "Dot", source: local(0), key: s("xs"), target: 2 },
    { type: "Call", func: "count", args: [local(2)], result: 3 },
    { type: "Call", func: "sort", args: [local(2)], result: 4 },
    { type: "Dot", source: local(1), key: s("names"), target: 5 },
    { type: "Call", func: "concat", args: [s(","), local(5)], result: 6 },
    { type: "Dot", source: local(0), key: s("probe"), target: 7 },
    { type: "Call", func: "internal.member_2", args: [local(7), local(5)], result: 8 },
    { type: "MakeObject", target: 9 },
    { type: "ObjectInsert", object: 9, key: s("n"), value: local(3) },
    { type: "ObjectInsert", object: 9, key: s("sorted"), value: local(4) },
    { type: "ObjectInsert", object: 9, key: s("names"), value: local(6) },
    { type: "ObjectInsert", object: 9, key: s("hit"), value: local(8) },
    { type: "ResultSetAdd", value: 9 },
  ];
  return {
    strings,
    builtins: [
      { name: "count", arity: 1 },
      { name: "sort", arity: 1 },
      { name: "concat", arity: 2 },
      { name: "internal.member_2", arity: 2 },
    ],
    plans: [{ name: "t/p", blocks: [{ stmts }] }],
    funcs: [],
  };
}

describe("runtime through @open-policy-agent/opa-wasm", () => {
  const wasm = emitWasm(policy());

  test("native builtins are not routed to the host", async () => {
    const p = await loadPolicy(wasm);
    p.setData({ names: ["b", "a"] });
    expect(p.evaluate({ xs: [3, 1, 2], probe: "a" }, "t/p")).toEqual([
      { result: { n: 3, sorted: [1, 2, 3], names: "b,a", hit: true } },
    ]);
  });

  test("large data and input (beyond 5 pages), repeated evaluations on one instance", () => {
    const p = loadPolicySync(wasm);
    const names = Array.from({ length: 30000 }, (_, i) => `name-${i}`);
    p.setData({ names });
    const xs = Array.from({ length: 40000 }, (_, i) => (i * 7919) % 40000);
    const sorted = [...xs].sort((a, b) => a - b);
    for (let round = 0; round < 5; round++) {
      const [r] = p.evaluate({ xs, probe: `name-${round * 1000}` }, "t/p") as [{ result: Record<string, unknown> }];
      expect(r.result.n).toBe(40000);
      expect(r.result.sorted).toEqual(sorted);
      expect(r.result.hit).toBe(true);
      expect((r.result.names as string).length).toBe(names.join(",").length);
    }
    // A small evaluation after big ones sees no leftovers from earlier heaps.
    expect(p.evaluate({ xs: [2, 1], probe: "zzz" }, "t/p")).toEqual([
      { result: { n: 2, sorted: [1, 2], names: names.join(","), hit: false } },
    ]);
    // setData resets the heap to the base and replaces the data.
    p.setData({ names: ["only"] });
    expect(p.evaluate({ xs: [], probe: "only" }, "t/p")).toEqual([
      { result: { n: 0, sorted: [], names: "only", hit: true } },
    ]);
  });
});
