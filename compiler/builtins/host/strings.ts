// json.unmarshal and strings.replace_n on the host (the runtime also has native versions).
import { BuiltinError, expectOperand, typeName } from "./errors";

/** json.unmarshal(text). */
export function jsonUnmarshal(text: unknown): unknown {
  expectOperand("json.unmarshal", 1, text, "string", typeof text === "string");
  try {
    return JSON.parse(text as string);
  } catch (e) {
    throw new BuiltinError("json.unmarshal", (e as Error).message);
  }
}

/** strings.replace_n(patterns, value): Go's strings.Replacer with the keys in sorted order. */
export function replaceN(patterns: unknown, value: unknown): string {
  expectOperand("strings.replace_n", 1, patterns, "object", !!patterns && typeof patterns === "object" && !Array.isArray(patterns));
  expectOperand("strings.replace_n", 2, value, "string", typeof value === "string");
  const p = patterns as Record<string, unknown>;
  const keys = Object.keys(p).sort();
  for (const k of keys) {
    if (typeof p[k] !== "string") throw new BuiltinError("strings.replace_n", `operand 1 non-string value found in pattern object (${typeName(p[k])})`);
  }
  const s = value as string;
  let out = "";
  let i = 0;
  outer: while (i < s.length) {
    for (const k of keys) {
      if (k !== "" && s.startsWith(k, i)) {
        out += p[k] as string;
        i += k.length;
        continue outer;
      }
    }
    out += s[i++];
  }
  return out;
}
