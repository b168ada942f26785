#!/usr/bin/env node
// rego-wasm: compile Rego files to an OPA-ABI Wasm module, and the opa workflows on top of it.
//   rego-wasm build -e residency_guard/findings policies -o policy.wasm
//   rego-wasm test policies/            (opa test: exit 0 all pass, 2 failures/errors/skips, 1 load/compile error)
//   rego-wasm eval -d policies 'data.x.allow'   (opa eval --format json)
//   rego-wasm check policies/           (opa check: exit 1 on any error)
// Errors print as `rego-wasm: <file>:<line>:<col>: <message>`; usage errors exit 2.
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommanderError } from "commander";
import { compile, compileToIR, CompileError, printPolicy, type Source } from "../index";
import { renderCompileError, renderDiagnostic, type Diagnostic } from "../diagnostics";
import { checkSources } from "./check";
import { loadCustomBuiltins, type CustomBuiltins } from "./custom-builtins";
import { evaluateQuery, QUERY_FILE } from "./evaluate";
import { LoadError, loadPaths, mergeData, readDataFile } from "./load";
import { jsonReport, passed, prettyReport } from "./report";
import { errorText, runTests } from "./tester";

/** Raised for bad command-line input (missing files, no sources). */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Every `*.rego` file below the given files or directories, sorted for reproducible builds. */
export function collectSources(paths: string[]): Source[] {
  const files: string[] = [];
  const walk = (p: string): void => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new UsageError(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p).sort()) {
        const full = path.join(p, e);
        if (fs.statSync(full).isDirectory() || e.endsWith(".rego")) walk(full);
      }
    } else files.push(p);
  };
  paths.forEach(walk);
  if (!files.length) throw new UsageError(`no .rego files found in ${paths.join(", ")}`);
  return files.map((file) => ({ file, text: fs.readFileSync(file, "utf8") }));
}

interface BuildOptions {
  builtins?: string[];
  entrypoint: string[];
  output?: string;
  emit: string;
  dumpStages?: boolean;
  v0Compatible?: boolean;
}

type IO = { out: NodeJS.WritableStream; err: NodeJS.WritableStream };

function version(): string {
  try {
    return (require("../../package.json") as { version: string }).version;
  } catch {
    return require("../../../package.json").version as string;
  }
}

const collectList = (v: string, prev: string[] = []) => [...prev, v];

