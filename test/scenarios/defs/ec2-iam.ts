// GPU hosts on EC2 and the IAM shapes that give them their data: instance profile -> role ->
// attachment -> customer managed policy -> policy document -> bucket; inline jsonencode policies
// with ARNs from locals; AWS-managed policies; wildcard resources; Elastic IPs; launch templates
// with Auto Scaling groups.

import { createHash } from "node:crypto";
import { cat, fn, jsonencode, lazy, ref, U, type Cfg, type PlanSpec, type Res } from "../builder";
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

const ACCOUNT = "702918334415";
const sha1 = (t: string): string => createHash("sha1").update(t).digest("hex");

const dlami = (provider?: string, module?: string): Res => ({
  type: "aws_ami",
  name: "dlami",
  data: true,
  provider,
  module,
  cfg: {
    most_recent: true,
    owners: ["amazon"],
    filter: [{ name: "name", values: ["Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04) *"] }],
  },
  known: {
    id: "ami-0b3a9c6e1f27d4a58",
    architecture: "x86_64",
    name: "Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04) 20261115",
    owner_id: "898082745236",
    root_device_name: "/dev/sda1",
    virtualization_type: "hvm",
  },
});

interface HostOpts {
  /** Region of the provider the GPU host uses. */
  hostRegion: string;
  /** Put the host on an aliased provider instead of per-resource region. */
  alias?: boolean;
  instanceType?: string;
  rootKms?: "cmk" | "aws-managed" | "none";
  eip?: boolean;
  classification?: string;
  publicIp?: boolean;
}

/** Flat stack: GPU instance -> instance profile -> role -> attachment -> policy <- document -> bucket. */
function profileChain(o: HostOpts): PlanSpec {
  const hostProvider = o.hostRegion === SEOUL ? undefined : "aws.training";
  const net = o.hostRegion === SEOUL ? "train" : "train_remote";
  const root: Cfg =
    o.rootKms === "none"
      ? { volume_size: 500, volume_type: "gp3" }
      : o.rootKms === "aws-managed"
        ? { volume_size: 500, volume_type: "gp3", encrypted: true }
        : {
            volume_size: 500,
            volume_type: "gp3",
            encrypted: true,
            kms_key_id: ref(hostProvider ? "aws_kms_key.host.arn" : "aws_kms_key.data.arn"),
          };
  const instance: Cfg = {
    ami: ref("data.aws_ami.dlami.id"),
    instance_type: o.instanceType ?? "p4d.24xlarge",
    subnet_id: subnetRef(net, `${o.hostRegion}a`),
    vpc_security_group_ids: [ref(`aws_security_group.${net}_training.id`)],
    iam_instance_profile: ref("aws_iam_instance_profile.trainer.name"),
    associate_public_ip_address: o.publicIp ?? false,
    root_block_device: [root],
    metadata_options: [{ http_tokens: "required", http_endpoint: "enabled" }],
    tags: { Name: "llm-finetune-01", Workload: "fine-tuning" },
  };
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...privateNetwork("train", { cidr: "10.20.0.0/16" }),
    ...kmsKey("data", { alias: "alias/training-data" }),
    ...s3Bucket("corpus", {
      bucket: "acme-cs-transcripts-kr",
      tags: { DataClassification: o.classification ?? "personal", Dataset: "cs-transcripts" },
      kms: "aws_kms_key.data.arn",
      tls: "jsonencode",
      logTo: "aws_s3_bucket.logs.id",
    }),
    ...s3Bucket("logs", {
      bucket: "acme-s3-server-logs-kr",
      tags: { DataClassification: "internal" },
      kms: "AES256",
      versioning: false,
    }),
    role("trainer", "gpu-trainer", assume("ec2.amazonaws.com")),
    {
      type: "aws_iam_instance_profile",
      name: "trainer",
      cfg: { name: "gpu-trainer", role: ref("aws_iam_role.trainer.name") },
    },
    policyDoc("trainer", [
      {
        sid: "Dataset",
        actions: ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"],
        resources: [ref("aws_s3_bucket.corpus.arn"), cat(ref("aws_s3_bucket.corpus.arn"), "/*")],
      },
      { sid: "Key", actions: ["kms:Decrypt"], resources: [ref("aws_kms_key.data.arn")] },
    ]),
    ...policyAttached("trainer", "gpu-trainer-dataset", "trainer", "trainer"),
    { ...dlami(hostProvider), provider: hostProvider },
    { type: "aws_instance", name: "trainer", provider: hostProvider, cfg: instance },
  ];
  if (hostProvider) {
    resources.push(
      ...privateNetwork("train_remote", { provider: hostProvider, region: o.hostRegion, cidr: "10.30.0.0/16" }),
      ...kmsKey("host", { provider: hostProvider, alias: "alias/gpu-host-volumes" }),
    );
  }
  if (o.eip) {
    resources.push(
      {
        type: "aws_eip",
        name: "trainer",
        provider: hostProvider,
        cfg: { domain: "vpc", tags: { Name: "llm-finetune-01" } },
      },
      {
        type: "aws_eip_association",
        name: "trainer",
        provider: hostProvider,
        cfg: { instance_id: ref("aws_instance.trainer.id"), allocation_id: ref("aws_eip.trainer.id") },
      },
    );
  }
  const providers = [aws(ref("var.region"), { defaultTags: { Project: "llm-finetune", Owner: "ml-platform" } })];
  if (hostProvider)
    providers.push(
      aws(ref("var.burst_region"), {
        alias: "training",
        defaultTags: { Project: "llm-finetune", Owner: "ml-platform" },
      }),
    );
  return {
    variables: {
      region: { value: SEOUL, default: SEOUL },
      ...(hostProvider
        ? { burst_region: { value: o.hostRegion, description: "Where GPU capacity is available" } }
        : {}),
    },
    providers,
    resources,
  };
}

