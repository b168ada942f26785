// Native builtins called directly through their runtime exports, with OPA's documented
// examples and edge cases (undefined = 0 for builtin errors in non-strict mode).
import { NATIVE_BUILTINS } from "../../../compiler/builtins/natives";
import { BUILTINS } from "../../../compiler/builtins/table";
import { ValueType } from "../../../compiler/abi/abi";
import { loadRuntime, Runtime } from "./harness";

/** Marks a JS array that should become a Rego set. */
class SetOf {
  constructor(readonly items: unknown[]) {}
}
const set = (...items: unknown[]) => new SetOf(items);

let rt: Runtime;
beforeEach(() => {
  rt = loadRuntime();
});

function toValue(x: unknown): number {
  if (x instanceof SetOf) {
    const s = rt.x.opa_set();
    for (const i of x.items) rt.x.opa_set_add(s, toValue(i));
    return s;
  }
  if (Array.isArray(x)) {
    const a = rt.x.opa_array_with_cap(x.length);
    for (const i of x) rt.x.opa_array_append(a, toValue(i));
    return a;
  }
  if (x !== null && typeof x === "object") {
    const o = rt.x.opa_object();
    for (const [k, v] of Object.entries(x)) rt.x.opa_object_insert(o, toValue(k), toValue(v));
    return o;
  }
  return rt.value(x);
}

/** Rego names exercised through call()/typed(); checked against NATIVE_BUILTINS at the end. */
const exercised = new Set<string>();

afterAll(() => {
  // Every native builtin must have at least one test here.
  expect(Object.keys(NATIVE_BUILTINS).filter((n) => !exercised.has(n))).toEqual([]);
});

/** Calls a native builtin by Rego name; returns undefined for 0, else the JSON result. */
function call(name: string, ...args: unknown[]): unknown {
  exercised.add(name);
  const spec = NATIVE_BUILTINS[name];
  if (!spec) throw new Error(`${name} is not native`);
  expect(args.length).toBe(spec.arity);
  const addr = rt.x[spec.symbol](...args.map(toValue));
  return addr === 0 ? undefined : rt.js(addr);
}

/** Like call, but also returns the result's ValueType tag. */
function typed(name: string, ...args: unknown[]): [number, unknown] {
  exercised.add(name);
  const spec = NATIVE_BUILTINS[name];
  const addr = rt.x[spec.symbol](...args.map(toValue));
  return [rt.x.opa_value_type(addr), addr === 0 ? undefined : rt.js(addr)];
}

test("every native builtin is a known Rego builtin with the table's arity", () => {
  for (const [name, spec] of Object.entries(NATIVE_BUILTINS)) {
    expect([name, BUILTINS[name]?.arity]).toEqual([name, spec.arity]);
  }
});

