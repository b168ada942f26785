// regex.match (RE2 syntax, linear-time NFA) against Go's documented behaviour and, for the
// syntax RE2 and JavaScript share, against JavaScript's RegExp on generated patterns.
import fc from "fast-check";
import { loadRuntime, Runtime } from "./harness";

let rt: Runtime;
beforeAll(() => {
  rt = loadRuntime();
});

/** regex.match result: true/false, or undefined when the runtime reports an invalid pattern. */
function match(pattern: string, text: string): boolean | undefined {
  const base = rt.x.opa_heap_ptr_get();
  const r = rt.x.opa_regex_match(rt.str(pattern), rt.str(text));
  const out = r === 0 ? undefined : (rt.js(r) as boolean);
  rt.x.opa_heap_ptr_set(base);
  return out;
}

test.each([
  // the patterns the residency policies use
  ['"assignPublicIp"\\s*:\\s*"ENABLED"', '{"awsvpcConfiguration":{"assignPublicIp" : "ENABLED"}}', true],
  ['"assignPublicIp"\\s*:\\s*"ENABLED"', '{"assignPublicIp":"DISABLED"}', false],
  ['"EnableNetworkIsolation"\\s*:\\s*true', '{"EnableNetworkIsolation":true}', true],
  ["^aws_s3_bucket\\.training-.*$", "aws_s3_bucket.training-data", true],
  ["^aws_s3_bucket\\.training-.*$", "module.x.aws_s3_bucket.training-data", false],
  // OPA documentation example
  ["^[a-z]+\\[[0-9]+\\]$", "foo[42]", true],
  ["^[a-z]+\\[[0-9]+\\]$", "foo[x]", false],
  // syntax coverage
  ["", "", true],
  ["a|b|c", "xxc", true],
  ["colou?r", "color", true],
  ["^(ab)+$", "ababab", true],
  ["^(ab)+$", "ababa", false],
  ["^a{2,3}$", "aaa", true],
  ["^a{2,3}$", "aaaa", false],
  ["^a{2}$", "aa", true],
  ["^a{2,}$", "aaaaa", true],
  ["a{,2}", "a{,2}", true], // not a repetition in RE2: literal braces
  ["^[^0-9]+$", "abc", true],
  ["^[^0-9]+$", "ab1", false],
  ["^\\d{3}-\\d{4}$", "555-1234", true],
  ["\\bcat\\b", "a cat here", true],
  ["\\bcat\\b", "concatenate", false],
  ["\\Bcat\\B", "concatenate", true],
  ["^[[:alpha:]]+$", "Hello", true],
  ["^[[:^digit:]]+$", "abc", true],
  ["^[\\w.-]+@[\\w.-]+$", "a.b-c@d.e", true],
  ["(?i)^seoul$", "SEOUL", true],
  ["^seoul$", "SEOUL", false],
  ["(?i:ap)-northeast", "AP-northeast", true],
  ["^ap-northeast-[0-9]$", "ap-northeast-2", true],
  ["^.$", "서", true],
  ["^..$", "서", false],
  ["^[가-힣]+$", "서울", true],
  ["^a.c$", "a\nc", false],
  ["(?s)^a.c$", "a\nc", true],
  ["^b$", "a\nb", false],
  ["(?m)^b$", "a\nb\nc", true],
  ["a$", "a\n", false],
  ["\\x41\\x{42}", "AB", true],
  ["\\.\\*\\+", ".*+", true],
  ["(?P<name>x+)y", "xxy", true],
  ["(a*)*b", "aaab", true],
  ["(a|ab)(c|bcd)(d*)", "abcd", true],
  ["^(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", false], // no backtracking blow-up
])("regex.match(%j, %j) = %s", (pattern, text, want) => {
  expect(match(pattern, text)).toBe(want);
});

test.each(["(", "a)", "[a", "a**", "*a", "+", "a{2,1}", "\\p{L}", "\\1", "(?z)", "x{1001}", "[z-a]"])(
  "invalid or unsupported pattern %j is an error (undefined)",
  (pattern) => {
    expect(match(pattern, "anything")).toBeUndefined();
  },
);

test("non-string operands are an error", () => {
  expect(rt.x.opa_regex_match(rt.value(1), rt.str("1"))).toBe(0);
  expect(rt.x.opa_regex_match(rt.str("1"), rt.value(1))).toBe(0);
});

test("property: agrees with JavaScript RegExp on the shared syntax", () => {
  const atom = fc.oneof(
    fc.constantFrom("a", "b", "c", ".", "\\d", "\\w", "\\s", "[ab]", "[^a]", "[a-c]", "x", "-", "1"),
    fc.constant("(a|b)"),
  );
  const piece = fc.tuple(atom, fc.constantFrom("", "", "*", "+", "?", "{2}", "{1,2}")).map(([a, q]) => a + q);
  const pattern = fc
    .tuple(fc.constantFrom("", "^"), fc.array(piece, { minLength: 0, maxLength: 5 }), fc.constantFrom("", "$"))
    .map(([s, ps, e]) => s + ps.join("") + e);
  const text = fc.string({ unit: fc.constantFrom("a", "b", "c", "x", "1", " ", "-", "\n", "é"), maxLength: 8 });
  fc.assert(
    fc.property(pattern, text, (p, t) => {
      expect([p, t, match(p, t)]).toEqual([p, t, new RegExp(p, "u").test(t)]);
    }),
    { numRuns: 3000 },
  );
});
