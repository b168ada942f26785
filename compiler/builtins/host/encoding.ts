// Encoding and hashing builtins (OPA topdown/encoding.go, crypto.go) on the host: strings are
// UTF-8, as Go's; hashes and HMACs come from node:crypto.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { BuiltinError, expectOperand, typeName } from "./errors";

function str(builtin: string, n: number, v: unknown): string {
  expectOperand(builtin, n, v, "string", typeof v === "string");
  return v as string;
}

/** Go's base64 decoders are strict: the alphabet, and padding unless raw. */
function decodeBase64(builtin: string, s: string, url: boolean, raw: boolean): string {
  const alphabet = url ? /^[A-Za-z0-9_-]*$/ : /^[A-Za-z0-9+/]*$/;
  const body = raw ? s : s.replace(/={1,2}$/, "");
  const bad = [...body].findIndex((c) => !alphabet.test(c));
  if (bad >= 0 || (raw ? s.length % 4 === 1 : s.length % 4 !== 0 || body.length % 4 === 1)) {
    const at = bad >= 0 ? bad : s.length - (s.length % 4 || 4);
    throw new BuiltinError(builtin, `illegal base64 data at input byte ${Math.max(at, 0)}`);
  }
  return Buffer.from(body, url ? "base64url" : "base64").toString("utf8");
}

/** base64.encode(s): standard alphabet with padding. */
export const base64Encode = (s: unknown) => Buffer.from(str("base64.encode", 1, s), "utf8").toString("base64");
/** base64.decode(s): standard alphabet, padding required. */
export const base64Decode = (s: unknown) => decodeBase64("base64.decode", str("base64.decode", 1, s), false, false);
/** base64.is_valid(s): whether base64.decode would succeed. */
export function base64IsValid(s: unknown): boolean {
  if (typeof s !== "string") return false;
  try {
    decodeBase64("base64.is_valid", s, false, false);
    return true;
  } catch {
    return false;
  }
}
/** base64url.encode(s): URL alphabet with padding. */
export function base64urlEncode(s: unknown): string {
  const b = Buffer.from(str("base64url.encode", 1, s), "utf8").toString("base64url");
  return b + "=".repeat((4 - (b.length % 4)) % 4);
}
/** base64url.encode_no_pad(s): URL alphabet without padding. */
export const base64urlEncodeNoPad = (s: unknown) =>
  Buffer.from(str("base64url.encode_no_pad", 1, s), "utf8").toString("base64url");
/** base64url.decode(s): padded when the length is a multiple of 4, else raw (as OPA). */
export function base64urlDecode(s: unknown): string {
  const t = str("base64url.decode", 1, s);
  return decodeBase64("base64url.decode", t, true, t.length % 4 !== 0);
}

/** hex.encode(s): lower-case hex of the UTF-8 bytes. */
export const hexEncode = (s: unknown) => Buffer.from(str("hex.encode", 1, s), "utf8").toString("hex");
/** hex.decode(s): Go's encoding/hex errors for odd length and invalid bytes. */
export function hexDecode(s: unknown): string {
  const t = str("hex.decode", 1, s);
  const bad = [...t].findIndex((c) => !/[0-9a-fA-F]/.test(c));
  if (bad >= 0) {
    const c = [...t][bad];
    const cp = c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    throw new BuiltinError("hex.decode", `encoding/hex: invalid byte: U+${cp} ${JSON.stringify(c).replace(/"/g, "'")}`);
  }
  if (t.length % 2) throw new BuiltinError("hex.decode", "encoding/hex: odd length hex string");
  return Buffer.from(t, "hex").toString("utf8");
}

