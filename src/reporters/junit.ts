// JUnit XML for CI test tabs: one test suite per input, one test case per resource and rule.
// Violations at or above the threshold are failures, waived findings are skipped, and a resource
// without findings is one passing case, so the totals show how much was judged.

import type { Finding } from "../core/findings";
import { formatLineage, formatLocation, isFailing, type ReportContext } from "./types";

// XML 1.0 forbids most control characters even when escaped; drop them.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for XML element content and double-quoted attributes. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\r/g, "&#13;")
    .replace(/\n/g, "&#10;");
}

function body(text: string): string {
  // Newlines stay literal in element content; only attributes need them encoded.
  return escapeXml(text).replace(/&#10;/g, "\n").replace(/&#13;/g, "");
}

function details(f: Finding): string {
  const lines = [f.message, `location: ${formatLocation(f)}`];
  const lineage = formatLineage(f);
  if (lineage) lines.push(`lineage: ${lineage}`);
  if (f.sourceFile) lines.push(`declared: ${f.sourceFile}${f.sourceLine ? `:${f.sourceLine}` : ""}`);
  lines.push(`remediation: ${f.remediation}`);
  return lines.join("\n");
}

function testcase(f: Finding, ctx: ReportContext): { xml: string; failed: boolean; skipped: boolean } {
  const open = `    <testcase classname="${escapeXml(f.address)}" name="${escapeXml(f.rule)}" file="${escapeXml(f.sourceFile ?? f.file)}"`;
  if (f.status === "waived") {
    const why = f.waiver
      ? `waived: ${f.waiver.reason} (approved by ${f.waiver.approver}, expires ${f.waiver.expires})`
      : "waived";
    return {
      xml: `${open}>\n      <skipped message="${escapeXml(why)}"/>\n    </testcase>`,
      failed: false,
      skipped: true,
    };
  }
  if (isFailing(f, ctx.threshold)) {
    return {
      xml:
        `${open}>\n      <failure message="${escapeXml(f.title)}" type="${f.level}">${body(details(f))}</failure>\n` +
        `    </testcase>`,
      failed: true,
      skipped: false,
    };
  }
  // An advisory finding below the threshold does not fail the build but stays visible.
  return {
    xml: `${open}>\n      <system-out>${body(`advisory: ${details(f)}`)}</system-out>\n    </testcase>`,
    failed: false,
    skipped: false,
  };
}

/** Renders JUnit XML (the Ant/Jenkins dialect that GitLab, Jenkins and most CI systems read). */
export function renderJunit(ctx: ReportContext): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  ctx.results.forEach((result, i) => {
    const input = ctx.inputs[i];
    const file = input?.file ?? result.findings[0]?.file ?? `input-${i + 1}`;
    const name = `${ctx.tool.name} ${result.profile}: ${file}${input?.stack ? ` (stack ${input.stack})` : ""}`;
    const cases: string[] = [];
    let sTests = 0;
    let sFailures = 0;
    let sSkipped = 0;
    const withFindings = new Set<string>();
    for (const f of result.findings) {
      withFindings.add(f.address);
      const tc = testcase(f, ctx);
      cases.push(tc.xml);
      sTests++;
      if (tc.failed) sFailures++;
      if (tc.skipped) sSkipped++;
    }
    for (const address of input?.addresses ?? []) {
      if (withFindings.has(address)) continue;
      cases.push(`    <testcase classname="${escapeXml(address)}" name="all rules" file="${escapeXml(file)}"/>`);
      sTests++;
    }
    tests += sTests;
    failures += sFailures;
    skipped += sSkipped;
    suites.push(
      `  <testsuite name="${escapeXml(name)}" tests="${sTests}" failures="${sFailures}" errors="0" skipped="${sSkipped}">\n` +
        `    <properties>\n` +
        `      <property name="profile" value="${escapeXml(result.profile)}"/>\n` +
        `      <property name="threshold" value="${escapeXml(ctx.threshold)}"/>\n` +
        `      <property name="policySha256" value="${escapeXml(result.policySha256)}"/>\n` +
        `    </properties>\n` +
        (cases.length ? cases.join("\n") + "\n" : "") +
        `  </testsuite>`,
    );
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${escapeXml(ctx.tool.name)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n` +
    (suites.length ? suites.join("\n") + "\n" : "") +
    `</testsuites>\n`
  );
}
