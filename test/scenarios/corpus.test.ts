// The scenario corpus: every committed plan goes through the real reader and the compiled Wasm
// policy under each profile its scenario states, and the verdict and mandatory rule ids are
// compared with the author's expectation. Known gaps (test/scenarios/known-gaps.txt) may only
// shrink: a listed pair that now comes out right, or an unlisted pair that comes out wrong, fails.

import * as fs from "node:fs";
import * as path from "node:path";
import type { ProfileName } from "../../src/core/findings";
import type { Guard } from "../../src/engine";
import { readInputText } from "../../src/inputs";
import { testGuard } from "../helpers/policy";
import { buildPlan } from "./builder";
import { SCENARIOS } from "./defs";
import { EXPECTED_FILE, expectedText, PLANS_DIR, planText } from "./generate";
import type { Expectation } from "./scenario";

const GAPS_FILE = path.join(__dirname, "known-gaps.txt");

/** `name profile` -> reason, from known-gaps.txt. */
function readGaps(): Map<string, string> {
  const gaps = new Map<string, string>();
  if (!fs.existsSync(GAPS_FILE)) return gaps;
  for (const line of fs.readFileSync(GAPS_FILE, "utf8").split("\n")) {
    const t = line.trim();
    if (!t || t.startsWith("#")) continue;
    const m = /^(\S+)\s+(kr-localization|risk-based)\s+(.+)$/.exec(t);
    if (!m) throw new Error(`known-gaps.txt: cannot read line: ${line}`);
    gaps.set(`${m[1]} ${m[2]}`, m[3]);
  }
  return gaps;
}

interface Outcome {
  name: string;
  profile: ProfileName;
  expected: Expectation;
  verdict: "pass" | "fail" | "error";
  rules: string[];
  findings: string[];
  error?: string;
  correct: boolean;
}

let guard: Guard;
const outcomes: Outcome[] = [];

beforeAll(() => {
  guard = testGuard();
});

function judge(name: string, profile: ProfileName, expected: Expectation): Outcome {
  const file = path.join(PLANS_DIR, `${name}.json`);
  let verdict: Outcome["verdict"];
  let rules: string[] = [];
  let findings: string[] = [];
  let error: string | undefined;
  try {
    const [input] = readInputText(fs.readFileSync(file, "utf8"), file);
    const result = guard.evaluate(input, profile);
    const mandatory = result.findings.filter((f) => f.status === "violation" && f.level === "mandatory");
    rules = [...new Set(mandatory.map((f) => f.rule))].sort();
    findings = mandatory.map((f) => `${f.rule} ${f.address}`).sort();
    verdict = mandatory.length > 0 ? "fail" : "pass";
  } catch (e) {
    verdict = "error";
    error = (e as Error).message;
  }
  const correct =
    verdict === expected.verdict &&
    JSON.stringify(rules) === JSON.stringify([...expected.rules].sort()) &&
    (expected.findings ?? []).every((f) => findings.includes(f));
  return { name, profile, expected, verdict, rules, findings, error, correct };
}

describe("scenario corpus", () => {
  test("committed plans and expectations are what the generator writes", () => {
    const files = fs.readdirSync(PLANS_DIR).filter((f) => f.endsWith(".json"));
    expect(files.sort()).toEqual(SCENARIOS.map((s) => `${s.name}.json`).sort());
    for (const s of SCENARIOS) {
      const text = fs.readFileSync(path.join(PLANS_DIR, `${s.name}.json`), "utf8");
      expect({ name: s.name, same: text === planText(buildPlan(s.plan)) }).toEqual({ name: s.name, same: true });
    }
    expect(fs.readFileSync(EXPECTED_FILE, "utf8")).toBe(expectedText());
  });

  test("at least a third of the scenarios are compliant under kr-localization", () => {
    const compliant = SCENARIOS.filter((s) => s.expect["kr-localization"].verdict === "pass").length;
    expect(compliant * 3).toBeGreaterThanOrEqual(SCENARIOS.length);
  });

  const cases = SCENARIOS.flatMap((s) =>
    (Object.entries(s.expect) as [ProfileName, Expectation][]).map(([profile, e]) => [s.name, profile, e] as const),
  );
  const gaps = readGaps();

  test("known gaps name scenarios that exist", () => {
    const keys = new Set(cases.map(([n, p]) => `${n} ${p}`));
    expect([...gaps.keys()].filter((k) => !keys.has(k))).toEqual([]);
  });

  test.each(cases)("%s under %s", (name, profile, expected) => {
    const o = judge(name, profile, expected);
    outcomes.push(o);
    const key = `${name} ${profile}`;
    const got = { verdict: o.verdict, rules: o.rules, error: o.error };
    if (gaps.has(key)) {
      // A known gap that now comes out right must leave the list.
      expect({ key, nowCorrect: o.correct }).toEqual({ key, nowCorrect: false });
    } else {
      expect({ key, ...got, findings: o.expected.findings ? o.findings : undefined }).toEqual({
        key,
        verdict: expected.verdict,
        rules: [...expected.rules].sort(),
        error: undefined,
        findings: o.expected.findings ? expect.arrayContaining(o.expected.findings) : undefined,
      });
    }
  });

  afterAll(() => {
    const rows: string[] = [];
    const line = (cells: (string | number)[]): string =>
      cells.map((c, i) => String(c).padEnd(i === 0 ? 17 : 12)).join("");
    rows.push(
      line([
        "profile",
        "scenarios",
        "compliant",
        "violating",
        "correct",
        "false pass",
        "false fail",
        "wrong rules",
        "errors",
      ]),
    );
    for (const profile of ["kr-localization", "risk-based"] as ProfileName[]) {
      const os = outcomes.filter((o) => o.profile === profile);
      if (!os.length) continue;
      rows.push(
        line([
          profile,
          os.length,
          os.filter((o) => o.expected.verdict === "pass").length,
          os.filter((o) => o.expected.verdict === "fail").length,
          os.filter((o) => o.correct).length,
          os.filter((o) => o.expected.verdict === "fail" && o.verdict === "pass").length,
          os.filter((o) => o.expected.verdict === "pass" && o.verdict !== "pass").length,
          os.filter((o) => o.verdict === o.expected.verdict && !o.correct).length,
          os.filter((o) => o.verdict === "error").length,
        ]),
      );
    }
    const wrong = outcomes
      .filter((o) => !o.correct)
      .map(
        (o) =>
          `  ${o.name} ${o.profile}: expected ${o.expected.verdict} [${o.expected.rules.join(", ")}], got ${o.verdict} [${o.rules.join(", ")}]${o.error ? ` (${o.error})` : ""}`,
      );
    process.stdout.write(
      `\nScenario corpus (${SCENARIOS.length} plans)\n${rows.join("\n")}\n${wrong.length ? `not as expected:\n${wrong.join("\n")}\n` : ""}`,
    );
  });
});
