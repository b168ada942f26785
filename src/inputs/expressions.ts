// Finds references in Terraform JSON string values: the code inside `${...}` and `%{...}`
// templates (nested templates in string literals included; `$${` is an escape).

import { splitAddress } from "./address";

/** True when a string holds a template interpolation or directive. */
export function hasTemplate(s: string): boolean {
  for (let i = s.indexOf("{"); i >= 0; i = s.indexOf("{", i + 1)) {
    const c = s[i - 1];
    if (i > 0 && (c === "$" || c === "%") && s[i - 2] !== c) return true;
  }
  return false;
}

/** The code of every template in `s`, with string literals blanked out. */
export function templateCode(s: string): string[] {
  const parts: string[] = [];
  scanTemplate(s, 0, s.length, parts);
  return parts;
}

function scanTemplate(s: string, from: number, to: number, parts: string[]): void {
  let i = from;
  while (i < to) {
    const c = s[i];
    if ((c === "$" || c === "%") && s[i + 1] === c && s[i + 2] === "{") {
      i += 3;
    } else if ((c === "$" || c === "%") && s[i + 1] === "{") {
      i = scanExpr(s, i + 2, parts);
    } else {
      i++;
    }
  }
}

// Scans an expression body up to its closing brace; returns the index after it. The code is
// copied in runs between string literals (one slice each), not character by character.
function scanExpr(s: string, start: number, parts: string[]): number {
  let depth = 1;
  let code = "";
  let run = start;
  let i = start;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = i + 1;
      while (j < n && s[j] !== '"') {
        if (s[j] === "\\") j += 2;
        else if ((s[j] === "$" || s[j] === "%") && s[j + 1] === "{" && s[j - 1] !== s[j]) j = scanExpr(s, j + 2, parts);
        else j++;
      }
      code += s.slice(run, i) + " ";
      i = j + 1;
      run = Math.min(i, n);
      continue;
    }
    if (c === 123 /* { */) depth++;
    else if (c === 125 /* } */) {
      depth--;
      if (depth === 0) {
        parts.push(code + s.slice(run, i));
        return i + 1;
      }
    }
    i++;
  }
  parts.push(code + s.slice(run, n));
  return n;
}

/** A reference found in an expression. */
export type ExprRef =
  | { kind: "resource"; address: string }
  | { kind: "module"; name: string }
  | { kind: "var"; name: string }
  | { kind: "local"; name: string };

const TRAVERSAL = /(?<![\w.\]-])[A-Za-z_][\w-]*(?:\s*\.\s*(?:[A-Za-z_][\w-]*|\*|\d+)|\s*\[[^\]]*\])*/g;
const IGNORED = new Set(["each", "count", "path", "self", "terraform", "ephemeral", "true", "false", "null"]);

const SPACE = /\s/;

/** References in the templates of one string value; resource addresses without attribute or key. */
export function expressionRefs(s: string): ExprRef[] {
  const out: ExprRef[] = [];
  if (!hasTemplate(s)) return out;
  for (const code of templateCode(s)) {
    TRAVERSAL.lastIndex = 0;
    for (let m = TRAVERSAL.exec(code); m !== null; m = TRAVERSAL.exec(code)) {
      // A function call (`name(...)`) is not a reference: look past spaces without copying the rest.
      let j = m.index + m[0].length;
      while (j < code.length && SPACE.test(code[j])) j++;
      if (code[j] === "(") continue;
      const steps = splitAddress(SPACE.test(m[0]) ? m[0].replace(/\s+/g, "") : m[0]);
      if (!steps || steps.length < 2) continue;
      const root = steps[0].name;
      if (IGNORED.has(root)) continue;
      if (root === "var") out.push({ kind: "var", name: steps[1].name });
      else if (root === "local") out.push({ kind: "local", name: steps[1].name });
      else if (root === "module") out.push({ kind: "module", name: steps[1].name });
      else if (root === "data") {
        if (steps.length >= 3) out.push({ kind: "resource", address: `data.${steps[1].name}.${steps[2].name}` });
      } else out.push({ kind: "resource", address: `${root}.${steps[1].name}` });
    }
  }
  return out;
}
