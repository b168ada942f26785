// Host builtins called from compiled Wasm through env.opa_builtinN and the SDK's customBuiltins.
// Only builtins the runtime does not implement natively reach the host, so each case runs
// when its builtin is still a host call.
import * as fs from "fs";
import * as path from "path";
import { loadPolicySync } from "@open-policy-agent/opa-wasm";
import { compile } from "../../../../compiler";
import { NATIVE_BUILTINS } from "../../../../compiler/builtins/natives";
import { customBuiltins } from "../../../../compiler/builtins/host";

const runtime = path.join(__dirname, "../../../../compiler/runtime/build/runtime.wasm");
const ready = fs.existsSync(runtime);
if (!ready) console.warn(`host builtin SDK test skipped: ${runtime} missing (node compiler/runtime/build.js)`);

interface HostCase {
  builtin: string;
  rule: string;
  input: unknown;
  want: unknown;
  /** Input that makes the builtin fail; evaluation must throw (fail closed). */
  bad: unknown;
}

const CASES: HostCase[] = [
  {
    builtin: "time.parse_rfc3339_ns",
    rule: "r := time.parse_rfc3339_ns(input.ts)",
    input: { ts: "2017-06-02T19:00:00-07:00" },
    want: 1496455200000000000,
    bad: { ts: "yesterday" },
  },
  {
    builtin: "net.cidr_contains",
    rule: "r := net.cidr_contains(input.cidr, input.ip)",
    input: { cidr: "10.0.0.0/8", ip: "10.2.3.4" },
    want: true,
    bad: { cidr: "not-a-cidr", ip: "10.0.0.1" },
  },
];

const hostCases = CASES.filter((c) => !NATIVE_BUILTINS[c.builtin]);

(ready && hostCases.length ? describe : describe.skip)("host builtins through the SDK", () => {
  it.each(hostCases.map((c) => [c.builtin, c] as const))("%s: result from the TypeScript implementation", (_n, c) => {
    const { wasm } = compile([{ file: "t.rego", text: `package t\n\n${c.rule}\n` }], { entrypoints: ["t/r"] });
    const policy = loadPolicySync(wasm, undefined, customBuiltins());
    expect(policy.evaluate(c.input, "t/r")).toEqual([{ result: c.want }]);
  });

  it.each(hostCases.map((c) => [c.builtin, c] as const))("%s: a failing call fails the evaluation", (_n, c) => {
    const { wasm } = compile([{ file: "t.rego", text: `package t\n\n${c.rule}\n` }], { entrypoints: ["t/r"] });
    const policy = loadPolicySync(wasm, undefined, customBuiltins());
    expect(() => policy.evaluate(c.bad, "t/r")).toThrow(c.builtin);
  });
});
