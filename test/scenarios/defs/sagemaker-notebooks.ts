// SageMaker notebook instances: the research team's usual entry point, in Seoul and elsewhere.

import { cat, fn, ref, type PlanSpec, type Res } from "../builder";
import {
  assume,
  aws,
  callerData,
  kmsKey,
  policyAttached,
  policyDoc,
  privateNetwork,
  R,
  role,
  s3Bucket,
  SEOUL,
  subnetRef,
} from "../kit";
import { fail, PASS, type Scenario } from "../scenario";

const ACCOUNT = "418273650912";

interface NotebookOpts {
  region: string;
  directInternet?: "Enabled" | "Disabled" | null;
  kms?: boolean;
  subnet?: boolean;
  classification?: string | null;
  instanceType?: string;
}

/** A research notebook reading a member-events bucket through a role and a managed policy. */
function notebookStack(o: NotebookOpts): PlanSpec {
  const tags: Record<string, string> = { Team: "ml-research" };
  if (o.classification) tags.DataClassification = o.classification;
  const nb: Record<string, unknown> = {
    name: "member-churn-research",
    instance_type: o.instanceType ?? "ml.g5.2xlarge",
    role_arn: ref("aws_iam_role.notebook.arn"),
    platform_identifier: "notebook-al2-v3",
    volume_size: 100,
    tags: { Purpose: "model-training" },
  };
  if (o.subnet !== false) {
    nb.subnet_id = subnetRef("research", `${o.region}a`);
    nb.security_groups = [ref("aws_security_group.research_training.id")];
  }
  if (o.directInternet) nb.direct_internet_access = o.directInternet;
  if (o.kms !== false) nb.kms_key_id = ref("aws_kms_key.research.arn");
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...privateNetwork("research", { region: o.region, cidr: "10.60.0.0/16" }),
    ...kmsKey("research", { alias: "alias/ml-research" }),
    ...s3Bucket("events", {
      bucket: `acme-member-events-${o.region}`,
      tags,
      kms: "aws_kms_key.research.arn",
      tls: "doc",
      logTo: "aws_s3_bucket.access_logs.id",
    }),
    ...s3Bucket("access_logs", {
      bucket: `acme-s3-access-logs-${o.region}`,
      tags: { DataClassification: "internal" },
      kms: "AES256",
    }),
    role("notebook", "sagemaker-member-churn-notebook", assume("sagemaker.amazonaws.com")),
    policyDoc("notebook_data", [
      {
        sid: "ReadTrainingData",
        actions: ["s3:GetObject", "s3:ListBucket"],
        resources: [ref("aws_s3_bucket.events.arn"), cat(ref("aws_s3_bucket.events.arn"), "/*")],
      },
      {
        sid: "UseDataKey",
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: [ref("aws_kms_key.research.arn")],
      },
    ]),
    ...policyAttached("notebook_data", "member-churn-notebook-data", "notebook_data", "notebook"),
    {
      type: "aws_iam_role_policy_attachment",
      name: "notebook_sagemaker",
      cfg: {
        role: ref("aws_iam_role.notebook.name"),
        policy_arn: "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess",
      },
    },
    { type: "aws_sagemaker_notebook_instance", name: "research", cfg: nb },
  ];
  return {
    variables: {
      aws_region: { value: o.region, default: SEOUL, description: "Region of the research environment" },
      environment: { value: "research", default: "dev" },
    },
    providers: [
      aws(ref("var.aws_region"), {
        defaultTags: fn({ Environment: "research", ManagedBy: "terraform", CostCenter: "ml-4410" }, "var.environment"),
      }),
    ],
    resources,
  };
}

export const scenarios: Scenario[] = [
  {
    name: "sm-notebook-seoul-private-cmk",
    description:
      "A GPU notebook in ap-northeast-2 in a private subnet with direct internet access disabled and a CMK reads a personal bucket (CMK, public access block, TLS-only policy, access logs) through role -> attachment -> managed policy -> policy document. Every kr-localization requirement is met.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: notebookStack({ region: SEOUL, directInternet: "Disabled", classification: "personal" }),
  },
  {
    name: "sm-notebook-us-east-1-via-variable",
    description:
      "The same notebook stack applied with var.aws_region = us-east-1: the personal bucket and the notebook that trains on it are both outside Korea. Safeguards are all present, so risk-based passes.",
    expect: { "kr-localization": fail(R.TRAIN_OUT, R.STORE_OUT), "risk-based": PASS },
    plan: notebookStack({ region: "us-east-1", directInternet: "Disabled", classification: "personal" }),
  },
  {
    name: "sm-notebook-seoul-direct-internet-default",
    description:
      "Seoul notebook in a private subnet but direct_internet_access is not written, so the provider default Enabled applies: the notebook has a public internet path while training on personal data.",
    expect: { "kr-localization": fail(R.PRIVATE, R.PUBLIC), "risk-based": fail(R.PUBLIC) },
    plan: notebookStack({ region: SEOUL, directInternet: null, classification: "personal" }),
  },
  {
    name: "sm-notebook-seoul-no-kms",
    description:
      "Seoul notebook, private and without internet, but kms_key_id is not set: its ML storage volume is encrypted with an AWS-managed key while it processes personal data.",
    expect: { "kr-localization": fail(R.CMK), "risk-based": fail(R.CMK) },
    plan: notebookStack({ region: SEOUL, directInternet: "Disabled", kms: false, classification: "personal" }),
  },
  {
    name: "sm-notebook-us-west-2-internal-data",
    description:
      "A notebook in us-west-2 with internet access trains on a bucket explicitly classified internal (no personal data anywhere): no residency, private-cloud or safeguard rule applies.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: notebookStack({ region: "us-west-2", directInternet: "Enabled", classification: "internal" }),
  },
  {
    name: "sm-notebook-ap-northeast-1-via-variable",
    description:
      "The notebook stack applied with var.aws_region = ap-northeast-1 (Tokyo, the nearest Region): still outside Korea for both the notebook and its personal bucket.",
    expect: { "kr-localization": fail(R.TRAIN_OUT, R.STORE_OUT), "risk-based": PASS },
    plan: notebookStack({ region: "ap-northeast-1", directInternet: "Disabled", classification: "personal" }),
  },
  {
    name: "sm-notebook-seoul-public-data-no-vpc",
    description:
      "A Seoul notebook outside any VPC with internet access working on a bucket classified public: no personal data, so neither the private-cloud nor the public-access rule applies.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: notebookStack({ region: SEOUL, directInternet: "Enabled", subnet: false, classification: "public" }),
  },
];