describe("arithmetic", () => {
  test("plus/minus/mul keep integers, also past i64", () => {
    expect(call("plus", 1, 2)).toBe(3);
    expect(call("plus", 1.5, 2)).toBe(3.5);
    expect(call("minus", 1, 3)).toBe(-2);
    expect(call("mul", 6, 7)).toBe(42);
    expect(call("mul", 0.5, 4)).toBe(2);
    expect(rt.dump(rt.x.opa_arith_plus(rt.parse("9223372036854775807"), rt.parse("1")))).toBe("9223372036854775808");
    expect(call("mul", 4294967296, 4294967296)).toBe(18446744073709551616);
    expect(call("plus", "a", 1)).toBeUndefined();
  });

  test("integers beyond i64 are exact (big numbers) in arithmetic, aggregates and comparison", () => {
    const big = (text: string) => rt.parse(text);
    const d = (addr: number) => (addr === 0 ? undefined : rt.dump(addr));
    const X = rt.x;
    expect(d(X.opa_arith_plus(big("18446744073709551617"), big("1")))).toBe("18446744073709551618");
    expect(d(X.opa_arith_minus(big("18446744073709551617"), big("1")))).toBe("18446744073709551616");
    expect(d(X.opa_arith_multiply(big("18446744073709551617"), big("2")))).toBe("36893488147419103234");
    expect(d(X.opa_arith_plus(big("123456789012345678901234567890"), big("1")))).toBe("123456789012345678901234567891");
    expect(d(X.opa_arith_minus(big("-18446744073709551617"), big("1")))).toBe("-18446744073709551618");
    expect(d(X.opa_arith_plus(big("9223372036854775807"), big("1")))).toBe("9223372036854775808");
    expect(d(X.opa_arith_minus(big("-9223372036854775808"), big("1")))).toBe("-9223372036854775809");
    expect(d(X.opa_arith_multiply(big("2147483647"), big("2147483647")))).toBe("4611686014132420609");
    expect(d(X.opa_arith_multiply(big("-9223372036854775808"), big("-1")))).toBe("9223372036854775808");
    expect(d(X.opa_arith_abs(big("-9223372036854775808")))).toBe("9223372036854775808");
    // back into i64 when the result fits
    expect(d(X.opa_arith_minus(big("9223372036854775808"), big("1")))).toBe("9223372036854775807");
    expect(X.opa_value_type(X.opa_arith_minus(big("18446744073709551616"), big("18446744073709551615")))).toBe(3);
    expect(d(X.opa_arith_minus(big("18446744073709551616"), big("18446744073709551615")))).toBe("1");
    // exponent forms that are integers parse exactly
    expect(d(X.opa_arith_plus(big("1e30"), big("1")))).toBe("1000000000000000000000000000001");
    expect(d(big("1.5e20"))).toBe("150000000000000000000");
    // division and remainder
    expect(d(X.opa_arith_divide(big("36893488147419103234"), big("2")))).toBe("18446744073709551617");
    expect(d(X.opa_arith_divide(big("18446744073709551617"), big("2")))).toBe("9223372036854775808"); // float: 9.223372036854775808e18
    expect(d(X.opa_arith_rem(big("18446744073709551626"), big("18446744073709551616")))).toBe("10");
    expect(d(X.opa_arith_rem(big("-18446744073709551626"), big("18446744073709551616")))).toBe("-10");
    expect(
      d(
        X.opa_arith_rem(big("340282366920938463463374607431768211463"), big("340282366920938463463374607431768211456")),
      ),
    ).toBe("7");
    expect(d(X.opa_arith_rem(big("18446744073709551617"), big("0")))).toBeUndefined();
    expect(d(X.opa_strings_format_int(big("18446744073709551617"), rt.value(16)))).toBe('"10000000000000001"');
    // aggregates go through the same arithmetic
    const arr = X.opa_array_with_cap(2);
    X.opa_array_append(arr, big("9223372036854775807"));
    X.opa_array_append(arr, big("1"));
    expect(d(X.opa_agg_sum(arr))).toBe("9223372036854775808");
    // comparison and hashing
    expect(X.opa_value_compare(big("28857836529306024611913"), big("28857836529306024611912"))).toBeGreaterThan(0);
    expect(X.opa_value_compare(big("-28857836529306024611913"), big("5"))).toBeLessThan(0);
    expect(X.opa_value_compare(big("28857836529306024611913"), big("1.5"))).toBeGreaterThan(0);
    expect(X.opa_value_compare(big("28857836529306024611913"), big("1e400"))).toBeLessThan(0);
    const computed = X.opa_arith_plus(big("18446744073709551615"), big("1"));
    expect(X.opa_value_compare(computed, big("18446744073709551616"))).toBe(0);
    expect(X.opa_value_hash(computed)).toBe(X.opa_value_hash(big("18446744073709551616")));
    expect(X.opa_value_compare(X.opa_number_float(2 ** 70), big("1180591620717411303424"))).toBe(0);
    expect(X.opa_value_hash(X.opa_number_float(2 ** 70))).toBe(X.opa_value_hash(big("1180591620717411303424")));
  });

  test("div: exact integers stay integers, fractions are floats, zero divisor is an error", () => {
    expect(typed("div", 6, 3)).toEqual([ValueType.Number, 2]);
    expect(rt.dump(rt.x.opa_arith_divide(rt.value(6), rt.value(3)))).toBe("2");
    expect(call("div", 7, 2)).toBe(3.5);
    expect(call("div", 1, 3)).toBeCloseTo(1 / 3, 15);
    expect(call("div", 1, 0)).toBeUndefined();
    expect(call("div", 1.5, 0)).toBeUndefined();
  });

  test("rem: integers only, sign of the dividend, zero divisor is an error", () => {
    expect(call("rem", 7, 3)).toBe(1);
    expect(call("rem", -7, 3)).toBe(-1);
    expect(call("rem", 7, -3)).toBe(1);
    expect(call("rem", 7, 0)).toBeUndefined();
    expect(call("rem", 7.5, 2)).toBeUndefined();
    expect(call("rem", 6.0, 4)).toBe(2);
  });

  test("minus on sets is set difference", () => {
    expect(call("minus", set(1, 2, 3), set(2))).toEqual([1, 3]);
    expect(typed("minus", set(1), set(1))[0]).toBe(ValueType.Set);
    expect(call("minus", set(1), 1)).toBeUndefined();
  });

  test("abs, round (half away from zero), ceil, floor", () => {
    expect(call("abs", -3)).toBe(3);
    expect(call("abs", -3.5)).toBe(3.5);
    expect(call("round", 2.5)).toBe(3);
    expect(call("round", -2.5)).toBe(-3);
    expect(call("round", 2.4)).toBe(2);
    expect(call("round", -0.4)).toBe(0);
    expect(call("round", 0.49999999999999994)).toBe(0);
    expect(call("ceil", 1.2)).toBe(2);
    expect(call("ceil", -1.2)).toBe(-1);
    expect(call("floor", 1.8)).toBe(1);
    expect(call("floor", -1.2)).toBe(-2);
    expect(call("floor", 5)).toBe(5);
    expect(rt.dump(rt.x.opa_arith_round(rt.value(7.5)))).toBe("8");
    expect(call("abs", "x")).toBeUndefined();
  });

  test("numbers.range is inclusive and may descend", () => {
    expect(call("numbers.range", 1, 3)).toEqual([1, 2, 3]);
    expect(call("numbers.range", 3, 1)).toEqual([3, 2, 1]);
    expect(call("numbers.range", 2, 2)).toEqual([2]);
    expect(call("numbers.range", 1, 2.5)).toBeUndefined();
  });
});

describe("comparison", () => {
  test("operators return booleans over the total order", () => {
    expect(call("equal", 1, 1.0)).toBe(true);
    expect(call("equal", { a: [1] }, { a: [1] })).toBe(true);
    expect(call("equal", "a", "b")).toBe(false);
    expect(call("neq", "a", "b")).toBe(true);
    expect(call("lt", 1, 2)).toBe(true);
    expect(call("lt", 2, 1)).toBe(false);
    expect(call("lte", 2, 2)).toBe(true);
    expect(call("gt", "b", "a")).toBe(true);
    expect(call("gte", [1, 2], [1])).toBe(true);
    expect(call("lt", 100, "1")).toBe(true); // number < string in the total order
    expect(call("lt", null, false)).toBe(true);
  });
});

describe("sets and membership", () => {
  test("and / or / union / intersection", () => {
    expect(call("and", set(1, 2, 3), set(2, 3, 4))).toEqual([2, 3]);
    expect(call("or", set(1, 2), set(2, 3))).toEqual([1, 2, 3]);
    expect(call("and", [1], set(1))).toBeUndefined();
    expect(call("union", set(set(1, 2), set(2, 3), set()))).toEqual([1, 2, 3]);
    expect(call("intersection", set(set(1, 2), set(2, 3)))).toEqual([2]);
    expect(call("intersection", set())).toEqual([]);
    expect(typed("intersection", set())[0]).toBe(ValueType.Set);
    expect(call("union", set(1))).toBeUndefined();
  });

  test("internal.member_2 and internal.member_3", () => {
    expect(call("internal.member_2", 2, [1, 2])).toBe(true);
    expect(call("internal.member_2", 3, [1, 2])).toBe(false);
    expect(call("internal.member_2", "a", set("a"))).toBe(true);
    expect(call("internal.member_2", "v", { k: "v" })).toBe(true);
    expect(call("internal.member_2", "k", { k: "v" })).toBe(false);
    expect(call("internal.member_2", "a", "abc")).toBe(false);
    expect(call("internal.member_3", 1, "b", ["a", "b"])).toBe(true);
    expect(call("internal.member_3", 0, "b", ["a", "b"])).toBe(false);
    expect(call("internal.member_3", 5, "b", ["a", "b"])).toBe(false);
    expect(call("internal.member_3", "k", "v", { k: "v" })).toBe(true);
    expect(call("internal.member_3", "k", "w", { k: "v" })).toBe(false);
  });
});