/** Module-based fleet: module "data" owns the bucket, module "fleet" the role with an inline jsonencode policy. */
function moduleFleet(o: {
  hostRegion: string;
  style: "local-arn" | "managed-s3-readonly" | "wildcard";
  classification?: string;
  cpu?: boolean;
}): PlanSpec {
  const bucketName = "acme-ml-members-360";
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...kmsKey("members", { module: "module.data", alias: "alias/members-dataset" }),
    ...s3Bucket("members", {
      module: "module.data",
      bucket: bucketName,
      tags: ref("var.tags"),
      kms: "aws_kms_key.members.arn",
      tls: "doc",
      logTo: "aws_s3_bucket.logs.id",
    }),
    ...s3Bucket("logs", {
      module: "module.data",
      bucket: "acme-ml-access-logs-360",
      tags: { "data-classification": "internal" },
      kms: "AES256",
      versioning: false,
    }),
    ...privateNetwork("fleet", { module: "module.fleet", region: o.hostRegion, cidr: "10.80.0.0/16" }),
    ...kmsKey("ebs", { module: "module.fleet", alias: "alias/fleet-ebs" }),
    dlami(undefined, "module.fleet"),
  ];
  const inline = lazy((_k, resolve) => {
    const bucket = resolve("var.dataset_bucket") as string;
    const resourcesFor =
      o.style === "wildcard"
        ? ["arn:aws:s3:::acme-ml-*", "arn:aws:s3:::acme-ml-*/*"]
        : [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`];
    return jsonencode({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ReadDatasets", Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: resourcesFor },
      ],
    });
  });
  const roleCfg = role("host", "members-fleet-host", assume("ec2.amazonaws.com"), {
    module: "module.fleet",
    managed:
      o.style === "managed-s3-readonly"
        ? ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]
        : undefined,
  });
  resources.push(roleCfg);
  if (o.style !== "managed-s3-readonly")
    resources.push({
      type: "aws_iam_role_policy",
      name: "datasets",
      module: "module.fleet",
      cfg: {
        name: "datasets",
        role: ref("aws_iam_role.host.id"),
        policy: o.style === "wildcard" ? fn(inline) : fn(inline, "var.dataset_bucket"),
      },
    });
  resources.push(
    {
      type: "aws_iam_instance_profile",
      name: "host",
      module: "module.fleet",
      cfg: { name: "members-fleet-host", role: ref("aws_iam_role.host.name") },
    },
    {
      type: "aws_instance",
      name: "worker",
      module: "module.fleet",
      count: 2,
      countExpr: ref("var.worker_count"),
      cfg: {
        ami: ref("data.aws_ami.dlami.id"),
        instance_type: o.cpu ? "m7i.4xlarge" : "g5.12xlarge",
        subnet_id: fn(U, "aws_subnet.fleet_private", "count.index"),
        vpc_security_group_ids: [ref("aws_security_group.fleet_training.id")],
        iam_instance_profile: ref("aws_iam_instance_profile.host.name"),
        root_block_device: [{ encrypted: true, kms_key_id: ref("aws_kms_key.ebs.arn"), volume_size: 300 }],
        // The provider plans user_data as the SHA-1 of the rendered script.
        user_data:
          o.style === "local-arn"
            ? fn(
                lazy((_k, resolve) =>
                  sha1(`#!/bin/bash\naws s3 sync s3://${resolve("var.dataset_bucket") as string}/train /data/train\n`),
                ),
                "var.dataset_bucket",
              )
            : sha1("#!/bin/bash\n/opt/acme/bin/bootstrap-trainer --from-ssm /ml/fleet/dataset\n"),
        tags: fn((k: number) => ({ Name: `members-worker-${k}` }), "count.index"),
      },
    },
  );
  return {
    variables: {
      region: { value: SEOUL, default: SEOUL },
      fleet_region: { value: o.hostRegion },
    },
    providers: [aws(ref("var.region"), { defaultTags: { Service: "members-360", Environment: "prod" } })],
    modules: [
      {
        path: "module.data",
        source: "./modules/dataset",
        inputs: {
          bucket_name: bucketName,
          tags: { DataClassification: o.classification ?? "personal", Owner: "crm-analytics" },
        },
        outputs: { bucket_arn: ref("aws_s3_bucket.members.arn"), bucket_name: ref("aws_s3_bucket.members.bucket") },
      },
      {
        path: "module.fleet",
        source: "git::https://git.acme.internal/platform/terraform-aws-gpu-fleet.git?ref=v2.4.1",
        inputs: {
          dataset_bucket: ref("module.data.bucket_name"),
          worker_count: 2,
          region: ref("var.fleet_region"),
        },
      },
    ],
    resources: resources.map((r) =>
      r.module === "module.fleet" &&
      r.type !== "aws_iam_role" &&
      r.type !== "aws_iam_role_policy" &&
      r.type !== "aws_iam_instance_profile"
        ? { ...r, cfg: { ...r.cfg, region: ref("var.region") } }
        : r,
    ),
  };
}

