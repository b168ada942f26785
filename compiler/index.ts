// The compiler's public API: Rego sources -> IR -> OPA-ABI WebAssembly, synchronously.
// Stages: parse (syntax/) -> semantic checks (semantic/) -> planning (planner/) -> emit (wasm/).
import { CompileError, diagnostic, DiagnosticCode, type Diagnostic } from "./diagnostics";
import type { Policy } from "./ir/types";
import { printPolicy } from "./ir/printer";
import { plan } from "./planner";
import { analyze } from "./semantic";
import { parseModule } from "./syntax";
import type { Module } from "./syntax/ast";
import { emitWasm } from "./wasm";

export { CompileError } from "./diagnostics";
export type { Diagnostic } from "./diagnostics";
export type { Policy } from "./ir/types";
export { printPolicy } from "./ir/printer";
export type { Module } from "./syntax/ast";
export { parseModule, parseQuery } from "./syntax";
/** Host builtin implementations to pass to loadPolicy/loadPolicySync as `customBuiltins`. */
export { customBuiltins } from "./host";
/** The pages of memory a compiled module needs (pass as loadPolicy's memoryDescriptor.initial). */
export { requiredMemoryPages } from "./wasm";

/** One Rego source file. */
export interface Source {
  file: string;
  text: string;
  /** Rego v0 syntax (opa's --v0-compatible); `import rego.v1` overrides it. */
  v0?: boolean;
}

/** Options for compile and compileToIR. */
export interface CompileOptions {
  /** Slash paths below data, e.g. `residency_guard/findings`. */
  entrypoints: string[];
  /** Called with the program after each stage (semantic stages as Rego-like text, then the IR). */
  dumpStages?: boolean | ((stage: string, text: string) => void);
  /**
   * OPA's strict builtin errors (default true, fail closed): a builtin's `eval_type_error` or
   * `eval_builtin_error` (divide by zero, wrong operand type) aborts the evaluation, and the SDK's
   * evaluate() throws "file:row:col: eval_builtin_error: div: divide by zero". False makes such
   * calls undefined, as OPA without --strict-builtin-errors. Host builtins always throw.
   */
  strictBuiltinErrors?: boolean;
  /**
   * Builtins the host implements (name -> arity), called through the ABI's opa_builtinN imports;
   * pass their implementations to loadPolicy's `customBuiltins` under the same names.
   */
  customBuiltins?: Record<string, number>;
  /**
   * Pages of memory the host gives the module (loadPolicy's memoryDescriptor.initial); default
   * the SDK's 5. Large policies (many tests in one module) need more: see requiredMemoryPages.
   */
  memoryPages?: number;
}

function dumper(o: CompileOptions): ((stage: string, text: string) => void) | undefined {
  if (o.dumpStages === true) return (stage, text) => process.stderr.write(`=== ${stage} ===\n${text}`);
  return o.dumpStages || undefined;
}

/** Parses every source, collecting parse errors of all files before failing. */
export function parseSources(sources: Source[]): Module[] {
  const modules: Module[] = [];
  const diags: Diagnostic[] = [];
  for (const s of sources) {
    try {
      modules.push(parseModule(s.text, s.file, { v0: s.v0 }));
    } catch (e) {
      if (e instanceof CompileError) diags.push(...e.diagnostics);
      else throw e;
    }
  }
  if (diags.length) throw new CompileError(diags);
  return modules;
}

/** Compiles Rego sources to the IR only (no Wasm). Throws CompileError. */
export function compileToIR(sources: Source[], options: CompileOptions): Policy {
  if (!options.entrypoints.length) {
    const loc = { file: sources[0]?.file ?? "<none>", line: 1, col: 1, offset: 0, length: 0 };
    throw new CompileError([diagnostic(DiagnosticCode.CompileError, "at least one entrypoint is required", loc)]);
  }
  return modulesToIR(parseSources(sources), options);
}

/** Checks parsed modules (every semantic stage, no entrypoints needed). Throws CompileError. */
export function checkModules(modules: Module[], options: { customBuiltins?: Record<string, number> } = {}): void {
  analyze(modules, { customBuiltins: options.customBuiltins });
}

/** Compiles already parsed modules (the AST may have been rewritten, e.g. by the test runner). */
export function compileModules(modules: Module[], options: CompileOptions): { wasm: Uint8Array; ir: Policy } {
  const ir = modulesToIR(modules, options);
  return {
    wasm: emitWasm(ir, { strictBuiltinErrors: options.strictBuiltinErrors, memoryPages: options.memoryPages }),
    ir,
  };
}

function modulesToIR(modules: Module[], options: CompileOptions): Policy {
  const dump = dumper(options);
  if (!options.entrypoints.length) {
    const loc = { file: modules[0]?.loc.file ?? "<none>", line: 1, col: 1, offset: 0, length: 0 };
    throw new CompileError([diagnostic(DiagnosticCode.CompileError, "at least one entrypoint is required", loc)]);
  }
  const program = analyze(modules, { dumpStages: dump, customBuiltins: options.customBuiltins });
  const ir = plan(program, options.entrypoints);
  dump?.("plan", printPolicy(ir));
  return ir;
}

/** Compiles Rego sources to an OPA-ABI Wasm module and its IR. Throws CompileError. */
export function compile(sources: Source[], options: CompileOptions): { wasm: Uint8Array; ir: Policy } {
  const ir = compileToIR(sources, options);
  return {
    wasm: emitWasm(ir, { strictBuiltinErrors: options.strictBuiltinErrors, memoryPages: options.memoryPages }),
    ir,
  };
}
