import { BuiltinError, customBuiltins, HOST_BUILTINS, hostBuiltinName } from "../../../../compiler/builtins/host";
import { parseRfc3339Ns } from "../../../../compiler/builtins/host/time";

const call = (name: string, ...args: unknown[]) => HOST_BUILTINS[name].impl(...args);
const raw = (b: unknown) => new TextDecoder().decode(b as ArrayBuffer);

describe("HOST_BUILTINS table", () => {
  it("declares arities that match the implementations", () => {
    for (const [name, b] of Object.entries(HOST_BUILTINS)) expect([name, b.impl.length]).toEqual([name, b.arity]);
  });
  it("registers shadowed names under a host name the SDK does not define", () => {
    expect(hostBuiltinName("sprintf")).toBe("residency_guard.sprintf");
    expect(hostBuiltinName("glob.match")).toBe("glob.match");
    const custom = customBuiltins();
    expect(custom["residency_guard.sprintf"]).toBe(HOST_BUILTINS.sprintf.impl);
    expect(custom["glob.match"]).toBe(HOST_BUILTINS["glob.match"].impl);
  });
});

describe("sprintf (Go fmt over OPA's argument conversion)", () => {
  const cases: Array<[string, unknown[], string]> = [
    ["%v", [1], "1"],
    ["%v", [1.5], "1.5"],
    ["%v", [1234567.5], "1.2345675e+06"],
    ["%v", [0.00001], "1e-05"],
    ["%v", ["s"], "s"],
    ["%v", [true], "true"],
    ["%v", [null], "null"],
    ["hi %v", [["there", 5, 3.14]], 'hi ["there", 5, 3.14]'],
    ["%v", [{ b: 1, a: [true] }], '{"a": [true], "b": 1}'],
    ["%d items", [3], "3 items"],
    ["%05d|%-4d|%+d", [42, 7, 5], "00042|7   |+5"],
    ["%x %X %o %b", [255, 255, 8, 5], "ff FF 10 101"],
    ["%x", ["hi"], "6869"],
    ["%.2f %f", [3.14159, 2.5], "3.14 2.500000"],
    ["%e", [1234.5678], "1.234568e+03"],
    ["%s", ["abc"], "abc"],
    ["%.2s", ["abc"], "ab"],
    ["%q", ['a"b'], '"a\\"b"'],
    ["%8.3f|", [3.14159], "   3.142|"],
    ["100%%", [], "100%"],
    ["%d", ["x"], "%!d(string=x)"],
    ["%s", [5], "%!s(int=5)"],
    ["%t", [true], "%!t(string=true)"],
    ["%d %d", [1], "1 %!d(MISSING)"],
    ["%d", [1, 2], "1%!(EXTRA int=2)"],
  ];
  it.each(cases)("sprintf(%j, %j) = %j", (f, args, want) => {
    expect(call("sprintf", f, args)).toBe(want);
  });
  it("rejects bad operands with BuiltinError", () => {
    expect(() => call("sprintf", 1, [])).toThrow(BuiltinError);
    expect(() => call("sprintf", "%v", "x")).toThrow("sprintf: operand 2 must be array but got string");
  });
});

describe("regex", () => {
  it("match with RE2 inline flags and anchors", () => {
    expect(call("regex.match", "^[a-z]+-\\d+$", "ap-2")).toBe(true);
    expect(call("regex.match", "(?i)^SEOUL", "seoul-1")).toBe(true);
    expect(call("regex.match", "^a", "ba")).toBe(false);
    expect(call("regex.match", "(?P<n>x)", "x")).toBe(true);
    expect(() => call("regex.match", "(", "x")).toThrow(BuiltinError);
  });
  it("split like Go's Regexp.Split(s, -1)", () => {
    expect(call("regex.split", "a", "banana")).toEqual(["b", "n", "n", ""]);
    expect(call("regex.split", ",\\s*", "a, b,c")).toEqual(["a", "b", "c"]);
    expect(call("regex.split", "(,)", "a,b")).toEqual(["a", "b"]);
    expect(call("regex.split", "x*", "abc")).toEqual(["a", "b", "c"]);
    expect(call("regex.split", "x", "")).toEqual([""]);
  });
});

