// Host builtins called from compiled Wasm through env.opa_builtinN and the SDK's customBuiltins.
// Only builtins the runtime does not implement natively reach the host.
import * as fs from "fs";
import * as path from "path";
import { loadPolicySync } from "@open-policy-agent/opa-wasm";
import { compile } from "../../../../compiler";
import { BUILTINS } from "../../../../compiler/builtins/table";
import { NATIVE_BUILTINS } from "../../../../compiler/builtins/natives";
import { customBuiltins, HOST_BUILTINS } from "../../../../compiler/builtins/host";

const runtime = path.join(__dirname, "../../../../compiler/runtime/build/runtime.wasm");
const ready = fs.existsSync(runtime);
if (!ready) console.warn(`host builtin SDK test skipped: ${runtime} missing (node compiler/runtime/build.js)`);

// Refused builtins (`unsupported`) compile to nothing, so they need no implementation.
const hostBound = Object.keys(BUILTINS).filter(
  (n) => !BUILTINS[n].operator && !BUILTINS[n].unsupported && !BUILTINS[n].inlined && !NATIVE_BUILTINS[n],
);

describe("host builtin contract", () => {
  it("every builtin the compiler accepts is native or has a host implementation with the same arity", () => {
    expect(hostBound.filter((n) => !HOST_BUILTINS[n])).toEqual([]);
    for (const n of hostBound) expect([n, HOST_BUILTINS[n].arity]).toEqual([n, BUILTINS[n].arity]);
  });
});

function evaluate(rule: string, input: unknown): unknown {
  const { wasm } = compile([{ file: "t.rego", text: `package t\n\n${rule}\n` }], { entrypoints: ["t/r"] });
  return loadPolicySync(wasm, undefined, customBuiltins()).evaluate(input, "t/r");
}

// A case is skipped when its builtin has become native (then the host is never called) or the runtime is missing.
const maybe = (name: string) => (ready && hostBound.includes(name) ? it : it.skip);

describe("host builtins through the SDK", () => {
  maybe("time.now_ns")("time.now_ns comes from the host", () => {
    const before = Date.now();
    const [{ result }] = evaluate("r := time.now_ns()", {}) as Array<{ result: number }>;
    expect(result / 1e6).toBeGreaterThanOrEqual(before - 1);
    expect(result / 1e6).toBeLessThanOrEqual(Date.now() + 1);
  });

  maybe("time.parse_rfc3339_ns")("time.parse_rfc3339_ns fails the evaluation on bad input (fail closed)", () => {
    expect(() => evaluate("r := time.parse_rfc3339_ns(input.ts)", { ts: "yesterday" })).toThrow(
      "time.parse_rfc3339_ns",
    );
  });

  maybe("regex.split")("regex.split without capture groups", () => {
    expect(evaluate('r := regex.split(",\\\\s*", input.s)', { s: "a, b,c" })).toEqual([{ result: ["a", "b", "c"] }]);
  });

  // The SDK's own `regex.split` (JS String.split, which returns capture groups) would shadow
  // ours; the emitter names the builtin hostBuiltinName("regex.split") so ours is called.
  maybe("regex.split")("regex.split with a capture group follows Go (no captured separators)", () => {
    expect(evaluate('r := regex.split("(,)", input.s)', { s: "a,b" })).toEqual([{ result: ["a", "b"] }]);
  });
});
