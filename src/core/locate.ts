// Line and column of a field in a JSON or YAML file, so configuration errors can point at it.

import type { Node } from "yaml";

/** A path into a document: object keys and array indexes. */
export type FieldPath = ReadonlyArray<string | number>;

/** Finds `line:col` of fields in one text (JSON is read as the YAML it also is). */
export interface Locator {
  /** `line:col` of the value at `path`, or of its key when `key` is set; undefined when not found. */
  (path: FieldPath, key?: boolean): string | undefined;
}

/** A locator for `text`; it answers undefined for every path when the text does not parse. */
export function locator(text: string): Locator {
  // Parsed on the first question: most files are valid and never asked about.
  let parsed: { root: Node | null; lines: import("yaml").LineCounter } | undefined;
  return (path, key = false) => {
    const { isMap, isScalar, isSeq } = require("yaml") as typeof import("yaml");
    parsed ??= parse(text);
    const { root, lines } = parsed;
    let node: unknown = root;
    let keyNode: unknown;
    for (const step of path) {
      keyNode = undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : p.key) === String(step));
        if (!pair) return undefined;
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof step === "number") {
        node = node.items[step];
      } else return undefined;
    }
    const target = (key && keyNode ? keyNode : node) as { range?: [number, number, number] } | null;
    if (!target?.range) return undefined;
    const { line, col } = lines.linePos(target.range[0]);
    return `${line}:${col}`;
  };
}

function parse(text: string): { root: Node | null; lines: import("yaml").LineCounter } {
  const { LineCounter, parseDocument } = require("yaml") as typeof import("yaml");
  const lines = new LineCounter();
  try {
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
    return { root: doc.errors.length === 0 ? (doc.contents as Node | null) : null, lines };
  } catch {
    return { root: null, lines };
  }
}

/** `outputs[0].format` for the path ["outputs", 0, "format"]; `(root)` for the empty path. */
export function fieldName(path: FieldPath): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${p}` : p;
  return out || "(root)";
}

/** The path of an ajv `instancePath` (`/outputs/0/format`), numbers for array indexes. */
export function pointerPath(instancePath: string): Array<string | number> {
  return instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
