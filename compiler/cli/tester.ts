// `rego-wasm test`: OPA's `opa test` workflow on compiled Wasm. Test rules (`test_*`, and
// `todo_test_*` reported as skipped) are found in every module, renamed apart when a package
// defines one several times (`test_x#01`, as opa does), compiled together as one entrypoint
// each, and evaluated one at a time through @open-policy-agent/opa-wasm. A test passes when
// its value is `true`; undefined or any other value fails it; an evaluation error is ERROR.
import { loadPolicySync } from "@open-policy-agent/opa-wasm";
import { CompileError, DiagnosticCode, type Diagnostic } from "../diagnostics";
import { compileModules, parseSources, requiredMemoryPages, type Source } from "../index";
import type { Location, Module, Rule, Term } from "../syntax/ast";
import { hostImpls, type CustomBuiltins } from "./custom-builtins";
import { explainFailure, type Explanation } from "./explain";

/** Prefix of test rule names. */
export const TEST_PREFIX = "test_";
/** Prefix of tests that are reported as skipped. */
export const SKIP_PREFIX = "todo_test_";

/** One discovered test rule. */
export interface TestCase {
  module: Module;
  rule: Rule;
  /** `data.pkg` as opa prints it. */
  pkg: string;
  /** The rule's ref up to the test name, e.g. `test_x`, `test_x#01`, `p.q.test_y`. */
  name: string;
  /** Slash path of the entrypoint, below data. */
  entrypoint: string;
  skip: boolean;
}

/** The outcome of one test, in the fields of opa's tester.Result. */
export interface TestResult {
  location: { file: string; row: number; col: number };
  package: string;
  name: string;
  fail?: boolean;
  skip?: boolean;
  /** Evaluation error: OPA's code, the message, and where it was raised when the message says. */
  error?: { code: string; message: string; location?: { file: string; row: number; col: number } };
  /** Nanoseconds. */
  duration: number;
  /** What print() wrote. */
  output?: string;
  /** Partial-object tests: the value of each case (true passes). */
  subResults?: Record<string, boolean>;
  /** The value the test rule produced (undefined when it had none). */
  value?: unknown;
  /** --bench: how many evaluations the mean duration is over. */
  iterations?: number;
  /** -v: where a failing test stopped and the values bound before it. */
  explanation?: Explanation;
}

/** Options of runTests. */
export interface TestOptions {
  /** Only tests whose full name (`data.pkg.test_x`) matches. */
  run?: RegExp;
  /** Data document every test sees. */
  data?: Record<string, unknown>;
  /** Explain failing tests (compiles a probe per failure). */
  explain?: boolean;
  /** Benchmark: repeat each passing test for about 100 ms and keep the mean duration. */
  bench?: boolean;
  /** Custom builtins supplied by the host. */
  builtins?: CustomBuiltins;
  /**
   * Abort a test on the first builtin error (an ERROR). Default false, as `opa test`: a builtin
   * error makes its call undefined and evaluation goes on.
   */
  strictBuiltinErrors?: boolean;
}

/** Report of a test run: the results in file and rule order, and tests a compile error took out. */
export interface TestReport {
  results: TestResult[];
}