describe("aggregates", () => {
  test("count of collections and code points of strings", () => {
    expect(call("count", [1, 2, 3])).toBe(3);
    expect(call("count", { a: 1 })).toBe(1);
    expect(call("count", set(1, 2))).toBe(2);
    expect(call("count", "héllo")).toBe(5);
    expect(call("count", "")).toBe(0);
    expect(call("count", 5)).toBeUndefined();
  });

  test("sum, product, max, min", () => {
    expect(call("sum", [1, 2, 3.5])).toBe(6.5);
    expect(call("sum", set(1, 2))).toBe(3);
    expect(call("sum", [])).toBe(0);
    expect(call("sum", [1, "a"])).toBeUndefined();
    expect(call("product", [2, 3, 4])).toBe(24);
    expect(call("product", [])).toBe(1);
    expect(call("max", [1, 3, 2])).toBe(3);
    expect(call("max", [1, "a", null])).toBe("a");
    expect(call("min", set(3, 1, 2))).toBe(1);
    expect(call("max", [])).toBeUndefined();
    expect(call("min", set())).toBeUndefined();
    expect(call("max", "abc")).toBeUndefined();
  });

  test("sort orders mixed types by the total order", () => {
    expect(call("sort", [3, 1, 2])).toEqual([1, 2, 3]);
    expect(call("sort", ["b", 1, null, [1], "a", true, { a: 1 }])).toEqual([null, true, 1, "a", "b", [1], { a: 1 }]);
    expect(call("sort", set("c", "a", "b"))).toEqual(["a", "b", "c"]);
    const big = Array.from({ length: 200 }, (_, i) => (i * 7919) % 200);
    expect(call("sort", big)).toEqual([...big].sort((a, b) => a - b));
    expect(typed("sort", set(1))[0]).toBe(ValueType.Array);
    expect(call("sort", { a: 1 })).toBeUndefined();
  });

  test("any and all", () => {
    expect(call("any", [false, true])).toBe(true);
    expect(call("any", [false])).toBe(false);
    expect(call("any", set())).toBe(false);
    expect(call("any", set(true))).toBe(true);
    expect(call("all", [true, true])).toBe(true);
    expect(call("all", [true, 1])).toBe(false);
    expect(call("all", [])).toBe(true);
    expect(call("all", "x")).toBeUndefined();
  });
});

