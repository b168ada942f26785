// Findings are data: rules produce them, reporters only format them.

import type { ResolvedLocation } from "../inputs/types";

export type Level = "mandatory" | "advisory";
export type Status = "violation" | "waived";
export type ProfileName = "kr-localization" | "risk-based";
export type RuleCategory = "residency" | "private-cloud" | "cross-border" | "safeguards" | "sector";

export interface LineageStep {
  /** Resource address on the path from the workload to the personal data. */
  address: string;
  /** Why this step is on the path, e.g. `tagged DataClassification=personal` or `references via role_arn`. */
  reason: string;
}

export interface Finding {
  /** Stable id `<category>/<name>`, e.g. `residency/personal-training-outside-korea`. */
  rule: string;
  title: string;
  level: Level;
  status: Status;
  /** Resource address as Terraform prints it; `type.logicalId` for cdktf JSON. */
  address: string;
  constructPath: string | null;
  location: ResolvedLocation;
  /** From the judged resource to the resource that makes it personal; empty when the resource itself is personal or not relevant. */
  lineage: LineageStep[];
  message: string;
  remediation: string;
  profile: ProfileName;
  /** The input file and, when known, the declaring source file and line. */
  file: string;
  sourceFile: string | null;
  sourceLine: number | null;
  /** Present when status is "waived". */
  waiver?: { reason: string; approver: string; expires: string; pattern: string };
}

/** Metadata of one rule, from its METADATA block. */
export interface RuleMeta {
  id: string;
  category: RuleCategory;
  title: string;
  level: Level;
  remediation: string;
  description: string;
  profiles: ProfileName[];
}

export interface EvaluationResult {
  profile: ProfileName;
  /** SHA-256 (hex) of the compiled policy Wasm that produced the findings. */
  policySha256: string;
  findings: Finding[];
  /** Resources judged, and counts by status and level. */
  summary: { resources: number; mandatory: number; advisory: number; waived: number };
}

export type Verdict = "pass" | "fail" | "waived";

/** Per-resource verdicts under each profile (the `compare` command). */
export interface ProfileComparison {
  profiles: ProfileName[];
  rows: Array<{
    address: string;
    constructPath: string | null;
    location: ResolvedLocation;
    verdicts: Record<ProfileName, { verdict: Verdict; rules: string[] }>;
  }>;
}
