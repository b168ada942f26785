// Side-by-side verdicts of the `compare` command: one row per workload, one column per profile.

import type { Finding, ProfileComparison, ProfileName, Verdict } from "../core/findings";
import type { GuardInput } from "../inputs/types";
import type { InputMeta } from "./types";
import { code, escapeMarkdown } from "./markdown";

export const COMPARE_SCHEMA_VERSION = "residency-guard/compare/v1";

/** Context of one `compare` run: one comparison per input. */
export interface CompareContext {
  comparisons: ProfileComparison[];
  inputs: InputMeta[];
  policy: { sha256: string; file: string | null };
  tool: { name: string; version: string };
  /** For the HTML map: per input, its document and its findings under each profile (filled only for html). */
  maps?: CompareMapSource[];
}

/** One input of a `compare` run as the map draws it. */
export interface CompareMapSource {
  document: GuardInput;
  findings: Partial<Record<ProfileName, Finding[]>>;
}

export { COMPARE_FORMATS, type CompareFormat } from "./registry";

function cell(v: { verdict: Verdict; rules: string[] } | undefined): string {
  if (!v) return "n/a";
  return v.rules.length ? `${v.verdict} (${v.rules.join(", ")})` : v.verdict;
}

/**
 * Plain-text table: one verdict column per profile (with the number of rules that fired), rows
 * where the profiles disagree marked `*`, then the rules behind each non-pass verdict.
 */
export function renderCompareText(ctx: CompareContext): string {
  const out: string[] = [
    `${ctx.tool.name} ${ctx.tool.version}  compare  policy sha256:${ctx.policy.sha256 || "unknown"}`,
  ];
  ctx.comparisons.forEach((cmp, i) => {
    const input = ctx.inputs[i];
    out.push("");
    out.push(`input ${input?.file ?? "?"}${input?.stack ? ` (stack ${input.stack})` : ""}`);
    if (cmp.rows.length === 0) {
      out.push("  no resources judged");
      return;
    }
    const short = (v: { verdict: Verdict; rules: string[] } | undefined) =>
      !v ? "n/a" : v.rules.length ? `${v.verdict} (${v.rules.length})` : v.verdict;
    const header = ["", "resource", "region", ...cmp.profiles];
    const rows = cmp.rows.map((r) => {
      const keys = cmp.profiles.map(
        (p) => `${r.verdicts[p]?.verdict ?? "n/a"} ${r.verdicts[p]?.rules.join(",") ?? ""}`,
      );
      const differs = keys.some((k) => k !== keys[0]);
      return [
        differs ? "*" : " ",
        r.address,
        `${r.location.region ?? "unknown"} (${r.location.source})`,
        ...cmp.profiles.map((p) => short(r.verdicts[p])),
      ];
    });
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    const fmt = (r: string[]) =>
      " " +
      r
        .map((v, c) => v.padEnd(widths[c]!))
        .join("  ")
        .trimEnd();
    out.push(fmt(header));
    out.push(fmt(widths.map((w, c) => (c === 0 ? " " : "-").repeat(w))));
    for (const r of rows) out.push(fmt(r));
    const details: string[] = [];
    for (const r of cmp.rows) {
      for (const p of cmp.profiles) {
        const v = r.verdicts[p];
        if (v && v.rules.length) details.push(`  ${r.address} [${p}]: ${v.rules.join(", ")}`);
      }
    }
    if (rows.some((r) => r[0] === "*")) out.push("  * the profiles disagree (verdict or rules)");
    if (details.length) {
      out.push("");
      out.push("  rules:");
      out.push(...details.map((d) => `  ${d}`));
    }
  });
  return out.join("\n") + "\n";
}

/** JSON document `residency-guard/compare/v1`. */
export function renderCompareJson(ctx: CompareContext): string {
  return (
    JSON.stringify(
      {
        schema: COMPARE_SCHEMA_VERSION,
        tool: ctx.tool,
        policy: ctx.policy,
        inputs: ctx.comparisons.map((cmp, i) => ({
          file: ctx.inputs[i]?.file ?? null,
          stack: ctx.inputs[i]?.stack ?? null,
          kind: ctx.inputs[i]?.kind ?? null,
          profiles: cmp.profiles,
          rows: cmp.rows,
        })),
      },
      null,
      2,
    ) + "\n"
  );
}

/** Markdown table per input for PR comments: resources that fail or are waived under any profile. */
export function renderCompareMarkdown(ctx: CompareContext): string {
  const out: string[] = [
    `## residency-guard profile comparison`,
    "",
    `Policy sha256 \`${ctx.policy.sha256 || "unknown"}\``,
  ];
  ctx.comparisons.forEach((cmp, i) => {
    const input = ctx.inputs[i];
    out.push("");
    out.push(`### ${code(input?.file ?? "?")}${input?.stack ? ` (stack ${escapeMarkdown(input.stack)})` : ""}`);
    out.push("");
    const notable = cmp.rows.filter((r) => cmp.profiles.some((p) => r.verdicts[p]?.verdict !== "pass"));
    const passing = cmp.rows.length - notable.length;
    if (notable.length === 0) {
      out.push(`All ${cmp.rows.length} resources pass under every profile.`);
      return;
    }
    out.push(`| Resource | Region | ${cmp.profiles.map(escapeMarkdown).join(" | ")} |`);
    out.push(`| --- | --- | ${cmp.profiles.map(() => "---").join(" | ")} |`);
    for (const r of notable) {
      out.push(
        `| ${code(r.address)} | ${escapeMarkdown(r.location.region ?? "unknown")} | ${cmp.profiles
          .map((p) => escapeMarkdown(cell(r.verdicts[p])))
          .join(" | ")} |`,
      );
    }
    if (passing > 0) {
      out.push("");
      out.push(`${passing} other resource${passing === 1 ? "" : "s"} pass under every profile.`);
    }
  });
  return out.join("\n") + "\n";
}
