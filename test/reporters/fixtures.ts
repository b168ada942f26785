// Hand-built findings and report contexts for reporter tests (no policy or engine needed).

import type { EvaluationResult, Finding, RuleMeta } from "../../src/core/findings";
import type { ReportContext } from "../../src/reporters/types";

export const SHA = "a".repeat(64);

export const RULES: RuleMeta[] = [
  {
    id: "residency/personal-training-outside-korea",
    category: "residency",
    title: "Personal-data training outside Korea",
    level: "mandatory",
    remediation: "Place the training job in ap-northeast-2 or ap-northeast-3... use a Korean region.",
    description: "A training job that reads personal data must run in a Korean region.",
    profiles: ["kr-localization"],
  },
  {
    id: "safeguards/encryption-at-rest",
    category: "safeguards",
    title: "Training data not encrypted with a customer key",
    level: "advisory",
    remediation: "Set a KMS key on the bucket.",
    description: "Personal training data should be encrypted with a customer-managed key.",
    profiles: ["kr-localization", "risk-based"],
  },
];

/** A finding with sensible defaults; override any field. */
export function finding(over: Partial<Finding> = {}): Finding {
  return {
    rule: "residency/personal-training-outside-korea",
    title: "Personal-data training outside Korea",
    level: "mandatory",
    status: "violation",
    address: "aws_sagemaker_training_job.train",
    constructPath: "train/job",
    location: {
      cloud: "aws",
      region: "us-east-1",
      source: "provider-config",
      detail: 'provider "aws.us" (region = "us-east-1")',
    },
    lineage: [
      { address: "aws_sagemaker_training_job.train", reason: "judged workload" },
      { address: "aws_iam_role.trainer", reason: "references via role_arn" },
      { address: "aws_s3_bucket.dataset", reason: "tagged DataClassification=personal" },
    ],
    message: "Training job aws_sagemaker_training_job.train reads personal data and runs in us-east-1, outside Korea.",
    remediation: "Use a Korean region.",
    profile: "kr-localization",
    file: "cdktf.out/stacks/train/cdk.tf.json",
    sourceFile: "stacks/train.ts",
    sourceLine: 42,
    ...over,
  };
}

/** One result over the given findings, with counts derived from them. */
export function result(findings: Finding[], resources = 5): EvaluationResult {
  return {
    profile: findings[0]?.profile ?? "kr-localization",
    policySha256: SHA,
    findings,
    summary: {
      resources,
      mandatory: findings.filter((f) => f.status === "violation" && f.level === "mandatory").length,
      advisory: findings.filter((f) => f.status === "violation" && f.level === "advisory").length,
      waived: findings.filter((f) => f.status === "waived").length,
    },
  };
}

/** The usual mix: one mandatory violation, one advisory violation, one waived finding. */
export function mixedFindings(): Finding[] {
  return [
    finding(),
    finding({
      rule: "safeguards/encryption-at-rest",
      title: "Training data not encrypted with a customer key",
      level: "advisory",
      address: "aws_s3_bucket.dataset",
      constructPath: "train/dataset",
      lineage: [],
      message: "Bucket aws_s3_bucket.dataset holds personal data without a customer-managed key.",
      remediation: "Set a KMS key on the bucket.",
      sourceFile: null,
      sourceLine: null,
      location: {
        cloud: "aws",
        region: "ap-northeast-2",
        source: "resource-region",
        detail: 'region = "ap-northeast-2"',
      },
    }),
    finding({
      address: "aws_sagemaker_training_job.legacy",
      status: "waived",
      constructPath: null,
      sourceFile: null,
      sourceLine: null,
      waiver: {
        reason: "migration ticket OPS-12",
        approver: "dpo@example.com",
        expires: "2027-01-31",
        pattern: "aws_sagemaker_training_job.legacy",
      },
    }),
  ];
}

/** A report context over the given findings. */
export function context(findings: Finding[] = mixedFindings(), over: Partial<ReportContext> = {}): ReportContext {
  return {
    results: [result(findings)],
    inputs: [
      {
        file: "cdktf.out/stacks/train/cdk.tf.json",
        stack: "train",
        kind: "cdktf-synth",
        addresses: [
          "aws_sagemaker_training_job.train",
          "aws_sagemaker_training_job.legacy",
          "aws_s3_bucket.dataset",
          "aws_iam_role.trainer",
          "aws_kms_key.k",
        ],
      },
    ],
    profile: "kr-localization",
    threshold: "mandatory",
    policy: { sha256: SHA, file: "dist/policies/residency-guard.wasm" },
    rules: RULES,
    tool: { name: "residency-guard", version: "0.1.0" },
    rulesDocUri: "https://github.com/residency-guard/residency-guard/blob/main/docs/rules.md",
    ...over,
  };
}
