// The shape of one corpus scenario: a plan description and the verdicts its author expects.

import type { ProfileName } from "../../src/core/findings";
import type { PlanSpec } from "./builder";

/** What the author expects under one profile. */
export interface Expectation {
  verdict: "pass" | "fail";
  /** Mandatory rule ids that must fire (exactly this set). */
  rules: string[];
  /** Optional `rule address` pairs that must be among the mandatory violations. */
  findings?: string[];
}

/** One scenario of the corpus. */
export interface Scenario {
  /** File name of the plan (kebab-case, unique). */
  name: string;
  /** What the plan builds and why the expected verdict follows from the rules and the law. */
  description: string;
  expect: Partial<Record<ProfileName, Expectation>> & { "kr-localization": Expectation };
  plan: PlanSpec;
}

/** A passing expectation. */
export const PASS: Expectation = { verdict: "pass", rules: [] };

/** A failing expectation with these mandatory rules. */
export function fail(...rules: string[]): Expectation {
  return { verdict: "fail", rules: [...new Set(rules)].sort() };
}
