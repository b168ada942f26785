// glob.match(pattern, delimiters, match) with the semantics of the gobwas/glob library OPA uses:
// `*` any run of non-delimiter characters, `**` any run, `?` one non-delimiter character,
// `[abc]` `[a-z]` `[!abc]` classes, `{a,b}` alternatives (nested), `\` escapes. Delimiters
// `null` means none; an empty array means ["."].
import { BuiltinError, expectOperand } from "./errors";

const cache = new Map<string, RegExp>();
// In `u` mode only syntax characters may be escaped, and `-` only inside a class.
const esc = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
const escClass = (c: string) => c.replace(/[\\^\]\[-]/g, "\\$&");

function compileGlob(pattern: string, delims: string[]): RegExp {
  const key = JSON.stringify([pattern, delims]);
  const hit = cache.get(key);
  if (hit) return hit;
  const notDelim = delims.length ? `[^${delims.map(escClass).join("")}]` : "[\\s\\S]";
  const chars = [...pattern];
  let i = 0;
  const parse = (inAlt: boolean): string => {
    let out = "";
    while (i < chars.length) {
      const c = chars[i];
      if (inAlt && (c === "," || c === "}")) return out;
      i++;
      switch (c) {
        case "\\":
          if (i >= chars.length)
            throw new BuiltinError("glob.match", `invalid pattern ${JSON.stringify(pattern)}: trailing escape`);
          out += esc(chars[i++]);
          break;
        case "*":
          if (chars[i] === "*") {
            while (chars[i] === "*") i++;
            out += "[\\s\\S]*";
          } else out += `${notDelim}*`;
          break;
        case "?":
          out += notDelim;
          break;
        case "[": {
          let neg = false;
          if (chars[i] === "!") {
            neg = true;
            i++;
          }
          let cls = "";
          let closed = false;
          while (i < chars.length) {
            const d = chars[i++];
            if (d === "]") {
              closed = true;
              break;
            }
            if (d === "\\" && i < chars.length) cls += escClass(chars[i++]);
            else if (d === "-" && cls && chars[i] !== "]") cls += "-";
            else cls += escClass(d);
          }
          if (!closed || !cls)
            throw new BuiltinError("glob.match", `invalid pattern ${JSON.stringify(pattern)}: bad character class`);
          out += neg ? `[^${cls}]` : `[${cls}]`;
          break;
        }
        case "{": {
          const alts: string[] = [];
          for (;;) {
            alts.push(parse(true));
            if (chars[i] === ",") {
              i++;
              continue;
            }
            if (chars[i] === "}") {
              i++;
              break;
            }
            throw new BuiltinError("glob.match", `invalid pattern ${JSON.stringify(pattern)}: unclosed {`);
          }
          out += `(?:${alts.join("|")})`;
          break;
        }
        default:
          out += esc(c);
      }
    }
    if (inAlt) throw new BuiltinError("glob.match", `invalid pattern ${JSON.stringify(pattern)}: unclosed {`);
    return out;
  };
  const re = new RegExp(`^${parse(false)}$`, "u");
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}

/** glob.match(pattern, delimiters, match). */
export function globMatch(pattern: unknown, delimiters: unknown, match: unknown): boolean {
  expectOperand("glob.match", 1, pattern, "string", typeof pattern === "string");
  expectOperand("glob.match", 2, delimiters, "array or null", delimiters === null || Array.isArray(delimiters));
  expectOperand("glob.match", 3, match, "string", typeof match === "string");
  let delims: string[] = [];
  if (Array.isArray(delimiters)) {
    for (const d of delimiters) {
      if (typeof d !== "string" || [...d].length !== 1)
        throw new BuiltinError("glob.match", "operand 2 must be an array of single characters");
    }
    delims = delimiters.length ? (delimiters as string[]) : ["."];
  }
  return compileGlob(pattern as string, delims).test(match as string);
}
