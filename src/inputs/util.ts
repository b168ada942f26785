// Small helpers shared by the readers.

import { InputError } from "../core/errors";

/** A JSON object. */
export type Json = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Requires a JSON object at `where`, else throws an InputError naming the place. */
export function expectObject(v: unknown, file: string, where: string, what: string): Json {
  if (!isObject(v)) throw new InputError(`${what} must be a JSON object, found ${describe(v)}`, file, where);
  return v;
}

/** Requires a string at `where`. */
export function expectString(v: unknown, file: string, where: string, what: string): string {
  if (typeof v !== "string" || v === "")
    throw new InputError(`${what} must be a non-empty string, found ${describe(v)}`, file, where);
  return v;
}

/** Short description of a JSON value's kind for error messages. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return v.length > 40 ? `string "${v.slice(0, 40)}..."` : `string "${v}"`;
  return `${typeof v} ${String(v)}`;
}

/** Tag values as strings: numbers and booleans are printed, null and structures dropped. */
export function tagMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const k in v) {
    const x = v[k];
    if (typeof x === "string") out[k] = x;
    else if (typeof x === "number" || typeof x === "boolean") out[k] = String(x);
  }
  return out;
}
