import { parseModule, parseQuery } from "../../../compiler/syntax";
import type { CallTerm, Module, RefTerm, Rule, Term } from "../../../compiler/syntax/ast";
import { diag, strip } from "./helpers";

const mod = (body: string): Module => parseModule(`package t\n\n${body}\n`, "t.rego");
const rule = (body: string, i = 0): Rule => mod(body).rules[i];
const num = (raw: string) => ({ type: "number", raw });
const v = (name: string) => ({ type: "var", name });
const s = (value: string) => ({ type: "string", value });
const call = (name: string, ...args: unknown[]) => ({
  type: "call",
  operator: { type: "ref", head: v(name.split(".")[0]), path: name.split(".").slice(1).map(s) },
  args,
});
/** The value of `x := <expr>` in `p if { x := <expr> }`. */
const valueOf = (expr: string): unknown => {
  const r = rule(`p if { x := ${expr} }`);
  const e = r.body[0];
  if (e.type !== "assign") throw new Error("not an assign");
  return strip(e.right);
};

describe("packages and imports", () => {
  it("parses dotted and bracketed package paths with positions", () => {
    const m = parseModule('package a.b["c-d"]\n', "m.rego");
    expect(m.package).toEqual(["a", "b", "c-d"]);
    expect(m.packageLoc).toMatchObject({ file: "m.rego", line: 1, col: 9, offset: 8, length: 10 });
    expect(m.source).toBe('package a.b["c-d"]\n');
  });

  it("parses imports with aliases and keeps rego.v1 / future.keywords", () => {
    const m = mod("import data.lib.util as u\nimport input.x\nimport rego.v1\nimport future.keywords.in\nimport data");
    expect(m.imports.map((i) => [strip(i.path), i.alias])).toEqual([
      [{ type: "ref", head: v("data"), path: [s("lib"), s("util")] }, "u"],
      [{ type: "ref", head: v("input"), path: [s("x")] }, undefined],
      [{ type: "ref", head: v("rego"), path: [s("v1")] }, undefined],
      [{ type: "ref", head: v("future"), path: [s("keywords"), s("in")] }, undefined],
      [{ type: "ref", head: v("data"), path: [] }, undefined],
    ]);
    expect(m.imports[0].loc).toMatchObject({ line: 3, col: 1, length: "import data.lib.util as u".length });
  });

  it("rejects imports outside data/input/future/rego", () => {
    expect(diag(() => mod("import foo.bar"))).toMatchObject({ code: "rego_parse_error", loc: { line: 3, col: 8 } });
  });

  it("requires a package first", () => {
    expect(diag(() => parseModule("p := 1", "x.rego"))).toMatchObject({
      code: "rego_parse_error",
      loc: { line: 1, col: 1 },
    });
  });
});

