import { loadPolicySync } from "@open-policy-agent/opa-wasm";
import { Policy } from "../../../compiler/ir/types";
import { NATIVE_BUILTINS } from "../../../compiler/builtins/natives";
import { customBuiltins } from "../../../compiler/builtins/host";
import { emitWasm, emitWat, EmitError } from "../../../compiler/wasm";
import { VAR_CONFLICT_MESSAGE, OBJECT_CONFLICT_MESSAGE } from "../../../compiler/wasm/lower";
import {
  Strings,
  WA,
  block,
  rawInstance,
  bool,
  errorsAll,
  evalAll,
  loadAll,
  local,
  onePlan,
  setDataAll,
  withMinorVersion1,
} from "./helpers";

describe("emitWasm through the SDK (fast path async/sync and legacy path agree)", () => {
  it("returns input.x, [] when undefined or input absent", async () => {
    const S = new Strings();
    const wasm = emitWasm(
      onePlan(S, [
        block({ type: "Dot", source: local(0), key: S.s("x"), target: 2 }, { type: "ResultSetAdd", value: 2 }),
      ]),
    );
    expect(WA.validate(wasm)).toBe(true);
    const l = await loadAll(wasm);
    expect(evalAll(l, { x: 42 })).toEqual([{ result: 42 }]);
    expect(evalAll(l, { x: { 서울: [1, "ü", null] } })).toEqual([{ result: { 서울: [1, "ü", null] } }]);
    expect(evalAll(l, { y: 1 })).toEqual([]);
    expect(evalAll(l, undefined)).toEqual([]);
    expect(evalAll(l, [1, 2])).toEqual([]);
    // Repeated evaluations reuse the heap: the answer stays the same.
    for (let i = 0; i < 50; i++) expect(evalAll(l, { x: i })).toEqual([{ result: i }]);
  });

  it("handles inputs larger than the SDK's initial memory", async () => {
    const S = new Strings();
    const wasm = emitWasm(
      onePlan(S, [
        block(
          { type: "Dot", source: local(0), key: S.s("xs"), target: 2 },
          { type: "Len", source: local(2), target: 3 },
          { type: "ResultSetAdd", value: 3 },
        ),
      ]),
    );
    const l = await loadAll(wasm);
    const xs = Array.from({ length: 20000 }, (_, i) => ({ id: i, name: `resource-${i}`, tags: { a: "b" } }));
    expect(evalAll(l, { xs })).toEqual([{ result: 20000 }]);
    expect(evalAll(l, { xs: [1] })).toEqual([{ result: 1 }]);
  });

  it("filters an array with Scan and keeps the element order", async () => {
    const S = new Strings();
    // out := [v | v := input.xs[_]; v != "b"]
    const wasm = emitWasm(
      onePlan(S, [
        block(
          { type: "MakeArray", capacity: 0, target: 3 },
          { type: "Dot", source: local(0), key: S.s("xs"), target: 4 },
          {
            type: "Scan",
            source: 4,
            key: 5,
            value: 6,
            block: block(
              { type: "NotEqual", a: local(6), b: S.s("b") },
              { type: "ArrayAppend", array: 3, value: local(6) },
            ),
          },
          { type: "ResultSetAdd", value: 3 },
        ),
      ]),
    );
    const l = await loadAll(wasm);
    expect(evalAll(l, { xs: ["a", "b", "c", "b", 1] })).toEqual([{ result: ["a", "c", 1] }]);
    expect(evalAll(l, { xs: [] })).toEqual([{ result: [] }]);
    // Objects iterate their values, sets their elements.
    expect(evalAll(l, { xs: { k1: "b", k2: "z" } })).toEqual([{ result: ["z"] }]);
    // Not a collection: the Scan is undefined.
    expect(evalAll(l, { xs: "abc" })).toEqual([]);
  });

  it("collects object keys from Scan and reads data set with setData", async () => {
    const S = new Strings();
    // out := {k | data.regions[k] == true}
    const wasm = emitWasm(
      onePlan(S, [
        block(
          { type: "MakeSet", target: 3 },
          { type: "Dot", source: local(1), key: S.s("regions"), target: 4 },
          {
            type: "Scan",
            source: 4,
            key: 5,
            value: 6,
            block: block({ type: "Equal", a: local(6), b: bool(true) }, { type: "SetAdd", set: 3, value: local(5) }),
          },
          { type: "ResultSetAdd", value: 3 },
        ),
      ]),
    );
    const l = await loadAll(wasm);
    expect(evalAll(l, {})).toEqual([]);
    setDataAll(l, { regions: { "ap-northeast-2": true, "us-east-1": false, "ap-northeast-3": true } });
    expect(evalAll(l, {})).toEqual([{ result: ["ap-northeast-2", "ap-northeast-3"] }]);
    setDataAll(l, { regions: {} });
    expect(evalAll(l, {})).toEqual([{ result: [] }]);
  });

  it("raises eval_conflict_error with the statement location through opa_abort", async () => {
    const S = new Strings();
    // r := input.a; r := input.b (a complete rule with two outputs)
    const loc = { file: "policies/p.rego", row: 7, col: 3 };
    const wasm = emitWasm(
      onePlan(S, [
        block(
          { type: "Dot", source: local(0), key: S.s("a"), target: 3 },
          { type: "AssignVarOnce", source: local(3), target: 2, loc },
          { type: "Dot", source: local(0), key: S.s("b"), target: 4 },
          { type: "AssignVarOnce", source: local(4), target: 2, loc },
          { type: "ResultSetAdd", value: 2 },
        ),
      ]),
    );
    const l = await loadAll(wasm);
    expect(evalAll(l, { a: [1], b: [1] })).toEqual([{ result: [1] }]);
    expect(evalAll(l, { a: 1 })).toEqual([]);
    for (const msg of errorsAll(l, { a: 1, b: 2 })) {
      expect(msg).toContain(`policies/p.rego:7:3: ${VAR_CONFLICT_MESSAGE}`);
    }
    // The instance stays usable after an abort.
    expect(evalAll(l, { a: 5, b: 5 })).toEqual([{ result: 5 }]);
  });

  it("raises the object key conflict of ObjectInsertOnce", async () => {
    const S = new Strings();
    const loc = { file: "o.rego", row: 2, col: 1 };
    const wasm = emitWasm(
      onePlan(S, [
        block(
          { type: "MakeObject", target: 2 },
          { type: "Dot", source: local(0), key: S.s("a"), target: 3 },
          { type: "Dot", source: local(0), key: S.s("b"), target: 4 },
          { type: "ObjectInsertOnce", object: 2, key: S.s("k"), value: local(3), loc },
          { type: "ObjectInsertOnce", object: 2, key: S.s("k"), value: local(4), loc },
          { type: "ResultSetAdd", value: 2 },
        ),
      ]),
    );
    const l = await loadAll(wasm);
    expect(evalAll(l, { a: "x", b: "x" })).toEqual([{ result: { k: "x" } }]);
    for (const msg of errorsAll(l, { a: "x", b: "y" })) expect(msg).toContain(`o.rego:2:1: ${OBJECT_CONFLICT_MESSAGE}`);
  });

  it("Not is defined only when its block is undefined", async () => {
    const S = new Strings();
    // allow if { not input.deny == true }
    const wasm = emitWasm(
      onePlan(S, [
        block(
          {
            type: "Not",
            block: block(
              { type: "Dot", source: local(0), key: S.s("deny"), target: 2 },
              { type: "Equal", a: local(2), b: bool(true) },
            ),
          },
          { type: "AssignVar", source: bool(true), target: 3 },
          { type: "ResultSetAdd", value: 3 },
        ),
      ]),
    );
    const l = await loadAll(wasm);
    expect(evalAll(l, {})).toEqual([{ result: true }]);
    expect(evalAll(l, { deny: false })).toEqual([{ result: true }]);
    expect(evalAll(l, { deny: true })).toEqual([]);
  });

  it("Break{index} leaves index + 1 blocks, also out of a Scan body", async () => {
    const S = new Strings();
    // Block [ Block [ Dot input.a; Break 1 ] , Block [ add "second" ] ] ; add "after"
    // Break 1 from the inner block skips the sibling block and continues after the outer Block stmt.
    const wasm = emitWasm(
      onePlan(S, [
        block(
          { type: "MakeArray", capacity: 4, target: 2 },
          {
            type: "Block",
            blocks: [
              block(
                {
                  type: "Block",
                  blocks: [
                    block({ type: "Dot", source: local(0), key: S.s("a"), target: 3 }, { type: "Break", index: 1 }),
                  ],
                },
                { type: "ArrayAppend", array: 2, value: S.s("first-rest") },
              ),
              block({ type: "ArrayAppend", array: 2, value: S.s("second") }),
            ],
          },
          { type: "ArrayAppend", array: 2, value: S.s("after") },
          // A Scan whose body stops at the first element equal to "stop" by breaking out of the
          // body and the block holding the Scan: nothing after the Scan in that block runs.
          {
            type: "Block",
            blocks: [
              block(
                { type: "Dot", source: local(0), key: S.s("xs"), target: 4 },
                {
                  type: "Scan",
                  source: 4,
                  key: 5,
                  value: 6,
                  block: block(
                    { type: "ArrayAppend", array: 2, value: local(6) },
                    {
                      type: "Block",
                      blocks: [block({ type: "NotEqual", a: local(6), b: S.s("stop") }, { type: "Break", index: 1 })],
                    },
                    { type: "Break", index: 1 },
                  ),
                },
                { type: "ArrayAppend", array: 2, value: S.s("scan-done") },
              ),
            ],
          },
          { type: "ResultSetAdd", value: 2 },
        ),
      ]),
    );
    const l = await loadAll(wasm);
    // input.a defined: Break 1 leaves the inner and the first outer block; "second" still runs.
    expect(evalAll(l, { a: 1 })).toEqual([{ result: ["second", "after"] }]);
    // input.a undefined: the inner block is left as undefined; "first-rest" runs.
    expect(evalAll(l, {})).toEqual([{ result: ["first-rest", "second", "after"] }]);
    expect(evalAll(l, { xs: [1, 2] })).toEqual([{ result: ["first-rest", "second", "after", 1, 2, "scan-done"] }]);
    expect(evalAll(l, { xs: [1, "stop", 2] })).toEqual([{ result: ["first-rest", "second", "after", 1, "stop"] }]);
  });

  it("calls planned functions and treats a 0 result as undefined", async () => {
    const S = new Strings();
    // f(input, data, x) := y if { y := x.name }
    const policy: Policy = {
      strings: S.list,
      builtins: [],
      funcs: [
        {
          name: "g0.data.test.f",
          params: [0, 1, 2],
          result: 3,
          path: ["data", "test", "f"],
          blocks: [
            block(
              { type: "Dot", source: local(2), key: S.s("name"), target: 4 },
              { type: "AssignVarOnce", source: local(4), target: 3 },
            ),
          ],
        },
      ],
      plans: [
        {
          name: "test/p",
          blocks: [
            block(
              { type: "Call", func: "g0.data.test.f", args: [local(0), local(1), local(0)], result: 2 },
              { type: "ResultSetAdd", value: 2 },
            ),
          ],
        },
      ],
    };
    const l = await loadAll(emitWasm(policy));
    expect(evalAll(l, { name: "seoul" })).toEqual([{ result: "seoul" }]);
    expect(evalAll(l, { other: 1 })).toEqual([]);
  });

  it("memoises rules of input and data per evaluation, never across evaluations", async () => {
    const S = new Strings();
    let calls = 0;
    // x := input.x (through a host builtin that counts its calls); out := [x | _ := input.xs[_]]
    const policy: Policy = {
      strings: S.list,
      builtins: [],
      funcs: [
        {
          name: "g0.data.test.x",
          params: [0, 1],
          result: 2,
          path: ["data", "test", "x"],
          blocks: [
            block(
              { type: "Dot", source: local(0), key: S.s("x"), target: 3 },
              { type: "Call", func: "time.now_ns", args: [], result: 4 },
              { type: "AssignVarOnce", source: local(3), target: 2 },
            ),
          ],
        },
      ],
      plans: [
        {
          name: "test/p",
          blocks: [
            block(
              { type: "MakeArray", capacity: 0, target: 2 },
              { type: "Dot", source: local(0), key: S.s("xs"), target: 3 },
              {
                type: "Scan",
                source: 3,
                key: 4,
                value: 5,
                block: block(
                  { type: "Call", func: "g0.data.test.x", args: [local(0), local(1)], result: 6 },
                  { type: "ArrayAppend", array: 2, value: local(6) },
                ),
              },
              { type: "ResultSetAdd", value: 2 },
            ),
          ],
        },
      ],
    };
    const l = await loadAll(emitWasm(policy), { "time.now_ns": () => ++calls });
    expect(evalAll(l, { x: 1, xs: [0, 0, 0] })).toEqual([{ result: [1, 1, 1] }]);
    expect(calls).toBe(3); // once per load (three loads), not once per element
    // Same heap addresses, new evaluation: the cached value must not leak.
    expect(evalAll(l, { x: 2, xs: [0, 0] })).toEqual([{ result: [2, 2] }]);
    expect(evalAll(l, { xs: [0] })).toEqual([{ result: [] }]);
    setDataAll(l, { any: 1 });
    expect(evalAll(l, { x: "d", xs: [0] })).toEqual([{ result: ["d"] }]);
  });

  it("memoises functions with scalar arguments per evaluation, by value", async () => {
    const S = new Strings();
    const seen: unknown[] = [];
    // f(x) := upper(x) (a counting host builtin); g(x, y) := upper(x); out := [f(v) | v := input.xs[_]] ++ [g(v, 1) ...]
    const fn = (name: string, params: number[]) => ({
      name,
      params,
      result: 9,
      path: ["data", "t", name],
      blocks: [
        block(
          { type: "Call" as const, func: "upper", args: [local(2)], result: 8 },
          {
            type: "AssignVarOnce" as const,
            source: local(8),
            target: 9,
          },
        ),
      ],
    });
    const policy: Policy = {
      strings: S.list,
      builtins: [],
      funcs: [fn("f", [0, 1, 2]), fn("g", [0, 1, 2, 3])],
      plans: [
        {
          name: "test/p",
          blocks: [
            block(
              { type: "MakeArray", capacity: 0, target: 2 },
              { type: "Dot", source: local(0), key: S.s("xs"), target: 3 },
              {
                type: "Scan",
                source: 3,
                key: 4,
                value: 5,
                block: block(
                  { type: "Call", func: "f", args: [local(0), local(1), local(5)], result: 6 },
                  { type: "ArrayAppend", array: 2, value: local(6) },
                ),
              },
              {
                type: "Scan",
                source: 3,
                key: 4,
                value: 5,
                block: block(
                  { type: "Call", func: "g", args: [local(0), local(1), local(5), S.s("k")], result: 6 },
                  { type: "ArrayAppend", array: 2, value: local(6) },
                ),
              },
              { type: "ResultSetAdd", value: 2 },
            ),
          ],
        },
      ],
    };
    const upper = (x: unknown) => {
      seen.push(x);
      if (typeof x === "string") return x === "skip" ? undefined : x.toUpperCase();
      return "obj";
    };
    const wasm = emitWasm(policy, { natives: {} });
    const p = loadPolicySync(wasm, undefined, { upper });
    const run = (input: unknown) => {
      seen.length = 0;
      return p.evaluate(input);
    };
    // Each distinct scalar once per function (undefined results cached too), objects every time.
    expect(run({ xs: ["a", "skip", "a", "b", "skip", { o: 1 }, { o: 1 }] })).toEqual([
      { result: ["A", "A", "B", "obj", "obj", "A", "A", "B", "obj", "obj"] },
    ]);
    expect(seen).toEqual(["a", "skip", "b", { o: 1 }, { o: 1 }, "a", "skip", "b", { o: 1 }, { o: 1 }]);
    // A new evaluation starts with empty tables.
    expect(run({ xs: ["a"] })).toEqual([{ result: ["A", "A"] }]);
    expect(seen).toEqual(["a", "a"]);
    // The legacy path agrees.
    const legacy = loadPolicySync(withMinorVersion1(wasm), undefined, { upper });
    expect(legacy.evaluate({ xs: ["a", "skip", "a"] })).toEqual([{ result: ["A", "A", "A", "A"] }]);
  });

  it("calls host builtins through opa_builtinN with ids from builtins()", async () => {
    const S = new Strings();
    // sprintf is the project's host implementation (under its host name, so the SDK's own
    // sprintf cannot shadow it); time.now_ns and glob.match come from the caller.
    // Three arities: opa_builtin0, opa_builtin2, opa_builtin3 are imported (the runtime has none).
    const wasm = emitWasm(
      onePlan(
        S,
        [
          block(
            { type: "Dot", source: local(0), key: S.s("args"), target: 2 },
            { type: "Call", func: "sprintf", args: [S.s("%s in %d"), local(2)], result: 3 },
            { type: "Call", func: "time.now_ns", args: [], result: 4 },
            { type: "Dot", source: local(0), key: S.s("name"), target: 5 },
            { type: "Call", func: "glob.match", args: [S.s("ap-*"), local(1), local(5)], result: 6 },
            { type: "MakeObject", target: 7 },
            { type: "ObjectInsert", object: 7, key: S.s("msg"), value: local(3) },
            { type: "ObjectInsert", object: 7, key: S.s("now"), value: local(4) },
            { type: "ObjectInsert", object: 7, key: S.s("glob"), value: local(6) },
            { type: "ResultSetAdd", value: 7 },
          ),
        ],
        { builtins: [{ name: "regex.split", arity: 2 }] },
      ),
      // All of these go to the host, whatever the runtime implements natively.
      { natives: {} },
    );
    const seen: unknown[][] = [];
    const custom = {
      ...customBuiltins(),
      "time.now_ns": () => 1700000000000000000,
      "glob.match": (pattern: unknown, delims: unknown, name: unknown) => {
        seen.push([pattern, delims, name]);
        return typeof name === "string" ? name.startsWith(String(pattern).slice(0, -1)) : undefined;
      },
    };
    const l = await loadAll(wasm, custom);
    expect(evalAll(l, { args: ["x", 3], name: "ap-northeast-2" })).toEqual([
      { result: { msg: "x in 3", now: 1700000000000000000, glob: true } },
    ]);
    // The data argument arrives as the object data is (setData not called: {}).
    expect(seen[0]).toEqual(["ap-*", {}, "ap-northeast-2"]);
    // A host builtin answering undefined makes the Call undefined.
    expect(evalAll(l, { args: ["x", 3], name: 7 })).toEqual([]);
  });

  it("builtins() lists host builtins only, natives run in the runtime", async () => {
    // The runtime's natives, except that sprintf stays on the host.
    const hostSprintf = Object.fromEntries(Object.entries(NATIVE_BUILTINS).filter(([name]) => name !== "sprintf"));
    const S = new Strings();
    const wasm = emitWasm(
      onePlan(
        S,
        [
          block(
            { type: "Dot", source: local(0), key: S.s("s"), target: 2 },
            { type: "Call", func: "upper", args: [local(2)], result: 3 },
            { type: "Call", func: "count", args: [local(2)], result: 4 },
            { type: "MakeArray", capacity: 2, target: 5 },
            { type: "ArrayAppend", array: 5, value: local(3) },
            { type: "ArrayAppend", array: 5, value: local(4) },
            { type: "ResultSetAdd", value: 5 },
          ),
        ],
        {
          builtins: [
            { name: "upper", arity: 1 },
            { name: "count", arity: 1 },
            { name: "sprintf", arity: 2 },
          ],
        },
      ),
      { natives: hostSprintf },
    );
    const raw = rawInstance(wasm);
    // Listed under its host name, so the SDK's own sprintf cannot shadow the project's.
    expect(raw.call("builtins")).toEqual({ "residency_guard.sprintf": 0 });
    expect(raw.call("entrypoints")).toEqual({ "test/p": 0 });
    const l = await loadAll(wasm, customBuiltins());
    expect(evalAll(l, { s: "Seoul" })).toEqual([{ result: ["SEOUL", 5] }]);
  });

  it("exports entrypoints in plan order and dispatches by id and name", async () => {
    const S = new Strings();
    const plan = (name: string, value: number) => ({
      name,
      blocks: [
        block({ type: "MakeNumberInt" as const, value, target: 2 }, { type: "ResultSetAdd" as const, value: 2 }),
      ],
    });
    const wasm = emitWasm({
      strings: S.list,
      builtins: [],
      funcs: [],
      plans: [plan("a/b", 1), plan("a/c", 2), plan("z", -3)],
    });
    const l = await loadAll(wasm);
    expect(l.fastSync.entrypoints).toEqual({ "a/b": 0, "a/c": 1, z: 2 });
    expect(evalAll(l, {}, "a/c")).toEqual([{ result: 2 }]);
    expect(evalAll(l, {}, 2)).toEqual([{ result: -3 }]);
    expect(evalAll(l, {}, "a/b")).toEqual([{ result: 1 }]);
    for (const msg of errorsAll(l, {}, 7)) expect(msg).toContain("unknown entrypoint id");
  });

  it("builds constants: numbers, null, booleans, non-ASCII strings", async () => {
    const S = new Strings();
    const wasm = emitWasm(
      onePlan(S, [
        block(
          { type: "MakeArray", capacity: 0, target: 2 },
          { type: "MakeNumberRef", index: S.index("3.25"), target: 3 },
          { type: "ArrayAppend", array: 2, value: local(3) },
          { type: "MakeNumberRef", index: S.index("12345678901234567890"), target: 3 },
          { type: "ArrayAppend", array: 2, value: local(3) },
          { type: "MakeNumberInt", value: -7, target: 3 },
          { type: "ArrayAppend", array: 2, value: local(3) },
          { type: "AssignInt", value: 2 ** 40, target: 3 },
          { type: "ArrayAppend", array: 2, value: local(3) },
          { type: "MakeNull", target: 3 },
          { type: "ArrayAppend", array: 2, value: local(3) },
          { type: "ArrayAppend", array: 2, value: bool(false) },
          { type: "ArrayAppend", array: 2, value: S.s('데이터 "q" \\ \n') },
          { type: "Len", source: local(2), target: 4 },
          { type: "ArrayAppend", array: 2, value: local(4) },
          { type: "ResultSetAdd", value: 2 },
        ),
      ]),
    );
    const l = await loadAll(wasm);
    const [{ result }] = evalAll(l, {}) as { result: unknown[] }[];
    expect(result).toEqual([3.25, 12345678901234567890, -7, 2 ** 40, null, false, '데이터 "q" \\ \n', 7]);
  });

  it("type checks, IsDefined/IsUndefined, ResetLocal and ObjectMerge", async () => {
    const S = new Strings();
    const wasm = emitWasm(
      onePlan(S, [
        block(
          { type: "IsObject", source: local(0) },
          { type: "AssignVar", source: S.s("object"), target: 2 },
          { type: "ResultSetAdd", value: 2 },
        ),
        block(
          { type: "IsArray", source: local(0) },
          { type: "AssignVar", source: S.s("array"), target: 2 },
          { type: "ResultSetAdd", value: 2 },
        ),
        block({ type: "IsSet", source: S.s("x") }, { type: "ResultSetAdd", value: 0 }),
        block(
          { type: "IsUndefined", source: 0 },
          { type: "AssignVar", source: S.s("no input"), target: 2 },
          { type: "ResultSetAdd", value: 2 },
        ),
        block(
          { type: "Dot", source: local(0), key: S.s("m1"), target: 3 },
          { type: "Dot", source: local(0), key: S.s("m2"), target: 4 },
          { type: "ObjectMerge", a: 3, b: 4, target: 5 },
          { type: "ResultSetAdd", value: 5 },
        ),
        block(
          { type: "AssignVar", source: local(0), target: 6 },
          { type: "ResetLocal", target: 6 },
          { type: "IsDefined", source: 6 },
          { type: "ResultSetAdd", value: 6 },
        ),
      ]),
    );
    const l = await loadAll(wasm);
    expect(evalAll(l, {})).toEqual([{ result: "object" }]);
    expect(evalAll(l, [1])).toEqual([{ result: "array" }]);
    expect(evalAll(l, undefined)).toEqual([{ result: "no input" }]);
    const merged = evalAll(l, { m1: { a: { x: 1 } }, m2: { a: { y: 2 }, b: 3 } }) as { result: unknown }[];
    expect(merged).toContainEqual({ result: { a: { x: 1, y: 2 }, b: 3 } });
    // Conflicting leaves: ObjectMerge is undefined, only the type check answers.
    expect(evalAll(l, { m1: { a: 1 }, m2: { a: 2 } })).toEqual([{ result: "object" }]);
  });
});

