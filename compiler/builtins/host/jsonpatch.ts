// json.patch on the host: RFC 6902 as OPA applies it (topdown/json.go over its edit tree).
// Any patch that cannot be applied (a missing key, an index out of range, a failed `test`, a
// malformed operation) makes the whole call undefined, as in OPA; only a second operand that is
// not an array is a type error. Sets reach the host as arrays, so a set target is patched as an
// array (OPA addresses set members by value).
import { expectOperand } from "./errors";

type Json = unknown;
type Key = string | number;

/** Thrown inside the patcher; json.patch turns it into "undefined". */
class PatchFailed extends Error {}

const isObject = (v: Json): v is Record<string, Json> => !!v && typeof v === "object" && !Array.isArray(v);

function fail(message: string): never {
  throw new PatchFailed(message);
}

/** OPA's parsePath: a JSON pointer string ("/a/b", leading slashes trimmed, ~1 and ~0 unescaped) or an array of segments. */
function parsePath(path: Json): Key[] {
  if (typeof path === "string") {
    if (path === "") return [];
    return path
      .replace(/^\/+/, "")
      .split("/")
      .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
  }
  if (Array.isArray(path)) return path.map((k) => (typeof k === "number" || typeof k === "string" ? k : fail("key")));
  return fail("path must be a string or an array");
}

/** edittree's toIndex: an integer or an integer string without leading zeros; "-" is the end. */
function toIndex(length: number, key: Key): number {
  if (typeof key === "number") return Number.isInteger(key) ? key : fail("invalid number type for indexing");
  if (key === "-") return length;
  if (!/^[+-]?[0-9]+$/.test(key)) fail("invalid string for indexing");
  if (key !== "0" && key.startsWith("0")) fail("leading zeros are not allowed in JSON paths");
  return Number(key);
}

function clone(v: Json): Json {
  return v === null || typeof v !== "object" ? v : structuredClone(v);
}

/** The value at `path` (an error when any step is missing). */
function get(doc: Json, path: Key[]): Json {
  let cur = doc;
  for (const key of path) {
    if (Array.isArray(cur)) {
      const i = toIndex(cur.length, key);
      if (i < 0 || i >= cur.length) fail("path does not exist");
      cur = cur[i];
    } else if (isObject(cur)) {
      if (typeof key !== "string" || !Object.hasOwn(cur, key)) fail("path does not exist");
      cur = cur[key];
    } else fail("expected composite type");
  }
  return cur;
}

/** RFC 6902 add: sets an object member, inserts into an array (index <= length), or replaces the root. */
function add(doc: Json, path: Key[], value: Json): Json {
  if (path.length === 0) return value;
  const parent = get(doc, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) {
    const i = toIndex(parent.length, key);
    if (i < 0 || i > parent.length) fail("index for array insertion out of bounds");
    parent.splice(i, 0, value);
  } else if (isObject(parent)) {
    if (typeof key !== "string") fail("object keys are strings");
    parent[key] = value;
  } else fail("expected composite type");
  return doc;
}

/** RFC 6902 remove: the member or element must exist. */
function remove(doc: Json, path: Key[]): Json {
  if (path.length === 0) return fail("cannot remove the root document");
  const parent = get(doc, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) {
    const i = toIndex(parent.length, key);
    if (i < 0 || i >= parent.length) fail("index for array deletion out of bounds");
    parent.splice(i, 1);
  } else if (isObject(parent)) {
    if (typeof key !== "string" || !Object.hasOwn(parent, key)) fail("key does not exist");
    delete parent[key];
  } else fail("expected composite type");
  return doc;
}

/** Structural equality of JSON values (object key order ignored). */
function equal(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return false;
}

const OPS = new Set(["add", "remove", "replace", "move", "copy", "test"]);

function attribute(op: Record<string, Json>, name: string): Json {
  return Object.hasOwn(op, name) ? op[name] : fail(`missing '${name}' attribute`);
}

/** json.patch(object, patches): the patched document, or undefined when a patch fails. */
export function jsonPatch(target: Json, patches: Json): Json {
  expectOperand("json.patch", 2, patches, "array", Array.isArray(patches));
  let doc = clone(target);
  try {
    for (const op of patches as Json[]) {
      if (!isObject(op)) fail("not an object");
      const name = attribute(op, "op");
      if (typeof name !== "string" || !OPS.has(name)) fail("unrecognized op");
      const path = parsePath(attribute(op, "path"));
      switch (name) {
        case "add":
          doc = add(doc, path, clone(attribute(op, "value")));
          break;
        case "remove":
          doc = remove(doc, path);
          break;
        case "replace": {
          const value = clone(attribute(op, "value"));
          doc = path.length === 0 ? value : add(remove(doc, path), path, value);
          break;
        }
        case "move": {
          const from = parsePath(attribute(op, "from"));
          const chunk = get(doc, from);
          doc = add(remove(doc, from), path, chunk);
          break;
        }
        case "copy": {
          const from = parsePath(attribute(op, "from"));
          doc = add(doc, path, clone(get(doc, from)));
          break;
        }
        case "test":
          if (!equal(get(doc, path), attribute(op, "value"))) fail("test failed");
          break;
      }
    }
  } catch (e) {
    if (e instanceof PatchFailed) return undefined;
    throw e;
  }
  return doc;
}
