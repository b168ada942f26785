// OPA conformance cases run through our compiler and @open-policy-agent/opa-wasm.
// Each case's query Q becomes a synthetic rule
//   package __conformance
//   result contains __b if { Q; __b := {"x": x, ...} }
// whose set of bindings is compared with want_result, ignoring the order of the bindings.
// Each binding travels with the type_name of every variable, so a variable bound to a set is
// compared without regard to order (sets and arrays both arrive as JSON arrays); values
// nested inside a binding are compared strictly (the runtime dumps sets sorted, as OPA does).
import * as fs from "fs";
import * as path from "path";
import { loadPolicySync } from "@open-policy-agent/opa-wasm";
import { parse as parseYaml } from "yaml";
import { compile, CompileError } from "../../compiler";
import { customBuiltins } from "../../compiler/builtins/host";
import { parseQuery } from "../../compiler/syntax";
import type { Body, Term } from "../../compiler/syntax/ast";

/** One conformance case as written in the YAML files. */
export interface ConformanceCase {
  note: string;
  query: string;
  modules?: string[];
  data?: unknown;
  input?: unknown;
  input_term?: string;
  want_result?: Array<Record<string, unknown>>;
  want_error?: string;
  want_error_code?: string;
  strict_error?: boolean;
  sort_bindings?: boolean;
  /** Set by the loader: path of the YAML file relative to the cases directory. */
  file: string;
  /** Set by the loader: first path segment (the category). */
  category: string;
  /** Set by the loader: unique id `file#note` (with `#n` appended for repeated notes in one file). */
  id: string;
}

/** Outcome of one case; `reason` explains every fail and skip. */
export interface CaseResult {
  id: string;
  note: string;
  category: string;
  status: "pass" | "fail" | "skip";
  reason?: string;
}

/** The repository root (the directory holding package.json), from this file's location. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

/** Directory of the OPA v1 cases: $OPA_CONFORMANCE_DIR, else opa-conformance/v1 in $RESIDENCY_GUARD_SHARED or ../shared. */
export function casesDir(): string {
  if (process.env.OPA_CONFORMANCE_DIR) return path.resolve(process.env.OPA_CONFORMANCE_DIR);
  const shared = process.env.RESIDENCY_GUARD_SHARED
    ? path.resolve(process.env.RESIDENCY_GUARD_SHARED)
    : path.resolve(repoRoot(), "../shared");
  return path.join(shared, "opa-conformance/v1");
}

/** Reads every case below `dir`, sorted by file then position. */
export function loadCases(dir = casesDir()): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) {
        const doc = parseYaml(fs.readFileSync(p, "utf8"), { intAsBigInt: false }) as { cases?: ConformanceCase[] };
        const file = path.relative(dir, p);
        const seen = new Map<string, number>();
        for (const c of doc?.cases ?? []) {
          const n = (seen.get(c.note) ?? 0) + 1;
          seen.set(c.note, n);
          const id = `${file.split(path.sep).join("/")}#${c.note}${n > 1 ? `#${n}` : ""}`;
          out.push({ ...c, file, category: file.split(path.sep)[0], id });
        }
      }
    }
  };
  walk(dir);
  return out;
}

/** Category lists of README.md's group 1 (core language) and group 2 (builtins). */
export const GROUPS: Record<"group1" | "group2", string[]> = {
  group1: (
    "helloworld example completedoc partialsetdoc partialobjectdoc defaultkeyword elsekeyword functions functionerrors " +
    "negation comprehensions disjunction eqexpr comparisonexpr evaltermexpr varreferences nestedreferences compositereferences " +
    "compositebasedereference baseandvirtualdocs virtualdocs dataderef inputvalues indexing assignments partialdocconstants " +
    "refheads undos indirectreferences"
  ).split(" "),
  group2: (
    "aggregates arithmetic array globmatch intersection jsonbuiltins objectfilter objectget objectremove objectunion replacen " +
    "sets sprintf strings trim trimleft trimprefix trimspace trimsuffix type typebuiltin typenamebuiltin"
  ).split(" "),
};

/** Output variables of a query: named vars in order of appearance, minus roots, wildcards and function names. */
export function queryVars(body: Body): string[] {
  const seen: string[] = [];
  const add = (name: string) => {
    if (!seen.includes(name)) seen.push(name);
  };
  const term = (t: Term | undefined): void => {
    if (!t) return;
    switch (t.type) {
      case "var":
        if (!t.wildcard && !t.name.startsWith("$")) add(t.name);
        return;
      case "ref":
        if (t.head.type === "var") {
          if (t.head.name !== "data" && t.head.name !== "input") term(t.head);
        } else term(t.head);
        t.path.forEach(term);
        return;
      case "array":
      case "set":
        t.items.forEach(term);
        return;
      case "object":
        t.entries.forEach(([k, v]) => (term(k), term(v)));
        return;
      case "call":
        t.args.forEach(term);
        return;
      default:
        // comprehensions bind their own variables; scalars have none
        return;
    }
  };
  const expr = (e: Body[number]): void => {
    switch (e.type) {
      case "term":
        term(e.term);
        break;
      case "unify":
      case "assign":
        term(e.left);
        term(e.right);
        break;
      case "not":
        // variables under `not` are never output bindings
        break;
      case "some-decl":
        e.vars.forEach(term);
        break;
      case "some-in":
        term(e.key);
        term(e.value);
        term(e.collection);
        break;
      case "every":
        term(e.domain);
        break;
    }
  };
  body.forEach(expr);
  return seen;
}

