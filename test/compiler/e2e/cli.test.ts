// The rego-wasm CLI: build to a file, print IR, render diagnostics, exit codes.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import { main } from "../../../compiler/cli/main";

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      w.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  w.text = "";
  return w;
}

function run(args: string[]) {
  const out = sink();
  const err = sink();
  const code = main(args, {
    out: out as unknown as typeof process.stdout,
    err: err as unknown as typeof process.stderr,
  });
  return { code, out: out.text, err: err.text };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rego-wasm-"));
  fs.mkdirSync(path.join(dir, "pol", "sub"), { recursive: true });
  fs.writeFileSync(path.join(dir, "pol", "a.rego"), "package t\n\np := q + 1\n");
  fs.writeFileSync(path.join(dir, "pol", "sub", "b.rego"), "package t\n\nq := 1\n");
  fs.writeFileSync(path.join(dir, "pol", "notes.txt"), "not rego");
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const runtimeBuilt = fs.existsSync(path.join(__dirname, "../../../compiler/runtime/build/runtime.wasm"));

(runtimeBuilt ? test : test.skip)("build writes a Wasm module from a directory tree", () => {
  const outFile = path.join(dir, "out", "policy.wasm");
  const r = run(["build", "-e", "t/p", "-e", "t", path.join(dir, "pol"), "-o", outFile]);
  expect(r).toMatchObject({ code: 0, err: "" });
  const bytes = fs.readFileSync(outFile);
  expect([...bytes.subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]);
});

test("--emit ir prints the plans and funcs", () => {
  const r = run(["build", "-e", "data.t.p", path.join(dir, "pol"), "--emit", "ir"]);
  expect(r.code).toBe(0);
  expect(r.out).toContain("plan t/p");
  expect(r.out).toContain("func g0.data.t.q(l0, l1) -> l2");
});

test("compile errors exit 1 with file:line:col, the source line and a caret", () => {
  fs.writeFileSync(path.join(dir, "pol", "a.rego"), "package t\n\np if {\n  x := y\n}\n");
  const r = run(["build", "-e", "t/p", path.join(dir, "pol"), "--emit", "ir"]);
  expect(r.code).toBe(1);
  const file = path.join(dir, "pol", "a.rego");
  expect(r.err).toBe(`${file}:4:8: rego_unsafe_var_error: var y is unsafe\n4 |   x := y\n           ^\n`);
});

test("usage errors exit 2", () => {
  expect(run(["build", "-e", "t/p", path.join(dir, "missing")]).code).toBe(2);
  expect(run(["build", path.join(dir, "pol")]).code).toBe(2);
  expect(run(["build", "-e", "t/p", path.join(dir, "pol"), "--emit", "asm"]).code).toBe(2);
});
