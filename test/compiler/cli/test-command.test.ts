// `rego-wasm test`: discovery, PASS/FAIL/ERROR/SKIPPED per test, opa test's summary and exit codes.
import * as fs from "node:fs";
import * as path from "node:path";
import { goDuration } from "../../../compiler/cli/report";
import { run, runtimeBuilt, tree } from "./helpers";

const it = runtimeBuilt ? test : test.skip;

const POLICY = `package authz

allow if {
	input.path == ["users"]
	input.method == "POST"
}

allow if {
	input.path == ["users", input.user_id]
	input.method == "GET"
}

limit := data.config.limit

over(n) := n > limit
`;

const TESTS = `package authz_test

import data.authz

test_post_allowed if {
	authz.allow with input as {"path": ["users"], "method": "POST"}
}

test_get_denied if {
	not authz.allow with input as {"path": ["users"], "method": "GET"}
}

test_limit_from_data_file if {
	authz.limit == 3
}

todo_test_later if {
	false
}
`;

let dir: string;
afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

it("passing tests: summary only, exit 0; data files load under their directory's path", () => {
  dir = tree({ "authz.rego": POLICY, "authz_test.rego": TESTS, "config/data.json": '{"limit": 3}' });
  const r = run(["test", "-z", dir]);
  expect(r.err).toBe("");
  expect(r.out).toContain(`${path.join(dir, "authz_test.rego")}:\ndata.authz_test.todo_test_later: SKIPPED\n`);
  expect(r.out).toMatch(/-{80}\nPASS: 3\/4\nSKIPPED: 1\/4\n$/);
  expect(r.code).toBe(0);
});

it("a skipped test alone makes the exit code 2 (as opa test without -z)", () => {
  dir = tree({ "authz.rego": POLICY, "authz_test.rego": TESTS, "config/data.yaml": "limit: 3\n" });
  expect(run(["test", dir]).code).toBe(2);
});

