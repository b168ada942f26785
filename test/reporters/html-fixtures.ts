// Hand-built input documents for the HTML map tests (no reader or policy needed).

import type { Finding } from "../../src/core/findings";
import type { GuardInput, ResolvedLocation, ResourceEntry } from "../../src/inputs/types";
import { resourceEntry } from "../helpers/resource-entry";
import { finding } from "./fixtures";

/** A location in `region` (null: unresolved). */
export function loc(region: string | null): ResolvedLocation {
  return region === null
    ? { cloud: "aws", region: null, source: "unresolved", detail: "provider without region" }
    : { cloud: "aws", region, source: "provider-config", detail: `provider "aws" (region = "${region}")` };
}

/** A resource entry of `address` in `region`. */
export function resource(address: string, region: string | null, over: Partial<ResourceEntry> = {}): ResourceEntry {
  return resourceEntry(address, loc(region), over);
}

/** A document of the given resources and links. */
export function doc(
  resources: ResourceEntry[],
  links: Array<[string, string, string]> = [],
  stack: string | null = "train",
): GuardInput {
  return {
    schema_version: "residency-guard/input/v1",
    source: { file: "cdktf.out/stacks/train/cdk.tf.json", kind: "cdktf-synth", stack },
    resources: Object.fromEntries(resources.map((r) => [r.address, r])),
    edges: links.map(([from, to, attribute]) => ({ from, to, attribute, how: "reference" as const })),
    external: {},
    iam_statements: [],
  } as unknown as GuardInput;
}

/**
 * The usual picture: a training job in us-east-1 reads a personal bucket in Seoul through a role;
 * a log bucket and a VPC are on no path; a replication configuration copies the bucket abroad.
 */
export function trainingDoc(): { document: GuardInput; findings: Finding[] } {
  const document = doc(
    [
      resource("aws_sagemaker_training_job.train", "us-east-1"),
      resource("aws_iam_role.trainer", "ap-northeast-2"),
      resource("aws_s3_bucket.dataset", "ap-northeast-2"),
      resource("aws_s3_bucket.replica", "us-west-2"),
      resource("aws_s3_bucket_replication_configuration.copy", "ap-northeast-2"),
      resource("aws_s3_bucket.logs", "ap-northeast-2"),
      resource("aws_vpc.main", "ap-northeast-2"),
      resource("aws_instance.mystery", null),
    ],
    [
      ["aws_sagemaker_training_job.train", "aws_iam_role.trainer", "role_arn"],
      ["aws_s3_bucket_replication_configuration.copy", "aws_s3_bucket.dataset", "bucket"],
      ["aws_s3_bucket_replication_configuration.copy", "aws_s3_bucket.replica", "rule.destination.bucket"],
      ["aws_instance.mystery", "aws_vpc.main", "vpc_id"],
    ],
  );
  const findings = [
    finding({
      lineage: [
        { address: "aws_sagemaker_training_job.train", reason: "references aws_iam_role.trainer via role_arn" },
        { address: "aws_iam_role.trainer", reason: "allows s3:GetObject on aws_s3_bucket.dataset" },
        { address: "aws_s3_bucket.dataset", reason: "tagged DataClassification=personal" },
      ],
    }),
    finding({
      rule: "cross-border/personal-data-replicated-abroad",
      address: "aws_s3_bucket_replication_configuration.copy",
      location: loc("ap-northeast-2"),
      lineage: [
        {
          address: "aws_s3_bucket_replication_configuration.copy",
          reason: "references aws_s3_bucket.dataset via bucket",
        },
        { address: "aws_s3_bucket.dataset", reason: "tagged DataClassification=personal" },
      ],
    }),
  ];
  return { document, findings };
}
