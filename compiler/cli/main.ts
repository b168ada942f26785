#!/usr/bin/env node
// rego-wasm: compile Rego files to an OPA-ABI Wasm module (or print the IR).
//   rego-wasm build -e residency_guard/findings policies -o policy.wasm
// Exit 0 on success, 1 on compile errors (rendered with the source line and a caret), 2 on usage errors.
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommanderError } from "commander";
import { compile, compileToIR, CompileError, printPolicy, type Source } from "../index";
import { renderCompileError } from "../diagnostics";

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
  entrypoint: string[];
  output?: string;
  emit: string;
  dumpStages?: boolean;
}

/** Runs the CLI with argv (without node and script); returns the exit code. */
export function main(argv: string[], io = { out: process.stdout, err: process.stderr }): number {
  const program = new Command("rego-wasm")
    .description("Compile Rego v1 policies to OPA WebAssembly")
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
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option("-o, --output <file>", "output file (default: stdout for --emit ir, policy.wasm for wasm)")
    .option("--emit <kind>", "what to write: wasm or ir", "wasm")
    .option("--dump-stages", "print the program after each compiler stage to stderr")
    .action((paths: string[], opts: BuildOptions) => {
      code = build(paths, opts, io);
    });
  try {
    program.parse(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return code;
}

function build(
  paths: string[],
  opts: BuildOptions,
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): number {
  if (opts.emit !== "wasm" && opts.emit !== "ir") {
    io.err.write(`rego-wasm: --emit must be wasm or ir, got ${opts.emit}\n`);
    return 2;
  }
  let sources: Source[];
  try {
    sources = collectSources(paths);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err.write(`rego-wasm: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const entrypoints = opts.entrypoint.map((e) => e.replace(/^data[./]/, "").replace(/\./g, "/"));
  const options = { entrypoints, dumpStages: opts.dumpStages ? true : undefined };
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
