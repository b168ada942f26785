// The semantic checks as one ordered table of named stages (after OPA's ast/compile.go).
// Each stage reads and updates the Program; diagnostics are collected per stage and the
// pipeline stops after the first stage that reports any, so later stages can assume the
// invariants earlier ones establish.
import { CompileError, type Diagnostic } from "../diagnostics";
import type { Module } from "../syntax/ast";
import { collect } from "./collect";
import { programText } from "./format";
import type { Program } from "./program";
import { checkRecursion } from "./recursion";
import { resolve } from "./resolve";
import { hoistNegations } from "./negation";
import { checkSafety } from "./safety";

/** One named semantic stage. */
export interface Stage {
  name: string;
  run(program: Program, diags: Diagnostic[]): void;
}

/** The stages in order; each comment says why it must come where it is. */
export const STAGES: readonly Stage[] = [
  // Resolution needs the complete rule index (rules of a package may be in any file).
  { name: "resolve", run: resolve },
  // Safety works on renamed locals and knows calls' arities (output arguments).
  { name: "safety", run: checkSafety },
  // After safety, as in OPA: every variable of a negated literal is bound before it, so its
  // operands can be bound just before it (a wildcard `_` stays inside).
  { name: "negation", run: hoistNegations },
  // Recursion needs resolved data refs and callees.
  { name: "recursion", run: checkRecursion },
];

/** Options for analyze. */
export interface AnalyzeOptions {
  /** Called with the program text after each stage (debugging). */
  dumpStages?: (stage: string, text: string) => void;
  /** Builtins the host declares and implements (name -> arity). */
  customBuiltins?: Record<string, number>;
}

/** Runs collect and every stage; throws CompileError with all diagnostics of the failing stage. */
export function analyze(modules: Module[], options: AnalyzeOptions = {}): Program {
  const diags: Diagnostic[] = [];
  const program = collect(modules, diags);
  if (options.customBuiltins) program.customBuiltins = new Map(Object.entries(options.customBuiltins));
  options.dumpStages?.("collect", programText(program));
  if (diags.length) throw new CompileError(sortDiags(diags));
  for (const stage of STAGES) {
    stage.run(program, diags);
    options.dumpStages?.(stage.name, programText(program));
    if (diags.length) throw new CompileError(sortDiags(diags));
  }
  return program;
}

function sortDiags(d: Diagnostic[]): Diagnostic[] {
  return [...d].sort((a, b) =>
    a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.offset - b.loc.offset,
  );
}

export type { Program } from "./program";
