// First applies: the dataset bucket is new, so its ARN is unknown at plan and every IAM document
// that names it is read during apply. Terraform then writes the policy document data source as a
// `read` change whose lists hold known literals beside unknown elements (per element), and a
// `policy` built by jsonencode over the bucket's ARN as unknown. Each scenario varies how the
// access is written: mixed elements, references only to non-personal stores, locals, jsonencode,
// bucket policies naming the new role, merged source documents.

import { cat, fn, jsonencodeOf, ref, U, type Cfg, type PlanSpec, type Res } from "../builder";
import {
  assume,
  aws,
  callerData,
  kmsKey,
  policyAttached,
  privateNetwork,
  R,
  role,
  s3Bucket,
  SEOUL,
  subnetRef,
} from "../kit";
import { fail, PASS, type Scenario } from "../scenario";

const ACCOUNT = "482915730264";
const PERSONAL = "acme-claims-history-2026";
const OPEN = "acme-open-benchmarks";

interface StackOpts {
  /** Region of the GPU host (an aliased provider when not Seoul). */
  region: string;
  /** Statement blocks of data.aws_iam_policy_document.trainer (attached to the host role). */
  statements?: Cfg[];
  /** Replaces the managed policy: an inline role policy with this `policy` expression. */
  inlinePolicy?: unknown;
  /** Extra resources (bucket policies, more documents). */
  extra?: Res[];
  /** The personal bucket's policy is written by the scenario (extra), not the TLS-only document. */
  ownBucketPolicy?: boolean;
  /** Statement blocks of the document are in another document merged with source_policy_documents. */
  viaSource?: boolean;
  /** What the plan does to the GPU host (default: create). */
  hostAction?: Res["action"];
  /** A second, Seoul host beside the one in `region` (the stack moves or keeps training at home). */
  seoulHost?: boolean;
  opentofu?: boolean;
  terraformVersion?: string;
}

const personalArn = () => ref("aws_s3_bucket.personal.arn");
const personalObjects = () => cat(ref("aws_s3_bucket.personal.arn"), "/*");
const openArn = () => ref("aws_s3_bucket.open.arn");
const openObjects = () => cat(ref("aws_s3_bucket.open.arn"), "/*");

