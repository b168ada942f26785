// Position invariants over every node of every parsed conformance module: line/col agree with
// the offset, spans stay inside the text, and leaf nodes cover exactly their source text.
import { parseModule } from "../../../compiler/syntax";
import type { Location } from "../../../compiler/syntax/ast";
import { itIfShared } from "../../helpers/shared";
import { CONFORMANCE_DIR, CORPUS_WHAT, loadCorpus } from "./corpus";

function lineCol(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset).split("\n");
  return [before.length, before[before.length - 1].length + 1];
}

// Infix operators become calls whose operator ref sits on the symbol (`+`, `in`), not on a name.
const INFIX = new Set([
  "plus",
  "minus",
  "mul",
  "div",
  "rem",
  "equal",
  "neq",
  "lt",
  "lte",
  "gt",
  "gte",
  "and",
  "or",
  "internal",
]);

/** Every object with a `loc` below `node`, except the operator refs of infix calls. */
function* nodes(node: unknown): Generator<Record<string, unknown> & { loc: Location }> {
  if (Array.isArray(node)) {
    for (const n of node) yield* nodes(n);
    return;
  }
  if (!node || typeof node !== "object") return;
  const o = node as Record<string, unknown>;
  if (o.loc && typeof o.loc === "object") yield o as Record<string, unknown> & { loc: Location };
  for (const [k, v] of Object.entries(o)) {
    if (k === "loc" || k === "packageLoc" || k === "source") continue;
    const head = (v as { head?: { type?: string; name?: string } } | undefined)?.head;
    if (k === "operator" && head?.type === "var" && INFIX.has(head.name ?? "") && !isName(o, head.name!)) continue;
    yield* nodes(v);
  }
}

// `minus(...)` written as a call has its name in the source; `a - b` does not.
function isName(call: Record<string, unknown>, name: string): boolean {
  const loc = (call.operator as { loc: Location }).loc;
  return sourceOf(loc).startsWith(name);
}

let currentText = "";
const sourceOf = (loc: Location) => currentText.slice(loc.offset, loc.offset + loc.length);

function check(text: string, file: string): string[] {
  const problems: string[] = [];
  currentText = text;
  const m = parseModule(text, file);
  for (const n of nodes(m)) {
    const { line, col, offset, length } = n.loc;
    const where = `${file}:${line}:${col} (${String(n.type ?? "node")})`;
    if (offset < 0 || offset + length > text.length) problems.push(`${where}: span outside text`);
    const [l, c] = lineCol(text, offset);
    if (l !== line || c !== col) problems.push(`${where}: line/col do not match offset (${l}:${c})`);
    const src = text.slice(offset, offset + length);
    switch (n.type) {
      case "var":
        if (src !== (n.wildcard ? "_" : n.name))
          problems.push(`${where}: var ${String(n.name)} covers ${JSON.stringify(src)}`);
        break;
      case "number":
        if (src.replace(/\s+/g, "") !== n.raw)
          problems.push(`${where}: number ${String(n.raw)} covers ${JSON.stringify(src)}`);
        break;
      case "string":
        // dotted ref segments are strings covering the bare identifier
        if (!/^["`]/.test(src) && src !== n.value) problems.push(`${where}: string covers ${JSON.stringify(src)}`);
        break;
      case "null":
        if (src !== "null") problems.push(`${where}: null covers ${JSON.stringify(src)}`);
        break;
      // booleans are not checked: the implicit `true` of `p if ...` spans the rule head
    }
  }
  return problems;
}

describe("AST position invariants", () => {
  it("hold for a module using every construct", () => {
    const text = [
      "package a.b",
      "import data.lib as l",
      "default p := false",
      'p := {"k": [1, -2.5e3, null, true]} if { some x, y in input.o; x == l.f(y) }',
      "q contains z if { z := {w | some w in [1, 2]}; not z in {3} }",
      'r[k] := v if { every e in input.xs { e > 0 }; some k; v := {k2: 1 | k2 := "a"}[k] }',
      'f(_) := `raw` if true else := "s"',
      "g if { input.a with input.b as 1 }",
    ].join("\n");
    expect(check(text, "all.rego")).toEqual([]);
  });

  itIfShared(CONFORMANCE_DIR, CORPUS_WHAT, "hold for every conformance module", () => {
    const problems: string[] = [];
    for (const e of loadCorpus()) {
      if (e.kind !== "module") continue;
      try {
        problems.push(...check(e.text, e.file));
      } catch {
        // modules rejected on purpose are covered by conformance-parse.test.ts
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
  });
});