describe("rules", () => {
  it("complete rules: :=, =, bare if, no body", () => {
    const m = mod("p := 1 if { true }\nq = 2 if true\nr if input.x\ns := 3");
    expect(m.rules.map((r) => [r.kind, r.head.assign, strip(r.head.value), r.body.length])).toEqual([
      ["complete", true, num("1"), 1],
      ["complete", false, num("2"), 1],
      ["complete", false, { type: "boolean", value: true }, 1],
      ["complete", true, num("3"), 0],
    ]);
    expect(m.rules[0].loc).toMatchObject({ line: 3, col: 1, length: "p := 1 if { true }".length });
    expect(m.rules[0].head.loc).toMatchObject({ line: 3, col: 1, length: "p := 1".length });
  });

  it("default rules", () => {
    const r = rule("default allow := false");
    expect(r.default).toBe(true);
    expect(r.kind).toBe("complete");
    expect(strip(r.head.value)).toEqual({ type: "boolean", value: false });
    expect(rule("default f(_) := 1").kind).toBe("function");
  });

  it("else chains keep head ref and args", () => {
    const r = rule('f(x) := "a" if x > 1 else := "b" if { x > 0 } else = "c"');
    expect(r.kind).toBe("function");
    expect(r.else!.map((e) => [e.kind, e.head.assign, strip(e.head.value), e.body.length, strip(e.head.args)])).toEqual(
      [
        ["function", true, s("b"), 1, [v("x")]],
        ["function", false, s("c"), 0, [v("x")]],
      ],
    );
    const p = rule("p := 1 if false else if true");
    expect(strip(p.else![0].head.value)).toEqual({ type: "boolean", value: true });
  });

  it("partial sets, partial objects and ref heads", () => {
    const m = mod(
      'p contains x if some x in [1]\nq[k] := 1 if k := "a"\na.b[x] := y if { x := 1; y := 2 }\na.b.c := 1\nm[x] := true if x := 1\nd.e contains 1',
    );
    expect(m.rules.map((r) => [r.kind, strip(r.head.ref)])).toEqual([
      ["partial-set", [s("p")]],
      ["partial-object", [s("q"), v("k")]],
      ["partial-object", [s("a"), s("b"), v("x")]],
      ["complete", [s("a"), s("b"), s("c")]],
      ["partial-object", [s("m"), v("x")]],
      ["partial-set", [s("d"), s("e")]],
    ]);
    expect(strip(m.rules[0].head.key)).toEqual(v("x"));
    expect(m.rules[0].head.value).toBeUndefined();
    expect(strip(m.rules[4].head.value)).toEqual({ type: "boolean", value: true });
  });

  it("requires contains for v0-style partial sets, as OPA v1 does; `p[x] if` is `p[x] := true`", () => {
    expect(diag(() => mod("deny[msg]"))).toMatchObject({
      code: "rego_parse_error",
      message: expect.stringContaining("`contains` keyword is required"),
      loc: { line: 3, col: 1, length: 9 },
    });
    expect(diag(() => mod("deny[msg] { msg := 1 }"))).toMatchObject({ message: expect.stringContaining("`contains`") });
    const r = rule("test_cases[name] if name := 1");
    expect(r.kind).toBe("partial-object");
    expect(strip(r.head.value)).toEqual({ type: "boolean", value: true });
    const f = rule('is_name("var", 0)');
    expect(f.kind).toBe("function");
    expect(f.body).toEqual([]);
    expect(strip(f.head.value)).toEqual({ type: "boolean", value: true });
    expect(diag(() => mod("p"))).toMatchObject({ message: expect.stringContaining("rule must have a value") });
    expect(rule('a.b["c"] if true').kind).toBe("complete");
    expect(strip(rule("p[1] if true").head.value)).toEqual({ type: "boolean", value: true });
  });

  it("functions with several definitions", () => {
    const m = mod('f(x) := y if y := x + 1\nf(x) if x == 0\ng(a, [b, c], {"k": d}) := 1');
    expect(m.rules.map((r) => r.kind)).toEqual(["function", "function", "function"]);
    expect(strip(m.rules[2].head.args)).toEqual([
      v("a"),
      { type: "array", items: [v("b"), v("c")] },
      { type: "object", entries: [[s("k"), v("d")]] },
    ]);
  });

  it("rejects v0 bodies, multiple bodies and valueless rules", () => {
    expect(diag(() => mod("p { true }"))).toMatchObject({
      code: "rego_parse_error",
      message: expect.stringContaining("`if`"),
      loc: { line: 3, col: 3 },
    });
    expect(diag(() => mod("p if { true } { false }"))).toMatchObject({
      loc: { line: 3, col: 15 },
      message: expect.stringContaining("multiple"),
    });
    expect(diag(() => mod("p"))).toMatchObject({ loc: { line: 3, col: 1 } });
    expect(diag(() => mod("default p if true"))).toMatchObject({ code: "rego_parse_error" });
    expect(diag(() => mod("p contains x := 1"))).toMatchObject({ loc: { line: 3, col: 14 } });
  });
});