/** Runs the CLI with argv (without node and script); returns the exit code. */
export function main(argv: string[], io: IO = { out: process.stdout, err: process.stderr }): number {
  const program = new Command("rego-wasm")
    .description("Compile Rego v1 policies to OPA WebAssembly, and test, evaluate and check them")
    .version(version(), "-V, --version")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) });
  let code = 0;
  program
    .command("build")
    .description("compile Rego files or directories (all *.rego below them)")
    .argument("<paths...>", "Rego files or directories")
    .requiredOption(
      "-e, --entrypoint <path>",
      "entrypoint below data, e.g. residency_guard/findings (repeatable)",
      collectList,
    )
    .option("-o, --output <file>", "output file (default: stdout for --emit ir, policy.wasm for wasm)")
    .option("--emit <kind>", "what to write: wasm or ir", "wasm")
    .option("--dump-stages", "print the program after each compiler stage to stderr")
    .option("--v0-compatible", "parse Rego v0 syntax (bodies without if, p[x] { ... } partial sets), as opa's flag")
    .option(
      "--builtins <file.js>",
      "custom builtins: a JS module exporting { name: fn | { arity, impl } } (repeatable)",
      collectList,
    )
    .action((paths: string[], opts: BuildOptions) => {
      code = build(paths, opts, io);
    });
  program
    .command("test")
    .description(
      "run Rego tests (rules named test_*; todo_test_* are skipped) found in the files and directories, " +
        "with every .json/.yaml file below them loaded as data under its directory's path, as opa test does. " +
        "Exit 0 when all pass, 2 when any fails, errors or is skipped, 1 when the policy does not load or compile",
    )
    .argument("<paths...>", "Rego and data files or directories")
    .option("-r, --run <regex>", "run only tests whose full name (data.pkg.test_x) matches")
    .option("-v, --verbose", "print every test, print() output, and why each failing test failed")
    .option("-f, --format <format>", "pretty or json", "pretty")
    .option("--bench", "benchmark passing tests (mean ns per evaluation)")
    .option("-z, --exit-zero-on-skipped", "skipped tests do not make the exit code non-zero")
    .option("--strict-builtin-errors", "abort on the first builtin error (default: the call is undefined, as in opa)")
    .option("--ignore <glob>", "skip files and directories matching the glob (repeatable)", collectList)
    .option("--v0-compatible", "parse Rego v0 syntax (bodies without if, p[x] { ... } partial sets), as opa's flag")
    .option(
      "--builtins <file.js>",
      "custom builtins: a JS module exporting { name: fn | { arity, impl } } (repeatable)",
      collectList,
    )
    .action((paths: string[], opts: TestCliOptions) => {
      code = test(paths, opts, io);
    });
  program
    .command("eval")
    .description(
      "evaluate a query (e.g. data.x.allow, or x := data.a[_]; x > 1) and print it as opa eval --format json does",
    )
    .argument("<query>", "Rego query")
    .option("-d, --data <path>", "Rego or data file or directory (repeatable)", collectList)
    .option("-i, --input <file>", "input document (JSON or YAML)")
    .option("--fail", "exit 1 when the query is undefined")
    .option("--fail-defined", "exit 1 when the query is defined")
    .option("--strict-builtin-errors", "abort on the first builtin error (default: the call is undefined, as in opa)")
    .option("--ignore <glob>", "skip files and directories matching the glob (repeatable)", collectList)
    .option("--v0-compatible", "parse Rego v0 syntax (bodies without if, p[x] { ... } partial sets), as opa's flag")
    .option(
      "--builtins <file.js>",
      "custom builtins: a JS module exporting { name: fn | { arity, impl } } (repeatable)",
      collectList,
    )
    .action((query: string, opts: EvalCliOptions) => {
      code = evaluate(query, opts, io);
    });
  program
    .command("check")
    .description("parse and check Rego files, reporting every error; exit 1 when there is any")
    .argument("<paths...>", "Rego files or directories")
    .option("-f, --format <format>", "pretty or json", "pretty")
    .option("--ignore <glob>", "skip files and directories matching the glob (repeatable)", collectList)
    .option("--v0-compatible", "parse Rego v0 syntax (bodies without if, p[x] { ... } partial sets), as opa's flag")
    .option(
      "--builtins <file.js>",
      "custom builtins: a JS module exporting { name: fn | { arity, impl } } (repeatable)",
      collectList,
    )
    .action((paths: string[], opts: { format: string; ignore?: string[]; builtins?: string[] }) => {
      code = check(paths, opts, io);
    });
  try {
    program.parse(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return code;
}

interface TestCliOptions {
  builtins?: string[];
  run?: string;
  verbose?: boolean;
  format: string;
  bench?: boolean;
  exitZeroOnSkipped?: boolean;
  ignore?: string[];
  strictBuiltinErrors?: boolean;
  v0Compatible?: boolean;
}

interface EvalCliOptions {
  builtins?: string[];
  data?: string[];
  input?: string;
  fail?: boolean;
  failDefined?: boolean;
  ignore?: string[];
  strictBuiltinErrors?: boolean;
  v0Compatible?: boolean;
}

function usage(io: IO, message: string): number {
  io.err.write(`rego-wasm: ${message}\n`);
  return 2;
}

/** Renders compile errors with source lines; `opa`-style header when there are several. */
function reportDiagnostics(io: IO, diags: Diagnostic[], sources: Source[], extra: Record<string, string> = {}): void {
  const texts: Record<string, string> = { ...extra };
  for (const s of sources) texts[s.file] = s.text;
  if (diags.length > 1) io.err.write(`${diags.length} errors occurred:\n`);
  io.err.write(diags.map((d) => renderDiagnostic(d, texts[d.loc.file])).join("\n") + "\n");
}

function builtinsOrReport(io: IO, files?: string[]): CustomBuiltins | number {
  try {
    return loadCustomBuiltins(files);
  } catch (e) {
    if (e instanceof LoadError) return usage(io, e.message);
    throw e;
  }
}

function loadOrReport(io: IO, paths: string[], ignore?: string[], v0?: boolean): ReturnType<typeof loadPaths> | number {
  try {
    const loaded = loadPaths(paths, { ignore });
    if (v0) for (const s of loaded.sources) s.v0 = true;
    return loaded;
  } catch (e) {
    if (e instanceof LoadError) {
      io.err.write(`rego-wasm: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function test(paths: string[], opts: TestCliOptions, io: IO): number {
  if (opts.format !== "pretty" && opts.format !== "json")
    return usage(io, `--format must be pretty or json, got ${opts.format}`);
  let run: RegExp | undefined;
  try {
    run = opts.run !== undefined ? new RegExp(opts.run) : undefined;
  } catch (e) {
    return usage(io, `--run: ${(e as Error).message}`);
  }
  const loaded = loadOrReport(io, paths, opts.ignore, opts.v0Compatible);
  if (typeof loaded === "number") return loaded;
  const builtins = builtinsOrReport(io, opts.builtins);
  if (typeof builtins === "number") return builtins;
  let report;
  try {
    report = runTests(loaded.sources, {
      run,
      data: loaded.data,
      explain: opts.verbose,
      bench: opts.bench,
      builtins,
      strictBuiltinErrors: opts.strictBuiltinErrors,
    });
  } catch (e) {
    if (e instanceof CompileError) {
      reportDiagnostics(io, e.diagnostics, loaded.sources);
      return 1;
    }
    throw e;
  }
  const { results } = report;
  if (opts.format === "json") io.out.write(jsonReport(results));
  else {
    const bench = opts.bench ? new Map(results.filter((r) => r.iterations).map((r) => [r, r.iterations!])) : undefined;
    io.out.write(prettyReport(results, { verbose: opts.verbose, bench }));
  }
  const bad = results.some((r) => !passed(r) && !(r.skip && opts.exitZeroOnSkipped));
  return bad ? 2 : 0;
}

function evaluate(query: string, opts: EvalCliOptions, io: IO): number {
  const loaded = loadOrReport(io, opts.data ?? [], opts.ignore, opts.v0Compatible);
  if (typeof loaded === "number") return loaded;
  const builtins = builtinsOrReport(io, opts.builtins);
  if (typeof builtins === "number") return builtins;
  let input: unknown;
  if (opts.input !== undefined) {
    try {
      input = readDataFile(opts.input);
    } catch (e) {
      if (e instanceof LoadError) return usage(io, e.message);
      throw e;
    }
  }
  try {
    const out = evaluateQuery(loaded.sources, query, {
      data: mergeData({}, loaded.data, "", []) as Record<string, unknown>,
      input,
      builtins,
      strictBuiltinErrors: opts.strictBuiltinErrors,
    });
    io.out.write(JSON.stringify(out, null, 2) + "\n");
    const defined = out.result !== undefined;
    if ((opts.fail && !defined) || (opts.failDefined && defined)) return 1;
    return 0;
  } catch (e) {
    if (e instanceof CompileError) {
      reportDiagnostics(io, e.diagnostics, loaded.sources, { [QUERY_FILE]: query });
      return 1;
    }
    io.err.write(`rego-wasm: ${errorText(e)}\n`);
    return 1;
  }
}

function check(
  paths: string[],
  opts: { format: string; ignore?: string[]; builtins?: string[]; v0Compatible?: boolean },
  io: IO,
): number {
  if (opts.format !== "pretty" && opts.format !== "json")
    return usage(io, `--format must be pretty or json, got ${opts.format}`);
  let sources: Source[];
  try {
    sources = loadPaths(paths, { ignore: opts.ignore, data: false }).sources;
    if (opts.v0Compatible) for (const s of sources) s.v0 = true;
  } catch (e) {
    if (e instanceof LoadError) return usage(io, e.message);
    throw e;
  }
  const custom = builtinsOrReport(io, opts.builtins);
  if (typeof custom === "number") return custom;
  const diags = checkSources(sources, custom.decls);
  if (opts.format === "json") {
    if (diags.length) {
      const errors = diags.map((d) => ({
        message: d.message,
        code: d.code,
        location: { file: d.loc.file, row: d.loc.line, col: d.loc.col },
      }));
      io.out.write(JSON.stringify({ errors }, null, 2) + "\n");
    }
  } else if (diags.length) reportDiagnostics(io, diags, sources);
  return diags.length ? 1 : 0;
}

function build(paths: string[], opts: BuildOptions, io: IO): number {
  if (opts.emit !== "wasm" && opts.emit !== "ir") {
    io.err.write(`rego-wasm: --emit must be wasm or ir, got ${opts.emit}\n`);
    return 2;
  }
  let sources: Source[];
  try {
    sources = collectSources(paths);
    if (opts.v0Compatible) for (const s of sources) s.v0 = true;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err.write(`rego-wasm: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const entrypoints = opts.entrypoint.map((e) => e.replace(/^data[./]/, "").replace(/\./g, "/"));
  const custom = builtinsOrReport(io, opts.builtins);
  if (typeof custom === "number") return custom;
  const options = { entrypoints, dumpStages: opts.dumpStages ? true : undefined, customBuiltins: custom.decls };
  try {
    if (opts.emit === "ir") {
      const text = printPolicy(compileToIR(sources, options));
      if (opts.output) fs.writeFileSync(opts.output, text);
      else io.out.write(text);
    } else {
      const { wasm } = compile(sources, options);
      const out = opts.output ?? "policy.wasm";
      fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      fs.writeFileSync(out, wasm);
    }
    return 0;
  } catch (e) {
    if (e instanceof CompileError) {
      const texts = Object.fromEntries(sources.map((s) => [s.file, s.text]));
      io.err.write(renderCompileError(e, texts) + "\n");
      return 1;
    }
    throw e;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
