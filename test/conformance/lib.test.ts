import { canonical, firstDiff, queryModule, queryVars, runCase, type ConformanceCase } from "./lib";
import { parseQuery } from "../../compiler/syntax";
import * as fs from "fs";
import * as path from "path";

describe("conformance runner pieces", () => {
  it("finds the output variables of a query", () => {
    expect(queryVars(parseQuery("data.test.p = x", "q"))).toEqual(["x"]);
    expect(queryVars(parseQuery("x := data.a[i]; y = count(x); not z; input.q[_] = w", "q"))).toEqual([
      "x",
      "i",
      "y",
      "w",
    ]);
    expect(queryVars(parseQuery("data.test.p", "q"))).toEqual([]);
  });

  it("wraps the query in a partial set of bindings with their types", () => {
    expect(queryModule("data.t.p = x", ["x"])).toBe(
      'package __conformance\n\nresult contains [__b, __t] if {\ndata.t.p = x\n__b := {"x": x}\n__t := {"x": type_name(x)}\n}\n',
    );
  });

  it("canonical ignores object key order but not array order", () => {
    expect(canonical({ b: 1, a: [2, 1] })).toBe(canonical({ a: [2, 1], b: 1 }));
    expect(canonical([1, 2])).not.toBe(canonical([2, 1]));
  });

  it("reports the first difference with its path", () => {
    expect(firstDiff({ x: { k: [1, 2] } }, { x: { k: [1, 3] } }, "")).toBe('at ["x"]["k"][1]: got 2, want 3');
    expect(firstDiff({ x: 1 }, { y: 1 }, "")).toBe('at ["x"]: got 1, not wanted');
  });
});

const runtime = path.join(__dirname, "../../compiler/runtime/build/runtime.wasm");
(fs.existsSync(runtime) ? describe : describe.skip)("runCase verdicts (needs the runtime build)", () => {
  const base = { file: "t.yaml", category: "t", id: "t.yaml#n", note: "n" };
  const mod = ["package test\n\np := 1 if input.a\nq contains x if some x in [1, 2]\n"];

  it("passes a right answer and fails a wrong one (a wrong answer is never ignored)", () => {
    const ok: ConformanceCase = {
      ...base,
      query: "data.test.p = x",
      modules: mod,
      input: { a: true },
      want_result: [{ x: 1 }],
    };
    expect(runCase(ok).status).toBe("pass");
    const wrong: ConformanceCase = { ...ok, want_result: [{ x: 2 }] };
    expect(runCase(wrong)).toMatchObject({ status: "fail", reason: expect.stringContaining("wrong result") });
    const undef: ConformanceCase = { ...ok, input: {}, want_result: [] };
    expect(runCase(undef).status).toBe("pass");
  });

  it("compares set-valued bindings without regard to order", () => {
    const c: ConformanceCase = { ...base, query: "data.test.q = x", modules: mod, want_result: [{ x: [2, 1] }] };
    expect(runCase(c).status).toBe("pass");
  });

  it("expects the right kind of error", () => {
    const c: ConformanceCase = {
      ...base,
      query: "data.test.p = x",
      modules: ["package test\n\np := y"],
      want_error_code: "rego_unsafe_var_error",
    };
    expect(runCase(c).status).toBe("pass");
    const notError: ConformanceCase = {
      ...base,
      query: "data.test.p = x",
      modules: mod,
      input: { a: true },
      want_error_code: "eval_conflict_error",
    };
    expect(runCase(notError)).toMatchObject({ status: "fail", reason: expect.stringContaining("expected error") });
  });
});
