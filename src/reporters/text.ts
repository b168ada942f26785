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

  const multipleInputs = ctx.inputs.length > 1;
  for (const group of groupByResource(allFindings(ctx))) {
    const first = group.findings[0]!;
    const cp = first.constructPath ? c.dim(`  [${first.constructPath}]`) : "";
    out.push("");
    out.push(c.bold(group.address) + cp + (multipleInputs ? c.dim(`  ${group.file}`) : ""));
    // Location and lineage usually belong to the resource, not the rule: print them once when shared.
    const location = formatLocation(first);
    const lineage = formatLineage(first);
    const sharedLocation = group.findings.every((f) => formatLocation(f) === location);
    const sharedLineage = group.findings.every((f) => formatLineage(f) === lineage);
    if (sharedLocation) out.push(`  ${c.dim("location:")}  ${location}`);
    if (sharedLineage && lineage) out.push(`  ${c.dim("lineage:")}   ${lineage}`);
    if (first.sourceFile)
      out.push(`  ${c.dim("declared:")}  ${first.sourceFile}${first.sourceLine ? `:${first.sourceLine}` : ""}`);
    for (const f of group.findings)
      out.push(...renderFinding(f, ctx, c, { location: !sharedLocation, lineage: !sharedLineage }));
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

function renderFinding(
  f: Finding,
  ctx: ReportContext,
  c: ReturnType<typeof pc.createColors>,
  show: { location: boolean; lineage: boolean },
): string[] {
  const lines: string[] = [];
  let mark: string;
  if (f.status === "waived") mark = c.cyan("~ waived   ");
  else if (isFailing(f, ctx.threshold)) mark = c.red(f.level === "mandatory" ? "x mandatory" : "x advisory ");
  else mark = c.yellow("! advisory ");
  lines.push(`  ${mark} ${c.bold(f.rule)}  ${f.title}`);
  const pad = "      ";
  lines.push(`${pad}${f.message}`);
  if (show.location) lines.push(`${pad}${c.dim("location:")}  ${formatLocation(f)}`);
  const lineage = formatLineage(f);
  if (show.lineage && lineage) lines.push(`${pad}${c.dim("lineage:")}   ${lineage}`);
  if (f.remediation) lines.push(`${pad}${c.dim("fix:")}       ${f.remediation}`);
  if (f.waiver) {
    lines.push(
      `${pad}${c.dim("waiver:")}    ${f.waiver.reason} (approved by ${f.waiver.approver}, expires ${f.waiver.expires}, pattern ${f.waiver.pattern})`,
    );
  }
  return lines;
}