describe("glob.match (gobwas semantics)", () => {
  const cases: Array<[string, string[] | null, string, boolean]> = [
    ["*.github.com", [], "api.github.com", true],
    ["*.github.com", [], "api.cdn.github.com", false],
    ["**.github.com", [], "api.cdn.github.com", true],
    ["*:github:com", [":"], "api:github:com", true],
    ["*", null, "a.b/c", true],
    ["?at", [], "cat", true],
    ["?at", [], "at", false],
    ["[abc]at", [], "bat", true],
    ["[!abc]at", [], "bat", false],
    ["[a-c]at", [], "cat", true],
    ["{cat,bat,[fr]at}", [], "rat", true],
    ["{cat,bat}", [], "hat", false],
    ["ap-northeast-2*", null, "ap-northeast-2a", true],
    ["\\*", [], "*", true],
    ["a.b", [], "axb", false],
  ];
  it.each(cases)("glob.match(%j, %j, %j) = %j", (p, d, m, want) => {
    expect(call("glob.match", p, d, m)).toBe(want);
  });
  it("rejects malformed patterns and operands", () => {
    expect(() => call("glob.match", "{a,b", [], "a")).toThrow(BuiltinError);
    expect(() => call("glob.match", "[ab", [], "a")).toThrow(BuiltinError);
    expect(() => call("glob.match", "*", "x", "a")).toThrow("operand 2");
  });
});

describe("net.cidr_contains", () => {
  it("addresses and networks, IPv4 and IPv6", () => {
    expect(call("net.cidr_contains", "10.0.0.0/8", "10.1.2.3")).toBe(true);
    expect(call("net.cidr_contains", "10.0.0.0/8", "11.0.0.1")).toBe(false);
    expect(call("net.cidr_contains", "10.0.0.0/8", "10.20.0.0/16")).toBe(true);
    expect(call("net.cidr_contains", "10.0.0.0/16", "10.0.0.0/8")).toBe(false);
    expect(call("net.cidr_contains", "2001:db8::/32", "2001:db8::1")).toBe(true);
    expect(call("net.cidr_contains", "2001:db8::/32", "10.0.0.1")).toBe(false);
    expect(() => call("net.cidr_contains", "10.0.0.0", "10.0.0.1")).toThrow(BuiltinError);
    expect(() => call("net.cidr_contains", "10.0.0.0/8", "10")).toThrow(BuiltinError);
  });
});

describe("time", () => {
  it("parse_rfc3339_ns exactly, with offsets and fractions", () => {
    expect(parseRfc3339Ns("1970-01-01T00:00:00Z")).toBe(0n);
    expect(parseRfc3339Ns("2017-06-02T19:00:00.000000001-07:00")).toBe(1496455200000000001n);
    expect(parseRfc3339Ns("2024-02-29T23:59:59.5+09:00")).toBe(1709218799500000000n);
    expect(raw(call("time.parse_rfc3339_ns", "2017-06-02T19:00:00.000000001-07:00"))).toBe("1496455200000000001");
    expect(() => parseRfc3339Ns("2023-02-29T00:00:00Z")).toThrow(BuiltinError);
    expect(() => parseRfc3339Ns("2023-01-01 00:00:00Z")).toThrow(BuiltinError);
  });
  it("now_ns is close to Date.now()", () => {
    const ns = BigInt(raw(call("time.now_ns")));
    expect(Number(ns / 1_000_000n - BigInt(Date.now()))).toBeLessThanOrEqual(0);
    expect(Number(BigInt(Date.now()) - ns / 1_000_000n)).toBeLessThan(5000);
  });
});

