// `rego-wasm check`: every error of a set of modules, not only the first per file. The parser
// stops at its first error, so after one the statement holding it is blanked out (kept as
// spaces, so positions stay exact) and the file is parsed again, up to MAX_PER_FILE times.
// As in `opa check`, semantic checks run only when every file parses.
import { CompileError, type Diagnostic } from "../diagnostics";
import { checkModules, type Source } from "../index";
import { parseModule } from "../syntax";
import type { Module } from "../syntax/ast";

const MAX_PER_FILE = 50;

/** Start offset of the line holding `offset`. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", Math.max(0, offset - 1)) + 1;
}

/** A line that starts a top-level statement: text in column 1 that is not a comment or a closing bracket. */
function isStatementLine(text: string, at: number): boolean {
  const c = text[at];
  return c !== undefined && /[A-Za-z_]/.test(c);
}

/** Parses a file, recovering after each parse error at the next top-level statement. */
export function parseWithRecovery(src: Source): { module?: Module; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let text = src.text;
  for (let round = 0; round < MAX_PER_FILE; round++) {
    try {
      const module = parseModule(text, src.file, { v0: src.v0 });
      return { module: diagnostics.length ? undefined : module, diagnostics };
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      const d = e.diagnostics[0];
      diagnostics.push(d);
      // Blank from the start of the statement holding the error to the next statement.
      let start = lineStart(text, d.loc.offset);
      while (start > 0 && !isStatementLine(text, start)) start = lineStart(text, start - 1);
      if (/^\s*package\b/.test(text.slice(start))) return { diagnostics };
      let end = text.indexOf("\n", d.loc.offset);
      while (end >= 0 && !isStatementLine(text, end + 1)) end = text.indexOf("\n", end + 1);
      end = end < 0 ? text.length : end + 1;
      if (end <= start) return { diagnostics };
      text = text.slice(0, start) + text.slice(start, end).replace(/[^\n]/g, " ") + text.slice(end);
    }
  }
  return { diagnostics };
}

/** Every parse error of every file, or else every error of the first failing semantic stage. */
export function checkSources(sources: Source[], customBuiltins?: Record<string, number>): Diagnostic[] {
  const modules: Module[] = [];
  const diags: Diagnostic[] = [];
  for (const s of sources) {
    const r = parseWithRecovery(s);
    diags.push(...r.diagnostics);
    if (r.module) modules.push(r.module);
  }
  if (diags.length) return diags;
  try {
    checkModules(modules, { customBuiltins });
  } catch (e) {
    if (e instanceof CompileError) return e.diagnostics;
    throw e;
  }
  return [];
}