describe("body literals", () => {
  it("separates literals by newline or semicolon", () => {
    const r = rule("p if {\n  x := 1; y := 2\n  x < y\n}");
    expect(r.body.map((e) => e.type)).toEqual(["assign", "assign", "term"]);
    expect(r.body[1].loc).toMatchObject({ line: 4, col: 11, length: 6 });
    expect(r.body[2].loc).toMatchObject({ line: 5, col: 3 });
  });

  it("some declarations and some-in", () => {
    const r = rule("p if { some x, y; some z in xs; some k, v in {1: 2}; some [a, b] in pairs }");
    expect(strip(r.body)).toEqual([
      { type: "some-decl", vars: [v("x"), v("y")] },
      { type: "some-in", value: v("z"), collection: v("xs") },
      { type: "some-in", key: v("k"), value: v("v"), collection: { type: "object", entries: [[num("1"), num("2")]] } },
      { type: "some-in", value: { type: "array", items: [v("a"), v("b")] }, collection: v("pairs") },
    ]);
  });

  it("every with one and two vars", () => {
    const r = rule("p if { every x in xs { x > 0 }; every k, v in o { k != v } }");
    expect(strip(r.body)).toEqual([
      { type: "every", value: v("x"), domain: v("xs"), body: [{ type: "term", term: call("gt", v("x"), num("0")) }] },
      {
        type: "every",
        key: v("k"),
        value: v("v"),
        domain: v("o"),
        body: [{ type: "term", term: call("neq", v("k"), v("v")) }],
      },
    ]);
    expect(diag(() => rule("p if { every 1 in xs { true } }"))).toMatchObject({ loc: { line: 3, col: 14 } });
    expect(diag(() => rule("p if { every x in xs }"))).toMatchObject({
      message: expect.stringContaining("missing body"),
    });
  });

  it("not, unify, assign, with", () => {
    const r = rule("p if { not q; x = y; z := 1; q with input.a as 1 with data.b as {} }");
    expect(strip(r.body)).toEqual([
      { type: "not", expr: { type: "term", term: v("q") } },
      { type: "unify", left: v("x"), right: v("y") },
      { type: "assign", left: v("z"), right: num("1") },
      {
        type: "term",
        term: v("q"),
        with: [
          { target: { type: "ref", head: v("input"), path: [s("a")] }, value: num("1") },
          { target: { type: "ref", head: v("data"), path: [s("b")] }, value: { type: "object", entries: [] } },
        ],
      },
    ]);
    expect(diag(() => rule("p if { not some x }"))).toMatchObject({ message: expect.stringContaining("some") });
  });

  it("rejects empty bodies", () => {
    expect(diag(() => rule("p if {}"))).toMatchObject({ message: "found empty body", loc: { line: 3, col: 7 } });
  });
});

describe("operators", () => {
  it("follows OPA precedence: * over +, + over & over |, | over comparisons, comparisons over in", () => {
    expect(valueOf("1 + 2 * 3")).toEqual(call("plus", num("1"), call("mul", num("2"), num("3"))));
    expect(valueOf("1 - 2 - 3")).toEqual(call("minus", call("minus", num("1"), num("2")), num("3")));
    expect(valueOf("a | b & c")).toEqual(call("or", v("a"), call("and", v("b"), v("c"))));
    expect(valueOf("a == b | c")).toEqual(call("equal", v("a"), call("or", v("b"), v("c"))));
    expect(valueOf("a < b + 1")).toEqual(call("lt", v("a"), call("plus", v("b"), num("1"))));
    expect(valueOf("x in xs == true")).toEqual(
      call("internal.member_2", v("x"), call("equal", v("xs"), { type: "boolean", value: true })),
    );
    expect(valueOf("(1 + 2) * 3")).toEqual(call("mul", call("plus", num("1"), num("2")), num("3")));
    expect(valueOf("a % b / c")).toEqual(call("div", call("rem", v("a"), v("b")), v("c")));
    for (const [op, name] of [
      ["!=", "neq"],
      ["<=", "lte"],
      [">", "gt"],
      [">=", "gte"],
      ["==", "equal"],
    ]) {
      expect(valueOf(`a ${op} b`)).toEqual(call(name, v("a"), v("b")));
    }
  });

  it("k, v in xs as an expression", () => {
    const r = rule("p if { k, v in xs }");
    expect(strip(r.body[0])).toEqual({ type: "term", term: call("internal.member_3", v("k"), v("v"), v("xs")) });
  });

  it("unary minus: negative literals and minus(0, x)", () => {
    expect(valueOf("-1.5e3")).toEqual(num("-1.5e3"));
    expect(valueOf("-x")).toEqual(call("minus", num("0"), v("x")));
    expect(valueOf("3 -1")).toEqual(call("minus", num("3"), num("1")));
    expect(valueOf("[1, -2]")).toEqual({ type: "array", items: [num("1"), num("-2")] });
  });

  it("positions of infix calls span both operands; the operator is at the symbol", () => {
    const e = rule("p if { x := a + bb }").body[0];
    if (e.type !== "assign") throw new Error();
    const c = e.right as CallTerm;
    expect(c.loc).toMatchObject({ line: 3, col: 13, length: 6 });
    expect(c.operator.loc).toMatchObject({ line: 3, col: 15, length: 1 });
  });
});