describe("strings", () => {
  test("concat joins arrays and sorted sets", () => {
    expect(call("concat", ", ", ["a", "b", "c"])).toBe("a, b, c");
    expect(call("concat", "/", set("z", "a"))).toBe("a/z");
    expect(call("concat", "-", [])).toBe("");
    expect(call("concat", "-", ["a", 1])).toBeUndefined();
  });

  test("startswith, endswith, contains", () => {
    expect(call("startswith", "ap-northeast-2", "ap-northeast")).toBe(true);
    expect(call("startswith", "us-east-1", "ap-")).toBe(false);
    expect(call("endswith", "ap-northeast-2a", "2a")).toBe(true);
    expect(call("endswith", "a", "ab")).toBe(false);
    expect(call("contains", "abcdef", "cde")).toBe(true);
    expect(call("contains", "abc", "")).toBe(true);
    expect(call("contains", "abc", "x")).toBe(false);
    expect(call("contains", 1, "x")).toBeUndefined();
  });

  test("lower and upper, including non-ASCII letters", () => {
    expect(call("lower", "AbC-Ü")).toBe("abc-ü");
    expect(call("upper", "abc-ü-ß")).toBe("ABC-Ü-ß");
    expect(call("upper", "ǆ")).toBe("Ǆ");
    expect(call("lower", "ΑΒΓ")).toBe("αβγ");
  });

  test("split, including an empty delimiter", () => {
    expect(call("split", "a.b.c", ".")).toEqual(["a", "b", "c"]);
    expect(call("split", "a..b", ".")).toEqual(["a", "", "b"]);
    expect(call("split", "abc", ",")).toEqual(["abc"]);
    expect(call("split", "", ",")).toEqual([""]);
    expect(call("split", "h한😀", "")).toEqual(["h", "한", "😀"]);
    expect(call("split", "", "")).toEqual([]);
  });

  test("replace and strings.replace_n", () => {
    expect(call("replace", "Hello World", "o", "0")).toBe("Hell0 W0rld");
    expect(call("replace", "aaa", "aa", "b")).toBe("ba");
    expect(call("replace", "ab", "", "-")).toBe("-a-b-");
    expect(call("replace", "abc", "x", "y")).toBe("abc");
    expect(call("strings.replace_n", { "{user}": "alice", "{org}": "acme" }, "{user}@{org}")).toBe("alice@acme");
    expect(call("strings.replace_n", { a: "1", ab: "2" }, "abab")).toBe("1b1b");
    expect(call("strings.replace_n", { a: 1 }, "a")).toBeUndefined();
    expect(call("strings.replace_n", { info: "X", anotherinfo: "Y" }, "anotherinfo")).toBe("Y");
    expect(call("strings.replace_n", { ab: "b", b: "Y" }, "baaabbbba")).toBe("YaabYYYa");
    expect(call("strings.replace_n", { a: "b", b: "a" }, "abba")).toBe("baab");
    expect(call("strings.replace_n", { "": "X" }, "")).toBe("X");
    expect(call("strings.replace_n", { "": "X" }, "ab")).toBe("XaXbX");
    expect(call("strings.replace_n", { "": "X", a: "Y" }, "ab")).toBe("XYXbX");
    expect(call("strings.replace_n", { "": "-", é: "e" }, "aéb")).toBe("-a-e-b-");
  });

  test("trim family", () => {
    expect(call("trim", "  xx  ", " ")).toBe("xx");
    expect(call("trim", "xyhixy", "yx")).toBe("hi");
    expect(call("trim_left", "xxhixx", "x")).toBe("hixx");
    expect(call("trim_right", "xxhixx", "x")).toBe("xxhi");
    expect(call("trim", "ééaé", "é")).toBe("a");
    expect(call("trim_prefix", "prefix-value", "prefix-")).toBe("value");
    expect(call("trim_prefix", "value", "x")).toBe("value");
    expect(call("trim_suffix", "value.tf", ".tf")).toBe("value");
    expect(call("trim_space", " \t\n hi there \u00a0\u3000")).toBe("hi there");
    expect(call("trim_space", "   ")).toBe("");
  });

  test("indexof and indexof_n count code points; empty search is an error", () => {
    expect(call("indexof", "abcdefgh", "cde")).toBe(2);
    expect(call("indexof", "héllo", "l")).toBe(2);
    expect(call("indexof", "abc", "z")).toBe(-1);
    expect(call("indexof", "abc", "")).toBeUndefined();
    expect(call("indexof_n", "dreamer", "e")).toEqual([2, 5]);
    expect(call("indexof_n", "aaa", "aa")).toEqual([0, 1]);
    expect(call("indexof_n", "abc", "z")).toEqual([]);
  });

  test("substring by code points; negative length runs to the end", () => {
    expect(call("substring", "abcdef", 1, 3)).toBe("bcd");
    expect(call("substring", "héllo", 1, 2)).toBe("él");
    expect(call("substring", "abc", 1, -1)).toBe("bc");
    expect(call("substring", "abc", 1, 100)).toBe("bc");
    expect(call("substring", "abc", 5, 1)).toBe("");
    expect(call("substring", "abc", -1, 1)).toBeUndefined();
    expect(call("substring", "abc", 0.5, 1)).toBeUndefined();
  });

  test("strings.reverse, strings.count, any_prefix_match, any_suffix_match", () => {
    expect(call("strings.reverse", "héllo😀")).toBe("😀olléh");
    expect(call("strings.count", "cheese", "e")).toBe(3);
    expect(call("strings.count", "five", "")).toBe(5);
    expect(call("strings.any_prefix_match", "foo bar", "foo")).toBe(true);
    expect(call("strings.any_prefix_match", ["foo bar", "baz"], set("x", "ba"))).toBe(true);
    expect(call("strings.any_prefix_match", "foo", "bar")).toBe(false);
    expect(call("strings.any_suffix_match", "foo bar", ["bar"])).toBe(true);
    expect(call("strings.any_suffix_match", [], "x")).toBe(false);
    expect(call("strings.any_suffix_match", 1, "x")).toBeUndefined();
  });

  test("format_int in bases 2/8/10/16, truncating toward zero", () => {
    expect(call("format_int", 255, 16)).toBe("ff");
    expect(call("format_int", 8, 2)).toBe("1000");
    expect(call("format_int", 8, 8)).toBe("10");
    expect(call("format_int", -42, 10)).toBe("-42");
    expect(call("format_int", 3.9, 10)).toBe("3");
    expect(call("format_int", -3.9, 10)).toBe("-3");
    expect(rt.dump(rt.x.opa_strings_format_int(rt.parse("-9223372036854775808"), rt.value(16)))).toBe(
      '"-8000000000000000"',
    );
    expect(call("format_int", 10, 3)).toBeUndefined();
    expect(call("format_int", "10", 10)).toBeUndefined();
  });

  test("to_number", () => {
    expect(call("to_number", "10")).toBe(10);
    expect(call("to_number", "-3.5")).toBe(-3.5);
    expect(call("to_number", "1e3")).toBe(1000);
    expect(call("to_number", "+5")).toBe(5);
    expect(call("to_number", ".5")).toBe(0.5);
    expect(call("to_number", "007")).toBe(7);
    expect(call("to_number", true)).toBe(1);
    expect(call("to_number", false)).toBe(0);
    expect(call("to_number", null)).toBe(0);
    expect(call("to_number", 4.25)).toBe(4.25);
    expect(call("to_number", "abc")).toBeUndefined();
    expect(call("to_number", "")).toBeUndefined();
    expect(call("to_number", "1x")).toBeUndefined();
    expect(call("to_number", [])).toBeUndefined();
  });
});

describe("objects", () => {
  test("object.get with keys, defaults and array paths", () => {
    expect(call("object.get", { a: 1 }, "a", 0)).toBe(1);
    expect(call("object.get", { a: 1 }, "b", "dflt")).toBe("dflt");
    expect(call("object.get", { a: { b: [10, { c: 5 }] } }, ["a", "b", 1, "c"], 0)).toBe(5);
    expect(call("object.get", { a: { b: 1 } }, ["a", "x"], "none")).toBe("none");
    expect(call("object.get", { a: 1 }, [], 0)).toEqual({ a: 1 });
    expect(call("object.get", [1], 0, 0)).toBeUndefined();
  });

  test("object.keys, object.union, object.union_n", () => {
    expect(call("object.keys", { a: 1, b: 2 })).toEqual(["a", "b"]);
    expect(typed("object.keys", {})[0]).toBe(ValueType.Set);
    expect(call("object.union", { a: 1, b: { c: 1, d: 1 } }, { b: { c: 2 }, e: 3 })).toEqual({
      a: 1,
      b: { c: 2, d: 1 },
      e: 3,
    });
    expect(call("object.union", { a: { x: 1 } }, { a: 5 })).toEqual({ a: 5 });
    expect(call("object.union_n", [{ a: 1 }, { b: 2 }, { a: 3 }])).toEqual({ a: 3, b: 2 });
    expect(call("object.union_n", [])).toEqual({});
    expect(call("object.union", { a: 1 }, [1])).toBeUndefined();
  });

  test("object.remove and object.filter take arrays, sets or objects of keys", () => {
    expect(call("object.remove", { a: 1, b: 2, c: 3 }, ["a", "c"])).toEqual({ b: 2 });
    expect(call("object.remove", { a: 1, b: 2 }, set("b"))).toEqual({ a: 1 });
    expect(call("object.remove", { a: 1, b: 2 }, { a: "ignored" })).toEqual({ b: 2 });
    expect(call("object.filter", { a: 1, b: 2, c: 3 }, ["a", "c", "z"])).toEqual({ a: 1, c: 3 });
    expect(call("object.filter", { a: 1 }, "a")).toBeUndefined();
  });
});

