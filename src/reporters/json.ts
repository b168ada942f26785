// Machine-readable report, schema `residency-guard/report/v1` (documented in docs/cli.md).
// Fields are only ever added within v1; removing or changing one means a v2.

import type { Finding, Level, ProfileName, Status } from "../core/findings";
import type { ResolvedLocation, SourceKind } from "../inputs/types";
import { allFindings, isFailing, summarize, type ReportContext, type RunSummary } from "./types";

export const REPORT_SCHEMA_VERSION = "residency-guard/report/v1";

/** One finding in the JSON report. */
export interface JsonFinding {
  rule: string;
  title: string;
  level: Level;
  status: Status;
  /** True when this violation fails the gate at the run's threshold. */
  failing: boolean;
  address: string;
  constructPath: string | null;
  location: ResolvedLocation;
  lineage: Array<{ address: string; reason: string }>;
  message: string;
  remediation: string;
  profile: ProfileName;
  file: string;
  sourceFile: string | null;
  sourceLine: number | null;
  waiver: { reason: string; approver: string; expires: string; pattern: string } | null;
}

/** The whole JSON report. */
export interface JsonReport {
  schema: typeof REPORT_SCHEMA_VERSION;
  tool: { name: string; version: string };
  profile: ProfileName;
  threshold: Level;
  policy: { sha256: string; file: string | null };
  inputs: Array<{ file: string; stack: string | null; kind: SourceKind; resources: number }>;
  summary: RunSummary;
  findings: JsonFinding[];
}

/** Builds the report object (exported so API users need not parse the text). */
export function buildJsonReport(ctx: ReportContext): JsonReport {
  const summary = summarize(ctx);
  return {
    schema: REPORT_SCHEMA_VERSION,
    tool: { ...ctx.tool },
    profile: ctx.profile,
    threshold: ctx.threshold,
    policy: { sha256: ctx.policy.sha256, file: ctx.policy.file },
    inputs: ctx.inputs.map((input, i) => ({
      file: input.file,
      stack: input.stack,
      kind: input.kind,
      resources: ctx.results[i]?.summary.resources ?? 0,
    })),
    summary,
    findings: allFindings(ctx).map((f) => toJsonFinding(f, ctx)),
  };
}

function toJsonFinding(f: Finding, ctx: ReportContext): JsonFinding {
  return {
    rule: f.rule,
    title: f.title,
    level: f.level,
    status: f.status,
    failing: isFailing(f, ctx.threshold),
    address: f.address,
    constructPath: f.constructPath,
    location: { ...f.location },
    lineage: f.lineage.map((s) => ({ address: s.address, reason: s.reason })),
    message: f.message,
    remediation: f.remediation,
    profile: f.profile,
    file: f.file,
    sourceFile: f.sourceFile,
    sourceLine: f.sourceLine,
    waiver: f.waiver ? { ...f.waiver } : null,
  };
}

/** Renders the JSON report, pretty-printed with a trailing newline. */
export function renderJson(ctx: ReportContext): string {
  return JSON.stringify(buildJsonReport(ctx), null, 2) + "\n";
}