/** The synthetic module that turns a query into the `__conformance/result` entrypoint. */
export function queryModule(query: string, vars: string[]): string {
  const binding = `{${vars.map((v) => `${JSON.stringify(v)}: ${v}`).join(", ")}}`;
  const types = `{${vars.map((v) => `${JSON.stringify(v)}: type_name(${v})`).join(", ")}}`;
  return `package __conformance\n\nresult contains [__b, __t] if {\n${query}\n__b := ${binding}\n__t := ${types}\n}\n`;
}

/** Converts a constant Rego term (from input_term) to JSON. */
function termToJson(t: Term): unknown {
  switch (t.type) {
    case "null":
      return null;
    case "boolean":
      return t.value;
    case "number":
      return Number(t.raw);
    case "string":
      return t.value;
    case "array":
    case "set":
      return t.items.map(termToJson);
    case "object": {
      const o: Record<string, unknown> = {};
      for (const [k, v] of t.entries) {
        const key = termToJson(k);
        if (typeof key !== "string") throw new Error("input_term object keys must be strings");
        o[key] = termToJson(v);
      }
      return o;
    }
    default:
      throw new Error(`input_term is not a constant (${t.type})`);
  }
}

function inputOf(c: ConformanceCase): { value?: unknown; skip?: string } {
  if (c.input_term !== undefined) {
    try {
      const body = parseQuery(`__input = ${c.input_term}`, "input_term");
      const e = body[0];
      if (body.length !== 1 || e.type !== "unify") return { skip: "input_term is not a single term" };
      return { value: termToJson(e.right) };
    } catch (err) {
      return { skip: `input_term not convertible: ${(err as Error).message}` };
    }
  }
  return { value: c.input };
}

/** JSON with sorted object keys, for order-insensitive object comparison. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : JSON.stringify(v);
  return JSON.stringify(v);
}

const CONFLICT = /conflict|multiple outputs|must be unique/i;

function firstLine(s: string): string {
  const l = s.split("\n")[0];
  return l.length > 200 ? l.slice(0, 200) + "…" : l;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (e && typeof e === "object" && "message" in e) return String((e as { message: unknown }).message);
  return String(e);
}

/** Is `got` (an evaluation error or a compile error) the kind of error the case wants? */
function errorMatches(c: ConformanceCase, got: { phase: "compile" | "eval"; code?: string; message: string }): boolean {
  const code = c.want_error_code;
  const want = c.want_error ?? "";
  if (code?.startsWith("rego_")) return got.phase === "compile" && got.code === code;
  if (got.phase !== "eval") return false;
  if (code && !got.message.includes(`${code}: `)) return false;
  // Conflict messages changed between OPA releases ("complete rules must not produce multiple
  // outputs" -> "rule data.p produced conflicting values") and the set holds both generations:
  // the code decides. Other errors must contain want_error, as in OPA's own runner.
  if (code === "eval_conflict_error" || (!code && CONFLICT.test(want))) return CONFLICT.test(got.message);
  if (want && !got.message.includes(want)) return false;
  return !CONFLICT.test(got.message);
}

