// End-to-end gate benchmark: generates `terraform show -json` plans of 1k, 10k and 50k resources,
// then times `residency-guard check` (in-process run(), cold process per sample) next to a bare
// JSON.parse of the same file, and prints peak memory against the file size.
// Usage: npm run bench:gate [-- --sizes 1000,10000 --samples 3 --shape compact|realistic --policy other.wasm]
// (--shape realistic writes every provider schema attribute, as real plans are; default compact)
// (default policy: dist/policies/residency-guard.wasm from `npm run build:policies`)
// Each measurement runs in its own child process so one does not inherit the other's heap.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ProfileName } from "../src/core/findings";
import type { GuardInput } from "../src/inputs/types";

interface Sample {
  ms: number;
  /** Peak resident set size of the child, bytes. */
  peakRss: number;
  /** RSS just before the measured work started (after module loading), bytes. */
  baseRss: number;
  exitCode?: number;
  phases?: Record<string, number>;
}

/** Plan shapes the benchmark can generate. */
export type PlanShape = "compact" | "realistic";

/** Attribute schema of the provider as test/scenarios/schema/aws.json records it (k: kind, f: c/co/o/r). */
interface AttrSchema {
  k: string;
  f: string;
  n?: Record<string, AttrSchema>;
}

let schemas: Record<string, Record<string, AttrSchema>> | undefined;

/** The hashicorp/aws schema extract of the scenario corpus (a data file, read, not imported). */
function providerSchema(type: string): Record<string, AttrSchema> {
  schemas ??= JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", "test", "scenarios", "schema", "aws.json"), "utf8"),
  ) as Record<string, Record<string, AttrSchema>>;
  const s = schemas[type];
  if (!s) throw new Error(`no provider schema for ${type}`);
  return s;
}

/**
 * Every schema attribute of a resource, as `terraform show -json` writes a planned create:
 * configured values, `region` filled from the provider, computed attributes unknown (left out
 * of the values, true in after_unknown), unset blocks as empty lists, other unset arguments null;
 * keys in lexical order as cty writes them. `unknown` names configured arguments whose value is
 * unknown at plan (references to computed attributes).
 */
function fullValues(
  type: string,
  given: Record<string, unknown>,
  region: string,
  unknown: string[],
): { values: Record<string, unknown>; afterUnknown: Record<string, unknown>; sensitive: Record<string, unknown> } {
  const values: Record<string, unknown> = {};
  const afterUnknown: Record<string, unknown> = {};
  const sensitive: Record<string, unknown> = {};
  const schema = providerSchema(type);
  for (const k of Object.keys(schema).sort()) {
    const a = schema[k]!;
    const container =
      a.k === "blocks" || a.k === "list" || a.k === "set" ? [] : a.k === "map" || a.k === "object" ? {} : null;
    if (unknown.includes(k) || (!(k in given) && k !== "region" && a.f.startsWith("c"))) {
      afterUnknown[k] = true;
      if (container !== null) sensitive[k] = container;
      continue;
    }
    values[k] = k in given ? given[k] : k === "region" ? region : a.k === "blocks" ? [] : null;
    if (container !== null && values[k] !== null) sensitive[k] = Array.isArray(values[k]) ? [] : {};
  }
  return { values, afterUnknown, sensitive };
}

/**
 * A plan with `n` resources in groups of four: personal-data bucket, role, role policy, training
 * notebook. `compact` writes only the configured values (~0.9 KB per resource); `realistic` writes
 * every attribute of the provider schema like `terraform show -json` (~2 KB per resource, the
 * size of real plans). Both shapes hold the same resources, references and tags.
 */
