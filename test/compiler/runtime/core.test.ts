// The runtime's core: ABI surface, allocator, value constructors, JSON parse/dump,
// get/iter/length, compare/hash, merge, runtime errors and the eval context.
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { RUNTIME_FUNCTIONS, SDK_EXPORTS, HOST_IMPORTS, ValueType } from "../../../compiler/abi/abi";
import { NATIVE_BUILTINS } from "../../../compiler/builtins/natives";
import { loadRuntime, runtimeModule, RUNTIME_WASM, RuntimeAbort, Runtime } from "./harness";
const { readSignatures } = require("../../../compiler/runtime/wasm-signatures.js");

interface Sig {
  name: string;
  kind: string;
  params?: string[];
  result?: string | null;
  module?: string;
}

describe("ABI surface", () => {
  const sigs: { imports: Sig[]; exports: Sig[] } = readSignatures(fs.readFileSync(RUNTIME_WASM));
  const exports = new Map(sigs.exports.map((e) => [e.name, e]));

  test("imports only env.memory, env.opa_abort and env.opa_println", () => {
    for (const imp of sigs.imports) {
      expect(imp.module).toBe("env");
      expect(["memory", HOST_IMPORTS.abort, HOST_IMPORTS.println]).toContain(imp.name);
    }
    expect(sigs.imports.find((i) => i.name === "memory")?.kind).toBe("memory");
    expect(WebAssembly.Module.imports(runtimeModule()).map((i) => i.name)).not.toContain("abort");
  });

  test.each(Object.entries(RUNTIME_FUNCTIONS))("exports %s with the ABI signature", (name, fn) => {
    const e = exports.get(name);
    expect(e?.kind).toBe("function");
    expect(e?.params).toEqual(fn.params);
    expect(e?.result ?? null).toBe(fn.result);
  });

  test("exports the SDK functions the runtime owns (the emitter adds eval, opa_eval, builtins, entrypoints)", () => {
    const generated = new Set(["builtins", "entrypoints", "opa_eval", "eval"]);
    for (const name of SDK_EXPORTS.functions) {
      if (generated.has(name)) expect(exports.has(name)).toBe(false);
      else expect(exports.get(name)?.kind).toBe("function");
    }
  });

  test.each(Object.entries(NATIVE_BUILTINS))("native builtin %s is exported with its arity", (_name, n) => {
    const e = exports.get(n.symbol);
    expect(e?.kind).toBe("function");
    expect(e?.params).toEqual(new Array(n.arity).fill("i32"));
    expect(e?.result).toBe("i32");
  });

  test("AssemblyScript's own allocator and start function are absent", () => {
    const wat = fs.readFileSync(path.join(path.dirname(RUNTIME_WASM), "runtime.wat"), "utf8");
    expect(wat).not.toMatch(/\(func \$~lib\/rt\/stub\/__(alloc|new|realloc)\b/);
    expect(wat).not.toMatch(/\(start /);
    for (const name of ["__new", "__alloc", "memory"]) expect(exports.has(name)).toBe(false);
  });
});

describe("allocator", () => {
  test("8-aligned bump allocation from the heap top, settable by the host", () => {
    const rt = loadRuntime();
    const base = rt.x.opa_heap_ptr_get();
    expect(base).toBe(rt.x.opa_runtime_heap_base());
    const a = rt.x.opa_malloc(3);
    const b = rt.x.opa_malloc(5);
    expect(a % 8).toBe(0);
    expect(b % 8).toBe(0);
    expect(b).toBeGreaterThanOrEqual(a + 3);
    rt.x.opa_heap_ptr_set(base);
    expect(rt.x.opa_malloc(1)).toBe(base);
  });

  test("grows memory past the initial 5 pages", () => {
    const rt = loadRuntime();
    const before = rt.memory.buffer.byteLength;
    expect(before).toBe(5 * 65536);
    const p = rt.x.opa_malloc(1 << 20);
    expect(rt.memory.buffer.byteLength).toBeGreaterThanOrEqual(p + (1 << 20));
  });

  test("parses and dumps a document larger than 5 pages", () => {
    const rt = loadRuntime();
    const doc = {
      items: Array.from({ length: 20000 }, (_, i) => ({ id: i, name: `resource-${i}`, tags: { env: "prod" } })),
    };
    const v = rt.value(doc);
    expect(rt.memory.buffer.byteLength).toBeGreaterThan(5 * 65536);
    expect(rt.js(v)).toEqual(doc);
  });
});

describe("JSON parse and dump", () => {
  let rt: Runtime;
  beforeEach(() => {
    rt = loadRuntime();
  });

  test.each([
    ["null", "null"],
    ["true", "true"],
    ["false", "false"],
    ["0", "0"],
    ["-0", "0"],
    ["42", "42"],
    ["-17", "-17"],
    ["1.5", "1.5"],
    ["1.0", "1"],
    ["1e2", "100"],
    ["9223372036854775807", "9223372036854775807"],
    ["-9223372036854775808", "-9223372036854775808"],
    ["123456789012345678901234567890", "123456789012345678901234567890"],
    ["0.1", "0.1"],
    ["1e400", "1e400"],
    ['"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t"', '"a\\"b\\\\c/d\\b\\f\\n\\r\\t"'],
    ['"\\u00e9\\u4e2d\\ud83d\\ude00"', '"é中😀"'],
    ['"\\ud800x"', '"\uFFFDx"'],
    [' [ 1 , [ ] , { } , "x" ] ', '[1,[],{},"x"]'],
    ['{"b":1,"a":2,"b":3}', '{"b":3,"a":2}'],
  ])("%s dumps as %s", (input, want) => {
    const v = rt.parse(input);
    expect(v).not.toBe(0);
    expect(rt.dump(v)).toBe(want);
  });

  test.each([
    "",
    " ",
    "{",
    "[1,]",
    "[1 2]",
    '{"a" 1}',
    '{"a":1,}',
    "{1:2}",
    "01",
    "1.",
    ".5",
    "-",
    "1e",
    "+1",
    "tru",
    "nul",
    "falsey",
    '"abc',
    '"\\x"',
    '"\\u12"',
    '"a\nb"',
    "[1] 2",
    "NaN",
  ])("rejects malformed %j with 0", (input) => {
    expect(rt.parse(input)).toBe(0);
  });

  test("nesting 1000 deep parses; absurd depth returns 0 without trapping", () => {
    expect(rt.parse("[".repeat(1000) + "]".repeat(1000))).not.toBe(0);
    expect(rt.parse("[".repeat(100000))).toBe(0);
  });

  test("property: JSON.parse(dump(parse(x))) deep-equals x", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (x) => {
        const r = loadRuntime();
        const v = r.value(x);
        // JSON.stringify turns -0 into 0; compare through JSON text.
        expect(r.js(v)).toEqual(JSON.parse(JSON.stringify(x)));
      }),
      { numRuns: 300 },
    );
  });

  test("property: the runtime accepts exactly what JSON.parse accepts", () => {
    const fragments = fc.constantFrom(
      "{",
      "}",
      "[",
      "]",
      ",",
      ":",
      '"a"',
      "1",
      "-",
      ".",
      "e",
      "tru",
      "true",
      "null",
      " ",
      "\\",
      '"',
      "0",
      "x",
    );
    fc.assert(
      fc.property(fc.array(fragments, { maxLength: 12 }), (parts) => {
        const text = parts.join("");
        let ok = true;
        try {
          JSON.parse(text);
        } catch {
          ok = false;
        }
        expect(rt.parse(text) !== 0).toBe(ok);
      }),
      { numRuns: 2000 },
    );
  });

  test("property: decimal text parses to the correctly rounded f64 (as JavaScript's Number)", () => {
    const digits = fc.string({
      unit: fc.constantFrom("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
      minLength: 1,
      maxLength: 40,
    });
    const text = fc
      .tuple(fc.boolean(), digits, fc.option(digits), fc.option(fc.integer({ min: -400, max: 400 })))
      .map(([neg, int, frac, exp]) => {
        const i = int.replace(/^0+(?=\d)/, "");
        return `${neg ? "-" : ""}${i}${frac === null ? "" : "." + frac}${exp === null ? "" : "e" + exp}`;
      });
    const r = loadRuntime();
    const zero = r.value(0);
    fc.assert(
      fc.property(text, (t) => {
        const base = r.x.opa_heap_ptr_get();
        const v = r.parse(t);
        expect(v).not.toBe(0);
        const f = r.x.opa_arith_plus(v, zero); // the f64 (or exact integer) the runtime computes with
        const want = Number(t);
        // 0 = the float overflowed (undefined); exact big integers print in full
        const got = f === 0 ? (t.startsWith("-") ? -Infinity : Infinity) : (JSON.parse(r.dump(f)) as number);
        expect([t, got === want || (got === 0 && want === 0)]).toEqual([t, true]);
        r.x.opa_heap_ptr_set(base);
      }),
      { numRuns: 3000 },
    );
    // hard cases: halfway points and subnormals
    for (const t of [
      "9007199254740993",
      "9007199254740992.5",
      "2.2250738585072011e-308",
      "2.2250738585072014e-308",
      "4.9406564584124654e-324",
      "2.4703282292062327e-324",
      "2.4703282292062328e-324",
      "1.7976931348623157e308",
      "1.7976931348623158e308",
      "0.1000000000000000055511151231257827021181583404541015625",
      "0.30000000000000004440892098500626161694526672363281250001",
      "123456789012345678901234567890.123456789",
    ]) {
      const got = JSON.parse(r.dump(r.x.opa_arith_plus(r.parse(t), zero)));
      expect([t, got]).toEqual([t, Number(t)]);
    }
  });

  test("sets dump as sorted arrays in JSON and as {..} / set() in Rego", () => {
    const s = rt.x.opa_set();
    for (const x of ['"b"', "2", '"a"', "1", "null", "[1]"]) rt.x.opa_set_add(s, rt.parse(x));
    expect(rt.dump(s)).toBe('[null,1,2,"a","b",[1]]');
    expect(rt.rego(s)).toBe('{null, 1, 2, "a", "b", [1]}');
    expect(rt.rego(rt.x.opa_set())).toBe("set()");
    expect(rt.rego(rt.value({ a: [1, "x"] }))).toBe('{"a": [1, "x"]}');
  });

  test("sets of objects dump in the total order; comparing and sorting leave no garbage", () => {
    // More than one insertion-sort run (12) of objects among other values: the keyed merge sort.
    const objs = Array.from({ length: 40 }, (_, i) => ({ b: (i * 7) % 5, a: `k${(i * 13) % 40}`, s: [i % 3] }));
    const s = rt.x.opa_set();
    for (const o of objs) rt.x.opa_set_add(s, rt.value(o));
    for (const x of ['"z"', "3", "[0]"]) rt.x.opa_set_add(s, rt.parse(x));
    const sorted = [...objs].sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b - y.b));
    expect(JSON.parse(rt.dump(s))).toEqual([3, "z", [0], ...sorted]);
    const a = rt.value({ x: { y: [1, { z: 2 }] }, w: 1 });
    const b = rt.value({ x: { y: [1, { z: 3 }] }, w: 1 });
    const nested = rt.x.opa_set();
    rt.x.opa_set_add(nested, a);
    const empty = rt.x.opa_set();
    const top = rt.x.opa_heap_ptr_get();
    expect(rt.x.opa_value_compare(a, b)).toBeLessThan(0);
    expect(rt.x.opa_value_compare(nested, empty)).toBeGreaterThan(0);
    expect(rt.x.opa_heap_ptr_get()).toBe(top);
  });

  test("strings dump like JSON.stringify wherever an escape falls among eight-byte words", () => {
    const pieces = ['"', "\\", "\n", "\u0001", "\u001f", "é", "한국", "😀", "\u007f", " "];
    for (let pad = 0; pad < 18; pad++) {
      for (const p of pieces) {
        const text = "a".repeat(pad) + p + "b".repeat(17 - pad) + p;
        expect(rt.dump(rt.str(text))).toBe(JSON.stringify(text));
      }
    }
  });

  test("floats dump in shortest round-trip form", () => {
    for (const f of [0.1, 1.5, -2.25, 1e21, 1.5e-7, 123.456, 5e-324, 1.7976931348623157e308, 2 ** 70]) {
      const v = rt.x.opa_number_float(f);
      expect(Number(rt.dump(v))).toBe(f);
    }
    expect(rt.dump(rt.x.opa_number_float(3.0))).toBe("3");
    expect(rt.x.opa_number_float(NaN)).toBe(0);
  });
});