export const scenarios: Scenario[] = [
  {
    name: "ec2-p4d-seoul-profile-policy-chain",
    description:
      "A p4d host in Seoul, private subnet, no public IP, CMK root volume, reads the personal transcript bucket through instance profile -> role -> attachment -> customer managed policy -> policy document. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: profileChain({ hostRegion: SEOUL }),
  },
  {
    name: "ec2-p4d-us-east-1-alias-profile-chain",
    description:
      "The GPU host runs on an aliased provider in us-east-1 (burst capacity) and reads the personal bucket in Seoul through the six-hop IAM chain: personal-data training outside Korea. The bucket stays in Seoul.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: profileChain({ hostRegion: "us-east-1" }),
  },
  {
    name: "ec2-g6-seoul-eip-on-training-host",
    description:
      "Seoul GPU host in a private subnet without an auto-assigned public IP, but an Elastic IP is associated with it: a public network path to a personal-data training host.",
    expect: { "kr-localization": fail(R.PRIVATE, R.PUBLIC), "risk-based": fail(R.PUBLIC) },
    plan: profileChain({ hostRegion: SEOUL, instanceType: "g6.48xlarge", eip: true }),
  },
  {
    name: "ec2-p5-seoul-root-volume-aws-managed-key",
    description:
      "Seoul p5 host with encrypted = true on the root volume but no kms_key_id: the volume uses the AWS-managed aws/ebs key (kms_key_id unknown at plan, not configured) while the host trains on personal data.",
    expect: { "kr-localization": fail(R.CMK), "risk-based": fail(R.CMK) },
    plan: profileChain({ hostRegion: SEOUL, instanceType: "p5.48xlarge", rootKms: "aws-managed" }),
  },
  {
    name: "ec2-p4d-us-west-2-public-dataset",
    description:
      "The same burst host in us-west-2 reads a bucket classified public (an open benchmark corpus): no personal data, so nothing applies even with the host abroad.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: profileChain({ hostRegion: "us-west-2", classification: "public" }),
  },
  {
    name: "ec2-fleet-module-inline-policy-us-west-2",
    description:
      "Module fleet (count = 2 g5 workers, per-resource region from a module variable set to us-west-2) reads the personal bucket of module data through an inline jsonencode role policy whose ARNs are built from the bucket name passed between modules.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: moduleFleet({ hostRegion: "us-west-2", style: "local-arn" }),
  },
  {
    name: "ec2-fleet-module-inline-policy-seoul",
    description:
      "The module fleet with the inline policy, all in Seoul with private subnets and CMK volumes: compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: moduleFleet({ hostRegion: SEOUL, style: "local-arn" }),
  },
  {
    name: "ec2-fleet-aws-managed-s3-readonly-us-east-1",
    description:
      "GPU workers in us-east-1 whose role carries the AWS-managed AmazonS3ReadOnlyAccess policy (s3:Get*/List* on every bucket of the account): they can read the personal members bucket, so this is personal-data training outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: moduleFleet({ hostRegion: "us-east-1", style: "managed-s3-readonly" }),
  },
  {
    name: "ec2-fleet-wildcard-bucket-arn-ap-southeast-1",
    description:
      "GPU workers in Singapore with an inline policy granting s3:GetObject on arn:aws:s3:::acme-ml-*; the wildcard matches the personal bucket acme-ml-members-360 declared in the same plan.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: moduleFleet({ hostRegion: "ap-southeast-1", style: "wildcard" }),
  },
  {
    name: "ec2-cpu-etl-us-east-1-not-training",
    description:
      "General-purpose m7i workers (no accelerator, no training tag) in us-east-1 read the personal bucket: an ETL job, not a training workload, so the training residency rules do not apply; the bucket's safeguards are all present.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: moduleFleet({ hostRegion: "us-east-1", style: "local-arn", cpu: true }),
  },
  {
    name: "ec2-p4d-eu-west-1-alias-profile-chain",
    description:
      "The burst GPU host on an aliased provider in eu-west-1 reading the personal transcripts through the IAM chain.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: profileChain({ hostRegion: "eu-west-1" }),
  },
  {
    name: "ec2-g5-seoul-public-ip-true",
    description: "The Seoul GPU host with associate_public_ip_address = true while training on personal data.",
    expect: { "kr-localization": fail(R.PRIVATE, R.PUBLIC), "risk-based": fail(R.PUBLIC) },
    plan: profileChain({ hostRegion: SEOUL, instanceType: "g5.48xlarge", publicIp: true }),
  },
  {
    name: "ec2-fleet-wildcard-bucket-arn-seoul",
    description: "The fleet with the acme-ml-* wildcard policy, all in Seoul, private and CMK-encrypted. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: moduleFleet({ hostRegion: SEOUL, style: "wildcard" }),
  },
];