export function generatePlan(n: number, shape: PlanShape = "compact"): string {
  const plannedResources: unknown[] = [];
  const changes: unknown[] = [];
  const configResources: unknown[] = [];
  const add = (
    type: string,
    name: string,
    given: Record<string, unknown>,
    provider: string,
    expressions: Record<string, unknown>,
  ) => {
    const address = `${type}.${name}`;
    let values = given;
    let afterUnknown: Record<string, unknown> = { arn: true, id: true, tags_all: true };
    let sensitive: Record<string, unknown> = {};
    if (shape === "realistic") {
      const region = provider === "aws.us" ? "us-east-1" : "ap-northeast-2";
      // Arguments set from references to computed attributes are unknown at plan.
      const fromRefs = Object.keys(expressions).filter((k) => !(k in given));
      ({ values, afterUnknown, sensitive } = fullValues(type, given, region, fromRefs));
    }
    plannedResources.push({
      address,
      mode: "managed",
      type,
      name,
      provider_name: "registry.terraform.io/hashicorp/aws",
      schema_version: 0,
      values,
      sensitive_values: sensitive,
    });
    changes.push({
      address,
      mode: "managed",
      type,
      name,
      provider_name: "registry.terraform.io/hashicorp/aws",
      change: {
        actions: ["create"],
        before: null,
        after: values,
        after_unknown: afterUnknown,
        before_sensitive: false,
        after_sensitive: sensitive,
      },
    });
    configResources.push({
      address,
      mode: "managed",
      type,
      name,
      provider_config_key: provider,
      expressions,
      schema_version: 0,
    });
  };
  for (let i = 0; plannedResources.length < n; i++) {
    const personal = i % 2 === 0;
    const provider = i % 3 === 0 ? "aws.us" : "aws";
    const tags = { DataClassification: personal ? "personal" : "public", Team: `team-${i % 17}` };
    add("aws_s3_bucket", `data_${i}`, { bucket: `data-${i}`, force_destroy: false, tags }, provider, {
      bucket: { constant_value: `data-${i}` },
      tags: { constant_value: tags },
    });
    if (plannedResources.length >= n) break;
    add("aws_iam_role", `role_${i}`, { name: `role-${i}`, assume_role_policy: "{}", tags: {} }, "aws", {
      name: { constant_value: `role-${i}` },
    });
    if (plannedResources.length >= n) break;
    add("aws_iam_role_policy", `read_${i}`, { name: `read-${i}` }, "aws", {
      role: { references: [`aws_iam_role.role_${i}.id`, `aws_iam_role.role_${i}`] },
      policy: { references: [`aws_s3_bucket.data_${i}.arn`, `aws_s3_bucket.data_${i}`] },
    });
    if (plannedResources.length >= n) break;
    add(
      "aws_sagemaker_notebook_instance",
      `train_${i}`,
      { name: `train-${i}`, instance_type: "ml.p4d.24xlarge", tags: { Purpose: "training" } },
      provider,
      { role_arn: { references: [`aws_iam_role.role_${i}.arn`, `aws_iam_role.role_${i}`] } },
    );
  }
  return JSON.stringify({
    format_version: "1.2",
    terraform_version: "1.9.5",
    planned_values: { root_module: { resources: plannedResources } },
    resource_changes: changes,
    configuration: {
      provider_config: {
        aws: {
          name: "aws",
          full_name: "registry.terraform.io/hashicorp/aws",
          expressions: { region: { constant_value: "ap-northeast-2" } },
        },
        "aws.us": {
          name: "aws",
          full_name: "registry.terraform.io/hashicorp/aws",
          alias: "us",
          expressions: { region: { constant_value: "us-east-1" } },
        },
      },
      root_module: { resources: configResources },
    },
  });
}

/** Runs one measurement in a fresh process; null when it exceeds `timeoutMs`. */
function child(mode: "parse" | "gate", file: string, timeoutMs: number): Sample | null {
  let out: string;
  try {
    out = execFileSync(process.execPath, [...process.execArgv, __filename, "--child", mode, file], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: "1" },
      timeout: timeoutMs,
      killSignal: "SIGKILL",
    });
  } catch (err) {
    const e = err as { signal?: string; stdout?: string; stderr?: string; message: string };
    if (e.signal === "SIGKILL") return null;
    // A gate that exits 2 still prints its sample; anything else is a bench failure.
    if (!e.stdout) throw new Error(`${mode} child failed: ${e.stderr || e.message}`);
    out = e.stdout;
  }
  const line = out.trim().split("\n").pop() ?? "";
  return JSON.parse(line) as Sample;
}