describe("values", () => {
  let rt: Runtime;
  beforeEach(() => {
    rt = loadRuntime();
  });

  test("constructors carry the ValueType tag", () => {
    expect(rt.x.opa_value_type(rt.x.opa_null())).toBe(ValueType.Null);
    expect(rt.x.opa_value_type(rt.x.opa_boolean(1))).toBe(ValueType.Boolean);
    expect(rt.x.opa_value_type(rt.x.opa_number_int(5n))).toBe(ValueType.Number);
    expect(rt.x.opa_value_type(rt.str("x"))).toBe(ValueType.String);
    expect(rt.x.opa_value_type(rt.x.opa_array_with_cap(0))).toBe(ValueType.Array);
    expect(rt.x.opa_value_type(rt.x.opa_object())).toBe(ValueType.Object);
    expect(rt.x.opa_value_type(rt.x.opa_set())).toBe(ValueType.Set);
    expect(new Uint8Array(rt.memory.buffer)[rt.x.opa_set()]).toBe(ValueType.Set);
  });

  test("opa_number_ref parses decimal text and rejects non-numbers", () => {
    const ref = (s: string) => {
      const bytes = new TextEncoder().encode(s);
      const p = rt.x.opa_malloc(bytes.length);
      new Uint8Array(rt.memory.buffer).set(bytes, p);
      return rt.x.opa_number_ref(p, bytes.length);
    };
    expect(rt.dump(ref("12"))).toBe("12");
    expect(rt.dump(ref("-1.25"))).toBe("-1.25");
    expect(rt.dump(ref("99999999999999999999"))).toBe("99999999999999999999");
    expect(ref("1x")).toBe(0);
    expect(ref("")).toBe(0);
  });

  test("arrays grow on append and opa_value_get indexes them", () => {
    const a = rt.x.opa_array_with_cap(1);
    for (let i = 0; i < 100; i++) rt.x.opa_array_append(a, rt.x.opa_number_int(BigInt(i * 2)));
    expect(rt.x.opa_value_length(a)).toBe(100);
    expect(rt.dump(rt.x.opa_value_get(a, rt.x.opa_number_int(7n)))).toBe("14");
    expect(rt.dump(rt.x.opa_value_get(a, rt.x.opa_number_float(7.0)))).toBe("14");
    expect(rt.x.opa_value_get(a, rt.x.opa_number_int(100n))).toBe(0);
    expect(rt.x.opa_value_get(a, rt.x.opa_number_int(-1n))).toBe(0);
    expect(rt.x.opa_value_get(a, rt.x.opa_number_float(1.5))).toBe(0);
    expect(rt.x.opa_value_get(a, rt.str("1"))).toBe(0);
  });

  test("objects keep insertion order, replace on insert, and look up by equal keys", () => {
    const o = rt.x.opa_object();
    for (let i = 0; i < 50; i++) rt.x.opa_object_insert(o, rt.str(`k${49 - i}`), rt.x.opa_number_int(BigInt(i)));
    rt.x.opa_object_insert(o, rt.str("k49"), rt.str("replaced"));
    rt.x.opa_object_insert(o, rt.x.opa_number_int(1n), rt.str("one"));
    expect(rt.x.opa_value_length(o)).toBe(51);
    const keys: string[] = [];
    for (let k = rt.x.opa_value_iter(o, 0); k !== 0; k = rt.x.opa_value_iter(o, k)) keys.push(rt.dump(k));
    expect(keys.slice(0, 3)).toEqual(['"k49"', '"k48"', '"k47"']);
    expect(keys[50]).toBe("1");
    expect(rt.dump(rt.x.opa_value_get(o, rt.str("k49")))).toBe('"replaced"');
    expect(rt.dump(rt.x.opa_value_get(o, rt.x.opa_number_float(1.0)))).toBe('"one"');
    expect(rt.x.opa_value_get(o, rt.str("nope"))).toBe(0);
  });

  test("iteration: arrays yield number indexes, sets yield elements, scalars nothing", () => {
    const a = rt.value(["x", "y"]);
    const k0 = rt.x.opa_value_iter(a, 0);
    expect(rt.dump(k0)).toBe("0");
    const k1 = rt.x.opa_value_iter(a, k0);
    expect(rt.dump(k1)).toBe("1");
    expect(rt.x.opa_value_iter(a, k1)).toBe(0);
    const s = rt.x.opa_set();
    rt.x.opa_set_add(s, rt.str("m"));
    rt.x.opa_set_add(s, rt.str("m"));
    rt.x.opa_set_add(s, rt.str("n"));
    expect(rt.x.opa_value_length(s)).toBe(2);
    const e = rt.x.opa_value_iter(s, 0);
    expect(rt.dump(rt.x.opa_value_get(s, e))).toBe('"m"');
    expect(rt.dump(rt.x.opa_value_iter(s, e))).toBe('"n"');
    expect(rt.x.opa_value_get(s, rt.str("z"))).toBe(0);
    expect(rt.x.opa_value_iter(rt.value("str"), 0)).toBe(0);
    expect(rt.x.opa_value_iter(rt.value([]), 0)).toBe(0);
  });

  test("iterating a small array allocates nothing (static small integers)", () => {
    const a = rt.value(Array.from({ length: 200 }, (_, i) => i));
    const top = rt.x.opa_heap_ptr_get();
    let n = 0;
    for (let k = rt.x.opa_value_iter(a, 0); k !== 0; k = rt.x.opa_value_iter(a, k)) n++;
    expect(n).toBe(200);
    expect(rt.x.opa_heap_ptr_get()).toBe(top);
  });

  test("string length counts code points", () => {
    expect(rt.x.opa_value_length(rt.str("héllo😀"))).toBe(6);
    expect(rt.x.opa_value_length(rt.value(5))).toBe(0);
  });

  test("compare implements OPA's total order", () => {
    const ordered = [
      null,
      false,
      true,
      -1.5,
      0,
      1,
      1.5,
      2,
      "",
      "a",
      "ab",
      "b",
      [],
      [1],
      [1, 2],
      [2],
      {},
      { a: 1 },
      { a: 1, b: 1 },
      { a: 2 },
      { b: 0 },
    ];
    const vals = ordered.map((x) => rt.value(x));
    const s1 = rt.x.opa_set();
    rt.x.opa_set_add(s1, rt.value(1));
    const s2 = rt.x.opa_set();
    rt.x.opa_set_add(s2, rt.value(2));
    vals.push(rt.x.opa_set(), s1, s2);
    for (let i = 0; i < vals.length; i++) {
      for (let j = 0; j < vals.length; j++) {
        const c = Math.sign(rt.x.opa_value_compare(vals[i], vals[j]));
        expect([i, j, c]).toEqual([i, j, Math.sign(i - j)]);
      }
    }
  });

  test("1 and 1.0 are equal and hash alike; reordered objects are equal and hash alike", () => {
    const one = rt.x.opa_number_int(1n);
    const oneF = rt.parse("1.0");
    expect(rt.x.opa_value_compare(one, oneF)).toBe(0);
    expect(rt.x.opa_value_hash(one)).toBe(rt.x.opa_value_hash(oneF));
    const a = rt.parse('{"x":1,"y":[1,2],"z":{"q":null}}');
    const b = rt.parse('{"z":{"q":null},"y":[1.0,2],"x":1}');
    expect(rt.x.opa_value_compare(a, b)).toBe(0);
    expect(rt.x.opa_value_hash(a)).toBe(rt.x.opa_value_hash(b));
    expect(rt.x.opa_value_compare(rt.parse("9007199254740993"), rt.parse("9007199254740992"))).not.toBe(0);
    expect(rt.x.opa_value_compare(rt.parse("9223372036854775807"), rt.parse("9223372036854775808"))).toBeLessThan(0);
    expect(rt.x.opa_value_compare(rt.parse("2.5"), rt.parse("2"))).toBeGreaterThan(0);
    expect(rt.x.opa_value_compare(rt.parse("-2.5"), rt.parse("-2"))).toBeLessThan(0);
  });

  test("numbers from text compare as the decimals they denote", () => {
    const c = (a: string, b: string) => Math.sign(rt.x.opa_value_compare(rt.parse(a), rt.parse(b)));
    expect(c("0.1234567890123456789", "0.1234567890123456788")).toBe(1);
    expect(c("1e-400", "0")).toBe(1);
    expect(c("-1e-400", "0")).toBe(-1);
    expect(c("3.0000000000000000001", "3")).toBe(1);
    expect(c("3.50", "3.5")).toBe(0);
    expect(c("35e-1", "3.5")).toBe(0);
    expect(c("1e2", "100")).toBe(0);
    expect(c("0.1", "0.10")).toBe(0);
    expect(c("0.10000000000000001", "0.1")).toBe(1);
    expect(rt.x.opa_value_hash(rt.parse("3.50"))).toBe(rt.x.opa_value_hash(rt.parse("35e-1")));
    expect(rt.dump(rt.parse("1e-400"))).toBe("1e-400");
    // a computed float has no exact text: it compares by its f64 value
    const tenth = rt.x.opa_arith_divide(rt.value(1), rt.value(10));
    expect(rt.x.opa_value_compare(tenth, rt.parse("0.1"))).toBe(0);
  });

  test("property: compare agrees with hash (equal values hash alike) and is antisymmetric", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }), (x, y) => {
        const r = loadRuntime();
        const a = r.value(x);
        const b = r.value(y);
        const ab = Math.sign(r.x.opa_value_compare(a, b));
        const ba = Math.sign(r.x.opa_value_compare(b, a));
        expect(ab + ba).toBe(0);
        const a2 = r.value(x);
        expect(r.x.opa_value_compare(a, a2)).toBe(0);
        expect(r.x.opa_value_hash(a)).toBe(r.x.opa_value_hash(a2));
        if (ab === 0) expect(r.x.opa_value_hash(a)).toBe(r.x.opa_value_hash(b));
      }),
      { numRuns: 300 },
    );
  });

  test("objects and sets of any size (small tables scan entries, larger ones use slots) find every key", () => {
    for (const n of [0, 1, 7, 8, 9, 16, 24, 25, 100]) {
      const keys = Array.from({ length: n }, (_, i) => `k${i}${"x".repeat(i % 13)}`);
      const o = rt.x.opa_object();
      const s = rt.x.opa_set();
      keys.forEach((k, i) => {
        rt.x.opa_object_insert(o, rt.str(k), rt.value(i));
        rt.x.opa_set_add(s, rt.str(k));
        rt.x.opa_set_add(s, rt.str(k)); // a duplicate is a no-op
      });
      rt.x.opa_object_insert(o, rt.str("k0"), rt.value(-1)); // replaces, keeps the length
      expect(rt.x.opa_value_length(o)).toBe(Math.max(n, 1));
      expect(rt.x.opa_value_length(s)).toBe(n);
      keys.forEach((k, i) => {
        expect(rt.js(rt.x.opa_value_get(o, rt.str(k)))).toBe(i === 0 ? -1 : i);
        expect(rt.js(rt.x.opa_value_get(s, rt.str(k)))).toBe(k);
      });
      expect(rt.x.opa_value_get(o, rt.str("absent"))).toBe(0);
      expect(rt.x.opa_value_get(s, rt.str(`k${n}`))).toBe(0);
      // the same object parsed from text (reversed order) is equal and hashes alike
      const parsed = rt.parse(JSON.stringify(Object.fromEntries(keys.map((k, i) => [k, i === 0 ? -1 : i]).reverse())));
      if (n > 0) {
        expect(rt.x.opa_value_compare(o, parsed)).toBe(0);
        expect(rt.x.opa_value_hash(o)).toBe(rt.x.opa_value_hash(parsed));
      }
    }
  });

  test("parsed keys shared between objects keep their own text (same length and ends, other middle)", () => {
    const v = rt.parse('[{"abcXdef":1,"abcYdef":2,"ab":3},{"abcYdef":4,"abcXdef":5,"ba":6},{"a":7,"\\u0061":8}]');
    expect(rt.js(v)).toEqual([{ abcXdef: 1, abcYdef: 2, ab: 3 }, { abcYdef: 4, abcXdef: 5, ba: 6 }, { a: 8 }]);
    const second = rt.x.opa_value_get(v, rt.value(1));
    expect(rt.js(rt.x.opa_value_get(second, rt.str("abcXdef")))).toBe(5);
    expect(rt.x.opa_value_get(second, rt.str("ab"))).toBe(0);
    // objects of varying size at one depth (the capacity hint is only a hint)
    const rows = Array.from({ length: 40 }, (_, i) =>
      Object.fromEntries(Array.from({ length: (i * 7) % 23 }, (_, j) => [`f${j}`, j])),
    );
    expect(rt.js(rt.parse(JSON.stringify(rows)))).toEqual(rows);
  });

  test("opa_value_iter walks objects and sets in insertion order, also when scans interleave", () => {
    const a = rt.parse(JSON.stringify(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`a${i}`, i]))));
    const b = rt.parse('{"x":1,"y":2,"z":3}');
    const s = rt.x.opa_set();
    for (const e of ["s1", "s2", "s3", "s4"]) rt.x.opa_set_add(s, rt.str(e));
    const seen: string[] = [];
    let ka = 0;
    while ((ka = rt.x.opa_value_iter(a, ka)) !== 0) {
      seen.push(rt.js(ka) as string);
      let kb = 0; // an inner scan of another object between two steps of the outer one
      const inner: unknown[] = [];
      while ((kb = rt.x.opa_value_iter(b, kb)) !== 0) inner.push(rt.js(kb));
      expect(inner).toEqual(["x", "y", "z"]);
      const ks = rt.x.opa_value_iter(s, 0);
      expect(rt.js(rt.x.opa_value_iter(s, ks))).toBe("s2");
      // an equal key that is another value (not the one iteration returned) still continues the walk
      if (seen.length === 5) expect(rt.js(rt.x.opa_value_iter(a, rt.str("a4")))).toBe("a5");
    }
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => `a${i}`));
    expect(rt.x.opa_value_iter(a, rt.str("absent"))).toBe(0);
  });

  test("property: sets and arrays of many strings sort by UTF-8 bytes (prefix records, NUL bytes, duplicates)", () => {
    const bytesOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
    const piece = fc.constantFrom(
      "",
      "a",
      "a\u0000",
      "ab",
      "item-1",
      "item-10",
      "item-100",
      "é",
      "中",
      "\u{1F600}",
      "zzzzzzzz",
      "zzzzzzzzz",
    );
    const str = fc.oneof(
      fc.array(piece, { maxLength: 4 }).map((p) => p.join("")),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(str, { minLength: 30, maxLength: 120 }), (xs) => {
        const r = loadRuntime();
        const set = r.x.opa_set();
        for (const x of xs) r.x.opa_set_add(set, r.str(x));
        const want = [...new Set(xs.map((x) => Buffer.from(x, "utf8").toString("utf8")))].sort(bytesOrder);
        expect(r.js(set)).toEqual(want);
        const sorted = r.x.opa_agg_sort(r.value(xs));
        expect(r.js(sorted)).toEqual(xs.map((x) => Buffer.from(x, "utf8").toString("utf8")).sort(bytesOrder));
      }),
      { numRuns: 150 },
    );
  });

  test("integers take the parser's fast path only when the whole number is a plain integer", () => {
    const ok: [string, string][] = [
      ["0", "0"],
      ["-0", "0"],
      ["7", "7"],
      ["-12", "-12"],
      ["[1,22,-333]", "[1,22,-333]"],
      ["123456789012345678", "123456789012345678"],
      ["1234567890123456789", "1234567890123456789"],
      ["123456789012345678901", "123456789012345678901"],
      ["1.5", "1.5"],
      ["10e2", "1000"],
      ["2E1", "20"],
      ['{"a":5}', '{"a":5}'],
      ["0.25", "0.25"],
      ["-7.0", "-7"],
    ];
    for (const [text, dumped] of ok) expect([text, rt.dump(rt.parse(text))]).toEqual([text, dumped]);
    for (const bad of ["-", "01", "-01", "1x", "1.", "1e", "--1", "[1,]", "00"])
      expect([bad, rt.parse(bad)]).toEqual([bad, 0]);
  });

  test("property: long strings and keys (escapes, control characters, non-ASCII) parse as JSON.parse reads them", () => {
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 12 }), (pairs) => {
        const r = loadRuntime();
        const doc = { list: pairs.map(([a]) => a), obj: Object.fromEntries(pairs) };
        const parsed = r.parse(JSON.stringify(doc));
        expect(r.js(parsed)).toEqual(JSON.parse(JSON.stringify(doc)));
        const obj = r.x.opa_value_get(parsed, r.str("obj"));
        for (const [k, v] of Object.entries(doc.obj)) expect(r.js(r.x.opa_value_get(obj, r.str(k)))).toBe(v);
      }),
      { numRuns: 200 },
    );
  });

  test("string hashes depend on the bytes only (cached hash, escapes, every tail length)", () => {
    for (let len = 0; len < 20; len++) {
      const text = "abcdefghijklmnopqrstu".slice(0, len);
      const a = rt.str(text);
      const h = rt.x.opa_value_hash(a);
      expect(rt.x.opa_value_hash(a)).toBe(h); // cached
      expect(rt.x.opa_value_hash(rt.parse(JSON.stringify(text)))).toBe(h);
      if (len > 0) {
        const escaped = rt.parse(`"\\u00${text.charCodeAt(0).toString(16)}${text.slice(1)}"`);
        expect(rt.js(escaped)).toBe(text);
        expect(rt.x.opa_value_hash(escaped)).toBe(h);
        expect(rt.x.opa_value_hash(rt.str(text + "!"))).not.toBe(h);
      }
    }
    // strings longer than eight bytes with a quote, backslash or control character late in them
    expect(rt.js(rt.parse('"abcdefghij\\"klm"'))).toBe('abcdefghij"klm');
    expect(rt.js(rt.parse('"abcdefghijklmnopq\\\\"'))).toBe("abcdefghijklmnopq\\");
    expect(rt.parse('"abc\tdefghijklmnopq"')).toBe(0); // a raw TAB inside a string is malformed
  });

  test("opa_object_merge merges recursively and returns 0 on a leaf conflict", () => {
    const m = rt.x.opa_object_merge(rt.value({ a: { b: 1 }, c: 2 }), rt.value({ a: { d: 3 }, e: 4 }));
    expect(rt.js(m)).toEqual({ a: { b: 1, d: 3 }, c: 2, e: 4 });
    expect(rt.x.opa_object_merge(rt.value({ a: 1 }), rt.value({ a: 2 }))).toBe(0);
    expect(rt.x.opa_object_merge(rt.value({ a: { b: 1 } }), rt.value({ a: 5 }))).toBe(0);
    expect(rt.js(rt.x.opa_object_merge(rt.value({ a: 1 }), rt.value({ a: 1 })))).toEqual({ a: 1 });
    const only = rt.value({ z: 1 });
    expect(rt.x.opa_object_merge(0, only)).toBe(only);
  });

  test("opa_value_shallow_copy does not alias", () => {
    const o = rt.value({ a: 1 });
    const c = rt.x.opa_value_shallow_copy(o);
    rt.x.opa_object_insert(c, rt.str("b"), rt.value(2));
    expect(rt.js(o)).toEqual({ a: 1 });
    expect(rt.js(c)).toEqual({ a: 1, b: 2 });
    const a = rt.value([1]);
    const ac = rt.x.opa_value_shallow_copy(a);
    rt.x.opa_array_append(ac, rt.value(2));
    expect(rt.js(a)).toEqual([1]);
    expect(rt.js(ac)).toEqual([1, 2]);
  });
});

