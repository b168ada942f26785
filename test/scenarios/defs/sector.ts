// Regulated sectors and the risk-based profile: location-neutral stacks whose safeguards decide.

import { fn, ref, U, type PlanSpec, type Res } from "../builder";
import { assume, aws, callerData, kmsKey, privateNetwork, R, role, s3Bucket, SEOUL, subnetRef } from "../kit";
import { fail, PASS, type Scenario } from "../scenario";

const ACCOUNT = "486103275519";

interface SectorOpts {
  region: string;
  sector: "healthcare" | "finance";
  sectorOn?: "bucket" | "workload";
  logging?: boolean;
  rotation?: boolean;
  internet?: boolean;
  subnet?: boolean;
}

/** A notebook training on a regulated-sector personal bucket, all in one Region. */
function sectorStack(o: SectorOpts): PlanSpec {
  const bucketTags: Record<string, string> = { DataClassification: "personal" };
  if (o.sectorOn !== "workload") bucketTags.sector = o.sector;
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...kmsKey("records", { alias: `alias/${o.sector}-records`, rotation: o.rotation !== false }),
    ...s3Bucket("records", {
      bucket: `acme-${o.sector}-records-${o.region}`,
      tags: bucketTags,
      kms: "aws_kms_key.records.arn",
      tls: "doc",
      ...(o.logging === false ? {} : { logTo: "aws_s3_bucket.records_logs.id" }),
    }),
    ...s3Bucket("records_logs", {
      bucket: `acme-${o.sector}-records-logs-${o.region}`,
      tags: { DataClassification: "internal" },
      kms: "AES256",
      versioning: false,
    }),
    ...privateNetwork("ml", { region: o.region, cidr: "10.66.0.0/16" }),
    role("notebook", `${o.sector}-model-dev`, assume("sagemaker.amazonaws.com")),
    {
      type: "aws_iam_role_policy",
      name: "notebook",
      cfg: {
        name: "records",
        role: ref("aws_iam_role.notebook.id"),
        policy: fn(U, "aws_s3_bucket.records.arn", "aws_s3_bucket.records.arn", "aws_kms_key.records.arn"),
      },
    },
    {
      type: "aws_sagemaker_notebook_instance",
      name: "dev",
      cfg: {
        name: `${o.sector}-model-dev`,
        instance_type: "ml.g5.4xlarge",
        role_arn: ref("aws_iam_role.notebook.arn"),
        ...(o.subnet === false
          ? {}
          : {
              subnet_id: subnetRef("ml", `${o.region}a`),
              security_groups: [ref("aws_security_group.ml_training.id")],
            }),
        direct_internet_access: o.internet ? "Enabled" : "Disabled",
        root_access: "Disabled",
        kms_key_id: ref("aws_kms_key.records.arn"),
        ...(o.sectorOn === "workload" ? { tags: { sector: o.sector } } : {}),
      },
    },
  ];
  return {
    variables: { region: { value: o.region, default: SEOUL } },
    providers: [
      aws(ref("var.region"), { defaultTags: { Compliance: o.sector === "healthcare" ? "hipaa-aligned" : "efsa" } }),
    ],
    resources,
  };
}

const OUT = [R.TRAIN_OUT, R.STORE_OUT];

export const scenarios: Scenario[] = [
  {
    name: "sector-health-us-west-2-safeguarded",
    description:
      "Healthcare personal records and the notebook that trains on them in us-west-2, with rotating CMK, access logging, TLS-only policy, private subnet and no internet: risk-based passes, kr-localization fails on location.",
    expect: { "kr-localization": fail(...OUT), "risk-based": PASS },
    plan: sectorStack({ region: "us-west-2", sector: "healthcare" }),
  },
  {
    name: "sector-health-us-west-2-no-access-logging",
    description:
      "The us-west-2 healthcare stack without access logging on the records bucket: mandatory for a regulated sector under risk-based (advisory under kr-localization).",
    expect: { "kr-localization": fail(...OUT), "risk-based": fail(R.SECTOR_LOG) },
    plan: sectorStack({ region: "us-west-2", sector: "healthcare", logging: false }),
  },
  {
    name: "sector-health-seoul-key-without-rotation",
    description:
      "Healthcare records in Seoul under a CMK with rotation off: fine for kr-localization, a violation of the sector key-rotation rule under risk-based.",
    expect: { "kr-localization": PASS, "risk-based": fail(R.SECTOR_KEY) },
    plan: sectorStack({ region: SEOUL, sector: "healthcare", rotation: false }),
  },
  {
    name: "sector-finance-seoul-no-access-logging",
    description:
      "Finance personal data in Seoul without access logging: only advisory under kr-localization, mandatory under risk-based.",
    expect: { "kr-localization": PASS, "risk-based": fail(R.SECTOR_LOG) },
    plan: sectorStack({ region: SEOUL, sector: "finance", logging: false }),
  },
  {
    name: "sector-finance-eu-central-1-notebook-internet",
    description:
      "Finance notebook in eu-central-1 with direct internet access: outside Korea and public; under risk-based a public path and a non-isolated regulated workload.",
    expect: { "kr-localization": fail(...OUT, R.PRIVATE, R.PUBLIC), "risk-based": fail(R.PUBLIC, R.SECTOR_ISO) },
    plan: sectorStack({ region: "eu-central-1", sector: "finance", internet: true }),
  },
  {
    name: "sector-tag-on-workload-seoul-no-subnet",
    description:
      "The sector tag sits on the notebook (healthcare), not on the data; the notebook has no subnet (not VPC-placed) and direct internet access: not isolated and public under either profile.",
    expect: { "kr-localization": fail(R.PRIVATE, R.PUBLIC), "risk-based": fail(R.PUBLIC, R.SECTOR_ISO) },
    plan: sectorStack({ region: SEOUL, sector: "healthcare", sectorOn: "workload", subnet: false, internet: true }),
  },
  {
    name: "sector-finance-seoul-fully-safeguarded",
    description: "Finance personal data and its notebook in Seoul with every safeguard. Compliant under both profiles.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: sectorStack({ region: SEOUL, sector: "finance" }),
  },
  {
    name: "sector-health-seoul-fully-safeguarded",
    description:
      "Healthcare personal records and their notebook in Seoul with every safeguard. Compliant under both profiles.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: sectorStack({ region: SEOUL, sector: "healthcare" }),
  },
];
