// Host builtins added for OPA 1.x coverage: encodings, hashes, semver, regex find/replace, time
// formatting. Expected values are Go's (OPA's implementations are thin wrappers over Go's stdlib).
import { BuiltinError, HOST_BUILTINS } from "../../../../compiler/builtins/host";

const call = (name: string, ...args: unknown[]) => HOST_BUILTINS[name].impl(...args);
const raw = (b: unknown) => new TextDecoder().decode(b as ArrayBuffer);

describe("encodings", () => {
  it("base64 and base64url round-trip UTF-8 and decode strictly", () => {
    expect(call("base64.encode", "héllo?")).toBe("aMOpbGxvPw==");
    expect(call("base64.decode", "aMOpbGxvPw==")).toBe("héllo?");
    expect(call("base64url.encode", "héllo?")).toBe("aMOpbGxvPw==");
    expect(call("base64url.encode_no_pad", "héllo?")).toBe("aMOpbGxvPw");
    expect(call("base64url.decode", "aMOpbGxvPw")).toBe("héllo?");
    expect(call("base64url.decode", "aMOpbGxvPw==")).toBe("héllo?");
    expect(() => call("base64.decode", "aGVsbG8")).toThrow(BuiltinError);
    expect(() => call("base64.decode", "a$==")).toThrow(/illegal base64 data at input byte 1/);
    expect(call("base64.is_valid", "aGVsbG8=")).toBe(true);
    expect(call("base64.is_valid", "aGVsbG8")).toBe(false);
  });
  it("hex and urlquery follow Go's encoding/hex and net/url", () => {
    expect(call("hex.encode", "a/b")).toBe("612f62");
    expect(call("hex.decode", "612f62")).toBe("a/b");
    expect(() => call("hex.decode", "6g")).toThrow("encoding/hex: invalid byte: U+0067 'g'");
    expect(() => call("hex.decode", "612")).toThrow("encoding/hex: odd length hex string");
    expect(call("urlquery.encode", "a b&c=d/é~")).toBe("a+b%26c%3Dd%2F%C3%A9~");
    expect(call("urlquery.decode", "a+b%26c")).toBe("a b&c");
    expect(call("urlquery.encode_object", { b: ["2", "1"], a: "x y" })).toBe("a=x+y&b=2&b=1");
    expect(call("urlquery.decode_object", "a=1&b=2&a=3&c")).toEqual({ a: ["1", "3"], b: ["2"], c: [""] });
  });
  it("json.marshal_with_options indents like Go's json.MarshalIndent (no prefix on the first line)", () => {
    const v = { b: [1, {}], a: "<&>" };
    expect(call("json.marshal_with_options", v, {})).toBe('{"a":"\\u003c\\u0026\\u003e","b":[1,{}]}');
    expect(call("json.marshal_with_options", v, { pretty: true })).toBe(
      '{\n\t"a": "\\u003c\\u0026\\u003e",\n\t"b": [\n\t\t1,\n\t\t{}\n\t]\n}',
    );
    expect(call("json.marshal_with_options", [1], { prefix: "> ", indent: " " })).toBe("[\n>  1\n> ]");
    expect(call("json.marshal_with_options", [1], { pretty: false, indent: " " })).toBe("[1]");
    expect(() => call("json.marshal_with_options", 1, { bogus: 1 })).toThrow(/eval_type_error/);
  });
});

