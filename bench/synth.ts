// Benchmark: `app.synth()` of a ~1,000-resource training stack with and without the
// residency guard. Each measured run builds a fresh App and synthesizes into a temporary
// directory; the guarded run includes loading the compiled policy (as one `cdktf synth` does).
// Runs alternate to spread machine noise; medians are reported. Prints figures, asserts nothing.
//
//   npm run bench:synth [-- --runs 7 --units 75 --profile kr-localization --policy path.wasm]

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { GpuTrainingFleet, PersonalDataset, PrivateTrainingNetwork } from "../stacks/constructs";
import { ResidencyGuard, type StackGuardResult } from "../src/synth";
import type { ProfileName } from "../src/core/findings";

interface Args {
  runs: number;
  units: number;
  profile: ProfileName;
  policy: string | undefined;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { runs: 7, units: 75, profile: "kr-localization", policy: undefined };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === "--runs") args.runs = Number(value);
    else if (argv[i] === "--units") args.units = Number(value);
    else if (argv[i] === "--profile") args.profile = value as ProfileName;
    else if (argv[i] === "--policy") args.policy = value;
    else continue;
    i++;
  }
  if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error("--runs must be a positive integer");
  if (!Number.isInteger(args.units) || args.units < 1) throw new Error("--units must be a positive integer");
  return args;
}

/** A stack of `units` datasets each trained on by a dedicated GPU host (13 resources per unit). */
class BenchStack extends TerraformStack {
  constructor(scope: App, units: number) {
    super(scope, "bench-training");
    new AwsProvider(this, "aws", { region: "ap-northeast-2" });
    const network = new PrivateTrainingNetwork(this, "network", { regionName: "ap-northeast-2" });
    for (let i = 0; i < units; i++) {
      const dataset = new PersonalDataset(this, `dataset-${i}`, { bucketName: `bench-dataset-${i}` });
      new GpuTrainingFleet(this, `fleet-${i}`, { dataset, network, tenancy: "dedicated" });
    }
  }
}

function resourceCount(outdir: string): number {
  const doc = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "bench-training", "cdk.tf.json"), "utf8"));
  return Object.values(doc.resource as Record<string, object>).reduce((n, byId) => n + Object.keys(byId).length, 0);
}

interface Run {
  ms: number;
  /** CPU time of this process (user + system): less sensitive than wall time to other load on the machine. */
  cpuMs: number;
  outdir: string;
  result?: StackGuardResult;
}

function runOnce(args: Args, guarded: boolean, keep = false): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "rg-bench-"));
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const app = new App({ outdir });
  const stack = new BenchStack(app, args.units);
  let failed: unknown;
  if (guarded) ResidencyGuard.attach(app, { profile: args.profile, policyFile: args.policy, log: () => undefined });
  try {
    app.synth();
  } catch (err) {
    failed = err;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const result = guarded ? ResidencyGuard.resultsOf(stack) : undefined;
  if (failed && !(guarded && result && result.results.length > 0)) throw failed;
  if (!keep) fs.rmSync(outdir, { recursive: true, force: true });
  return { ms, cpuMs, outdir, result };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  // Warm-up: JIT and module loading must not count against either side.
  const warm = runOnce(args, false, true);
  const resources = resourceCount(warm.outdir);
  fs.rmSync(warm.outdir, { recursive: true, force: true });
  const probe = runOnce(args, true);
  if (!probe.result || probe.result.results.length === 0) {
    throw new Error(`guard did not evaluate the stack: ${probe.result?.errors.join("; ") ?? "no result"}`);
  }

  const plainRuns: Run[] = [];
  const guardedRuns: Run[] = [];
  for (let i = 0; i < args.runs; i++) {
    plainRuns.push(runOnce(args, false));
    guardedRuns.push(runOnce(args, true));
  }
  const plain = plainRuns.map((r) => r.ms);
  const guarded = guardedRuns.map((r) => r.ms);
  const p = median(plain);
  const g = median(guarded);
  const pc = median(plainRuns.map((r) => r.cpuMs));
  const gc = median(guardedRuns.map((r) => r.cpuMs));
  const phase = (k: "read" | "toTerraform" | "load" | "evaluate") =>
    median(guardedRuns.map((r) => r.result!.timings[k])).toFixed(1);
  const reader = median(guardedRuns.map((r) => r.result!.timings.read - r.result!.timings.toTerraform)).toFixed(1);
  const summary = probe.result.results[0].summary;
  console.log(
    `synth benchmark: ${resources} resources (${args.units} units), profile ${args.profile}, ${args.runs} runs each`,
  );
  console.log(
    `  findings per run: ${summary.mandatory} mandatory, ${summary.advisory} advisory, ${summary.waived} waived`,
  );
  console.log(`  without guard: median ${p.toFixed(1)} ms  (runs: ${plain.map((x) => x.toFixed(0)).join(", ")})`);
  console.log(`  with guard:    median ${g.toFixed(1)} ms  (runs: ${guarded.map((x) => x.toFixed(0)).join(", ")})`);
  if (summary.mandatory > 0)
    console.log("  note: the stack fails the guard, so guarded runs stop before writing cdk.tf.json");
  console.log(`  ratio (wall):  ${(g / p).toFixed(3)}  (target < 1.10)`);
  console.log(`  cpu time:      without ${pc.toFixed(1)} ms, with ${gc.toFixed(1)} ms, ratio ${(gc / pc).toFixed(3)}`);
  console.log(
    `  guard phases (median ms): toTerraform+reader ${phase("read")} (toTerraform ${phase("toTerraform")}, reused by synthesis; reader ${reader}), policy load ${phase("load")}, evaluate ${phase("evaluate")}`,
  );
}

main();
