#!/usr/bin/env node
// Builds the prebuilt Wasm runtime from compiler/runtime/assembly with AssemblyScript and
// checks its imports and exports against compiler/abi/abi.ts and compiler/builtins/natives.ts.
// Usage: node compiler/runtime/build.js   (writes build/runtime.wasm and build/runtime.wat)
"use strict";

const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");
const { readSignatures } = require("./wasm-signatures");

const ROOT = path.resolve(__dirname, "..", "..");
const RUNTIME = __dirname;
const OUT = path.join(RUNTIME, "build");

/** Raised when the runtime fails to build or does not match the ABI. */
class RuntimeBuildError extends Error {}

/** Loads a TypeScript module without a build step (transpile-only, CommonJS). */
function loadTs(file) {
  const ts = require("typescript");
  const src = fs.readFileSync(file, "utf8");
  const js = ts.transpileModule(src, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
    fileName: file,
  }).outputText;
  const mod = { exports: {} };
  new Function("exports", "require", "module", js)(mod.exports, require, mod);
  return mod.exports;
}

function compile() {
  fs.mkdirSync(OUT, { recursive: true });
  const asc = require.resolve("assemblyscript/bin/asc.js", { paths: [ROOT] });
  const args = [
    asc,
    path.join(RUNTIME, "assembly", "index.ts"),
    "--outFile",
    path.join(OUT, "runtime.wasm"),
    "--textFile",
    path.join(OUT, "runtime.wat"),
    "--runtime",
    "stub",
    "--importMemory",
    "-O3",
    "--noAssert",
    "--use",
    "abort=compiler/runtime/assembly/alloc/asAbort",
    "--disable",
    "simd",
    "--noExportMemory",
    "--disableWarning",
    "201",
  ];
  const res = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
  if (res.status !== 0) {
    throw new RuntimeBuildError(`asc failed (exit ${res.status}):\n${res.stdout}\n${res.stderr}`);
  }
  if (res.stderr.trim()) process.stderr.write(res.stderr);
}

/** Checks the built module's imports and exports; returns a list of problems (empty if fine). */
function verify(bytes) {
  const abi = loadTs(path.join(ROOT, "compiler", "abi", "abi.ts"));
  const natives = loadTs(path.join(ROOT, "compiler", "builtins", "natives.ts"));
  const { imports, exports } = readSignatures(bytes);
  const problems = [];
  const allowedImports = new Map([
    ["memory", "memory"],
    [abi.HOST_IMPORTS.abort, "function"],
    [abi.HOST_IMPORTS.println, "function"],
  ]);
  for (const imp of imports) {
    if (imp.module !== "env" || allowedImports.get(imp.name) !== imp.kind) {
      problems.push(`unexpected import ${imp.module}.${imp.name} (${imp.kind})`);
    }
  }
  if (!imports.some((i) => i.module === "env" && i.name === "memory" && i.kind === "memory")) {
    problems.push("env.memory is not imported");
  }
  const byName = new Map(exports.map((e) => [e.name, e]));
  const check = (name, params, result) => {
    const e = byName.get(name);
    if (!e || e.kind !== "function") {
      problems.push(`missing export ${name}`);
      return;
    }
    const want = `(${params.join(",")}) -> ${result || "void"}`;
    const got = `(${e.params.join(",")}) -> ${e.result || "void"}`;
    if (want !== got) problems.push(`export ${name} has ${got}, want ${want}`);
  };
  for (const [name, fn] of Object.entries(abi.RUNTIME_FUNCTIONS)) check(name, fn.params, fn.result);
  for (const [rego, n] of Object.entries(natives.NATIVE_BUILTINS)) {
    if (!byName.has(n.symbol)) problems.push(`native builtin ${rego}: missing export ${n.symbol}`);
    else check(n.symbol, new Array(n.arity).fill("i32"), "i32");
  }
  for (const name of ["memory", "__new", "__alloc", "__pin", "__collect"]) {
    if (byName.has(name)) problems.push(`unexpected export ${name}`);
  }
  return problems;
}

function main() {
  compile();
  const bytes = fs.readFileSync(path.join(OUT, "runtime.wasm"));
  const problems = verify(bytes);
  if (problems.length) {
    throw new RuntimeBuildError(`runtime.wasm does not match the ABI:\n  ${problems.join("\n  ")}`);
  }
  process.stdout.write(`runtime.wasm: ${bytes.length} bytes, ABI check passed\n`);
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

module.exports = { verify, loadTs, RuntimeBuildError };
