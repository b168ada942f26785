// GitHub Actions workflow commands: one annotation per finding, shown on the run and in the PR diff.

import type { Finding } from "../core/findings";
import { renderMarkdown } from "./markdown";
import { formatLineage, isFailing, summarize, type ReportContext } from "./types";

/** Escapes a workflow-command message (`%`, CR, LF), as the Actions toolkit does. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a workflow-command property value (also `:` and `,`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function command(f: Finding, ctx: ReportContext): string {
  const kind = f.status === "waived" ? "notice" : isFailing(f, ctx.threshold) ? "error" : "warning";
  const props = [`file=${escapeProperty(f.sourceFile ?? f.file)}`];
  if (f.sourceFile && f.sourceLine) props.push(`line=${f.sourceLine}`);
  const label = f.status === "waived" ? "waived " : "";
  props.push(`title=${escapeProperty(`${label}${f.rule} on ${f.address}`)}`);
  const lines = [f.message];
  const lineage = formatLineage(f);
  if (lineage) lines.push(`Lineage: ${lineage}`);
  lines.push(`Remediation: ${f.remediation}`);
  if (f.waiver)
    lines.push(`Waived: ${f.waiver.reason} (approved by ${f.waiver.approver}, expires ${f.waiver.expires})`);
  return `::${kind} ${props.join(",")}::${escapeData(lines.join("\n"))}`;
}

/** Renders one annotation per finding plus a final notice with the totals. */
export function renderGithub(ctx: ReportContext): string {
  const out = ctx.results.flatMap((r) => r.findings).map((f) => command(f, ctx));
  const s = summarize(ctx);
  out.push(
    `::notice title=${escapeProperty("residency-guard")}::${escapeData(
      `${s.verdict.toUpperCase()}: ${s.resources} resources, ${s.mandatory} mandatory, ${s.advisory} advisory, ${s.waived} waived (profile ${ctx.profile}, policy sha256 ${ctx.policy.sha256 || "unknown"})`,
    )}`,
  );
  return out.join("\n") + "\n";
}

/**
 * The job summary (`$GITHUB_STEP_SUMMARY`) that goes with the annotations: the Markdown report,
 * with a Mermaid flowchart of each input's violating lineages.
 */
export function renderGithubSummary(ctx: ReportContext): string {
  return renderMarkdown(ctx);
}