/** `data.a.b` / `data["x-y"]` text of a path, as OPA prints refs. */
export function refText(head: string, path: string[]): string {
  return head + path.map((p) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join("");
}

function groundPrefix(ref: Term[]): string[] {
  const out: string[] = [];
  for (const t of ref) {
    if (t.type !== "string") break;
    out.push(t.value);
  }
  return out;
}

/** The path up to and including the test segment, or undefined for rules that are not tests. */
function testRef(rule: Rule): { path: string[]; index: number } | undefined {
  if (rule.kind === "function") return undefined;
  const g = groundPrefix(rule.head.ref);
  const i = g.findIndex((n) => n.startsWith(TEST_PREFIX) || n.startsWith(SKIP_PREFIX));
  return i < 0 ? undefined : { path: g.slice(0, i + 1), index: i };
}

/**
 * Finds the tests of the modules and renames repeated test rules apart (`test_x#01`), in place,
 * so each definition is evaluated on its own as opa does.
 */
export function discoverTests(modules: Module[], run?: RegExp): TestCase[] {
  const seen = new Map<string, number>();
  const tests: TestCase[] = [];
  for (const m of modules) {
    for (const rule of m.rules) {
      const tr = testRef(rule);
      if (!tr) continue;
      const name = tr.path[tr.index];
      const key = [...m.package, ...tr.path].join("\u0000");
      const n = seen.get(key);
      seen.set(key, (n ?? 0) + 1);
      let path = tr.path;
      if (n !== undefined && name.startsWith(TEST_PREFIX)) {
        const renamed = `${name}#${String(n).padStart(2, "0")}`;
        const t = rule.head.ref[tr.index];
        rule.head.ref[tr.index] = { ...t, type: "string", value: renamed } as Term;
        path = [...tr.path.slice(0, -1), renamed];
      }
      const pkg = refText("data", m.package);
      const shown = refText(path[0], path.slice(1));
      if (run && !run.test(`${pkg}.${shown}`)) continue;
      tests.push({
        module: m,
        rule,
        pkg,
        name: shown,
        entrypoint: [...m.package, ...path].join("/"),
        skip: name.startsWith(SKIP_PREFIX),
      });
    }
  }
  return tests;
}

function contains(outer: Location, inner: Location): boolean {
  return outer.file === inner.file && inner.offset >= outer.offset && inner.offset < outer.offset + outer.length;
}

/**
 * Compiles the modules with every runnable test as an entrypoint. A construct this compiler does
 * not support inside a test rule takes only that test out (reported as an ERROR naming the
 * construct); any other compile error fails the whole run, as it fails `opa test`.
 */
function compileTests(
  modules: Module[],
  tests: TestCase[],
  customBuiltins: Record<string, number> | undefined,
  strictBuiltinErrors: boolean,
): { wasm?: Uint8Array; dropped: Map<TestCase, Diagnostic> } {
  const dropped = new Map<TestCase, Diagnostic>();
  for (;;) {
    const live = tests.filter((t) => !t.skip && !dropped.has(t));
    if (!live.length) return { dropped };
    try {
      // All tests share one module, whose constants can outgrow the SDK's default 5 pages: the
      // runner gives it what it needs (requiredMemoryPages), up to 1 GiB.
      const entrypoints = live.map((t) => t.entrypoint);
      const { wasm } = compileModules(modules, {
        entrypoints,
        customBuiltins,
        strictBuiltinErrors,
        memoryPages: 16384,
      });
      return { wasm, dropped };
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      const blamed = new Map<TestCase, Diagnostic>();
      for (const d of e.diagnostics) {
        const t = live.find((x) => contains(x.rule.loc, d.loc));
        if (!t || d.code !== DiagnosticCode.UnsupportedError) throw e;
        if (!blamed.has(t)) blamed.set(t, d);
      }
      for (const [t, d] of blamed) {
        dropped.set(t, d);
        t.module.rules = t.module.rules.filter((r) => r !== t.rule);
      }
    }
  }
}

/** Text of a thrown evaluation error (the SDK throws Error objects, strings or plain objects). */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (e && typeof e === "object" && "message" in e) return String((e as { message: unknown }).message);
  return String(e);
}

/** OPA error code of a runtime error message, when it names one. */
function errorCode(message: string): string {
  const m = /\b(eval_[a-z_]+|rego_[a-z_]+)\b/.exec(message);
  return m ? m[1] : "eval_error";
}

/**
 * OPA's error fields from a runtime error message: strict errors read
 * `file:row:col: eval_builtin_error: div: divide by zero` (prefixes such as `1 error occurred: ` are kept out).
 */
export function errorOf(text: string): NonNullable<TestResult["error"]> {
  const m = /([^\s:][^:]*):(\d+):(\d+): (eval_[a-z_]+|rego_[a-z_]+): ([\s\S]*)$/.exec(text);
  if (!m) return { code: errorCode(text), message: text };
  return { code: m[4], message: m[5], location: { file: m[1], row: Number(m[2]), col: Number(m[3]) } };
}