describe("terms", () => {
  it("scalars", () => {
    expect(valueOf("null")).toEqual({ type: "null" });
    expect(valueOf("true")).toEqual({ type: "boolean", value: true });
    expect(valueOf("0.25")).toEqual(num("0.25"));
    expect(valueOf("12e-3")).toEqual(num("12e-3"));
    expect(valueOf("set()")).toEqual({ type: "set", items: [] });
  });

  it("strings with escapes, unicode and surrogate pairs; raw strings", () => {
    expect(valueOf('"a\\"b\\\\c\\/\\n\\t\\u00e9"')).toEqual(s('a"b\\c/\n\té'));
    expect(valueOf('"\\ud83d\\ude00"')).toEqual(s("😀"));
    expect(valueOf('"\\ud83d"')).toEqual(s("\uFFFD"));
    expect(valueOf("`a\\nb\nc`")).toEqual(s("a\\nb\nc"));
    expect(diag(() => valueOf('"\\q"'))).toMatchObject({ code: "rego_parse_error", loc: { line: 3, col: 14 } });
    expect(diag(() => valueOf('"abc'))).toMatchObject({ message: "non-terminated string", loc: { line: 3, col: 13 } });
  });

  it("composites and comprehensions", () => {
    expect(valueOf('{"a": 1, "b": [2]}')).toEqual({
      type: "object",
      entries: [
        [s("a"), num("1")],
        [s("b"), { type: "array", items: [num("2")] }],
      ],
    });
    expect(valueOf("{1, 2,}")).toEqual({ type: "set", items: [num("1"), num("2")] });
    expect(valueOf("{}")).toEqual({ type: "object", entries: [] });
    expect(valueOf("[x | x := 1]")).toEqual({
      type: "arraycomp",
      term: v("x"),
      body: [{ type: "assign", left: v("x"), right: num("1") }],
    });
    expect(valueOf("{x | x := 1}")).toEqual({
      type: "setcomp",
      term: v("x"),
      body: [{ type: "assign", left: v("x"), right: num("1") }],
    });
    expect(valueOf("{k: v | some k, v in o}")).toEqual({
      type: "objectcomp",
      key: v("k"),
      value: v("v"),
      body: [{ type: "some-in", key: v("k"), value: v("v"), collection: v("o") }],
    });
    // not a comprehension: the head is not a single term, so `|` is set union
    expect(valueOf("[a + 1 | b]")).toEqual({
      type: "array",
      items: [call("or", call("plus", v("a"), num("1")), v("b"))],
    });
    expect(valueOf("{a + 1: 2}")).toEqual({ type: "object", entries: [[call("plus", v("a"), num("1")), num("2")]] });
  });

  it("refs with dots, brackets, vars and composite bases", () => {
    expect(valueOf('input.a["b"][i].c')).toEqual({
      type: "ref",
      head: v("input"),
      path: [s("a"), s("b"), v("i"), s("c")],
    });
    expect(valueOf("[1, 2][i]")).toEqual({
      type: "ref",
      head: { type: "array", items: [num("1"), num("2")] },
      path: [v("i")],
    });
    expect(valueOf("f(x).y[0]")).toEqual({ type: "ref", head: call("f", v("x")), path: [s("y"), num("0")] });
    expect(valueOf("data")).toEqual({ type: "ref", head: v("data"), path: [] });
    // whitespace ends a ref: `a [1]` is not `a[1]`
    const r = rule("p if { x := a\n[1] = y }");
    expect(r.body.map((e) => e.type)).toEqual(["assign", "unify"]);
    expect(diag(() => valueOf('"s".x'))).toMatchObject({ message: expect.stringContaining("illegal ref") });
  });

  it("calls with dotted names", () => {
    expect(valueOf('object.get(o, "k", null)')).toEqual(call("object.get", v("o"), s("k"), { type: "null" }));
    expect(valueOf("data.lib.f(x)")).toEqual(call("data.lib.f", v("x")));
    expect(valueOf('contains("abc", "b")')).toEqual(call("contains", s("abc"), s("b")));
    const r = rule("p if { x := count(xs) }");
    const e = r.body[0];
    if (e.type !== "assign") throw new Error();
    expect((e.right as CallTerm).operator.loc).toMatchObject({ line: 3, col: 13, length: 5 });
  });

  it("renames each _ to a unique wildcard", () => {
    const r = rule("p if { x := input[_][_] }");
    const e = r.body[0];
    if (e.type !== "assign") throw new Error();
    const path = (e.right as RefTerm).path as Term[];
    expect(path.map((t) => t.type === "var" && [t.name, t.wildcard])).toEqual([
      ["$wildcard0", true],
      ["$wildcard1", true],
    ]);
  });
});

