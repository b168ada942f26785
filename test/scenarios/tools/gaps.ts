// Prints, for every scenario/profile the current gate gets wrong, a known-gaps.txt line with what
// it returned; the author replaces the text with the reason before committing.
// Run: npx tsx test/scenarios/tools/gaps.ts

import * as fs from "node:fs";
import * as path from "node:path";
import type { ProfileName } from "../../../src/core/findings";
import { readInputText } from "../../../src/inputs";
import { testGuard } from "../../helpers/policy";
import { SCENARIOS } from "../defs";
import { PLANS_DIR } from "../generate";

const guard = testGuard();
for (const s of SCENARIOS) {
  for (const [profile, e] of Object.entries(s.expect) as [ProfileName, { verdict: string; rules: string[] }][]) {
    const file = path.join(PLANS_DIR, `${s.name}.json`);
    let got: string;
    try {
      const [input] = readInputText(fs.readFileSync(file, "utf8"), file);
      const r = guard.evaluate(input, profile);
      const rules = [
        ...new Set(r.findings.filter((f) => f.status === "violation" && f.level === "mandatory").map((f) => f.rule)),
      ].sort();
      if (
        (rules.length ? "fail" : "pass") === e.verdict &&
        JSON.stringify(rules) === JSON.stringify([...e.rules].sort())
      )
        continue;
      got = `${rules.length ? "fail" : "pass"} [${rules.join(", ")}]`;
    } catch (err) {
      got = `error ${(err as Error).message}`;
    }
    console.log(`${s.name} ${profile} got ${got}; expected ${e.verdict} [${[...e.rules].sort().join(", ")}]`);
  }
}