describe("arrays", () => {
  test("array.concat, array.slice (clamped), array.reverse", () => {
    expect(call("array.concat", [1, 2], [3])).toEqual([1, 2, 3]);
    expect(call("array.slice", [1, 2, 3, 4], 1, 3)).toEqual([2, 3]);
    expect(call("array.slice", [1, 2, 3], -5, 10)).toEqual([1, 2, 3]);
    expect(call("array.slice", [1, 2, 3], 2, 1)).toEqual([]);
    expect(call("array.slice", [1, 2, 3], 1.5, 2)).toBeUndefined();
    expect(call("array.reverse", [1, 2, 3])).toEqual([3, 2, 1]);
    expect(call("array.reverse", [])).toEqual([]);
    expect(call("array.concat", [1], set(2))).toBeUndefined();
  });
});

describe("types", () => {
  test("is_* return booleans; type_name names every type", () => {
    expect(call("is_number", 1)).toBe(true);
    expect(call("is_number", "1")).toBe(false);
    expect(call("is_string", "x")).toBe(true);
    expect(call("is_boolean", false)).toBe(true);
    expect(call("is_array", [])).toBe(true);
    expect(call("is_set", set())).toBe(true);
    expect(call("is_set", [])).toBe(false);
    expect(call("is_object", {})).toBe(true);
    expect(call("is_null", null)).toBe(true);
    const names = [null, true, 1, "s", [], {}, set()].map((x) => call("type_name", x));
    expect(names).toEqual(["null", "boolean", "number", "string", "array", "object", "set"]);
  });
});

describe("encoding", () => {
  test("json.marshal sorts keys, renders sets as arrays and escapes like Go", () => {
    expect(call("json.marshal", { b: 1, a: [1, "x"] })).toBe('{"a":[1,"x"],"b":1}');
    expect(call("json.marshal", set(2, 1))).toBe("[1,2]");
    expect(call("json.marshal", "<a&b>")).toBe('"\\u003ca\\u0026b\\u003e"');
    expect(call("json.marshal", 1.5)).toBe("1.5");
  });

  test("json.unmarshal and json.is_valid", () => {
    expect(call("json.unmarshal", '{"a":[1,2]}')).toEqual({ a: [1, 2] });
    expect(call("json.unmarshal", "{bad")).toBeUndefined();
    expect(call("json.is_valid", "[1]")).toBe(true);
    expect(call("json.is_valid", "[1")).toBe(false);
    expect(call("json.is_valid", 5)).toBe(false);
  });
});

test("regex.match is wired (full coverage in regex.test.ts)", () => {
  expect(call("regex.match", "^ap-northeast-[0-9]$", "ap-northeast-2")).toBe(true);
  expect(call("regex.match", "^ap-northeast-[0-9]$", "us-east-1")).toBe(false);
  expect(call("regex.match", "(", "x")).toBeUndefined();
});

describe("glob.match (gobwas/glob syntax as in OPA)", () => {
  test.each([
    ["*.github.com", [], "api.github.com", true],
    ["*.github.com", [], "api.cdn.github.com", false],
    ["*hub.com", null, "api.cdn.github.com", true],
    ["*:github:com", [":"], "api:github:com", true],
    ["*.github.com", ["."], "api.not-github.com", false],
    ["api.**.com", [], "api.github.com", true],
    ["api.**.com", [], "api.cdn.github.com", true],
    ["?at", [], "cat", true],
    ["?at", [], "at", false],
    ["?at", [], ".at", false],
    ["[abc]at", [], "bat", true],
    ["[abc]at", [], "fat", false],
    ["[!abc]at", [], "cat", false],
    ["[!abc]at", [], "fat", true],
    ["[a-c]at", [], "bat", true],
    ["[!a-c]at", [], "bat", false],
    ["{cat,bat,[fr]at}", [], "rat", true],
    ["{cat,bat,[fr]at}", [], "at", false],
    ["{a.*,b}", [], "a.x", true],
    ["\\*", [], "*", true],
    ["\\*", [], "x", false],
    ["aws_*", [], "aws_s3_bucket", true],
    ["module.*.aws_s3_bucket.*", [], "module.data.aws_s3_bucket.raw", true],
    ["module.*.aws_s3_bucket.*", [], "module.a.b.aws_s3_bucket.raw", false],
    ["", [], "", true],
    ["*", ["/", "."], "a/b", false],
  ])("glob.match(%j, %j, %j) = %s", (pattern, delims, text, want) => {
    expect(call("glob.match", pattern, delims, text)).toBe(want);
  });

  test("bad operands and patterns are errors", () => {
    expect(call("glob.match", "[abc", [], "a")).toBeUndefined();
    expect(call("glob.match", "{a,b", [], "a")).toBeUndefined();
    expect(call("glob.match", "*", ["ab"], "a")).toBeUndefined();
    expect(call("glob.match", "*", "x", "a")).toBeUndefined();
    expect(call("glob.match", 1, [], "a")).toBeUndefined();
  });
});

