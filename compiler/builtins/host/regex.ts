// regex.match / regex.split on the host. Go's RE2 syntax is translated to a JS RegExp:
// leading inline flags `(?i)`, `(?s)`, `(?m)` become RegExp flags; the rest of RE2's common
// syntax has the same meaning in JS with the `u` flag.
import { BuiltinError, expectOperand } from "./errors";

const cache = new Map<string, RegExp>();

/** Compiles an RE2 pattern to a global JS RegExp (cached); throws BuiltinError if invalid. */
export function compileRe2(builtin: string, pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let flags = "gu";
  let src = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1].includes("U")) throw new BuiltinError(builtin, "the (?U) flag is not supported");
    for (const f of lead[1]) if (!flags.includes(f)) flags += f;
    src = src.slice(lead[0].length);
  }
  // RE2 named groups (?P<name>...) are (?<name>...) in JS; \z is $ without the m flag.
  src = src.replace(/\(\?P</g, "(?<").replace(/\\z/g, "$(?![\\s\\S])");
  let re: RegExp;
  try {
    re = new RegExp(src, flags);
  } catch (e) {
    throw new BuiltinError(builtin, `invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** Go's match scan: non-overlapping matches, skipping an empty match right after a match. */
function* goMatches(re: RegExp, s: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  let prevEnd = -1;
  while (re.lastIndex <= s.length) {
    const m = re.exec(s);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    if (end === start) {
      // step over one code point so the scan advances
      const cp = s.codePointAt(start);
      re.lastIndex = start + (cp !== undefined && cp > 0xffff ? 2 : 1);
      if (start === prevEnd) continue;
    }
    yield m;
    prevEnd = end;
  }
}

/** Go's FindAllStringIndex(s, -1). */
function findAll(re: RegExp, s: string): Array<[number, number]> {
  return Array.from(goMatches(re, s), (m): [number, number] => [m.index, m.index + m[0].length]);
}

/** regex.match(pattern, value). */
export function regexMatch(pattern: unknown, value: unknown): boolean {
  expectOperand("regex.match", 1, pattern, "string", typeof pattern === "string");
  expectOperand("regex.match", 2, value, "string", typeof value === "string");
  const re = compileRe2("regex.match", pattern as string);
  re.lastIndex = 0;
  return re.test(value as string);
}

/** regex.split(pattern, value): Go's Regexp.Split(value, -1). */
export function regexSplit(pattern: unknown, value: unknown): string[] {
  expectOperand("regex.split", 1, pattern, "string", typeof pattern === "string");
  expectOperand("regex.split", 2, value, "string", typeof value === "string");
  const s = value as string;
  const re = compileRe2("regex.split", pattern as string);
  if (pattern !== "" && s === "") return [""];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const [a, b] of findAll(re, s)) {
    end = a;
    if (b !== 0) out.push(s.slice(beg, end));
    beg = b;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Go's FindAllStringSubmatch(s, n): the matches (n < 0: all), each [whole, group1, ...] with "" for unmatched groups. */
function findAllSubmatch(re: RegExp, s: string, n: number): string[][] {
  const out: string[][] = [];
  if (n === 0) return out;
  for (const m of goMatches(re, s)) {
    out.push(Array.from(m, (g) => g ?? ""));
    if (out.length === n) break;
  }
  return out;
}

function count(builtin: string, n: unknown): number {
  expectOperand(builtin, 3, n, "number", typeof n === "number");
  if (!Number.isInteger(n))
    throw new BuiltinError(
      builtin,
      "operand 3 must be integer number but got floating-point number",
      "eval_type_error",
    );
  return n as number;
}

/** regex.find_n(pattern, value, n): up to n matching substrings (n < 0: all). */
export function regexFindN(pattern: unknown, value: unknown, n: unknown): string[] {
  expectOperand("regex.find_n", 1, pattern, "string", typeof pattern === "string");
  expectOperand("regex.find_n", 2, value, "string", typeof value === "string");
  const re = compileRe2("regex.find_n", pattern as string);
  return findAllSubmatch(re, value as string, count("regex.find_n", n)).map((m) => m[0]);
}

/** regex.find_all_string_submatch_n(pattern, value, n): up to n matches with their groups. */
export function regexFindAllStringSubmatchN(pattern: unknown, value: unknown, n: unknown): string[][] {
  const b = "regex.find_all_string_submatch_n";
  expectOperand(b, 1, pattern, "string", typeof pattern === "string");
  expectOperand(b, 2, value, "string", typeof value === "string");
  return findAllSubmatch(compileRe2(b, pattern as string), value as string, count(b, n)).map((m) => [...m]);
}

/** Go's Regexp.Expand of a replacement template: $1, ${1}, $name, ${name}, $$. */
function expand(template: string, m: RegExpExecArray | string[], names: Record<string, string> | undefined): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== "$" || i + 1 >= template.length) {
      out += c;
      continue;
    }
    if (template[i + 1] === "$") {
      out += "$";
      i++;
      continue;
    }
    let name: string | undefined;
    let j = i + 1;
    if (template[j] === "{") {
      const close = template.indexOf("}", j);
      const inner = close < 0 ? "" : template.slice(j + 1, close);
      if (close >= 0 && /^[A-Za-z0-9_]+$/.test(inner)) {
        name = inner;
        j = close + 1;
      }
    } else {
      const w = /^[A-Za-z0-9_]+/.exec(template.slice(j));
      if (w) {
        name = w[0];
        j += w[0].length;
      }
    }
    if (name === undefined) {
      out += c; // a lone $ stays (Go: "invalid" templates are copied)
      continue;
    }
    if (/^[0-9]+$/.test(name)) out += m[Number(name)] ?? "";
    else out += names?.[name] ?? "";
    i = j - 1;
  }
  return out;
}

/** regex.replace(s, pattern, value): Go's ReplaceAllString, with $ expansion in value. */
export function regexReplace(s: unknown, pattern: unknown, value: unknown): string {
  expectOperand("regex.replace", 1, s, "string", typeof s === "string");
  expectOperand("regex.replace", 2, pattern, "string", typeof pattern === "string");
  expectOperand("regex.replace", 3, value, "string", typeof value === "string");
  const re = compileRe2("regex.replace", pattern as string);
  const text = s as string;
  let out = "";
  let last = 0;
  for (const m of goMatches(re, text)) {
    out += text.slice(last, m.index) + expand(value as string, m, m.groups);
    last = m.index + m[0].length;
  }
  return out + text.slice(last);
}

/** regex.is_valid(pattern): whether the pattern compiles (false for non-strings). */
export function regexIsValid(pattern: unknown): boolean {
  if (typeof pattern !== "string") return false;
  try {
    compileRe2("regex.is_valid", pattern);
    return true;
  } catch {
    return false;
  }
}