describe("hashes and MACs", () => {
  it("hex digests of the UTF-8 bytes", () => {
    expect(call("crypto.md5", "abc")).toBe("900150983cd24fb0d6963f7d28e17f72");
    expect(call("crypto.sha1", "abc")).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
    expect(call("crypto.sha256", "abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(call("crypto.hmac.sha256", "message", "key")).toBe(
      "6e9ef29b75fffc5b7abae527d58fdadb2fe42e7219011976917343065f58ed4a",
    );
    expect(call("crypto.hmac.equal", "abc", "abc")).toBe(true);
    expect(call("crypto.hmac.equal", "abc", "abd")).toBe(false);
    expect(call("crypto.hmac.equal", "abc", "ab")).toBe(false);
    expect(() => call("crypto.md5", 1)).toThrow("eval_type_error: crypto.md5: operand 1 must be string but got number");
  });
});

describe("semver (go-semver rules)", () => {
  it.each([
    ["1.0.0", "1.0.0", 0],
    ["1.0.0", "2.0.0", -1],
    ["1.10.0", "1.9.0", 1],
    ["1.0.0-alpha", "1.0.0", -1],
    ["1.0.0-alpha.1", "1.0.0-alpha.beta", -1],
    ["1.0.0-2", "1.0.0-10", -1],
    ["1.0.0-alpha", "1.0.0-alpha.1", -1],
    ["1.0.0+build.1", "1.0.0+build.2", 0],
  ])("compare(%s, %s) = %d", (a, b, want) => {
    expect(call("semver.compare", a, b)).toBe(want);
  });
  it("is_valid accepts dotted triples with identifiers, anything else is false", () => {
    expect(call("semver.is_valid", "1.2.3-rc.1+meta")).toBe(true);
    expect(call("semver.is_valid", "1.2")).toBe(false);
    expect(call("semver.is_valid", "v1.2.3")).toBe(false);
    expect(call("semver.is_valid", "1.2.3-")).toBe(true);
    expect(call("semver.is_valid", "1.2.3-a..b")).toBe(false);
    expect(call("semver.is_valid", 1)).toBe(false);
    expect(() => call("semver.compare", "1.2", "1.2.3")).toThrow('operand 1: string "1.2" is not a valid SemVer');
  });
});

describe("regex find and replace (Go regexp)", () => {
  it("find_n and find_all_string_submatch_n stop after n (n < 0: all)", () => {
    expect(call("regex.find_n", "[a-z]+", "ab1cd2ef", 2)).toEqual(["ab", "cd"]);
    expect(call("regex.find_n", "[a-z]+", "ab1cd2ef", -1)).toEqual(["ab", "cd", "ef"]);
    expect(call("regex.find_n", "x", "abc", -1)).toEqual([]);
    expect(call("regex.find_all_string_submatch_n", "([a-z])([0-9])?", "a1b", -1)).toEqual([
      ["a1", "a", "1"],
      ["b", "b", ""],
    ]);
    expect(call("regex.find_n", "a*", "baaab", -1)).toEqual(["", "aaa", ""]);
    expect(() => call("regex.find_n", "a", "a", 1.5)).toThrow(/eval_type_error/);
  });
  it("replace expands $1, ${1}, $name and $$ as Go's Expand", () => {
    expect(call("regex.replace", "a1b22", "[0-9]+", "<$0>")).toBe("a<1>b<22>");
    expect(call("regex.replace", "ab", "(a)(b)", "$2$1")).toBe("ba");
    expect(call("regex.replace", "ab", "(a)(b)", "$1x")).toBe("");
    expect(call("regex.replace", "ab", "(a)(b)", "${1}x")).toBe("ax");
    expect(call("regex.replace", "ab", "(?P<first>a)b", "[$first]")).toBe("[a]");
    expect(call("regex.replace", "ab", "a", "$$")).toBe("$b");
    expect(call("regex.replace", "abc", "x*", "-")).toBe("-a-b-c-");
    expect(call("regex.is_valid", "(a")).toBe(false);
    expect(call("regex.is_valid", "a+")).toBe(true);
  });
});

describe("time formatting", () => {
  const ns = 1700000000123456789; // arrives rounded to a double, as through the SDK
  it("time.format defaults to RFC3339Nano in UTC; zones and Go layouts", () => {
    expect(call("time.format", 1700000000000000000)).toBe("2023-11-14T22:13:20Z");
    expect(call("time.format", [1700000000000000000, "Asia/Seoul"])).toBe("2023-11-15T07:13:20+09:00");
    expect(call("time.format", [1700000000000000000, "UTC", "Mon, 02 Jan 2006 3:04PM"])).toBe(
      "Tue, 14 Nov 2023 10:13PM",
    );
    expect(call("time.format", [1700000000000000000, "America/New_York", "RFC1123Z"])).toBe(
      "Tue, 14 Nov 2023 17:13:20 -0500",
    );
    expect(call("time.format", [ns, "UTC", "15:04:05.000"])).toBe("22:13:20.123");
    expect(() => call("time.format", [0, "Nowhere/City"])).toThrow(/unknown time zone/);
  });
  it("time.date, time.clock, time.weekday, time.add_date, time.parse_duration_ns", () => {
    expect(call("time.date", 1700000000000000000)).toEqual([2023, 11, 14]);
    expect(call("time.date", [1700000000000000000, "Asia/Seoul"])).toEqual([2023, 11, 15]);
    expect(call("time.clock", 1700000000000000000)).toEqual([22, 13, 20]);
    expect(call("time.weekday", 1700000000000000000)).toBe("Tuesday");
    expect(raw(call("time.add_date", 0, 0, 1, 30))).toBe(String(61 * 86400 * 1e9));
    expect(raw(call("time.parse_duration_ns", "1h1.5s"))).toBe("3601500000000");
    expect(raw(call("time.parse_duration_ns", "-300ms"))).toBe("-300000000");
    expect(() => call("time.parse_duration_ns", "1x")).toThrow('time: invalid duration "1x"');
  });
});
