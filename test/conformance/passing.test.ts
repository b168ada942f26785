// Re-runs exactly the cases in passing.txt; any that no longer passes is a regression.
import * as fs from "fs";
import * as path from "path";
import { describeIfShared } from "../helpers/shared";
import { casesDir, loadCases, readList, repoRoot, runCase } from "./lib";

const passing = readList(path.join(__dirname, "passing.txt"));
const dir = casesDir();
const runtime = path.join(repoRoot(), "compiler/runtime/build/runtime.wasm");
if (!fs.existsSync(runtime)) throw new Error(`${runtime} is missing: run \`npm run build:runtime\``);

describeIfShared(dir, "OPA conformance cases", "OPA conformance: passing list", () => {
  const cases = loadCases(dir).filter((c) => passing.has(c.id));

  it("finds every listed case", () => {
    const found = new Set(cases.map((c) => c.id));
    expect([...passing.keys()].filter((n) => !found.has(n))).toEqual([]);
  });

  it.each(cases.map((c) => [c.id, c] as const))("%s", (_note, c) => {
    const r = runCase(c);
    expect(r.reason ?? "").toBe("");
    expect(r.status).toBe("pass");
  });
});
