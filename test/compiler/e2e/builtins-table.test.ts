// The builtin table (what compiles) against what can run: every entry must have a native,
// host or SDK implementation, and every implementation must be reachable from the table.
import * as path from "node:path";
import { compile, CompileError } from "../../../compiler";
import { BUILTINS } from "../../../compiler/builtins/table";
import { NATIVE_BUILTINS } from "../../../compiler/builtins/natives";
import { HOST_BUILTINS } from "../../../compiler/builtins/host";

// The SDK's own JS builtins (node_modules/@open-policy-agent/opa-wasm/src/builtins).
// The package's exports map hides the subpath, so resolve it beside the main file.
const sdkPath = path.join(path.dirname(require.resolve("@open-policy-agent/opa-wasm")), "builtins", "index.js");
const sdkModule = require(sdkPath) as Record<string, unknown>;
const SDK = (sdkModule.default ?? sdkModule) as Record<string, unknown>;

test("every builtin that compiles has an implementation", () => {
  const missing = Object.keys(BUILTINS).filter(
    (n) => !BUILTINS[n].unsupported && !BUILTINS[n].inlined && !NATIVE_BUILTINS[n] && !HOST_BUILTINS[n] && !SDK[n],
  );
  expect(missing).toEqual([]);
});

test("a refused builtin is a rego_unsupported_error naming it, never an undefined-function type error", () => {
  const refused = Object.entries(BUILTINS).filter(([, b]) => b.unsupported);
  expect(refused.length).toBeGreaterThan(0);
  for (const [name, b] of refused) {
    expect([name, NATIVE_BUILTINS[name] ?? HOST_BUILTINS[name]]).toEqual([name, undefined]);
    const args = Array.from({ length: b.arity }, () => "input.x").join(", ");
    const text = `package t\np := ${name}(${args})\n`;
    let err: unknown;
    try {
      compile([{ file: "t.rego", text }], { entrypoints: ["t/p"] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CompileError);
    const d = (err as CompileError).diagnostics[0];
    expect([d.code, d.message.startsWith(`unsupported builtin ${name}: `)]).toEqual(["rego_unsupported_error", true]);
  }
});

test("every native and host builtin is in the table with the same arity", () => {
  for (const [name, b] of [...Object.entries(NATIVE_BUILTINS), ...Object.entries(HOST_BUILTINS)]) {
    expect([name, BUILTINS[name]?.arity]).toEqual([name, b.arity]);
  }
});