/** Go's url.QueryEscape: unreserved bytes kept, space as '+', the rest %XX upper-case. */
function queryEscape(s: string): string {
  let out = "";
  for (const b of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

function queryUnescape(builtin: string, s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "%") {
      const h = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h))
        throw new BuiltinError(builtin, `invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      bytes.push(parseInt(h, 16));
      i += 2;
    } else if (c === "+") bytes.push(0x20);
    else bytes.push(...Buffer.from(c, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** urlquery.encode(s). */
export const urlqueryEncode = (s: unknown) => queryEscape(str("urlquery.encode", 1, s));
/** urlquery.decode(s). */
export const urlqueryDecode = (s: unknown) => queryUnescape("urlquery.decode", str("urlquery.decode", 1, s));
/** urlquery.encode_object(obj): keys sorted, each value a string or an array/set of strings (Go url.Values). */
export function urlqueryEncodeObject(o: unknown): string {
  expectOperand("urlquery.encode_object", 1, o, "object", typeof o === "object" && o !== null && !Array.isArray(o));
  const parts: string[] = [];
  for (const k of Object.keys(o as object).sort()) {
    const v = (o as Record<string, unknown>)[k];
    const vs = Array.isArray(v) ? v : [v];
    for (const x of vs) {
      if (typeof x !== "string")
        throw new BuiltinError(
          "urlquery.encode_object",
          `operand 1 must be object[string, string|array[string]|set[string]] but got ${typeName(x)}`,
          "eval_type_error",
        );
      parts.push(`${queryEscape(k)}=${queryEscape(x)}`);
    }
  }
  return parts.join("&");
}
/** urlquery.decode_object(s): key -> array of values (Go url.ParseQuery). */
export function urlqueryDecodeObject(s: unknown): Record<string, string[]> {
  const t = str("urlquery.decode_object", 1, s);
  const out: Record<string, string[]> = {};
  for (const part of t.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const k = queryUnescape("urlquery.decode_object", eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? "" : queryUnescape("urlquery.decode_object", part.slice(eq + 1));
    (out[k] ??= []).push(v);
  }
  return out;
}

/** Go's encoding/json text of a JSON value: sorted keys, <, > and & escaped. */
function goJSON(v: unknown, prefix: string | null, indent: string | null, depth = 0): string {
  const esc = (s: string) =>
    JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  const nl = (d: number) => (indent === null ? "" : "\n" + (prefix ?? "") + indent.repeat(d));
  if (v === null || typeof v !== "object") return typeof v === "string" ? esc(v) : JSON.stringify(v);
  const sep = indent === null ? ":" : ": ";
  if (Array.isArray(v)) {
    if (!v.length) return "[]";
    return `[${v.map((x) => nl(depth + 1) + goJSON(x, prefix, indent, depth + 1)).join(",")}${nl(depth)}]`;
  }
  const keys = Object.keys(v).sort();
  if (!keys.length) return "{}";
  const o = v as Record<string, unknown>;
  return `{${keys.map((k) => nl(depth + 1) + esc(k) + sep + goJSON(o[k], prefix, indent, depth + 1)).join(",")}${nl(depth)}}`;
}

/** json.marshal_with_options(x, {pretty, indent, prefix}): indented when pretty (default true if indent or prefix is given). */
export function jsonMarshalWithOptions(x: unknown, opts: unknown): string {
  expectOperand(
    "json.marshal_with_options",
    2,
    opts,
    "object",
    typeof opts === "object" && opts !== null && !Array.isArray(opts),
  );
  const o = opts as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) {
    if (k === "pretty" ? typeof v !== "boolean" : k === "indent" || k === "prefix" ? typeof v !== "string" : true)
      throw new BuiltinError(
        "json.marshal_with_options",
        `object operand key "${k}" is not valid or has a value of the wrong type`,
        "eval_type_error",
      );
  }
  const pretty = (o.pretty as boolean | undefined) ?? ("indent" in o || "prefix" in o);
  if (!pretty) return goJSON(x, null, null);
  return goJSON(x, (o.prefix as string | undefined) ?? "", (o.indent as string | undefined) ?? "\t");
}

const digest = (algo: string, builtin: string) => (s: unknown) =>
  createHash(algo)
    .update(str(builtin, 1, s), "utf8")
    .digest("hex");
const hmac = (algo: string, builtin: string) => (s: unknown, key: unknown) =>
  createHmac(algo, str(builtin, 2, key))
    .update(str(builtin, 1, s), "utf8")
    .digest("hex");

/** crypto.md5(s), crypto.sha1(s), crypto.sha256(s): hex digests of the UTF-8 bytes. */
export const cryptoMd5 = digest("md5", "crypto.md5");
export const cryptoSha1 = digest("sha1", "crypto.sha1");
export const cryptoSha256 = digest("sha256", "crypto.sha256");
/** crypto.hmac.<alg>(x, key): hex HMAC. */
export const hmacMd5 = hmac("md5", "crypto.hmac.md5");
export const hmacSha1 = hmac("sha1", "crypto.hmac.sha1");
export const hmacSha256 = hmac("sha256", "crypto.hmac.sha256");
export const hmacSha512 = hmac("sha512", "crypto.hmac.sha512");
/** crypto.hmac.equal(a, b): constant-time comparison of two MACs. */
export function hmacEqual(a: unknown, b: unknown): boolean {
  const x = Buffer.from(str("crypto.hmac.equal", 1, a), "utf8");
  const y = Buffer.from(str("crypto.hmac.equal", 2, b), "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}
