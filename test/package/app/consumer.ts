// Type-checked by test/package in the folder without cdktf: every entry point resolves with its
// types, and none of them needs cdktf's or constructs' types.
import { ResidencyGuard, loadGuardSync, type EvaluationResult, type GuardConstruct } from "residency-guard";
import { ResidencyGuard as SynthGuard } from "residency-guard/synth";
import { compile } from "residency-guard/compiler";

export function guard(app: GuardConstruct): EvaluationResult[] | undefined {
  ResidencyGuard.attach(app, { profile: "kr-localization", failOnAdvisory: false });
  return SynthGuard.resultsOf(app)?.results;
}
export const entryPoints = [loadGuardSync, compile] as const;
