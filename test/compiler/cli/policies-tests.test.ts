// The project's own Rego unit tests (policies/**/*_test.rego) run under `rego-wasm test` in npm test.
import * as path from "node:path";
import { run, runtimeBuilt } from "./helpers";

(runtimeBuilt ? test : test.skip)("rego-wasm test policies/ passes every test", () => {
  // Strict: a builtin error in the project's own policies is a bug, not an undefined value.
  const r = run(["test", "--strict-builtin-errors", path.join(__dirname, "../../../policies")]);
  expect(r.err).toBe("");
  expect(r.out).toMatch(/^PASS: (\d+)\/\1\n$/);
  expect(r.code).toBe(0);
});