describe("emitWasm errors (fail at compile time, naming the place)", () => {
  const S = new Strings();
  it("rejects unknown builtins", () => {
    const p = onePlan(S, [block({ type: "Call", func: "no.such_builtin", args: [], result: 2 })]);
    expect(() => emitWasm(p)).toThrow(EmitError);
    expect(() => emitWasm(p)).toThrow(/plan test\/p: unknown function or builtin no.such_builtin/);
  });
  it("rejects arity mismatches, bad breaks, ResultSetAdd outside plans", () => {
    expect(() => emitWasm(onePlan(S, [block({ type: "Call", func: "upper", args: [], result: 2 })]))).toThrow(
      /upper takes 1 arguments/,
    );
    expect(() => emitWasm(onePlan(S, [block({ type: "Break", index: 1 })]))).toThrow(/Break index 1/);
    expect(() =>
      emitWasm({
        strings: [],
        builtins: [],
        plans: [{ name: "p", blocks: [] }],
        funcs: [
          { name: "f", params: [0, 1], result: 2, path: [], blocks: [block({ type: "ResultSetAdd", value: 0 })] },
        ],
      }),
    ).toThrow(/function f: ResultSetAdd is only valid in a plan/);
    expect(() => emitWasm({ strings: [], builtins: [], plans: [], funcs: [] })).toThrow(/no plans/);
    expect(() => emitWasm(onePlan(new Strings(), [block({ type: "MakeNumberRef", index: 0, target: 2 })]))).toThrow(
      /string table/,
    );
  });
});

describe("emitWat", () => {
  it("lists generated functions with runtime calls by name", () => {
    const S = new Strings();
    const text = emitWat(
      onePlan(S, [
        block({ type: "Dot", source: local(0), key: S.s("x"), target: 2 }, { type: "ResultSetAdd", value: 2 }),
      ]),
    );
    expect(text).toContain("(func $plan test/p");
    expect(text).toContain("call $opa_value_get");
    expect(text).toContain('global.get $str "x"');
  });
});