describe("sprintf (Go fmt as OPA calls it)", () => {
  test.each([
    ["%s", ["hello"], "hello"],
    ["%d", [42], "42"],
    ["%s-%d", ["a", 5], "a-5"],
    ["%v", [[1, "a"]], '[1, "a"]'],
    ["hi %v", [["there", 5, 3.14]], 'hi ["there", 5, 3.14]'],
    ["%v", [{ a: 1 }], '{"a": 1}'],
    ["%v %v", [true, null], "true null"],
    ["%s", [5], "%!s(int=5)"],
    ["%d", ["x"], "%!d(string=x)"],
    ["%d", [1.5], "%!d(float64=1.5)"],
    ["%t", [true], "%!t(string=true)"],
    ["%.2f", [3.14159], "3.14"],
    ["%f", [1.5], "1.500000"],
    ["%f", [3], "%!f(int=3)"],
    ["%.2f", [2.675], "2.67"],
    ["%.1f", [0.25], "0.2"],
    ["%.1f", [0.35], "0.3"],
    ["%.0f", [2.5], "2"],
    ["%e", [1234.5678], "1.234568e+03"],
    ["%E", [0.000123], "1.230000E-04"],
    ["%g", [0.00001234], "1.234e-05"],
    ["%g", [123.5], "123.5"],
    ["%.3g", [3.14159], "3.14"],
    ["%v", [1234567.5], "1.2345675e+06"],
    ["%v", [123456.5], "123456.5"],
    ["%v", [0.1], "0.1"],
    ["%v", [0.0001], "0.0001"],
    ["%v", [0.00001], "1e-05"],
    ["%v", [-0.5], "-0.5"],
    ["%5d|%-5d|%05d", [42, 42, 42], "   42|42   |00042"],
    ["%+d %+d % d", [5, -5, 5], "+5 -5  5"],
    ["%x %X %#x %o %b", [255, 255, 255, 8, 5], "ff FF 0xff 10 101"],
    ["%x", [-255], "-ff"],
    ["%.3d", [7], "007"],
    ["%x", ["hi"], "6869"],
    ["%q", ['a"b\n'], '"a\\"b\\n"'],
    ["%c%c", [65, 0xc11c], "A서"],
    ["%U", [65], "U+0041"],
    ["%d %d", [1], "1 %!d(MISSING)"],
    ["%d", [1, "a"], "1%!(EXTRA string=a)"],
    ["100%%", [], "100%"],
    ["%", [], "%!(NOVERB)"],
    ["%z", [1], "%!z(int=1)"],
    ["%8.3f|", [3.14159], "   3.142|"],
    ["%6.2f|%06.2f", [-1.5, -1.5], " -1.50|-01.50"],
    ["%.3s|%5s|%-5s|", ["abcdef", "ab", "ab"], "abc|   ab|ab   |"],
    ["%4s|", ["서울"], "  서울|"],
    ["%T %T %T", [1.5, 1, "s"], "float64 int string"],
    ["%v", [[]], "[]"],
    ["no verbs", [], "no verbs"],
  ])("sprintf(%j, %j) = %j", (fmt, args, want) => {
    expect(call("sprintf", fmt, args)).toBe(want);
  });

  test("integers beyond i64 print exactly (as *big.Int)", () => {
    const args = rt.x.opa_array_with_cap(2);
    rt.x.opa_array_append(args, rt.parse("123456789123456789123"));
    rt.x.opa_array_append(args, rt.parse("-1208925819614629174706175"));
    const r = rt.x.opa_strings_sprintf(rt.str("%s %v %d %x"), args);
    expect(rt.js(r)).toBe("123456789123456789123 -1208925819614629174706175 %!d(MISSING) %!x(MISSING)");
    const one = rt.x.opa_array_with_cap(1);
    rt.x.opa_array_append(one, rt.parse("18446744073709551616"));
    expect(rt.js(rt.x.opa_strings_sprintf(rt.str("%x|%d|%f"), one))).toBe(
      "10000000000000000|%!d(MISSING)|%!f(MISSING)",
    );
  });

  test("sets print in Rego syntax, sorted", () => {
    expect(call("sprintf", "%v %v", [set(2, 1), set()])).toBe("{1, 2} set()");
  });

  test("non-string format or non-array arguments are errors", () => {
    expect(call("sprintf", 1, [])).toBeUndefined();
    expect(call("sprintf", "%v", "x")).toBeUndefined();
  });
});

describe("builtin errors (for strict mode)", () => {
  const take = (): string | undefined => {
    const p = rt.x.opa_builtin_error();
    return p === 0 ? undefined : rt.readCStr(p);
  };

  test("errors carry OPA's code and message and are handed out once", () => {
    expect(call("div", 1, 0)).toBeUndefined();
    expect(take()).toBe("eval_builtin_error: div: divide by zero");
    expect(take()).toBeUndefined();
    expect(call("array.concat", { a: 1 }, [])).toBeUndefined();
    expect(take()).toBe("eval_type_error: array.concat: operand 1 must be array but got object");
    expect(call("array.concat", [], { a: 1 })).toBeUndefined();
    expect(take()).toBe("eval_type_error: array.concat: operand 2 must be array but got object");
    expect(call("object.filter", { a: 1 }, null)).toBeUndefined();
    expect(take()).toBe("eval_type_error: object.filter: operand 2 must be one of {object, set, array} but got null");
    expect(call("object.remove", "x", [])).toBeUndefined();
    expect(take()).toBe("eval_type_error: object.remove: operand 1 must be object but got string");
    expect(call("minus", 1, set(1))).toBeUndefined();
    expect(take()).toBe("eval_type_error: minus: operand 2 must be number but got set");
    expect(call("minus", set(1), 1)).toBeUndefined();
    expect(take()).toBe("eval_type_error: minus: operand 2 must be set but got number");
    expect(call("strings.replace_n", { a: 1 }, "a")).toBeUndefined();
    expect(take()).toBe("eval_type_error: strings.replace_n: operand 1 non-string value found in pattern object");
    expect(call("substring", "abc", 1.5, 1)).toBeUndefined();
    expect(take()).toBe("eval_type_error: substring: operand 2 must be integer number but got floating-point number");
    expect(call("indexof", "abc", "")).toBeUndefined();
    expect(take()).toBe("eval_builtin_error: indexof: empty search character");
    expect(call("rem", 1, 0)).toBeUndefined();
    expect(take()).toBe("eval_builtin_error: rem: modulo by zero");
  });

  test("plain undefined results record no error", () => {
    expect(call("max", [])).toBeUndefined();
    expect(take()).toBeUndefined();
    expect(call("count", [1])).toBe(1);
    expect(take()).toBeUndefined();
  });
});

