// Property: printing a random operator tree with the fewest parentheses OPA's precedence
// needs (`in` < comparisons < `|` < `&` < `+ -` < `* / %`, all left-associative) and parsing
// it back yields the same tree.
import fc from "fast-check";
import { parseModule } from "../../../compiler/syntax";
import { strip } from "./helpers";

type Tree = { leaf: string } | { op: string; l: Tree; r: Tree };

const OPS: Record<string, { sym: string; level: number; name: string[] }> = {
  in: { sym: "in", level: 1, name: ["internal", "member_2"] },
  equal: { sym: "==", level: 2, name: ["equal"] },
  neq: { sym: "!=", level: 2, name: ["neq"] },
  lt: { sym: "<", level: 2, name: ["lt"] },
  gte: { sym: ">=", level: 2, name: ["gte"] },
  or: { sym: "|", level: 3, name: ["or"] },
  and: { sym: "&", level: 4, name: ["and"] },
  plus: { sym: "+", level: 5, name: ["plus"] },
  minus: { sym: "-", level: 5, name: ["minus"] },
  mul: { sym: "*", level: 6, name: ["mul"] },
  div: { sym: "/", level: 6, name: ["div"] },
  rem: { sym: "%", level: 6, name: ["rem"] },
};

const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ leaf: fc.constantFrom("a", "b", "c", "1", "2.5", "input.x", "f(a)", "[1]") }),
    fc.record({ op: fc.constantFrom(...Object.keys(OPS)), l: tie("t"), r: tie("t") }),
  ),
})).t;

const level = (t: Tree) => ("leaf" in t ? 99 : OPS[t.op].level);

function print(t: Tree): string {
  if ("leaf" in t) return t.leaf;
  const L = OPS[t.op].level;
  const l = level(t.l) < L ? `(${print(t.l)})` : print(t.l);
  const r = level(t.r) <= L ? `(${print(t.r)})` : print(t.r);
  return `${l} ${OPS[t.op].sym} ${r}`;
}

function expected(t: Tree): unknown {
  if ("leaf" in t) return strip(valueOf(t.leaf));
  const [head, ...path] = OPS[t.op].name;
  return {
    type: "call",
    operator: {
      type: "ref",
      head: { type: "var", name: head },
      path: path.map((value) => ({ type: "string", value })),
    },
    args: [expected(t.l), expected(t.r)],
  };
}

function valueOf(src: string): unknown {
  const rule = parseModule(`package t\n\np := ${src}\n`, "t.rego").rules[0];
  return rule.head.value;
}

describe("operator precedence round trip", () => {
  it("minimal-parenthesis printing parses back to the same tree", () => {
    fc.assert(
      fc.property(tree, (t) => {
        expect(strip(valueOf(print(t)))).toEqual(expected(t));
      }),
      { numRuns: 400 },
    );
  });
});
