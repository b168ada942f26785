// Test reports in opa test's two formats: the pretty text of `opa test [-v]` and the JSON
// array of `opa test --format json` (tester.Result fields: location, package, name, fail,
// skip, error, duration in nanoseconds, output in base64).
import type { TestResult } from "./tester";

/** Go's time.Duration.String() of a nanosecond count (`1.417µs`, `2.5ms`, `1m3.2s`), as opa prints durations. */
export function goDuration(ns: number): string {
  if (ns === 0) return "0s";
  const sign = ns < 0 ? "-" : "";
  const n = Math.abs(Math.round(ns));
  const frac = (v: number, unit: number, digits: number) => {
    const whole = Math.floor(v / unit);
    const rest = String(v % unit)
      .padStart(digits, "0")
      .replace(/0+$/, "");
    return rest ? `${whole}.${rest}` : String(whole);
  };
  if (n < 1e3) return `${sign}${n}ns`;
  if (n < 1e6) return `${sign}${frac(n, 1e3, 3)}µs`;
  if (n < 1e9) return `${sign}${frac(n, 1e6, 6)}ms`;
  const h = Math.floor(n / 3.6e12);
  const m = Math.floor((n % 3.6e12) / 6e10);
  const s = frac(n % 6e10, 1e9, 9);
  return `${sign}${h ? `${h}h` : ""}${h || m ? `${m}m` : ""}${s}s`;
}

/** PASS, FAIL, SKIPPED or ERROR. */
export function outcome(r: TestResult): "PASS" | "FAIL" | "SKIPPED" | "ERROR" {
  if (r.skip) return "SKIPPED";
  if (r.error) return "ERROR";
  return r.fail ? "FAIL" : "PASS";
}

/** True when the test passed (not failed, skipped or errored). */
export function passed(r: TestResult): boolean {
  return outcome(r) === "PASS";
}

function line(r: TestResult): string {
  if (r.skip) return `${r.package}.${r.name}: SKIPPED`;
  return `${r.package}.${r.name}: ${outcome(r)} (${goDuration(r.duration)})`;
}

function indent(text: string, n = 2): string {
  const pad = " ".repeat(n);
  return text
    .split("\n")
    .map((l) => (l ? pad + l : l))
    .join("\n");
}

function valueText(v: unknown): string {
  return v === undefined ? "undefined" : JSON.stringify(v);
}

function failureDetail(r: TestResult): string {
  const out: string[] = [`${r.location.file}:${r.location.row}: ${r.name} = ${valueText(r.value)}`];
  const ex = r.explanation;
  if (ex?.failedAt) {
    out.push(`stopped at ${ex.failedAt.file}:${ex.failedAt.row}:${ex.failedAt.col}:`);
    out.push(indent(ex.failedAt.text));
    if (ex.operands?.length) {
      out.push("where:");
      for (const o of ex.operands)
        out.push(indent(`${o.text} = ${"value" in o ? JSON.stringify(o.value) : "undefined"}`));
    }
  } else if (ex && !ex.unavailable) out.push("every literal of the body held; the value is not true");
  if (ex?.bindings?.length) {
    out.push(ex.bindings.length > 1 ? "after the literals before it, with each of:" : "after the literals before it:");
    for (const b of ex.bindings) {
      for (const [k, v] of Object.entries(b)) out.push(indent(`${k} = ${JSON.stringify(v)}`));
      if (ex.bindings.length > 1) out.push("");
    }
  }
  if (ex?.unavailable) out.push(`(${ex.unavailable})`);
  return indent(out.join("\n").replace(/\n+$/, ""));
}

/** Options of prettyReport. */
export interface PrettyOptions {
  verbose?: boolean;
  /** Benchmark lines instead of PASS lines for passing tests: `name  N  ns/op`. */
  bench?: Map<TestResult, number>;
}

/** opa test's text report: failing tests (every test with -v), a FAILURES section with -v, then the summary. */
export function prettyReport(results: TestResult[], options: PrettyOptions = {}): string {
  const out: string[] = [];
  let dirty = false;
  let lastFile = "";
  const failures: TestResult[] = [];
  let pass = 0;
  let fail = 0;
  let skip = 0;
  let errs = 0;
  for (const r of results) {
    if (r.skip) skip++;
    else if (r.error) errs++;
    else if (r.fail) {
      fail++;
      failures.push(r);
    } else pass++;
    const iters = options.bench?.get(r);
    if (passed(r) && iters !== undefined) {
      dirty = true;
      out.push(
        `${r.package}.${r.name}\t${String(iters).padStart(8)}\t${String(Math.round(r.duration)).padStart(12)} ns/op`,
      );
    } else if (options.verbose || !passed(r)) {
      if (r.location.file !== lastFile) {
        if (lastFile) out.push("");
        out.push(`${r.location.file}:`);
        lastFile = r.location.file;
      }
      dirty = true;
      out.push(line(r));
      for (const [k, ok] of Object.entries(r.subResults ?? {})) {
        if (!ok || options.verbose) out.push(indent(`${k}: ${ok ? "PASS" : "FAIL"}`));
      }
      if (r.output) {
        out.push("");
        out.push(indent(r.output.trim()));
        out.push("");
      }
    }
    if (r.error) {
      const l = r.error.location;
      out.push(indent(l ? `${l.file}:${l.row}:${l.col}: ${r.error.code}: ${r.error.message}` : r.error.message));
    }
  }
  if (fail > 0 && options.verbose) {
    out.push("-".repeat(80), "FAILURES", "-".repeat(80));
    for (const r of failures) {
      out.push(line(r), "", failureDetail(r), "");
    }
  }
  if (dirty) out.push("-".repeat(80));
  const total = results.length;
  if (pass) out.push(`PASS: ${pass}/${total}`);
  if (fail) out.push(`FAIL: ${fail}/${total}`);
  if (skip) out.push(`SKIPPED: ${skip}/${total}`);
  if (errs) out.push(`ERROR: ${errs}/${total}`);
  if (!total) out.push("no tests found");
  return out.join("\n") + "\n";
}

/** opa test --format json: an array of tester.Result objects, indented by two spaces. */
export function jsonReport(results: TestResult[]): string {
  const rows = results.map((r) => {
    const o: Record<string, unknown> = { location: r.location, package: r.package, name: r.name };
    if (r.error) o.error = r.error;
    if (r.subResults) {
      o.sub_results = Object.fromEntries(
        Object.entries(r.subResults).map(([k, ok]) => [k, ok ? { name: k } : { name: k, fail: true }]),
      );
    }
    o.duration = r.duration;
    if (r.output) o.output = Buffer.from(r.output, "utf8").toString("base64");
    if (r.fail) o.fail = true;
    if (r.skip) o.skip = true;
    if (r.explanation) o.explanation = r.explanation;
    return o;
  });
  return JSON.stringify(rows, null, 2) + "\n";
}