describe("METADATA annotations", () => {
  it("attaches YAML blocks to the package and to rules", () => {
    const m = parseModule(
      [
        "# METADATA",
        "# title: Residency rules",
        "# description: |",
        "#   Multi-line",
        "package rg",
        "",
        "# METADATA",
        "# title: Outside Korea",
        "# custom:",
        "#   id: RG001",
        "#   level: error",
        "p := 1",
        "# ordinary comment",
        "q := 2",
      ].join("\n"),
      "m.rego",
    );
    expect(m.annotations).toEqual({ title: "Residency rules", description: "Multi-line\n" });
    expect(m.rules[0].annotations).toEqual({ title: "Outside Korea", custom: { id: "RG001", level: "error" } });
    expect(m.rules[1].annotations).toBeUndefined();
  });

  it("scope: package blocks go to the module", () => {
    const m = mod("# METADATA\n# scope: package\n# title: T\np := 1");
    expect(m.annotations).toEqual({ scope: "package", title: "T" });
    expect(m.rules[0].annotations).toBeUndefined();
  });

  it("ignores METADATA comments inside a rule body", () => {
    const m = mod("p if {\n  # METADATA\n  # title: inside\n  true\n}\nq := 1");
    expect(m.rules[0].annotations).toBeUndefined();
    expect(m.rules[1].annotations).toBeUndefined();
  });

  it("ends a block at a trailing comment on a line of code (it annotates nothing)", () => {
    const m = mod("# METADATA\n# description: |\n#   text\nf(s) := [x | some x in s][0] # a trailing note\n");
    expect(m.rules[0].annotations).toEqual({ description: "text\n" });
  });

  it("rejects a rule-scoped block before an import", () => {
    expect(diag(() => mod("# METADATA\n# title: x\nimport data.y\np := 1"))).toMatchObject({
      loc: { line: 3, col: 1 },
    });
  });

  it("reports invalid YAML at the comment line", () => {
    expect(diag(() => mod("# METADATA\n# title: [unclosed\np := 1"))).toMatchObject({
      code: "rego_parse_error",
      loc: { line: 4 },
    });
  });
});

describe("queries", () => {
  it("parses a query body", () => {
    expect(strip(parseQuery("data.test.p = x", "q"))).toEqual([
      { type: "unify", left: { type: "ref", head: v("data"), path: [s("test"), s("p")] }, right: v("x") },
    ]);
    expect(parseQuery("x := 1; y := 2\nz = x", "q")).toHaveLength(3);
    expect(diag(() => parseQuery("", "q"))).toMatchObject({ code: "rego_parse_error", message: "empty query" });
  });
});

describe("error positions", () => {
  const cases: Array<[string, number, number]> = [
    ["p := ", 4, 1],
    ["p := [1, 2", 4, 1],
    ["p := [1, 2 3]", 3, 12],
    ["p if { x := 1 + }", 3, 17],
    ["p if { x := input.a. }", 3, 22],
    ["p := 1 ! 2", 3, 8],
    ["p := 007", 3, 6],
    ["p := {1: 2, 3}", 3, 14],
    ["x[y](1) := 2", 3, 3],
    ["p if {\n  x := 1\n  y := )\n}", 5, 8],
  ];
  it.each(cases)("%j fails at %i:%i", (src, line, col) => {
    expect(diag(() => mod(src))).toMatchObject({ code: "rego_parse_error", loc: { file: "t.rego", line, col } });
  });
});

describe("Rego v0 (--v0-compatible)", () => {
  const v0 = (body: string): Module => parseModule(`package t\n\n${body}\n`, "t.rego", { v0: true });

  it("reads bodies without if, v0 partial sets, else bodies and multiple bodies", () => {
    const m = v0(
      [
        "p { input.x }",
        "s[x] { x := input.xs[_] }",
        "o[k] = v { some k; v := input.o[k] }",
        "f(x) = y { y := x } else = 0 { true }",
        "g(x) { x > 1 }",
        "m { input.a } { input.b }",
      ].join("\n"),
    );
    expect(m.rules.map((r) => [strip(r.head.ref[0]), r.kind, r.body.length])).toEqual([
      [s("p"), "complete", 1],
      [s("s"), "partial-set", 1],
      [s("o"), "partial-object", 2],
      [s("f"), "function", 1],
      [s("g"), "function", 1],
      [s("m"), "complete", 1],
      [s("m"), "complete", 1],
    ]);
    expect(strip(m.rules[1].head.key)).toEqual(v("x"));
    expect(m.rules[3].else?.[0].body).toHaveLength(1);
  });

  it("is v1 again after import rego.v1, and v1 by default", () => {
    expect(() => parseModule("package t\nimport rego.v1\n\np { true }\n", "t.rego", { v0: true })).toThrow(
      /`if` keyword is required/,
    );
    expect(() => mod("p { true }")).toThrow(/`if` keyword is required/);
  });
});