/** A claims-model team's stack: new personal and open buckets in Seoul, a GPU host, its role. */
export function stack(o: StackOpts): PlanSpec {
  const abroad = o.region !== SEOUL;
  const hp = abroad ? "aws.train" : undefined;
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...kmsKey("data", { alias: "alias/claims-data" }),
    ...s3Bucket("personal", {
      bucket: PERSONAL,
      tags: { DataClassification: "personal", Sector: "insurance" },
      kms: "aws_kms_key.data.arn",
      tls: o.ownBucketPolicy ? null : "doc",
      logTo: "aws_s3_bucket.logs.id",
    }),
    ...s3Bucket("open", {
      bucket: OPEN,
      tags: { DataClassification: "public" },
      kms: "aws_kms_key.data.arn",
      tls: "doc",
    }),
    ...s3Bucket("logs", {
      bucket: "acme-claims-access-logs",
      tags: { DataClassification: "internal" },
      kms: "AES256",
      versioning: false,
    }),
    ...privateNetwork("train", { provider: hp, region: o.region, cidr: "10.91.0.0/16" }),
    ...kmsKey("volumes", { provider: hp, alias: "alias/train-volumes" }),
    role("trainer", "claims-gpu-trainer", assume("ec2.amazonaws.com")),
    {
      type: "aws_iam_instance_profile",
      name: "trainer",
      cfg: { name: "claims-gpu-trainer", role: ref("aws_iam_role.trainer.name") },
    },
  ];
  if (o.statements) {
    const blocks = o.statements;
    if (o.viaSource) {
      resources.push(
        { type: "aws_iam_policy_document", name: "datasets", data: true, cfg: { statement: blocks } },
        {
          type: "aws_iam_policy_document",
          name: "trainer",
          data: true,
          cfg: {
            source_policy_documents: [ref("data.aws_iam_policy_document.datasets.json")],
            statement: [
              {
                sid: "Logs",
                actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
                resources: [`arn:aws:logs:${o.region}:${ACCOUNT}:log-group:/claims/train:*`],
              },
            ],
          },
        },
      );
    } else resources.push({ type: "aws_iam_policy_document", name: "trainer", data: true, cfg: { statement: blocks } });
    resources.push(...policyAttached("trainer", "claims-gpu-trainer-data", "trainer", "trainer"));
  }
  if (o.inlinePolicy !== undefined)
    resources.push({
      type: "aws_iam_role_policy",
      name: "trainer",
      cfg: { name: "data", role: ref("aws_iam_role.trainer.id"), policy: o.inlinePolicy },
    });
  const host = (name: string, region: string, provider: string | undefined, net: string, volumes: string): Res => ({
    type: "aws_instance",
    name,
    provider,
    action: name === "train" ? o.hostAction : undefined,
    replacePaths: ["ami"],
    cfg: {
      ami: "ami-0c3f9a2b7d1e4f560",
      instance_type: "p4d.24xlarge",
      subnet_id: subnetRef(net, `${region}a`),
      vpc_security_group_ids: [ref(`aws_security_group.${net}_training.id`)],
      iam_instance_profile: ref("aws_iam_instance_profile.trainer.name"),
      associate_public_ip_address: false,
      root_block_device: [{ encrypted: true, kms_key_id: ref(`aws_kms_key.${volumes}.arn`), volume_size: 500 }],
      tags: { Name: `claims-fraud-${name}` },
    },
  });
  resources.push(...(o.extra ?? []), host("train", o.region, hp, "train", "volumes"));
  if (o.seoulHost)
    resources.push(
      ...privateNetwork("home", { cidr: "10.92.0.0/16" }),
      ...kmsKey("home_volumes", { alias: "alias/home-volumes" }),
      host("home", SEOUL, undefined, "home", "home_volumes"),
    );
  const providers = [aws(SEOUL, { defaultTags: { CostCenter: "claims-ml" } })];
  if (abroad) providers.push(aws(o.region, { alias: "train", defaultTags: { CostCenter: "claims-ml" } }));
  return { providers, resources, opentofu: o.opentofu, terraformVersion: o.terraformVersion };
}

const READ = ["s3:GetObject", "s3:ListBucket"];

/** `"${arn}/*"` of a planned value: unknown when the ARN is. */
const objectsOf = (a: unknown): unknown => (a === U ? U : `${a as string}/*`);

