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

/** Go's FindAllStringIndex(s, -1): non-overlapping matches, ignoring empty matches right after a match. */
function findAll(re: RegExp, s: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
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
    out.push([start, end]);
    prevEnd = end;
  }
  return out;
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