/** Runs print() capture around `f`: the SDK writes opa_println output with console.log. */
function capturePrint<T>(f: () => T): { value: T; output: string } {
  const lines: string[] = [];
  const saved = console.log;
  console.log = (...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  };
  try {
    const value = f();
    return { value, output: lines.length ? lines.join("\n") + "\n" : "" };
  } finally {
    console.log = saved;
  }
}

/** True when every leaf of a partial-object test is `true`; collects the leaves. */
function subResults(v: unknown, prefix: string[], out: Record<string, boolean>): boolean {
  if (v && typeof v === "object" && !Array.isArray(v)) {
    let ok = true;
    for (const [k, x] of Object.entries(v)) ok = subResults(x, [...prefix, k], out) && ok;
    return ok;
  }
  out[prefix.join("/")] = v === true;
  return v === true;
}

/**
 * Runs the tests of some Rego sources. Throws CompileError when the policy does not compile
 * (parse errors, type errors, unsafe variables...), as `opa test` exits 1 then.
 */
export function runTests(sources: Source[], options: TestOptions = {}): TestReport {
  const modules = parseSources(sources);
  const tests = discoverTests(modules, options.run);
  const strict = options.strictBuiltinErrors ?? false;
  const { wasm, dropped } = compileTests(modules, tests, options.builtins?.decls, strict);
  const data = options.data ?? {};
  const wasmModule = wasm ? new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>) : undefined;
  let policy: ReturnType<typeof loadPolicySync> | undefined;
  const load = () => {
    const memory = { initial: Math.max(5, requiredMemoryPages(wasm!)) };
    policy = loadPolicySync(wasmModule!, memory, hostImpls(options.builtins?.impls, strict));
    policy.setData(data);
    return policy;
  };
  const results: TestResult[] = [];
  for (const t of tests) {
    const base = {
      location: { file: t.rule.loc.file, row: t.rule.loc.line, col: t.rule.loc.col },
      package: t.pkg,
      name: t.name,
    };
    if (t.skip) {
      results.push({ ...base, skip: true, duration: 0 });
      continue;
    }
    const d = dropped.get(t);
    if (d) {
      const message = `${d.loc.file}:${d.loc.line}:${d.loc.col}: ${d.code}: ${d.message}`;
      results.push({ ...base, error: { code: d.code, message }, duration: 0 });
      continue;
    }
    const p = policy ?? load();
    let out: unknown;
    let err: unknown;
    let printed = "";
    const once = (): bigint => {
      const t0 = process.hrtime.bigint();
      const r = capturePrint(() => {
        try {
          return { ok: p.evaluate(undefined, t.entrypoint) as unknown };
        } catch (e) {
          return { err: e };
        }
      });
      const dt = process.hrtime.bigint() - t0;
      printed = r.output;
      if ("err" in r.value) err = r.value.err;
      else out = r.value.ok;
      return dt;
    };
    let duration = Number(once());
    let iterations: number | undefined;
    if (options.bench && err === undefined) {
      iterations = Math.min(100000, Math.max(1, Math.floor(1e8 / Math.max(duration, 1))));
      let total = 0n;
      for (let i = 0; i < iterations && err === undefined; i++) total += once();
      duration = Number(total / BigInt(iterations));
    }
    const result: TestResult = { ...base, duration };
    if (iterations !== undefined) result.iterations = iterations;
    if (printed) result.output = printed;
    if (err !== undefined) {
      const message = errorText(err);
      result.error = errorOf(message);
      // A trap may leave the instance in any state: the next test gets a fresh one.
      policy = undefined;
    } else {
      const rs = out as Array<{ result: unknown }>;
      if (!Array.isArray(rs) || rs.length === 0) result.fail = true;
      else {
        result.value = rs[0].result;
        if (t.rule.kind === "partial-object") {
          const subs: Record<string, boolean> = {};
          if (!subResults(result.value, [], subs)) result.fail = true;
          result.subResults = subs;
        } else if (result.value !== true) result.fail = true;
      }
      if (result.fail && options.explain)
        result.explanation = explainFailure(sources, t, data, options.builtins, strict);
    }
    results.push(result);
  }
  return { results };
}
