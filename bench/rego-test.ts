// `rego-wasm test policies/` benchmark: wall time of the whole command in a cold process
// (load, compile every test into one module, run), against a bare `node -e 0`, and the in-process
// split between compiling and running. Prints figures only; the target is under 5 s.
// Usage: npm run bench:rego-test [-- --runs 5 --path policies]

import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { loadPaths } from "../compiler/cli/load";
import { runTests } from "../compiler/cli/tester";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const root = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");
const runs = Number(arg("runs", "5"));
const target = path.resolve(root, arg("path", "policies"));
const cli = path.join(root, "dist/compiler/cli/main.js");

function wall(cmd: string, args: string[]): number {
  const t0 = process.hrtime.bigint();
  try {
    execFileSync(cmd, args, { stdio: "pipe" });
  } catch (e) {
    // Exit 2 (a failing test) still measures the run; anything else is a broken benchmark.
    if ((e as { status?: number }).status !== 2) throw e;
  }
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cold: number[] = [];
const bare: number[] = [];
for (let i = 0; i < runs; i++) {
  bare.push(wall(process.execPath, ["-e", "0"]));
  cold.push(wall(process.execPath, [cli, "test", "--strict-builtin-errors", target]));
}

// In process: loading and compiling dominate; the split shows where the time goes.
const loaded = loadPaths([target]);
const t0 = performance.now();
const report = runTests(loaded.sources, { data: loaded.data, strictBuiltinErrors: true });
const total = performance.now() - t0;
const evalMs = report.results.reduce((s, r) => s + (r.duration ?? 0), 0) / 1e6;

console.log(`rego-wasm test ${path.relative(root, target) || "."}: ${report.results.length} tests, ${runs} cold runs`);
console.log(
  `  cold process   median ${median(cold).toFixed(0)} ms (min ${Math.min(...cold).toFixed(0)}, max ${Math.max(...cold).toFixed(0)})`,
);
console.log(`  node -e 0      median ${median(bare).toFixed(0)} ms`);
console.log(
  `  in process     ${total.toFixed(0)} ms: compile ${(total - evalMs).toFixed(0)} ms, evaluate ${evalMs.toFixed(1)} ms`,
);
console.log(
  `  target         5000 ms: ${median(cold) < 5000 ? "met" : "NOT met"} (${(median(cold) / 5000).toFixed(2)}x)`,
);