async function childMain(mode: string, file: string): Promise<void> {
  if (mode === "parse") {
    const baseRss = process.memoryUsage().rss;
    const t0 = performance.now();
    const doc = JSON.parse(fs.readFileSync(file, "utf8"));
    const ms = performance.now() - t0;
    if (!doc) throw new Error("empty plan");
    const peakRss = process.resourceUsage().maxRSS * 1024;
    process.stdout.write(JSON.stringify({ ms, peakRss, baseRss } satisfies Sample) + "\n");
    return;
  }
  const { run } = require("../src/cli/run") as typeof import("../src/cli/run");
  const { defaultDeps } = require("../src/cli/deps") as typeof import("../src/cli/deps");
  // Load the engine and reader modules before the clock starts, as node does for the real CLI.
  require("../src/engine");
  require("../src/inputs");
  const phases: Record<string, number> = {};
  const timed =
    <A extends unknown[], R>(name: string, fn: (...a: A) => R) =>
    async (...a: A): Promise<Awaited<R>> => {
      const t = performance.now();
      const r = await fn(...a);
      phases[name] = (phases[name] ?? 0) + (performance.now() - t);
      return r;
    };
  const timedSync =
    <A extends unknown[], R>(name: string, fn: (...a: A) => R) =>
    (...a: A): R => {
      const t = performance.now();
      const r = fn(...a);
      phases[name] = (phases[name] ?? 0) + (performance.now() - t);
      return r;
    };
  const deps = {
    readInputPath: timed("read", defaultDeps.readInputPath),
    readInputText: timed("read", defaultDeps.readInputText),
    loadGuard: async (o: Parameters<typeof defaultDeps.loadGuard>[0]) => {
      const guard = await timed("loadPolicy", defaultDeps.loadGuard)(o);
      // Time evaluation separately from report rendering.
      return {
        ...guard,
        policySha256: guard.policySha256,
        policyFile: guard.policyFile,
        rules: () => guard.rules(),
        compare: (i: GuardInput) => guard.compare(i),
        evaluate: timedSync("evaluate", (i: GuardInput, p?: ProfileName) => guard.evaluate(i, p)),
      };
    },
  };
  const report = path.join(os.tmpdir(), `rg-bench-${process.pid}.json`);
  let stderr = "";
  const baseRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const exitCode = await run(
    [
      "check",
      file,
      "--format",
      "json",
      "--output",
      report,
      ...(process.env.RG_BENCH_POLICY ? ["--policy", process.env.RG_BENCH_POLICY] : []),
    ],
    {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      readStdin: async () => "",
      cwd: process.cwd(),
      env: { NO_COLOR: "1" },
    },
    deps,
  );
  const ms = performance.now() - t0;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  fs.rmSync(report, { force: true });
  if (exitCode === 2) {
    process.stderr.write(stderr);
    process.exitCode = 2;
  }
  phases.report = ms - (phases.read ?? 0) - (phases.loadPolicy ?? 0) - (phases.evaluate ?? 0);
  process.stdout.write(JSON.stringify({ ms, peakRss, baseRss, exitCode, phases } satisfies Sample) + "\n");
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (b: number) => (b / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--child") return childMain(args[1]!, args[2]!);
  const opt = (name: string, def: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1]! : def;
  };
  const sizes = opt("--sizes", "1000,10000,50000").split(",").map(Number);
  const samples = Number(opt("--samples", "3"));
  const timeoutMs = Number(opt("--timeout", "300")) * 1000;
  const policy = opt("--policy", "");
  const shape = opt("--shape", "compact");
  if (shape !== "compact" && shape !== "realistic")
    throw new Error(`--shape must be compact or realistic, not ${shape}`);
  if (policy) process.env.RG_BENCH_POLICY = path.resolve(policy);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rg-bench-gate-"));
  const [l1, l5] = os.loadavg();
  console.log(
    `residency-guard gate benchmark: node ${process.version}, ${os.cpus().length} CPUs, load ${l1!.toFixed(1)}/${l5!.toFixed(1)}, ` +
      `median of ${samples} cold runs, ${timeoutMs / 1000} s limit per run, ${shape} plans` +
      (shape === "compact" ? " (configured values only)" : " (every provider schema attribute)"),
  );
  const cols: Array<[string, number]> = [
    ["resources", 9],
    ["file MB", 8],
    ["parse ms", 9],
    ["gate ms", 10],
    ["ratio", 7],
    ["read", 8],
    ["policy", 7],
    ["evaluate", 10],
    ["report", 7],
    ["parse MB", 9],
    ["gate MB", 8],
    ["gate/file", 10],
    ["exit", 5],
  ];
  const row = (cells: string[]) => console.log(cells.map((c, i) => c.padStart(cols[i]![1])).join(" "));
  row(cols.map(([name]) => name));
  let timedOut = false;
  try {
    for (const n of sizes) {
      const file = path.join(dir, `plan-${n}.json`);
      fs.writeFileSync(file, generatePlan(n, shape));
      const size = fs.statSync(file).size;
      const parse: Sample[] = [];
      const gate: Sample[] = [];
      for (let s = 0; s < samples && !timedOut; s++) {
        const p = child("parse", file, timeoutMs);
        if (p) parse.push(p);
        const g = timedOut ? null : child("gate", file, timeoutMs);
        if (g) gate.push(g);
        else timedOut = true;
      }
      const parseMs = parse.length ? median(parse.map((p) => p.ms)) : NaN;
      const parseMem = parse.length ? median(parse.map((p) => p.peakRss - p.baseRss)) : NaN;
      if (gate.length === 0) {
        const why = timedOut ? `> ${timeoutMs / 1000} s` : "not run";
        row([String(n), mb(size), parseMs.toFixed(1), why, "-", "-", "-", "-", "-", mb(parseMem), "-", "-", "-"]);
        continue;
      }
      const gateMs = median(gate.map((g) => g.ms));
      const phase = (name: string) => median(gate.map((g) => g.phases?.[name] ?? 0)).toFixed(0);
      // Memory is the peak RSS growth over the RSS before the measured work (module code excluded).
      const gateMem = median(gate.map((g) => g.peakRss - g.baseRss));
      row([
        String(n),
        mb(size),
        parseMs.toFixed(1),
        gateMs.toFixed(1),
        (gateMs / parseMs).toFixed(1),
        phase("read"),
        phase("loadPolicy"),
        phase("evaluate"),
        phase("report"),
        mb(parseMem),
        mb(gateMem),
        (gateMem / size).toFixed(1),
        String(gate[0]?.exitCode ?? "?"),
      ]);
    }
    console.log(
      "ratio = gate ms / parse ms (issue #12 aims: <= 2 at 10k, <= 2.5 at 50k); gate/file = peak RSS growth / file size (aim: < 5)",
    );
    console.log(
      "phases in ms: read = reader (file + JSON + input document), policy = Wasm load + data, evaluate = policy",
    );
    console.log(
      "evaluation, report = JSON report rendering and writing. Exit 1 is expected (the plans hold violations).",
    );
    if (timedOut) console.log("a run over the limit stops the larger sizes (raise it with --timeout <seconds>)");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module)
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