/** Compiles, loads and evaluates one case. Never throws. */
export function runCase(c: ConformanceCase): CaseResult {
  const base = { id: c.id, note: c.note, category: c.category };
  const wantsError = c.want_error !== undefined || c.want_error_code !== undefined;
  if (!wantsError && c.want_result === undefined)
    return { ...base, status: "skip", reason: "case has neither want_result nor want_error" };

  let vars: string[];
  try {
    vars = queryVars(parseQuery(c.query, "query.rego"));
  } catch (e) {
    if (
      wantsError &&
      e instanceof CompileError &&
      errorMatches(c, { phase: "compile", code: e.code, message: e.message })
    ) {
      return { ...base, status: "pass" };
    }
    return { ...base, status: "fail", reason: `query does not parse: ${firstLine(errorText(e))}` };
  }
  const input = inputOf(c);
  if (input.skip) return { ...base, status: "skip", reason: input.skip };

  const sources = (c.modules ?? []).map((text, i) => ({ file: `${c.file}#module${i}.rego`, text }));
  sources.push({ file: `${c.file}#query.rego`, text: queryModule(c.query, vars) });

  let wasm: Uint8Array;
  try {
    // Builtin errors abort only where the case asks for OPA's strict mode, as OPA's own runner.
    wasm = compile(sources, {
      entrypoints: ["__conformance/result"],
      strictBuiltinErrors: c.strict_error === true,
    }).wasm;
  } catch (e) {
    if (e instanceof CompileError) {
      if (wantsError && errorMatches(c, { phase: "compile", code: e.code, message: e.message }))
        return { ...base, status: "pass" };
      if (e.diagnostics.every((d) => d.code === "rego_unsupported_error")) {
        return { ...base, status: "skip", reason: `unsupported: ${firstLine(e.diagnostics[0].message)}` };
      }
      return { ...base, status: "fail", reason: `compile error: ${firstLine(e.message)}` };
    }
    return { ...base, status: "fail", reason: `compiler crashed: ${firstLine(errorText(e))}` };
  }

  let resultSet: Array<{ result: unknown }>;
  try {
    const policy = loadPolicySync(wasm, undefined, customBuiltins());
    if (c.data !== undefined) policy.setData(c.data as object);
    resultSet = policy.evaluate(input.value) as Array<{ result: unknown }>;
  } catch (e) {
    const message = errorText(e);
    if (wantsError && errorMatches(c, { phase: "eval", message })) return { ...base, status: "pass" };
    return { ...base, status: "fail", reason: `evaluation error: ${firstLine(message)}` };
  }
  if (wantsError) {
    return {
      ...base,
      status: "fail",
      reason:
        `expected error ${c.want_error_code ?? ""} ${c.want_error ?? ""}`.trim() +
        `, got ${firstLine(JSON.stringify(resultSet))}`,
    };
  }
  if (!Array.isArray(resultSet) || resultSet.length !== 1 || !Array.isArray(resultSet[0].result)) {
    return { ...base, status: "fail", reason: `unexpected result set ${firstLine(JSON.stringify(resultSet))}` };
  }
  const pairs = resultSet[0].result as Array<[Record<string, unknown>, Record<string, string>]>;
  const setVars = new Set(pairs.flatMap(([, t]) => Object.keys(t).filter((k) => t[k] === "set")));
  const norm = (b: Record<string, unknown>) =>
    canonical(
      Object.fromEntries(
        Object.entries(b).map(([k, v]) => [
          k,
          setVars.has(k) && Array.isArray(v) ? [...v].sort((x, y) => (canonical(x) < canonical(y) ? -1 : 1)) : v,
        ]),
      ),
    );
  const got = pairs.map(([b]) => norm(b)).sort();
  const want = [...new Set((c.want_result ?? []).map(norm))].sort();
  if (got.length === want.length && got.every((g, i) => g === want[i])) return { ...base, status: "pass" };
  if (got.length === 1 && want.length === 1) {
    return {
      ...base,
      status: "fail",
      reason: `wrong result: ${firstDiff(JSON.parse(got[0]), JSON.parse(want[0]), "")}`,
    };
  }
  return {
    ...base,
    status: "fail",
    reason: `wrong result: got [${firstLine(got.join(", "))}], want [${firstLine(want.join(", "))}]`,
  };
}

/** The first place where two JSON values differ, e.g. `at x["k"][2]: got 1, want 2`. */
export function firstDiff(got: unknown, want: unknown, at: string): string {
  const here = () => `at ${at || "top"}: got ${firstLine(canonical(got))}, want ${firstLine(canonical(want))}`;
  if (Array.isArray(got) && Array.isArray(want)) {
    if (got.length !== want.length) return `${here()} (length ${got.length} vs ${want.length})`;
    for (let i = 0; i < got.length; i++) {
      if (canonical(got[i]) !== canonical(want[i])) return firstDiff(got[i], want[i], `${at}[${i}]`);
    }
    return here();
  }
  if (
    got &&
    want &&
    typeof got === "object" &&
    typeof want === "object" &&
    !Array.isArray(got) &&
    !Array.isArray(want)
  ) {
    const g = got as Record<string, unknown>;
    const w = want as Record<string, unknown>;
    for (const k of [...new Set([...Object.keys(g), ...Object.keys(w)])].sort()) {
      if (!(k in g)) return `at ${at}[${JSON.stringify(k)}]: missing, want ${firstLine(canonical(w[k]))}`;
      if (!(k in w)) return `at ${at}[${JSON.stringify(k)}]: got ${firstLine(canonical(g[k]))}, not wanted`;
      if (canonical(g[k]) !== canonical(w[k])) return firstDiff(g[k], w[k], `${at}[${JSON.stringify(k)}]`);
    }
  }
  return here();
}

/** Reads a list file (one note per line, `#` comments); for known-failures, `note<TAB>reason`. */
export function readList(file: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(file)) return out;
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    const [note, reason = ""] = line.split("\t");
    out.set(note, reason);
  }
  return out;
}
