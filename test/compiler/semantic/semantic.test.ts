// Semantic stages: every compile error with its code and exact position, plus the
// rewrites later stages rely on (renaming, ref resolution, reordering).
import { CompileError } from "../../../compiler/diagnostics";
import { analyze, STAGES } from "../../../compiler/semantic";
import { programText } from "../../../compiler/semantic/format";
import { parseModule } from "../../../compiler/syntax";

function modules(...texts: string[]) {
  return texts.map((t, i) => parseModule(t, `m${i}.rego`));
}

function errors(...texts: string[]): string[] {
  try {
    analyze(modules(...texts));
  } catch (e) {
    if (e instanceof CompileError)
      return e.diagnostics.map((d) => `${d.loc.file}:${d.loc.line}:${d.loc.col}: ${d.code}: ${d.message}`);
    throw e;
  }
  throw new Error("expected a CompileError");
}

function text(...texts: string[]): string {
  return programText(analyze(modules(...texts)));
}

describe("semantic errors", () => {
  test("unsafe variables are reported at the variable", () => {
    expect(errors("package t\n\np if {\n  x := y\n}\n")).toEqual([
      "m0.rego:4:8: rego_unsafe_var_error: var y is unsafe",
    ]);
  });

  test("unsafe variable in the rule head", () => {
    expect(errors("package t\n\np contains x if input.a\n")).toEqual([
      "m0.rego:3:12: rego_unsafe_var_error: var x is unsafe",
    ]);
  });

  test("vars in `not` must be bound elsewhere", () => {
    expect(errors("package t\n\np if not input.xs[i]\n")).toEqual([
      "m0.rego:3:19: rego_unsafe_var_error: var i is unsafe",
    ]);
  });

  test("comprehension closure vars must be bound outside", () => {
    expect(errors("package t\n\np if {\n  ys := [y | y := x]\n  x == ys\n}\n")).toEqual([
      "m0.rego:4:19: rego_unsafe_var_error: var x is unsafe",
    ]);
  });

  test("undefined function and arity mismatch are type errors", () => {
    expect(errors("package t\n\np := nope(1)\nq := count(1, 2, 3)\n")).toEqual([
      "m0.rego:3:6: rego_type_error: undefined function nope",
      "m0.rego:4:6: rego_type_error: count: arity mismatch: want 1 arguments, have 3",
    ]);
  });

  test("user function of another package resolves through data", () => {
    expect(errors("package t\n\np := data.lib.f(1)\n", "package lib\n\ng(x) := x\n")).toEqual([
      "m0.rego:3:6: rego_type_error: undefined function data.lib.f",
    ]);
  });

  test("recursion through two rules", () => {
    expect(errors("package t\n\np if q\n\nq if p\n")).toEqual([
      "m0.rego:3:1: rego_recursion_error: rule data.t.p is recursive: data.t.p -> data.t.q -> data.t.p",
    ]);
  });

  test("recursion through a whole-package reference", () => {
    expect(errors("package t\n\np := count(data.t)\n")[0]).toMatch(
      /rego_recursion_error: rule data\.t\.p is recursive/,
    );
  });

  test("conflicting rule kinds and double defaults", () => {
    expect(errors("package t\n\np := 1\n\np contains 2\n\ndefault q := 1\n\ndefault q := 2\n")).toEqual([
      "m0.rego:5:1: rego_type_error: conflicting rules data.t.p found",
      "m0.rego:9:1: rego_type_error: multiple default rules data.t.q found",
    ]);
  });

  test("`with` replacing part of a rule's value is a compile error naming the rule", () => {
    expect(errors("package t\n\nq := input.x\n\np if {\n  q == 1 with data.t.q.a as {}\n}\n")).toEqual([
      "m0.rego:6:15: rego_compile_error: with keyword cannot partially replace virtual document(s) (data.t.q)",
    ]);
  });

  test("redeclaring a local with := in the same scope", () => {
    expect(errors("package t\n\np if {\n  x := 1\n  x := 2\n}\n")).toEqual([
      "m0.rego:5:3: rego_compile_error: var x assigned above",
    ]);
  });

  test("locals must not shadow input or data", () => {
    expect(errors("package t\n\np if {\n  input := 1\n}\n")).toEqual([
      "m0.rego:4:3: rego_compile_error: variables must not shadow input",
    ]);
  });

  test("an import may not share its name with a rule", () => {
    expect(errors("package t\n\nimport data.lib.x\n\nx := 1\n", "package lib\n\nx := 2\n")).toEqual([
      "m0.rego:3:1: rego_compile_error: import x conflicts with rule x",
    ]);
  });

  test("declaring a var after using it", () => {
    expect(errors("package t\n\np := z if {\n  z := y + 1\n  y := 2\n}\n")).toEqual([
      "m0.rego:5:3: rego_compile_error: var y referenced above",
    ]);
  });

  test("a rule that overlaps a package below it", () => {
    expect(errors("package a\n\nb := 1\n", "package a.b\n\nc := 2\n")).toEqual([
      "m0.rego:3:1: rego_type_error: rule data.a.b conflicts with rules or packages below it (c)",
    ]);
  });
});

describe("semantic rewrites", () => {
  test("stage table is ordered and named", () => {
    expect(STAGES.map((s) => s.name)).toEqual(["resolve", "safety", "negation", "recursion"]);
  });

  test("rule names, imports and builtins resolve; locals are renamed apart", () => {
    const out = text(
      "package t\nimport data.lib\n\nr := 1\n\np := x if {\n  x := r + lib.k\n  y := [x | some x in input.xs]\n  count(y) > 0\n}\n",
      "package lib\n\nk := 2\n",
    );
    expect(out).toContain(
      "data.t.p := x$1 if { x$1 := plus(data.t.r, data.lib.k); y$4 := [x$3 | input.xs[$some2] = x$3]; gt(count(y$4), 0) }",
    );
  });

  test("bodies are reordered so variables are bound before use", () => {
    expect(text("package t\n\np := z if {\n  z = y + 1\n  y = input.n\n}\n")).toContain(
      "data.t.p := z if { y = input.n; z = plus(y, 1) }",
    );
  });

  test("every keeps its own scope; some-in becomes ref iteration", () => {
    const out = text("package t\n\np if {\n  some k, v in input.o\n  every x in v { x != k }\n}\n");
    expect(out).toContain("input.o[k$1] = v$2; every x$3 in v$2 { neq(x$3, k$1) }");
  });

  test("dumpStages reports each stage in order", () => {
    const seen: string[] = [];
    analyze(modules("package t\n\np := 1\n"), { dumpStages: (s) => seen.push(s) });
    expect(seen).toEqual(["collect", "resolve", "safety", "negation", "recursion"]);
  });
});