describe("json.unmarshal and strings.replace_n", () => {
  it("json.unmarshal", () => {
    expect(call("json.unmarshal", '{"a":[1,true]}')).toEqual({ a: [1, true] });
    expect(() => call("json.unmarshal", "{")).toThrow(BuiltinError);
  });
  it("replace_n follows Go's Replacer with sorted keys", () => {
    expect(call("strings.replace_n", { a: "1", ab: "2" }, "abc")).toBe("1bc");
    expect(call("strings.replace_n", { ab: "2", b: "x" }, "abab")).toBe("22");
    expect(call("strings.replace_n", { "": "X" }, "ab")).toBe("XaXbX");
    expect(call("strings.replace_n", { "": "X", a: "Y" }, "ab")).toBe("XYXbX");
    expect(call("strings.replace_n", { "": "X" }, "")).toBe("X");
    expect(() => call("strings.replace_n", { a: 1 }, "a")).toThrow(BuiltinError);
  });
});

describe("strings.split_n, array.flatten, yaml", () => {
  it("split_n takes the first n or last -n parts", () => {
    expect(call("strings.split_n", "a.b.c.d", ".", 2)).toEqual(["a", "b"]);
    expect(call("strings.split_n", "a.b.c.d", ".", -2)).toEqual(["c", "d"]);
    expect(call("strings.split_n", "a.b.c.d", ".", 0)).toEqual([]);
    expect(call("strings.split_n", "a.b.c.d", ".", -10)).toEqual(["a", "b", "c", "d"]);
    expect(call("strings.split_n", "", ".", 2)).toEqual([""]);
    expect(call("strings.split_n", "abc", "", -2)).toEqual(["b", "c"]);
    expect(() => call("strings.split_n", "a", ".", 1.5)).toThrow(
      "operand 3 must be integer number but got floating-point number",
    );
  });
  it("array.flatten flattens one level", () => {
    expect(call("array.flatten", [[1, 2], "s", [3, [4]], 5])).toEqual([1, 2, "s", 3, [4], 5]);
    expect(() => call("array.flatten", 42)).toThrow("array.flatten: operand 1 must be array but got number");
  });
  it("yaml round trip and validity", () => {
    expect(call("yaml.unmarshal", call("yaml.marshal", [{ foo: [1, 2, 3] }]))).toEqual([{ foo: [1, 2, 3] }]);
    expect(call("yaml.is_valid", "foo:\n  - a: b")).toBe(true);
    expect(call("yaml.is_valid", "foo: {")).toBe(false);
    expect(call("yaml.is_valid", 1)).toBe(false);
  });
});

describe("units.parse_bytes", () => {
  it("decimal and binary units, fractions truncated, exact beyond 2^53", () => {
    expect(raw(call("units.parse_bytes", "10KB"))).toBe("10000");
    expect(raw(call("units.parse_bytes", "10kib"))).toBe("10240");
    expect(raw(call("units.parse_bytes", "1.5Gi"))).toBe("1610612736");
    expect(raw(call("units.parse_bytes", "512"))).toBe("512");
    expect(raw(call("units.parse_bytes", "8EiB"))).toBe("9223372036854775808");
    expect(() => call("units.parse_bytes", "10 KB")).toThrow("spaces not allowed");
    expect(() => call("units.parse_bytes", "KB")).toThrow("no byte amount");
    expect(() => call("units.parse_bytes", "10XB")).toThrow("not recognized");
  });
});

describe("yaml multi-document streams (as Go's decoder)", () => {
  it("validates every document and unmarshals the first", () => {
    expect(call("yaml.is_valid", "a: 1\n---\nb: 2\n")).toBe(true);
    expect(call("yaml.is_valid", "a: 1\n---\n\tb: 2\n")).toBe(false);
    expect(call("yaml.is_valid", "  test:\ntest1: hello\n")).toBe(false);
    expect(call("yaml.unmarshal", "a: 1\n---\nb: 2\n")).toEqual({ a: 1 });
  });
});
