// Modules nested two deep: a platform module instantiated per team with for_each, which calls a
// GPU notebook module; the dataset ARN and the Region pass through both levels of variables, and
// the notebook's policy document (read during apply: the bucket is new) names the bucket only
// through `var.dataset_arn`.

import { cat, fn, lazy, ref, type PlanSpec, type Res } from "../builder";
import { assume, aws, callerData, kmsKey, R, s3Bucket, SEOUL } from "../kit";
import { fail, PASS, type Scenario } from "../scenario";

const ACCOUNT = "730184526619";
const OUTER = "module.team";
const INNER = "module.team.module.notebook";

function nested(teams: Record<string, string>): PlanSpec {
  const keys = Object.keys(teams);
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...kmsKey("members", { alias: "alias/member-profiles" }),
    ...s3Bucket("members", {
      bucket: "acme-member-profiles-2026",
      tags: { DataClassification: "personal" },
      kms: "aws_kms_key.members.arn",
      tls: "doc",
      logTo: "aws_s3_bucket.member_logs.id",
    }),
    ...s3Bucket("member_logs", {
      bucket: "acme-member-profiles-logs",
      tags: { DataClassification: "internal" },
      kms: "AES256",
      versioning: false,
    }),
    {
      type: "aws_kms_key",
      name: "volumes",
      module: INNER,
      cfg: { description: "notebook volumes", enable_key_rotation: true, region: ref("var.region") },
    },
    {
      type: "aws_iam_role",
      name: "notebook",
      module: INNER,
      cfg: { name: ref("var.name"), assume_role_policy: assume("sagemaker.amazonaws.com") },
    },
    {
      type: "aws_iam_policy_document",
      name: "read",
      data: true,
      module: INNER,
      cfg: {
        statement: [
          { actions: ["s3:ListBucket"], resources: [ref("var.dataset_arn")] },
          { actions: ["s3:GetObject"], resources: [cat(ref("var.dataset_arn"), "/*")] },
        ],
      },
    },
    {
      type: "aws_iam_role_policy",
      name: "read",
      module: INNER,
      cfg: {
        name: "dataset",
        role: ref("aws_iam_role.notebook.id"),
        policy: ref("data.aws_iam_policy_document.read.json"),
      },
    },
    {
      type: "aws_sagemaker_notebook_instance",
      name: "this",
      module: INNER,
      cfg: {
        name: ref("var.name"),
        region: ref("var.region"),
        instance_type: "ml.g5.4xlarge",
        role_arn: ref("aws_iam_role.notebook.arn"),
        subnet_id: ref("var.subnet_id"),
        direct_internet_access: "Disabled",
        root_access: "Disabled",
        kms_key_id: ref("aws_kms_key.volumes.arn"),
      },
    },
  ];
  const subnet = (k: string) => `subnet-0${(keys.indexOf(k) + 3).toString(16)}9e4c2a7b1d5f3e8`;
  return {
    variables: { teams: { value: teams } },
    providers: [aws(SEOUL, { defaultTags: { Platform: "member-ml" } })],
    modules: [
      {
        path: OUTER,
        source: "./modules/team-platform",
        keys,
        forEachExpr: ref("var.teams"),
        inputs: {
          team: fn((k: string) => k, "each.key"),
          region: fn((k: string) => teams[k], "each.value"),
          dataset_arn: ref("aws_s3_bucket.members.arn"),
          subnet_id: fn(subnet, "each.key"),
        },
      },
      {
        path: INNER,
        source: "../gpu-notebook",
        inputs: {
          name: fn(
            lazy((_k, r) => `members-${r("var.team") as string}`),
            "var.team",
          ),
          region: ref("var.region"),
          dataset_arn: ref("var.dataset_arn"),
          subnet_id: ref("var.subnet_id"),
        },
      },
    ],
    resources,
  };
}

export const scenarios: Scenario[] = [
  {
    name: "modules-nested-for-each-one-team-abroad",
    description:
      'module.team (for_each over teams) calls module.notebook, which reads the new personal bucket through a deferred policy document over var.dataset_arn; the "churn" team\'s notebook sets its 6.x region to us-east-1: personal-data training outside Korea.',
    expect: {
      "kr-localization": {
        ...fail(R.TRAIN_OUT),
        findings: [`${R.TRAIN_OUT} module.team["churn"].module.notebook.aws_sagemaker_notebook_instance.this`],
      },
      "risk-based": PASS,
    },
    plan: nested({ fraud: SEOUL, churn: "us-east-1" }),
  },
  {
    name: "modules-nested-for-each-all-seoul",
    description: "The same nested modules with every team's notebook in Seoul, VPC-only. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: nested({ fraud: SEOUL, churn: SEOUL, retention: SEOUL }),
  },
];
