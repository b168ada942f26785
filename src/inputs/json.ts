// JSON parsing with positions: errors carry `line:col`, and a single linear scan finds the
// line of each resource block in a Terraform JSON configuration (for SARIF locations).

import { InputError } from "../core/errors";

/** Line and column (both 1-based) of a character offset in `text`. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: end - lineStart + 1 };
}

/** Parses JSON text, throwing an InputError with the `line:col` of the syntax error. */
export function parseJson(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!/\S/.test(body)) throw new InputError("input is empty (expected a JSON document)", file);
  try {
    return JSON.parse(body);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const offset = errorOffset(message, body);
    const { line, col } = lineCol(body, offset);
    const truncated = /end of JSON input/i.test(message) || offset >= body.length;
    const what = truncated ? "truncated JSON (the document ends early)" : "invalid JSON";
    throw new InputError(`${what}: ${message}`, file, `${line}:${col}`);
  }
}

// V8 reports either "at position N" or "(line L column C)"; without either the input ended early.
function errorOffset(message: string, text: string): number {
  const pos = /at position (\d+)/.exec(message);
  if (pos) return Number(pos[1]);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) {
    let line = 1;
    let i = 0;
    while (line < Number(lc[1]) && i < text.length) {
      if (text.charCodeAt(i) === 10) line++;
      i++;
    }
    return i + Number(lc[2]) - 1;
  }
  return text.length;
}

/**
 * Lines of the blocks `resource.<type>.<name>` and `data.<type>.<name>` in a Terraform JSON
 * configuration, keyed `resource/<type>/<name>`. One pass; arrays between levels are skipped
 * because Terraform JSON allows an array of objects wherever a block object is expected.
 */
export function blockLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  // Stack of containers: for objects, the key currently open (null before the first key).
  const kinds: number[] = []; // 1 = object, 2 = array
  const keys: (string | null)[] = [];
  let expectKey = false;
  let line = 1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
    } else if (c === 34 /* " */) {
      const start = i + 1;
      let j = start;
      let escaped = false;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (escaped) escaped = false;
        else if (d === 92) escaped = true;
        else if (d === 34) break;
        else if (d === 10) line++;
      }
      if (expectKey && kinds[kinds.length - 1] === 1) {
        const key = JSON.parse(text.slice(start - 1, j + 1)) as string;
        keys[keys.length - 1] = key;
        expectKey = false;
        const path: string[] = [];
        for (let k = 0; k < kinds.length; k++) if (kinds[k] === 1 && keys[k] !== null) path.push(keys[k] as string);
        if (path.length === 3 && (path[0] === "resource" || path[0] === "data")) {
          const id = path.join("/");
          if (!out.has(id)) out.set(id, line);
        }
      }
      i = j;
    } else if (c === 123 /* { */) {
      kinds.push(1);
      keys.push(null);
      expectKey = true;
    } else if (c === 91 /* [ */) {
      kinds.push(2);
      keys.push(null);
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      kinds.pop();
      keys.pop();
    } else if (c === 44 /* , */) {
      if (kinds[kinds.length - 1] === 1) expectKey = true;
    }
  }
  return out;
}
