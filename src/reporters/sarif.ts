// SARIF 2.1.0 log for code-scanning upload: one run, the policy's rules as the driver's rules,
// one result per finding; waived findings carry an accepted suppression.

import { createHash } from "node:crypto";
import type { Finding, RuleMeta } from "../core/findings";
import { allFindings, formatLineage, formatLocation, ruleIndex, type ReportContext } from "./types";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** GitHub's heading anchor for a rule id heading in docs/rules.md (`residency/x-y` -> `residencyx-y`). */
export function ruleAnchor(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]+/gu, "")
    .replace(/ /g, "-");
}

/** File paths as relative URI references with forward slashes, so code scanning can match them to the repository. */
export function pathToUri(file: string): string {
  const posix = file.replace(/\\/g, "/").replace(/^\.\//, "");
  return posix
    .split("/")
    .map((seg) => encodeURIComponent(seg))
    .join("/");
}

function sarifRule(rule: RuleMeta, docUri: string) {
  const helpUri = `${docUri}#${ruleAnchor(rule.id)}`;
  const description = rule.description || rule.title;
  return {
    id: rule.id,
    name: rule.id
      .split(/[/-]/)
      .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
      .join(""),
    shortDescription: { text: rule.title },
    fullDescription: { text: description },
    help: {
      text: `${description}\n\nRemediation: ${rule.remediation}\n\nSee ${helpUri}`,
      markdown: `${description}\n\n**Remediation:** ${rule.remediation}\n\n[Rule documentation](${helpUri})`,
    },
    helpUri,
    defaultConfiguration: { level: rule.level === "mandatory" ? "error" : "warning" },
    properties: { category: rule.category, profiles: [...rule.profiles], tags: ["residency-guard", rule.category] },
  };
}

function fingerprint(f: Finding): string {
  return createHash("sha256").update(`${f.rule}\u0000${f.file}\u0000${f.address}\u0000${f.profile}`).digest("hex");
}

function sarifResult(f: Finding, ruleIdx: number) {
  const text = [f.message, `Location: ${formatLocation(f)}.`, formatLineage(f) ? `Lineage: ${formatLineage(f)}.` : ""]
    .filter(Boolean)
    .join(" ");
  const artifact = f.sourceFile ?? f.file;
  const physicalLocation: Record<string, unknown> = { artifactLocation: { uri: pathToUri(artifact) } };
  if (f.sourceFile && f.sourceLine !== null && f.sourceLine >= 1) {
    physicalLocation.region = { startLine: f.sourceLine };
  }
  const result: Record<string, unknown> = {
    ruleId: f.rule,
    ruleIndex: ruleIdx,
    level: f.level === "mandatory" ? "error" : "warning",
    message: { text },
    locations: [
      {
        physicalLocation,
        logicalLocations: [
          {
            name: f.address.split(".").slice(-2).join("."),
            fullyQualifiedName: f.address,
            kind: "resource",
          },
        ],
      },
    ],
    partialFingerprints: { "residencyGuardFinding/v1": fingerprint(f) },
    properties: {
      profile: f.profile,
      status: f.status,
      inputFile: f.file,
      constructPath: f.constructPath,
      location: { ...f.location },
      lineage: f.lineage.map((s) => ({ ...s })),
      remediation: f.remediation,
    },
  };
  if (f.waiver) {
    result.suppressions = [
      {
        kind: "external",
        status: "accepted",
        justification: `${f.waiver.reason} (approved by ${f.waiver.approver}, expires ${f.waiver.expires})`,
        properties: { ...f.waiver },
      },
    ];
  }
  return result;
}

/** Builds the SARIF log object. */
export function buildSarif(ctx: ReportContext): Record<string, unknown> {
  const rules = [...ruleIndex(ctx).values()].sort((a, b) => a.id.localeCompare(b.id));
  const indexOf = new Map(rules.map((r, i) => [r.id, i]));
  const artifacts = new Set<string>();
  for (const input of ctx.inputs) artifacts.add(input.file);
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: ctx.tool.name,
            version: ctx.tool.version,
            semanticVersion: /^\d+\.\d+\.\d+/.test(ctx.tool.version) ? ctx.tool.version : undefined,
            informationUri: ctx.rulesDocUri.replace(/#.*$/, ""),
            rules: rules.map((r) => sarifRule(r, ctx.rulesDocUri)),
          },
        },
        // The policy digest identifies exactly which compiled rules judged the inputs.
        automationDetails: { id: `residency-guard/${ctx.profile}/` },
        invocations: [
          {
            executionSuccessful: true,
            properties: {
              profile: ctx.profile,
              threshold: ctx.threshold,
              policySha256: ctx.policy.sha256,
              policyFile: ctx.policy.file,
            },
          },
        ],
        artifacts: [...artifacts].map((file) => ({ location: { uri: pathToUri(file) } })),
        results: allFindings(ctx).map((f) => sarifResult(f, indexOf.get(f.rule) ?? 0)),
        columnKind: "utf16CodeUnits",
      },
    ],
  };
}

/** Renders the SARIF 2.1.0 log as pretty JSON. */
export function renderSarif(ctx: ReportContext): string {
  return JSON.stringify(buildSarif(ctx), null, 2) + "\n";
}
