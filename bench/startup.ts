// Start-up benchmark: wall time of `residency-guard check` on a 20-resource plan against
// `node -e 0`, each in a fresh process, runs alternating so machine noise falls on both sides.
// Prints medians and the ratio (issue #12 aims at <= 2x); asserts nothing.
//
//   npm run bench:startup [-- --runs 15 --resources 20 --format json --baseline other/dist/src/cli/main.js]
// --baseline times a second build of the CLI in the same alternation (before/after figures).

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generatePlan } from "./gate";

interface Args {
  runs: number;
  resources: number;
  format: string;
  baseline: string | undefined;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { runs: 15, resources: 20, format: "json", baseline: undefined };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === "--runs") args.runs = Number(value);
    else if (argv[i] === "--resources") args.resources = Number(value);
    else if (argv[i] === "--format") args.format = String(value);
    else if (argv[i] === "--baseline") args.baseline = path.resolve(String(value));
    else continue;
    i++;
  }
  if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error("--runs must be a positive integer");
  if (!Number.isInteger(args.resources) || args.resources < 1)
    throw new Error("--resources must be a positive integer");
  return args;
}

/** CPU milliseconds (user + system) of this process's waited-for children; NaN off Linux. */
function childrenCpuMs(): number {
  try {
    // /proc/self/stat fields 16 and 17 (cutime, cstime) in clock ticks (USER_HZ, 100 on Linux).
    const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return NaN;
  }
}

interface Timing {
  ms: number;
  cpuMs: number;
}

/** Wall and CPU milliseconds of one child process; throws when it exits other than `expect`. */
function timed(argv: string[], expect: number[]): Timing {
  const cpu = childrenCpuMs();
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  if (r.status === null || !expect.includes(r.status)) {
    throw new Error(`${argv.join(" ")} exited ${r.status ?? r.signal}: ${r.stderr}`);
  }
  return { ms, cpuMs: childrenCpuMs() - cpu };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  // dist/bench/startup.js -> dist/src/cli/main.js, the `bin` users run.
  const cli = path.resolve(__dirname, "..", "src", "cli", "main.js");
  if (!fs.existsSync(cli)) throw new Error(`${cli} not found: run \`npm run build\` first`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rg-bench-startup-"));
  try {
    const plan = path.join(dir, "plan.json");
    fs.writeFileSync(plan, generatePlan(args.resources));
    const report = path.join(dir, `report.${args.format}`);
    const checkWith = (bin: string) => [bin, "check", plan, "--format", args.format, "--output", report, "--no-config"];
    const check = checkWith(cli);
    const other = args.baseline === undefined ? undefined : checkWith(args.baseline);
    // Warm the file system cache; these runs are not counted.
    timed(["-e", "0"], [0]);
    timed(check, [0, 1]);
    if (other) timed(other, [0, 1]);
    const bare: Timing[] = [];
    const gate: Timing[] = [];
    const base: Timing[] = [];
    for (let i = 0; i < args.runs; i++) {
      bare.push(timed(["-e", "0"], [0]));
      gate.push(timed(check, [0, 1]));
      if (other) base.push(timed(other, [0, 1]));
    }
    const [l1, l5] = os.loadavg();
    console.log(
      `start-up benchmark: node ${process.version}, ${os.cpus().length} CPUs, load ${l1!.toFixed(1)}/${l5!.toFixed(1)}, ` +
        `${args.resources}-resource plan, --format ${args.format}, ${args.runs} alternating cold runs each`,
    );
    const b = median(bare.map((t) => t.ms));
    const bc = median(bare.map((t) => t.cpuMs));
    const line = (label: string, ts: Timing[]) => {
      const ms = median(ts.map((t) => t.ms));
      const cpu = median(ts.map((t) => t.cpuMs));
      console.log(
        `  ${label.padEnd(22)} wall median ${ms.toFixed(1)} ms (ratio ${(ms / b).toFixed(2)}), ` +
          `cpu median ${cpu.toFixed(0)} ms (ratio ${(cpu / bc).toFixed(2)})  runs: ${ts.map((t) => t.ms.toFixed(0)).join(", ")}`,
      );
    };
    line("node -e 0:", bare);
    line("residency-guard check:", gate);
    if (other) line(`baseline:`, base);
    if (other) console.log(`  baseline = ${args.baseline}`);
    console.log("  target: check wall <= 2x node -e 0 (issue #12); cpu from /proc/self/stat (10 ms ticks)");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