describe("net.cidr_contains", () => {
  test.each([
    ["10.0.0.0/8", "10.1.2.3", true],
    ["10.0.0.0/8", "11.0.0.1", false],
    ["10.0.0.0/24", "10.0.0.0/25", true],
    ["10.0.0.0/24", "10.0.0.0/23", false],
    ["10.0.0.0/24", "10.0.1.0/25", false],
    ["0.0.0.0/0", "203.0.113.9", true],
    ["192.168.1.0/24", "192.168.1.255", true],
    ["172.16.0.0/12", "172.31.255.255", true],
    ["172.16.0.0/12", "172.32.0.0", false],
    ["2001:db8::/32", "2001:db8:1::1", true],
    ["2001:db8::/32", "2001:db9::1", false],
    ["2001:db8::/32", "2001:db8:abcd::/48", true],
    ["::/0", "::1", true],
    ["fd00::/8", "fdff:ffff::", true],
    ["10.0.0.0/8", "2001:db8::1", false],
    ["2001:db8::/32", "10.0.0.1", false],
    ["10.0.0.0/8", "::ffff:10.2.3.4", true],
    ["::ffff:0:0/96", "1.2.3.4", true],
  ])("net.cidr_contains(%j, %j) = %s", (cidr, x, want) => {
    expect(call("net.cidr_contains", cidr, x)).toBe(want);
  });

  test.each([
    ["10.0.0.0", "10.0.0.1"],
    ["10.0.0.0/33", "10.0.0.1"],
    ["10.0.0.0/8", "10.0.0"],
    ["10.0.0.0/8", "010.0.0.1"],
    ["10.0.0.0/8", "256.0.0.1"],
    ["2001:db8::1::/32", "::1"],
    ["10.0.0.0/8", "not an ip"],
  ])("invalid operands are errors: (%j, %j)", (cidr, x) => {
    expect(call("net.cidr_contains", cidr, x)).toBeUndefined();
    const p = rt.x.opa_builtin_error();
    expect(p).not.toBe(0);
  });
});

describe("time.parse_rfc3339_ns", () => {
  const ns = (s: string): string | undefined => {
    exercised.add("time.parse_rfc3339_ns"); // called directly: nanoseconds exceed JS number precision
    const r = rt.x.opa_time_parse_rfc3339_ns(rt.str(s));
    return r === 0 ? undefined : rt.dump(r);
  };
  const viaJs = (s: string, fracNs = 0n): string => (BigInt(Date.parse(s)) * 1000000n + fracNs).toString();

  test.each([
    ["1970-01-01T00:00:00Z", "0"],
    ["2017-06-02T19:00:00-07:00", "1496455200000000000"],
    ["2024-02-29T12:34:56Z", viaJs("2024-02-29T12:34:56Z")],
    ["2026-11-29T21:00:00+09:00", viaJs("2026-11-29T21:00:00+09:00")],
    ["1969-12-31T23:59:59Z", "-1000000000"],
    ["2000-01-01T00:00:00.123456789Z", viaJs("2000-01-01T00:00:00Z", 123456789n)],
    ["2000-01-01T00:00:00.5Z", viaJs("2000-01-01T00:00:00Z", 500000000n)],
  ])("%s -> %s", (text, want) => {
    expect(ns(text)).toBe(want);
  });

  test.each([
    "2023-02-29T00:00:00Z",
    "2023-13-01T00:00:00Z",
    "2023-01-01T24:00:00Z",
    "2023-01-01T00:00:60Z",
    "2023-01-01 00:00:00Z",
    "2023-01-01T00:00:00",
    "2023-01-01T00:00:00+0900",
    "2023-01-01T00:00:00.Z",
    "2023-01-01T00:00:00.1234567891Z",
    "3000-01-01T00:00:00Z",
    "not a time",
  ])("rejects %j", (text) => {
    expect(ns(text)).toBeUndefined();
  });
});

describe("strings.split_n and array.flatten", () => {
  test.each([
    ["a.b.c.d", ".", 2, ["a", "b"]],
    ["a.b.c.d", ".", 1, ["a"]],
    ["a.b.c.d", ".", 4, ["a", "b", "c", "d"]],
    ["a.b.c.d", ".", 10, ["a", "b", "c", "d"]],
    ["a.b.c.d", ".", 0, []],
    ["a.b.c.d", ".", -2, ["c", "d"]],
    ["a.b.c.d", ".", -1, ["d"]],
    ["a.b.c.d", ".", -10, ["a", "b", "c", "d"]],
    ["abc", ".", 2, ["abc"]],
    ["", ".", 2, [""]],
    ["abc", "", 2, ["a", "b"]],
    ["abc", "", -2, ["b", "c"]],
    ["alice;alice@example.com", ";", -2, ["alice", "alice@example.com"]],
  ])("strings.split_n(%j, %j, %j) = %j", (str, delim, n, want) => {
    expect(call("strings.split_n", str, delim, n)).toEqual(want);
  });

  test("strings.split_n needs an integer count", () => {
    expect(call("strings.split_n", "a.b", ".", 1.5)).toBeUndefined();
    expect(rt.readCStr(rt.x.opa_builtin_error())).toBe(
      "eval_type_error: strings.split_n: operand 3 must be integer number but got floating-point number",
    );
  });

  test("array.flatten splices one level", () => {
    expect(call("array.flatten", [])).toEqual([]);
    expect(call("array.flatten", [[1, 2], 3, [4, 5]])).toEqual([1, 2, 3, 4, 5]);
    expect(
      call("array.flatten", [
        [[1]],
        [
          [2, 3, []],
          [4, 5],
        ],
      ]),
    ).toEqual([[1], [2, 3, []], [4, 5]]);
    expect(call("array.flatten", [1, [2, "string"], { a: "b" }])).toEqual([1, 2, "string", { a: "b" }]);
    expect(call("array.flatten", 1)).toBeUndefined();
    expect(rt.readCStr(rt.x.opa_builtin_error())).toBe(
      "eval_type_error: array.flatten: operand 1 must be array but got number",
    );
  });
});