it("failures and errors: listed with their package, FAIL/ERROR counts, exit 2", () => {
  dir = tree({
    "authz.rego": POLICY,
    "t_test.rego": `package t_test

import data.authz

test_fails if {
	authz.allow with input as {"path": ["users"], "method": "GET"}
}

test_false := false

test_twice := true

test_twice := 2

test_value if authz.limit == 3
`,
  });
  const r = run(["test", dir]);
  expect(r.code).toBe(2);
  expect(r.out).toMatch(/data\.t_test\.test_fails: FAIL \(/);
  expect(r.out).toMatch(/data\.t_test\.test_false: FAIL \(/);
  // Duplicate test names are renamed apart and run on their own, as opa does.
  expect(r.out).not.toContain("test_twice:");
  expect(r.out).toMatch(/data\.t_test\.test_twice#01: FAIL \(/);
  // test_value: data.config.limit is absent, so limit is undefined.
  expect(r.out).toMatch(/data\.t_test\.test_value: FAIL/);
  expect(r.out).toMatch(/PASS: 1\/5\nFAIL: 4\/5\n$/);
});

it("--run filters by the full name; -v lists passing tests", () => {
  dir = tree({ "authz.rego": POLICY, "authz_test.rego": TESTS, "config/data.json": '{"limit": 3}' });
  const r = run(["test", "-v", "--run", "authz_test.test_.*_allowed", dir]);
  expect(r.out).toMatch(/data\.authz_test\.test_post_allowed: PASS \(.+\)\n-{80}\nPASS: 1\/1\n$/);
  expect(r.code).toBe(0);
});

it("-v explains a failure: the literal that stopped it and the values bound before it", () => {
  dir = tree({
    "x_test.rego": `package x_test

test_sum if {
	xs := [1, 2, 3]
	s := sum(xs)
	s == 7
}
`,
  });
  const r = run(["test", "-v", dir]);
  expect(r.code).toBe(2);
  expect(r.out).toContain("FAILURES");
  expect(r.out).toContain(`stopped at ${path.join(dir, "x_test.rego")}:6:2:\n    s == 7\n  where:\n    s = 6\n`);
  expect(r.out).toContain("s = 6");
  expect(r.out).toContain("xs = [1,2,3]");
});

it("--format json prints opa's tester.Result array", () => {
  dir = tree({ "authz.rego": POLICY, "authz_test.rego": TESTS });
  const r = run(["test", "--format", "json", dir]);
  const rows = JSON.parse(r.out) as Array<Record<string, unknown>>;
  expect(rows.map((x) => x.name)).toEqual([
    "test_post_allowed",
    "test_get_denied",
    "test_limit_from_data_file",
    "todo_test_later",
  ]);
  expect(rows[0]).toMatchObject({
    location: { file: path.join(dir, "authz_test.rego"), row: 5, col: 1 },
    package: "data.authz_test",
  });
  expect(typeof rows[0].duration).toBe("number");
  expect(rows[2].fail).toBe(true);
  expect(rows[3].skip).toBe(true);
  expect(r.code).toBe(2);
});

it("print() output is captured per test and shown with -v (base64 in JSON)", () => {
  dir = tree({ "p_test.rego": 'package p_test\n\ntest_p if {\n\tprint("hello", 1 + 1)\n}\n' });
  const r = run(["test", "-v", dir]);
  expect(r.out).toContain("data.p_test.test_p: PASS");
  expect(r.out).toContain("\n  hello 2\n");
  const j = JSON.parse(run(["test", "--format", "json", dir]).out) as Array<{
    output: string;
  }>;
  expect(Buffer.from(j[0].output, "base64").toString()).toBe("hello 2\n");
});

it("compile errors exit 1 with the rendered diagnostic", () => {
  dir = tree({ "bad_test.rego": "package b\n\ntest_x if {\n\tx := y\n}\n" });
  const r = run(["test", dir]);
  expect(r.code).toBe(1);
  expect(r.err).toContain("rego_unsafe_var_error: var y is unsafe");
  expect(r.out).toBe("");
});

it("conflicting data files are a load error (exit 1)", () => {
  dir = tree({ "a/x.json": '{"k": 1}', "a/y.json": '{"k": 2}', "t_test.rego": "package t\n\ntest_t := true\n" });
  const r = run(["test", dir]);
  expect(r.code).toBe(1);
  expect(r.err).toContain("merge error: data.a.k");
});

it("--bench prints the mean time per evaluation of passing tests", () => {
  dir = tree({ "b_test.rego": "package b\n\ntest_b if count([1, 2]) == 2\n" });
  const r = run(["test", "--bench", dir]);
  expect(r.out).toMatch(/^data\.b\.test_b\t +\d+\t +\d+ ns\/op\n/);
  expect(r.code).toBe(0);
});

test("durations print as Go's time.Duration does", () => {
  expect(goDuration(0)).toBe("0s");
  expect(goDuration(999)).toBe("999ns");
  expect(goDuration(1417)).toBe("1.417µs");
  expect(goDuration(2_500_000)).toBe("2.5ms");
  expect(goDuration(1_000_000)).toBe("1ms");
  expect(goDuration(63_200_000_000)).toBe("1m3.2s");
});

it("--builtins supplies custom host builtins to test, eval and check; with replaces them in tests", () => {
  dir = tree({
    "b.js":
      'module.exports = { "acme.double": (x) => x * 2, "acme.fail": { arity: 0, impl: () => { throw new Error("boom"); } } };\n',
    "p.rego": "package p\n\nf(x) := acme.double(x) + 1\n",
    "p_test.rego": `package p_test

import data.p

test_custom if p.f(2) == 5

test_mocked if p.f(2) == 8 with acme.double as 7

test_error if acme.fail()
`,
  });
  const b = path.join(dir, "b.js");
  const files = [path.join(dir, "p.rego"), path.join(dir, "p_test.rego")];
  // As opa test: a builtin's error makes its call undefined unless builtin errors are strict.
  const r = run(["test", "--builtins", b, ...files]);
  expect(r.out).toMatch(/data\.p_test\.test_error: FAIL \(.+\)\n/);
  expect(r.out).toMatch(/PASS: 2\/3\nFAIL: 1\/3\n$/);
  expect(r.code).toBe(2);
  const strict = run(["test", "--strict-builtin-errors", "--builtins", b, ...files]);
  expect(strict.out).toMatch(/data\.p_test\.test_error: ERROR \(.+\)\n  .*boom/);
  expect(strict.out).toMatch(/PASS: 2\/3\nERROR: 1\/3\n$/);
  const e = run(["eval", "--builtins", b, "-d", path.join(dir, "p.rego"), "data.p.f(20)"]);
  expect(JSON.parse(e.out).result[0].expressions[0].value).toBe(41);
  expect(run(["check", path.join(dir, "p.rego")]).err).toContain("undefined function acme.double");
  expect(run(["check", "--builtins", b, path.join(dir, "p.rego")]).code).toBe(0);
});

it("an evaluation error (strict builtin error, conflict) is an ERROR with OPA's code and place", () => {
  dir = tree({
    "e_test.rego": "package e\n\ntest_div if {\n\tx := 1 / 0\n\tx > 0\n}\n\nv := 1\n\nv := 2\n\ntest_conflict if v\n",
  });
  // Without --strict-builtin-errors (opa test's default) 1 / 0 is undefined: the test fails.
  const lax = run(["test", dir]);
  expect(lax.out).toContain(`data.e.test_div: FAIL (`);
  expect(lax.out).toMatch(/data\.e\.test_conflict: ERROR \(.+\)\n  .*eval_conflict_error/);
  const r = run(["test", "--strict-builtin-errors", dir]);
  expect(r.out).toContain(`data.e.test_div: ERROR (`);
  expect(r.out).toContain(`  ${path.join(dir, "e_test.rego")}:4:7: eval_builtin_error: div: divide by zero\n`);
  expect(r.out).toMatch(/data\.e\.test_conflict: ERROR \(.+\)\n  .*eval_conflict_error/);
  expect(r.out).toMatch(/ERROR: 2\/2\n$/);
  expect(r.code).toBe(2);
  const j = JSON.parse(run(["test", "--strict-builtin-errors", "--format", "json", dir]).out) as Array<{
    error: { code: string };
  }>;
  expect(j.map((x) => x.error.code)).toEqual(["eval_builtin_error", "eval_conflict_error"]);
});

it("--v0-compatible runs Rego v0 tests (bodies without if, v0 partial sets, re_match)", () => {
  dir = tree({
    "p.rego": 'package p\n\ndeny[msg] {\n\tnot re_match("^[0-9]+$", input.port)\n\tmsg := "port"\n}\n',
    "p_test.rego":
      'package p\n\ntest_bad_port {\n\tdeny["port"] with input as {"port": "x"}\n}\n\ntest_good_port {\n\tcount(deny) == 0 with input as {"port": "80"}\n}\n',
  });
  expect(run(["test", dir]).code).toBe(1);
  const r = run(["test", "--v0-compatible", dir]);
  expect(r.out).toMatch(/PASS: 2\/2\n$/);
  expect(r.code).toBe(0);
});
