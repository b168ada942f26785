// Writes every scenario plan to test/scenarios/plans/<name>.json (compact, as `terraform show
// -json` prints it) and the expectations to test/scenarios/expected.json.
// Run: npx tsx test/scenarios/generate.ts

import * as fs from "node:fs";
import * as path from "node:path";
import { buildPlan } from "./builder";
import { SCENARIOS } from "./defs";

/** Directory of the committed plans. */
export const PLANS_DIR = path.join(__dirname, "plans");
/** The committed expectations. */
export const EXPECTED_FILE = path.join(__dirname, "expected.json");

/** Plan text of one scenario exactly as committed. */
export function planText(plan: Record<string, unknown>): string {
  return JSON.stringify(plan) + "\n";
}

/** Expectations file content. */
export function expectedText(): string {
  const out: Record<string, unknown> = {};
  for (const s of SCENARIOS) out[s.name] = { description: s.description, expect: s.expect };
  return JSON.stringify(out, null, 2) + "\n";
}

function main(): void {
  const names = new Set<string>();
  fs.mkdirSync(PLANS_DIR, { recursive: true });
  for (const s of SCENARIOS) {
    if (names.has(s.name)) throw new Error(`duplicate scenario ${s.name}`);
    names.add(s.name);
    fs.writeFileSync(path.join(PLANS_DIR, `${s.name}.json`), planText(buildPlan(s.plan)));
  }
  for (const f of fs.readdirSync(PLANS_DIR))
    if (!names.has(f.replace(/\.json$/, ""))) fs.unlinkSync(path.join(PLANS_DIR, f));
  fs.writeFileSync(EXPECTED_FILE, expectedText());
  const compliant = SCENARIOS.filter((s) => s.expect["kr-localization"].verdict === "pass").length;
  console.log(`${SCENARIOS.length} scenarios (${compliant} compliant under kr-localization) written`);
}

if (require.main === module) main();