export const scenarios: Scenario[] = [
  {
    name: "first-apply-doc-mixed-elements-us-west-2",
    description:
      "First apply: the host role's policy document lists the new personal bucket (ARN unknown at plan) beside a literal ARN of a public reference bucket; Terraform defers the read and writes the resources per element. The us-west-2 GPU host can read personal data.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: stack({
      region: "us-west-2",
      statements: [
        {
          sid: "Datasets",
          actions: READ,
          resources: [personalArn(), personalObjects(), "arn:aws:s3:::acme-public-reference/*"],
        },
        { sid: "Decrypt", actions: ["kms:Decrypt"], resources: [ref("aws_kms_key.data.arn")] },
      ],
    }),
  },
  {
    name: "first-apply-doc-open-bucket-only-us-west-2",
    description:
      "First apply: the host role's deferred policy document names only the new public benchmark bucket and the shared key; the personal bucket in Seoul is in the same stack but no statement reaches it. Not personal-data training abroad.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: stack({
      region: "us-west-2",
      statements: [
        { sid: "Benchmarks", actions: READ, resources: [openArn(), openObjects()] },
        { sid: "Decrypt", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [ref("aws_kms_key.data.arn")] },
      ],
    }),
  },
  {
    name: "first-apply-doc-seoul-personal",
    description:
      "First apply in Seoul: the deferred policy document grants the private GPU host the new personal bucket. Personal-data training in Korea on isolated infrastructure with every safeguard.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: stack({
      region: SEOUL,
      statements: [
        { sid: "List", actions: ["s3:ListBucket"], resources: [personalArn()] },
        { sid: "Read", actions: ["s3:GetObject"], resources: [personalObjects()] },
      ],
    }),
  },
  {
    name: "first-apply-doc-locals-only-us-east-1",
    description:
      "The deferred policy document takes its resources from local.dataset_arns, whose value the plan does not record (it may hold the new personal bucket's ARN). The us-east-1 host's data access cannot be read while personal data is in the stack: fail closed.",
    expect: { "kr-localization": fail(R.UNRESOLVED_ACCESS), "risk-based": PASS },
    plan: stack({
      region: "us-east-1",
      statements: [{ sid: "Datasets", actions: READ, resources: fn([U, U], "local.dataset_arns") }],
    }),
  },
  {
    name: "first-apply-jsonencode-open-bucket-us-east-1",
    description:
      "The host role's inline policy is jsonencode({...}) over the new open bucket's ARN: unknown at plan, so no statement can be read, although personal data is in the stack. Fail closed with the document named.",
    expect: {
      "kr-localization": { ...fail(R.UNRESOLVED_ACCESS), findings: [`${R.UNRESOLVED_ACCESS} aws_instance.train`] },
      "risk-based": PASS,
    },
    plan: stack({
      region: "us-east-1",
      inlinePolicy: fn(
        jsonencodeOf((_k, r) => ({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: READ,
              Resource: [r("aws_s3_bucket.open.arn"), objectsOf(r("aws_s3_bucket.open.arn"))],
            },
          ],
        })),
        "aws_s3_bucket.open.arn",
      ),
    }),
  },
  {
    name: "first-apply-jsonencode-seoul-personal",
    description:
      "Seoul host whose inline policy is jsonencode over the new personal bucket's ARN (unreadable at plan); the host is in Korea on isolated infrastructure, so whatever it reads, no location or private-cloud rule can break.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: stack({
      region: SEOUL,
      inlinePolicy: fn(
        jsonencodeOf((_k, r) => ({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: READ,
              Resource: [r("aws_s3_bucket.personal.arn"), objectsOf(r("aws_s3_bucket.personal.arn"))],
            },
          ],
        })),
        "aws_s3_bucket.personal.arn",
      ),
    }),
  },
  {
    name: "first-apply-bucket-policy-names-new-role-ap-southeast-1",
    description:
      "The host role has no identity policy for the personal bucket; the bucket's policy (a deferred document) allows the new role, whose ARN is unknown at plan, to read objects. The Singapore host reads personal data.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: stack({
      region: "ap-southeast-1",
      ownBucketPolicy: true,
      statements: [{ sid: "Benchmarks", actions: READ, resources: [openArn(), openObjects()] }],
      extra: [
        {
          type: "aws_iam_policy_document",
          name: "personal_bucket",
          data: true,
          cfg: {
            statement: [
              {
                sid: "DenyInsecureTransport",
                effect: "Deny",
                actions: ["s3:*"],
                resources: [personalArn(), personalObjects()],
                principals: [{ type: "*", identifiers: ["*"] }],
                condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
              },
              {
                sid: "TrainerRead",
                actions: READ,
                resources: [personalArn(), personalObjects()],
                principals: [{ type: "AWS", identifiers: [ref("aws_iam_role.trainer.arn")] }],
              },
            ],
          },
        },
        {
          type: "aws_s3_bucket_policy",
          name: "personal",
          cfg: {
            bucket: ref("aws_s3_bucket.personal.id"),
            policy: ref("data.aws_iam_policy_document.personal_bucket.json"),
          },
        },
      ],
    }),
  },
  {
    name: "first-apply-source-document-personal-eu-central-1",
    description:
      "The host policy document merges a base document (source_policy_documents) that grants the new personal bucket; both reads are deferred. The Frankfurt host reads personal data.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: stack({
      region: "eu-central-1",
      viaSource: true,
      statements: [{ sid: "Datasets", actions: READ, resources: [personalArn(), personalObjects()] }],
    }),
  },
  {
    name: "first-apply-doc-decrypt-only-personal-key-us-east-1",
    description:
      "The deferred document grants the public bucket and kms:Decrypt on the key that also encrypts the personal bucket: a key carries no data, so the us-east-1 host does not read personal data.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: stack({
      region: "us-east-1",
      statements: [
        { actions: READ, resources: [openArn(), openObjects()] },
        { actions: ["kms:Decrypt"], resources: [ref("aws_kms_key.data.arn")] },
        { effect: "Deny", actions: ["s3:DeleteObject"], resources: [personalObjects()] },
      ],
    }),
  },
];
