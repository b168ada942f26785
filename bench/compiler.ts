// Compiler benchmark: compile time of policies/ and of a generated policy (split into parse,
// parse+check+plan, and full compile), then evaluation time of compiled Wasm that filters 10k
// and 100k objects next to a plain JS loop computing the same answer. Prints figures only.
// Usage: npm run bench:compiler  (or npx tsx bench/compiler.ts [--samples 5] [--sizes 10000,100000])
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadPolicySync } from "@open-policy-agent/opa-wasm";
import { compile, compileToIR, parseSources, type Source } from "../compiler";
import { emitWasm } from "../compiler/wasm";
import { customBuiltins } from "../compiler/builtins/host";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const SAMPLES = Number(arg("samples", "5"));
const SIZES = arg("sizes", "10000,100000").split(",").map(Number);

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  return dir;
}

/** Median wall time of `run` over `n` samples, in milliseconds (after one warm-up). */
function time(n: number, run: () => void): number {
  run();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    run();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)];
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1)).padStart(8) + " ms";

function regoFiles(dir: string): Source[] {
  const out: Source[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) out.push(...regoFiles(p));
    else if (name.endsWith(".rego")) out.push({ file: path.relative(repoRoot(), p), text: fs.readFileSync(p, "utf8") });
  }
  return out;
}

/** A policy of `n` partial-set rules over input.resources, with helper functions and comprehensions. */
function generatedPolicy(n: number): Source[] {
  const lines = ["package gen", "", 'allowed_regions := {"ap-northeast-2", "ap-northeast-3"}', ""];
  lines.push("tagged(r, k) if r.tags[k]", "");
  lines.push("in_korea(r) if allowed_regions[r.region]", "");
  for (let i = 0; i < n; i++) {
    lines.push(
      `findings contains {"rule": "R${i}", "id": r.id} if {`,
      `  some r in input.resources`,
      `  r.type == "t${i % 17}"`,
      `  not in_korea(r)`,
      `  tagged(r, "k${i % 5}")`,
      `  names := [x | some x in r.names; startswith(x, "n${i % 3}")]`,
      `  count(names) > ${i % 4}`,
      `}`,
      "",
    );
  }
  return [{ file: "gen.rego", text: lines.join("\n") }];
}

function benchCompile(label: string, sources: Source[], entrypoints: string[]): void {
  const bytes = sources.reduce((a, s) => a + s.text.length, 0);
  console.log(`\n${label}: ${sources.length} file(s), ${bytes} bytes, entrypoints ${entrypoints.join(", ")}`);
  try {
    const parse = time(SAMPLES, () => parseSources(sources));
    const ir = time(SAMPLES, () => compileToIR(sources, { entrypoints }));
    const policy = compileToIR(sources, { entrypoints });
    let size = 0;
    const emit = time(SAMPLES, () => {
      size = emitWasm(policy).length;
    });
    const full = time(SAMPLES, () => compile(sources, { entrypoints }));
    console.log(`  parse            ${fmt(parse)}`);
    console.log(`  parse..plan (IR) ${fmt(ir)}`);
    console.log(`  emit Wasm        ${fmt(emit)}   (${size} bytes)`);
    console.log(`  full compile     ${fmt(full)}`);
  } catch (e) {
    console.log(`  compile failed: ${(e as Error).message.split("\n")[0]}`);
  }
}

const FILTER_POLICY = `package bench

# Names of personal-data jobs placed outside the Korean regions.
outside contains r.name if {
  some r in input.items
  r.personal == true
  not korea[r.region]
  r.size > 10
}

korea := {"ap-northeast-2", "ap-northeast-3"}

total := count(outside)
`;

interface Item {
  name: string;
  region: string;
  personal: boolean;
  size: number;
}

function items(n: number): Item[] {
  const regions = ["ap-northeast-2", "us-east-1", "eu-west-1", "ap-northeast-3", "ap-southeast-1"];
  return Array.from({ length: n }, (_, i) => ({
    name: `job-${i}`,
    region: regions[i % regions.length],
    personal: i % 3 !== 0,
    size: i % 50,
  }));
}

function jsFilter(input: { items: Item[] }): number {
  const korea = new Set(["ap-northeast-2", "ap-northeast-3"]);
  const out = new Set<string>();
  for (const r of input.items) if (r.personal === true && !korea.has(r.region) && r.size > 10) out.add(r.name);
  return out.size;
}

function benchEval(): void {
  console.log("\neval: filter personal-data jobs outside Korea (count of a partial set)");
  let wasm: Uint8Array;
  try {
    wasm = compile([{ file: "bench.rego", text: FILTER_POLICY }], { entrypoints: ["bench/total"] }).wasm;
  } catch (e) {
    console.log(`  compile failed: ${(e as Error).message.split("\n")[0]}`);
    return;
  }
  const policy = loadPolicySync(wasm, undefined, customBuiltins());
  console.log(
    `  ${"objects".padStart(8)}  ${"wasm eval".padStart(11)}  ${"JS loop".padStart(11)}  ${"ratio".padStart(7)}  ${"JSON.stringify".padStart(14)}`,
  );
  for (const n of SIZES) {
    const input = { items: items(n) };
    const want = jsFilter(input);
    const got = (policy.evaluate(input) as Array<{ result: number }>)[0]?.result;
    if (got !== want) {
      console.log(`  ${String(n).padStart(8)}  WRONG ANSWER: wasm ${JSON.stringify(got)}, JS ${want}`);
      continue;
    }
    const samples = n >= 100000 ? Math.max(1, Math.min(SAMPLES, 3)) : SAMPLES;
    const w = time(samples, () => policy.evaluate(input));
    const j = time(samples, () => jsFilter(input));
    // evaluate() serialises the input to JSON first; show that share separately
    const s = time(samples, () => JSON.stringify(input));
    console.log(
      `  ${String(n).padStart(8)}  ${fmt(w)}  ${fmt(j)}  ${(w / j).toFixed(1).padStart(6)}x  ${fmt(s).padStart(14)}`,
    );
  }
}

function main(): void {
  const [load] = os.loadavg();
  console.log(
    `compiler benchmark (median of ${SAMPLES} samples after a warm-up; node ${process.version}; load average ${load.toFixed(1)})`,
  );
  const policies = regoFiles(path.join(repoRoot(), "policies"));
  if (policies.length) benchCompile("policies/", policies, ["residency_guard/findings"]);
  else console.log("\npolicies/: no .rego files");
  benchCompile("generated (50 rules)", generatedPolicy(50), ["gen/findings"]);
  benchCompile("generated (300 rules)", generatedPolicy(300), ["gen/findings"]);
  benchEval();
}

main();
