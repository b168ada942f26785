// The builtin table (what compiles) against what can run: every entry must have a native,
// host or SDK implementation, and every implementation must be reachable from the table.
import * as path from "node:path";
import { BUILTINS } from "../../../compiler/builtins/table";
import { NATIVE_BUILTINS } from "../../../compiler/builtins/natives";
import { HOST_BUILTINS } from "../../../compiler/builtins/host";

// The SDK's own JS builtins (node_modules/@open-policy-agent/opa-wasm/src/builtins).
// The package's exports map hides the subpath, so resolve it beside the main file.
const sdkPath = path.join(path.dirname(require.resolve("@open-policy-agent/opa-wasm")), "builtins", "index.js");
const sdkModule = require(sdkPath) as Record<string, unknown>;
const SDK = (sdkModule.default ?? sdkModule) as Record<string, unknown>;

test("every builtin that compiles has an implementation", () => {
  const missing = Object.keys(BUILTINS).filter((n) => !NATIVE_BUILTINS[n] && !HOST_BUILTINS[n] && !SDK[n]);
  expect(missing).toEqual([]);
});

test("every native and host builtin is in the table with the same arity", () => {
  for (const [name, b] of [...Object.entries(NATIVE_BUILTINS), ...Object.entries(HOST_BUILTINS)]) {
    expect([name, BUILTINS[name]?.arity]).toEqual([name, b.arity]);
  }
});