describe("units.parse_bytes", () => {
  const bytes = (s: string): string | undefined => {
    exercised.add("units.parse_bytes"); // called directly: results can exceed JS number precision
    const r = rt.x.opa_units_parse_bytes(rt.str(s));
    return r === 0 ? undefined : rt.dump(r);
  };

  test.each([
    ["1024", "1024"],
    ["1K", "1000"],
    ["1KB", "1000"],
    ["1KiB", "1024"],
    ["1ki", "1024"],
    ["10MB", "10000000"],
    ["4mb", "4000000"],
    ["5Gi", "5368709120"],
    ["1.5Gi", "1610612736"],
    ["1.2345k", "1234"],
    ["0.5k", "500"],
    ["1e3", "1000"],
    ["1e3kb", "1000000"],
    ['"10KB"', "10000"],
    ["2TB", "2000000000000"],
    ["1PiB", "1125899906842624"],
    ["1EiB", "1152921504606846976"],
    ["10EiB", "11529215046068469760"],
    ["-1k", "-1000"],
  ])("units.parse_bytes(%j) = %s", (text, want) => {
    expect(bytes(text)).toBe(want);
  });

  test.each([
    ["10 KB", "spaces not allowed in resource strings"],
    ["KB", "no byte amount provided"],
    ["10XB", "byte unit not recognized"],
    ["1..2k", "could not parse byte amount to a number"],
    ["", "no byte amount provided"],
  ])("units.parse_bytes(%j) is an error: %s", (text, msg) => {
    expect(bytes(text)).toBeUndefined();
    expect(rt.readCStr(rt.x.opa_builtin_error())).toBe(`eval_builtin_error: units.parse_bytes: ${msg}`);
  });
});

describe("graph.reachable, graph.reachable_paths, walk", () => {
  const g = { a: ["b", "c"], b: set("d"), c: ["a", "x"], d: [], e: null };

  test("graph.reachable: breadth first over array and set edges, graph keys only, cycle-safe", () => {
    expect(call("graph.reachable", g, ["a"])).toEqual(["a", "b", "c", "d"]);
    expect(call("graph.reachable", g, set("x", "e"))).toEqual(["e"]);
    expect(typed("graph.reachable", g, [])).toEqual([ValueType.Set, []]);
  });

  test("graph.reachable_paths: maximal paths, cut before cycles and vertices outside the graph", () => {
    expect(call("graph.reachable_paths", g, ["a"])).toEqual([
      ["a", "b", "d"],
      ["a", "c"],
    ]);
    expect(call("graph.reachable_paths", g, ["d", "x"])).toEqual([["d"]]);
    expect(call("graph.reachable_paths", { p: ["p"] }, ["p"])).toEqual([["p"]]);
  });

  test("graph builtins: operand type errors", () => {
    expect(call("graph.reachable", ["a"], ["a"])).toBeUndefined();
    expect(rt.readCStr(rt.x.opa_builtin_error())).toBe(
      "eval_type_error: graph.reachable: operand 1 must be object but got array",
    );
    expect(call("graph.reachable_paths", g, "a")).toBeUndefined();
    expect(rt.readCStr(rt.x.opa_builtin_error())).toBe(
      "eval_type_error: graph.reachable_paths: operand 2 must be one of {array, set} but got string",
    );
  });

  test("graph builtins on a 20k-vertex chain (iterative: no deep Wasm stack)", () => {
    const n = 20000;
    const chain: Record<string, string[]> = {};
    for (let i = 0; i < n; i++) chain[`n${i}`] = i + 1 < n ? [`n${i + 1}`] : [];
    const r = rt.x[NATIVE_BUILTINS["graph.reachable"].symbol](toValue(chain), toValue(["n0"]));
    expect(rt.x.opa_value_length(r)).toBe(n);
    const paths = call("graph.reachable_paths", chain, ["n0"]) as string[][];
    expect(paths).toHaveLength(1);
    expect(paths[0]).toHaveLength(n);
    expect(paths[0][n - 1]).toBe(`n${n - 1}`);
  });

  test("walk: [path, value] pairs in pre-order, sorted keys, set elements as keys", () => {
    expect(call("walk", { b: [true], a: 1 })).toEqual([
      [[], { a: 1, b: [true] }],
      [["a"], 1],
      [["b"], [true]],
      [["b", 0], true],
    ]);
    expect(call("walk", set("y", 1))).toEqual([
      [[], [1, "y"]],
      [[1], 1],
      [["y"], "y"],
    ]);
    expect(call("walk", "s")).toEqual([[[], "s"]]);
  });
});

describe("print", () => {
  test("internal.print writes one line per combination through opa_println and is true", () => {
    expect(call("internal.print", [set("a"), set(1, 2), set(), set(set(1), { k: [1] })])).toBe(true);
    expect(rt.printed).toEqual([
      'a 1 <undefined> {"k": [1]}',
      "a 1 <undefined> {1}",
      'a 2 <undefined> {"k": [1]}',
      "a 2 <undefined> {1}",
    ]);
    expect(call("internal.print", [])).toBe(true);
    expect(rt.printed[4]).toBe("");
    expect(call("internal.print", "x")).toBeUndefined();
  });
});

describe("object.subset and trace", () => {
  test("object.subset: objects recursively, sets by membership, arrays contiguously, array over set", () => {
    const sup = { a: "b", c: { x: set(10, 15, 20, 25), y: "z" }, l: [1, 2, 3] };
    expect(call("object.subset", sup, { c: { x: set(10, 15, 20) } })).toBe(true);
    expect(call("object.subset", sup, { c: { x: set(10, 11) } })).toBe(false);
    expect(call("object.subset", sup, { l: [2, 3] })).toBe(true);
    expect(call("object.subset", sup, { l: [1, 3] })).toBe(false);
    expect(call("object.subset", sup, { a: "c" })).toBe(false);
    expect(call("object.subset", sup, { q: 1 })).toBe(false);
    expect(call("object.subset", set(1, 2, 3), set(1, 3))).toBe(true);
    expect(call("object.subset", [1, 1, 2, 3], [1, 2])).toBe(true);
    expect(call("object.subset", [1, 2], [])).toBe(true);
    expect(call("object.subset", [3, 1, 2], set(1, 2))).toBe(true);
    expect(call("object.subset", [1, 2], set(3))).toBe(false);
    expect(call("object.subset", [], set())).toBe(false); // as OPA: an empty array never matches
    expect(call("object.subset", { a: 1 }, [1])).toBeUndefined();
    expect(rt.readCStr(rt.x.opa_builtin_error())).toBe(
      "eval_type_error: object.subset: both arguments object.subset must be of the same type or array and set",
    );
  });

  test("trace(note) is true for a string", () => {
    expect(call("trace", "note")).toBe(true);
    expect(call("trace", 1)).toBeUndefined();
  });
});
