// One catalogue of diagnostic codes shared by every compiler stage. The codes are OPA's
// stable names so messages read like `opa build` output and tests can match on them.
import type { Location } from "../syntax/ast";

/** Diagnostic codes, named exactly as OPA names its error kinds. */
export const DiagnosticCode = {
  /** Lexing or parsing failed. */
  ParseError: "rego_parse_error",
  /** Module-level compile errors (conflicting rules, unknown functions, bad refs...). */
  CompileError: "rego_compile_error",
  /** A variable is not bound by a positive expression. */
  UnsafeVarError: "rego_unsafe_var_error",
  /** Type or arity mismatches. */
  TypeError: "rego_type_error",
  /** Rules or functions that depend on themselves. */
  RecursionError: "rego_recursion_error",
  /** Valid Rego that this compiler does not support (e.g. `with`). */
  UnsupportedError: "rego_unsupported_error",
} as const;

/** One of the stable diagnostic code strings. */
export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

/** A single problem found in a source file. */
export interface Diagnostic {
  code: DiagnosticCode;
  message: string;
  loc: Location;
}

/** Builds a diagnostic (convenience for stages that report many). */
export function diagnostic(code: DiagnosticCode, message: string, loc: Location): Diagnostic {
  return { code, message, loc };
}

/** Formats a diagnostic as one `file:line:col: code: message` line. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.loc.file}:${d.loc.line}:${d.loc.col}: ${d.code}: ${d.message}`;
}

/** Raised by any compiler stage; carries every diagnostic found (at least one). */
export class CompileError extends Error {
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join("\n") || "compile error");
    this.name = "CompileError";
    this.diagnostics = diagnostics;
  }

  /** The first diagnostic's code (convenience for callers classifying the failure). */
  get code(): DiagnosticCode | undefined {
    return this.diagnostics[0]?.code;
  }
}

/** True for a CompileError carrying at least one diagnostic with the given code. */
export function hasDiagnostic(err: unknown, code: DiagnosticCode): boolean {
  return err instanceof CompileError && err.diagnostics.some((d) => d.code === code);
}

/**
 * Renders a diagnostic with the offending source line and a caret under the column,
 * e.g. for CLI output. `source` is the file's text; without it only the header line is printed.
 */
export function renderDiagnostic(d: Diagnostic, source?: string): string {
  const header = formatDiagnostic(d);
  if (source === undefined) return header;
  const lines = source.split(/\r?\n/);
  const text = lines[d.loc.line - 1];
  if (text === undefined) return header;
  const gutter = `${d.loc.line} | `;
  // Keep tabs in the padding so the caret lines up with tab-indented source.
  const pad = text.slice(0, Math.max(0, d.loc.col - 1)).replace(/[^\t]/g, " ");
  const width = Math.max(1, Math.min(d.loc.length || 1, text.length - (d.loc.col - 1)));
  return `${header}\n${gutter}${text}\n${" ".repeat(gutter.length)}${pad}${"^".repeat(width)}`;
}

/** Renders every diagnostic of an error; `sources` maps file names to their text. */
export function renderCompileError(err: CompileError, sources: Record<string, string> = {}): string {
  return err.diagnostics.map((d) => renderDiagnostic(d, sources[d.loc.file])).join("\n");
}
