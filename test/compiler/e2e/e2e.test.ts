// End-to-end: compile Rego with the compile API, load the Wasm with @open-policy-agent/opa-wasm
// (both loadPolicy and loadPolicySync), evaluate, and compare with the case's expected result.
// Cases live in cases/*.yaml (a new file is a new test); fields: note, modules, entrypoint,
// data?, input?, want_result (the entrypoint's value; omit for undefined), want_error?
// (a substring of the evaluation error), want_compile_error? (a diagnostic code), skip? (reason),
// non_strict? (compile without strict builtin errors: they make the call undefined).
import * as fs from "node:fs";
import * as path from "node:path";
import { loadPolicy, loadPolicySync } from "@open-policy-agent/opa-wasm";
import YAML from "yaml";
import { compile, CompileError } from "../../../compiler";
import { customBuiltins } from "../../../compiler/builtins/host";

interface Case {
  note: string;
  modules: string[];
  entrypoint: string;
  data?: unknown;
  input?: unknown;
  want_result?: unknown;
  want_undefined?: boolean;
  want_error?: string;
  want_compile_error?: string;
  /** Known gap: the case is skipped and its name says why. */
  skip?: string;
  /** Compare arrays ignoring order (sets render as arrays). */
  sort?: boolean;
  /** Compile with strictBuiltinErrors: false. */
  non_strict?: boolean;
}

const runtime = path.join(__dirname, "../../../compiler/runtime/build/runtime.wasm");
const haveRuntime = fs.existsSync(runtime);
const dir = path.join(__dirname, "cases");
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

function canon(v: unknown, sort: boolean): unknown {
  if (Array.isArray(v)) {
    const items = v.map((x) => canon(x, sort));
    return sort
      ? items
          .map((x) => JSON.stringify(x))
          .sort()
          .map((x) => JSON.parse(x))
      : items;
  }
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canon((v as Record<string, unknown>)[k], sort)]),
    );
  }
  return v;
}

function check(c: Case, evaluate: () => Array<{ result: unknown }>): void {
  if (c.want_error !== undefined) {
    expect(evaluate).toThrow(c.want_error);
    return;
  }
  const rs = evaluate();
  if (c.want_undefined) {
    expect(rs).toEqual([]);
    return;
  }
  expect(rs).toHaveLength(1);
  expect(canon(rs[0].result, c.sort ?? false)).toEqual(canon(c.want_result, c.sort ?? false));
}

// Without the runtime artefact nothing can be emitted; say so instead of passing.
const maybe = haveRuntime ? describe : describe.skip;
if (!haveRuntime) console.warn(`e2e skipped: ${runtime} missing (run node compiler/runtime/build.js)`);

for (const file of files) {
  const doc = YAML.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { cases: Case[] };
  maybe(file, () => {
    for (const c of doc.cases) {
      if (c.skip) {
        test.skip(`${c.note} (skipped: ${c.skip})`, () => undefined);
        continue;
      }
      const sources = c.modules.map((text, i) => ({ file: `${c.note}#${i}.rego`, text }));
      if (c.want_compile_error) {
        test(c.note, () => {
          let err: unknown;
          try {
            compile(sources, { entrypoints: [c.entrypoint], strictBuiltinErrors: !c.non_strict });
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(CompileError);
          expect((err as CompileError).diagnostics.map((d) => d.code)).toContain(c.want_compile_error);
        });
        continue;
      }
      test(`${c.note} (loadPolicySync)`, () => {
        const { wasm } = compile(sources, { entrypoints: [c.entrypoint], strictBuiltinErrors: !c.non_strict });
        const policy = loadPolicySync(wasm, undefined, customBuiltins());
        if (c.data !== undefined) policy.setData(c.data as object);
        check(c, () => policy.evaluate(c.input, c.entrypoint));
      });
      test(`${c.note} (loadPolicy)`, async () => {
        const { wasm } = compile(sources, { entrypoints: [c.entrypoint], strictBuiltinErrors: !c.non_strict });
        const policy = await loadPolicy(wasm, undefined, customBuiltins());
        if (c.data !== undefined) policy.setData(c.data as object);
        check(c, () => policy.evaluate(c.input, c.entrypoint));
      });
    }
  });
}
