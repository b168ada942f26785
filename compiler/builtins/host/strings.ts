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
  expectOperand(
    "strings.replace_n",
    1,
    patterns,
    "object",
    !!patterns && typeof patterns === "object" && !Array.isArray(patterns),
  );
  expectOperand("strings.replace_n", 2, value, "string", typeof value === "string");
  const p = patterns as Record<string, unknown>;
  const keys = Object.keys(p).sort();
  for (const k of keys) {
    if (typeof p[k] !== "string")
      throw new BuiltinError(
        "strings.replace_n",
        `operand 1 non-string value found in pattern object (${typeName(p[k])})`,
      );
  }
  const s = value as string;
  // Go's genericReplacer: at each position the first matching key (in sorted order) wins; an
  // empty key matches everywhere except directly after an empty match.
  let out = "";
  let i = 0;
  let prevEmpty = false;
  while (i <= s.length) {
    const k = keys.find((key) => !(key === "" && prevEmpty) && s.startsWith(key, i));
    prevEmpty = k === "";
    if (k !== undefined) {
      out += p[k] as string;
      i += k.length;
      continue;
    }
    if (i < s.length) {
      const cp = s.codePointAt(i)!;
      out += String.fromCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
    } else break;
  }
  return out;
}

/** strings.split_n(s, delimiter, n): all parts, then the first n (n > 0) or the last -n (n < 0). */
export function splitN(s: unknown, delimiter: unknown, n: unknown): string[] {
  expectOperand("strings.split_n", 1, s, "string", typeof s === "string");
  expectOperand("strings.split_n", 2, delimiter, "string", typeof delimiter === "string");
  expectOperand("strings.split_n", 3, n, "number", typeof n === "number");
  if (!Number.isInteger(n))
    throw new BuiltinError(
      "strings.split_n",
      "operand 3 must be integer number but got floating-point number",
      "eval_type_error",
    );
  const str = s as string;
  const parts = delimiter === "" ? [...str] : str.split(delimiter as string);
  if (str === "" && delimiter === "") parts.push("");
  const k = n as number;
  if (k === 0) return [];
  return k > 0 ? parts.slice(0, k) : parts.slice(Math.max(0, parts.length + k));
}

/** array.flatten(arr): concatenates the elements that are arrays one level deep, keeps the others. */
export function arrayFlatten(arr: unknown): unknown[] {
  expectOperand("array.flatten", 1, arr, "array", Array.isArray(arr));
  return (arr as unknown[]).flatMap((x) => (Array.isArray(x) ? x : [x]));
}
