// What every reporter receives: evaluation results plus metadata about the inputs and the run.
// Reporters are pure functions of this context; they never read files or the environment.

import type { EvaluationResult, Finding, Level, ProfileComparison, ProfileName, RuleMeta } from "../core/findings";
import type { GuardInput, SourceKind } from "../inputs/types";

/** One input document that was judged (one per cdktf stack or plan file). */
export interface InputMeta {
  file: string;
  stack: string | null;
  kind: SourceKind;
  /** Resource addresses in the document, in input order (JUnit lists clean resources as passing). */
  addresses?: string[];
}

/** Everything a reporter needs to render one `check` run. */
export interface ReportContext {
  /** One result per input, in the same order as `inputs`. */
  results: EvaluationResult[];
  inputs: InputMeta[];
  profile: ProfileName;
  /** Violations at or above this level fail the gate. */
  threshold: Level;
  policy: { sha256: string; file: string | null };
  /** Rule metadata from the policy; reporters fall back to what findings carry when a rule is missing. */
  rules: RuleMeta[];
  tool: { name: string; version: string };
  /** Absolute URL of docs/rules.md, used for SARIF help links. */
  rulesDocUri: string;
  /** For the HTML map: one per input, in the same order (the CLI fills it only when html is asked for). */
  maps?: MapSource[];
}

/** What the residency map needs beyond the findings: the judged document and the policy's subjects. */
export interface MapSource {
  document: GuardInput;
  /** Every profile's verdicts on the policy's subjects (`Guard.compare`); null when not evaluated. */
  comparison: ProfileComparison | null;
}

/** Options that only affect presentation. */
export interface RenderOptions {
  /** Colour escape sequences in text output (the CLI decides from TTY, NO_COLOR and FORCE_COLOR). */
  color?: boolean;
}

/** A reporter turns a run into the text of one report. */
export type Reporter = (ctx: ReportContext, options?: RenderOptions) => string;

/** True when the finding is an unwaived violation at or above the threshold level. */
export function isFailing(finding: Finding, threshold: Level): boolean {
  if (finding.status !== "violation") return false;
  return threshold === "advisory" || finding.level === "mandatory";
}

/** Totals across all results of a run. */
export interface RunSummary {
  inputs: number;
  resources: number;
  mandatory: number;
  advisory: number;
  waived: number;
  /** Violations that fail the gate at the run's threshold. */
  failing: number;
  verdict: "pass" | "fail";
}

/** Adds up the per-input summaries and counts findings that fail at the threshold. */
export function summarize(ctx: Pick<ReportContext, "results" | "threshold">): RunSummary {
  const s: RunSummary = {
    inputs: ctx.results.length,
    resources: 0,
    mandatory: 0,
    advisory: 0,
    waived: 0,
    failing: 0,
    verdict: "pass",
  };
  for (const r of ctx.results) {
    s.resources += r.summary.resources;
    for (const f of r.findings) {
      if (f.status === "waived") s.waived++;
      else if (f.level === "mandatory") s.mandatory++;
      else s.advisory++;
      if (isFailing(f, ctx.threshold)) s.failing++;
    }
  }
  s.verdict = s.failing > 0 ? "fail" : "pass";
  return s;
}

/** All findings of the run, in result order. */
export function allFindings(ctx: Pick<ReportContext, "results">): Finding[] {
  return ctx.results.flatMap((r) => r.findings);
}

/** Rule metadata by id, completed from findings for rules the policy did not describe. */
export function ruleIndex(ctx: Pick<ReportContext, "results" | "rules">): Map<string, RuleMeta> {
  const map = new Map<string, RuleMeta>();
  for (const r of ctx.rules) map.set(r.id, r);
  for (const f of allFindings(ctx)) {
    if (map.has(f.rule)) continue;
    const category = f.rule.split("/")[0] as RuleMeta["category"];
    map.set(f.rule, {
      id: f.rule,
      category,
      title: f.title,
      level: f.level,
      remediation: f.remediation,
      description: f.title,
      profiles: [f.profile],
    });
  }
  return map;
}

/**
 * Lineage rendered as `job -> role -> bucket (tagged DataClassification=personal)`.
 * The judged resource comes first; the last step's reason says what makes the data personal.
 */
export function formatLineage(finding: Finding): string {
  if (finding.lineage.length === 0) return "";
  const steps = finding.lineage[0]?.address === finding.address ? finding.lineage.slice(1) : finding.lineage;
  const parts = [finding.address, ...steps.map((s) => s.address)];
  const last = finding.lineage[finding.lineage.length - 1];
  return parts.join(" -> ") + (last?.reason ? ` (${last.reason})` : "");
}

/** Location as one phrase: `aws ap-northeast-2 via provider-config: provider "aws" (region = ...)`. */
export function formatLocation(finding: Finding): string {
  const loc = finding.location;
  const where = loc.region ?? "region unknown";
  return `${loc.cloud} ${where} (${loc.source}${loc.detail ? `: ${loc.detail}` : ""})`;
}

/** Groups findings by (input file, resource address) preserving first-seen order. */
export function groupByResource(findings: Finding[]): Array<{ file: string; address: string; findings: Finding[] }> {
  const groups = new Map<string, { file: string; address: string; findings: Finding[] }>();
  for (const f of findings) {
    const key = `${f.file}\u0000${f.address}`;
    let g = groups.get(key);
    if (!g) {
      g = { file: f.file, address: f.address, findings: [] };
      groups.set(key, g);
    }
    g.findings.push(f);
  }
  return [...groups.values()];
}
