// Planner properties that golden files do not show well.
import { compileToIR } from "../../../compiler";
import type { Block, Stmt } from "../../../compiler/ir/types";

function stmts(blocks: Block[]): Stmt[] {
  const out: Stmt[] = [];
  const walk = (b: Block) =>
    b.stmts.forEach((s) => {
      out.push(s);
      if (s.type === "Block") s.blocks.forEach(walk);
      if (s.type === "Scan" || s.type === "Not") walk(s.block);
    });
  blocks.forEach(walk);
  return out;
}

test("large literals plan flat (no recursion per element)", () => {
  const n = 20000;
  const text = `package t\n\np := [${Array.from({ length: n }, (_, i) => i).join(", ")}]\n`;
  const ir = compileToIR([{ file: "t.rego", text }], { entrypoints: ["t/p"] });
  const f = ir.funcs.find((x) => x.name === "g0.data.t.p")!;
  expect(stmts(f.blocks).filter((s) => s.type === "ArrayAppend")).toHaveLength(n);
});

test("statements that can raise runtime errors carry their source position", () => {
  const text = "package t\n\np := x if {\n  x := count(input.xs)\n}\n\nq[k] := 1 if some k in input.ks\n";
  const ir = compileToIR([{ file: "t.rego", text }], { entrypoints: ["t/p", "t/q"] });
  const all = ir.funcs.flatMap((f) => stmts(f.blocks));
  const risky = all.filter(
    (s) =>
      s.type === "AssignVarOnce" || s.type === "ObjectInsertOnce" || (s.type === "Call" && !s.func.startsWith("g0.")),
  );
  expect(risky.length).toBeGreaterThanOrEqual(3);
  for (const s of risky) expect(s.loc).toMatchObject({ file: "t.rego" });
  expect(risky.find((s) => s.type === "Call")!.loc).toEqual({ file: "t.rego", row: 4, col: 8 });
});

test("builtins used are declared once with their arity", () => {
  const text = 'package t\n\np := [count([1]), count([2]), concat(",", ["a"])]\n';
  const ir = compileToIR([{ file: "t.rego", text }], { entrypoints: ["t/p"] });
  expect(ir.builtins).toEqual([
    { name: "concat", arity: 2 },
    { name: "count", arity: 1 },
  ]);
});

test("rule Funcs are planned once however often they are referenced", () => {
  const text = "package t\n\nr := 1\n\np := [r, r, data.t.r]\n";
  const ir = compileToIR([{ file: "t.rego", text }], { entrypoints: ["t/p", "t/r"] });
  expect(ir.funcs.map((f) => f.name).sort()).toEqual(["g0.data.t.p", "g0.data.t.r"]);
});
