// Pull-request comment: a verdict heading, a summary table per input, then findings with details.

import type { Finding } from "../core/findings";
import { lineageFlowchart } from "./mermaid";
import { formatLineage, formatLocation, isFailing, summarize, type ReportContext } from "./types";

/** Findings listed in the table; the rest are counted. */
export const MAX_TABLE_ROWS = 200;
/** Findings with a details section. */
export const MAX_DETAILS = 50;
/** Inputs with a lineage flowchart; the rest are counted. */
export const MAX_CHARTS = 5;

/** Escapes text for a Markdown table cell or inline text (pipes, markup characters, newlines, HTML). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/[|`*_[\]<>#~]/g, (ch) => (ch === "<" ? "&lt;" : ch === ">" ? "&gt;" : `\\${ch}`))
    .replace(/\r?\n/g, " ");
}

/** Inline code span that survives backticks and pipes in the text. */
export function code(text: string): string {
  // Inline code cannot contain its own fence; use a longer fence when needed.
  const clean = text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
  const fence = clean.includes("`") ? "`` " : "`";
  const close = clean.includes("`") ? " ``" : "`";
  return `${fence}${clean}${close}`;
}

/** A Mermaid flowchart of each input's violating lineages (GitHub renders them), few and capped. */
function flowcharts(ctx: ReportContext): string[] {
  const charts: string[] = [];
  let more = 0;
  ctx.results.forEach((r, i) => {
    const chart = lineageFlowchart(r.findings, ctx.threshold);
    if (!chart) return;
    if (charts.length >= MAX_CHARTS) {
      more++;
      return;
    }
    const input = ctx.inputs[i];
    const name = input?.stack ? escapeMarkdown(input.stack) : code(input?.file ?? "-");
    charts.push(`**${name}**`, "", chart, "");
  });
  if (charts.length === 0) return [];
  const out = ["", "### Violating data paths", "", ...charts];
  if (more > 0) out.push(`… and ${more} more input${more === 1 ? "" : "s"} with violating paths: see the HTML report.`);
  return out;
}

function levelCell(f: Finding, ctx: ReportContext): string {
  if (f.status === "waived") return "waived";
  return isFailing(f, ctx.threshold) ? `**${f.level}**` : f.level;
}

/** Renders a GitHub/GitLab-flavoured Markdown report. */
export function renderMarkdown(ctx: ReportContext): string {
  const s = summarize(ctx);
  const out: string[] = [];
  const icon = s.verdict === "fail" ? ":x:" : ":white_check_mark:";
  const verdict =
    s.verdict === "fail"
      ? `${s.failing} violation${s.failing === 1 ? "" : "s"} at or above ${ctx.threshold}`
      : `no violations at or above ${ctx.threshold}`;
  out.push(`## ${icon} residency-guard: ${verdict}`);
  out.push("");
  out.push(
    `Profile \`${ctx.profile}\` · policy sha256 \`${ctx.policy.sha256 || "unknown"}\` · ${ctx.tool.name} ${escapeMarkdown(ctx.tool.version)}`,
  );
  out.push("");
  out.push("| Input | Stack | Resources | Mandatory | Advisory | Waived |");
  out.push("| --- | --- | ---: | ---: | ---: | ---: |");
  ctx.results.forEach((r, i) => {
    const input = ctx.inputs[i];
    let m = 0;
    let a = 0;
    let w = 0;
    for (const f of r.findings) {
      if (f.status === "waived") w++;
      else if (f.level === "mandatory") m++;
      else a++;
    }
    out.push(
      `| ${code(input?.file ?? "-")} | ${input?.stack ? escapeMarkdown(input.stack) : "-"} | ${r.summary.resources} | ${m} | ${a} | ${w} |`,
    );
  });
  out.push(`| **Total** | | ${s.resources} | ${s.mandatory} | ${s.advisory} | ${s.waived} |`);

  const findings = ctx.results.flatMap((r) => r.findings);
  if (findings.length === 0) return out.join("\n") + "\n";
  out.push(...flowcharts(ctx));
  // GitHub rejects comments over 65,536 characters: cap the rows and say what was left out.
  const tableRows = findings.slice(0, MAX_TABLE_ROWS);
  const detailed = findings.slice(0, MAX_DETAILS);

  out.push("");
  out.push("### Findings");
  out.push("");
  out.push("| Level | Rule | Resource | Region |");
  out.push("| --- | --- | --- | --- |");
  for (const f of tableRows) {
    out.push(
      `| ${levelCell(f, ctx)} | ${code(f.rule)} | ${code(f.address)} | ${escapeMarkdown(f.location.region ?? "unknown")} (${f.location.source}) |`,
    );
  }
  if (findings.length > tableRows.length) {
    out.push("");
    out.push(`… and ${findings.length - tableRows.length} more findings: see the JSON or SARIF report.`);
  }
  out.push("");
  out.push("<details><summary>Details</summary>");
  out.push("");
  for (const f of detailed) {
    out.push(`#### ${code(f.address)}: ${code(f.rule)} (${f.status === "waived" ? "waived" : f.level})`);
    out.push("");
    out.push(escapeMarkdown(f.message));
    out.push("");
    out.push(`- **Location:** ${escapeMarkdown(formatLocation(f))}`);
    const lineage = formatLineage(f);
    if (lineage) out.push(`- **Lineage:** ${code(lineage)}`);
    if (f.constructPath) out.push(`- **Construct:** ${code(f.constructPath)}`);
    if (f.sourceFile) out.push(`- **Declared:** ${code(`${f.sourceFile}${f.sourceLine ? `:${f.sourceLine}` : ""}`)}`);
    out.push(`- **Remediation:** ${escapeMarkdown(f.remediation)}`);
    if (f.waiver) {
      out.push(
        `- **Waiver:** ${escapeMarkdown(f.waiver.reason)} (approved by ${escapeMarkdown(f.waiver.approver)}, expires ${escapeMarkdown(f.waiver.expires)})`,
      );
    }
    out.push("");
  }
  if (findings.length > detailed.length) {
    out.push(
      `Details of ${findings.length - detailed.length} more findings are left out: see the JSON or SARIF report.`,
    );
    out.push("");
  }
  out.push("</details>");
  return out.join("\n") + "\n";
}
