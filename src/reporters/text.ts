// Terminal report: findings grouped by resource, then a one-line summary.

import pc from "picocolors";
import type { Finding } from "../core/findings";
import {
  allFindings,
  formatLineage,
  formatLocation,
  groupByResource,
  isFailing,
  summarize,
  type RenderOptions,
  type ReportContext,
} from "./types";

/** Renders a readable report; colour only when `options.color` is set. */
export function renderText(ctx: ReportContext, options: RenderOptions = {}): string {
  const c = pc.createColors(options.color === true);
  const out: string[] = [];
  const sha = ctx.policy.sha256 ? ctx.policy.sha256 : "unknown";
  out.push(
    c.bold(`${ctx.tool.name} ${ctx.tool.version}`) +
      c.dim(`  profile ${ctx.profile}  threshold ${ctx.threshold}  policy sha256:${sha}`) +
      (ctx.policy.file ? c.dim(` (${ctx.policy.file})`) : ""),
  );
  for (const input of ctx.inputs) {
    const stack = input.stack ? `stack ${input.stack}, ` : "";
    out.push(c.dim(`input ${input.file} (${stack}${input.kind})`));
  }

  for (const group of groupByResource(allFindings(ctx))) {
    const first = group.findings[0];
    const cp = first?.constructPath ? c.dim(`  [${first.constructPath}]`) : "";
    out.push("");
    out.push(c.bold(group.address) + cp + c.dim(`  ${group.file}`));
    for (const f of group.findings) out.push(...renderFinding(f, ctx, c));
  }

  const s = summarize(ctx);
  const counts =
    `${s.resources} resource${s.resources === 1 ? "" : "s"} in ${s.inputs} input${s.inputs === 1 ? "" : "s"}: ` +
    `${s.mandatory} mandatory, ${s.advisory} advisory, ${s.waived} waived`;
  const verdict =
    s.verdict === "fail" ? c.red(c.bold(`FAIL (${s.failing} at or above ${ctx.threshold})`)) : c.green(c.bold("PASS"));
  out.push("");
  out.push(`${verdict}  ${counts}`);
  return out.join("\n") + "\n";
}

function renderFinding(f: Finding, ctx: ReportContext, c: ReturnType<typeof pc.createColors>): string[] {
  const lines: string[] = [];
  let mark: string;
  if (f.status === "waived") mark = c.cyan("~ waived   ");
  else if (isFailing(f, ctx.threshold)) mark = c.red(f.level === "mandatory" ? "x mandatory" : "x advisory ");
  else mark = c.yellow("! advisory ");
  lines.push(`  ${mark} ${c.bold(f.rule)}  ${f.title}`);
  const pad = "      ";
  lines.push(`${pad}${f.message}`);
  lines.push(`${pad}${c.dim("location:")}  ${formatLocation(f)}`);
  const lineage = formatLineage(f);
  if (lineage) lines.push(`${pad}${c.dim("lineage:")}   ${lineage}`);
  if (f.sourceFile) lines.push(`${pad}${c.dim("declared:")}  ${f.sourceFile}${f.sourceLine ? `:${f.sourceLine}` : ""}`);
  if (f.remediation) lines.push(`${pad}${c.dim("fix:")}       ${f.remediation}`);
  if (f.waiver) {
    lines.push(
      `${pad}${c.dim("waiver:")}    ${f.waiver.reason} (approved by ${f.waiver.approver}, expires ${f.waiver.expires}, pattern ${f.waiver.pattern})`,
    );
  }
  return lines;
}