describe("runtime errors and eval context", () => {
  test("opa_runtime_error aborts with file:row:col: msg", () => {
    const rt = loadRuntime();
    const f = rt.cstr("policies/rules/x.rego");
    const m = rt.cstr("eval_conflict_error: complete rules must not produce multiple outputs");
    expect(() => rt.x.opa_runtime_error(f, 12, 3, m)).toThrow(RuntimeAbort);
    expect(() => rt.x.opa_runtime_error(f, 12, 3, m)).toThrow(
      "policies/rules/x.rego:12:3: eval_conflict_error: complete rules must not produce multiple outputs",
    );
  });

  test("eval context holds input, data, entrypoint and result", () => {
    const rt = loadRuntime();
    const c = rt.x.opa_eval_ctx_new();
    expect([
      rt.x.opa_eval_ctx_get_input(c),
      rt.x.opa_eval_ctx_get_data(c),
      rt.x.opa_eval_ctx_get_entrypoint(c),
      rt.x.opa_eval_ctx_get_result(c),
    ]).toEqual([0, 0, 0, 0]);
    rt.x.opa_eval_ctx_set_input(c, 11);
    rt.x.opa_eval_ctx_set_data(c, 22);
    rt.x.opa_eval_ctx_set_entrypoint(c, 3);
    rt.x.opa_eval_ctx_set_result(c, 44);
    expect([
      rt.x.opa_eval_ctx_get_input(c),
      rt.x.opa_eval_ctx_get_data(c),
      rt.x.opa_eval_ctx_get_entrypoint(c),
      rt.x.opa_eval_ctx_get_result(c),
    ]).toEqual([11, 22, 3, 44]);
  });
});
