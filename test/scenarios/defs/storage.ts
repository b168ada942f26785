// Shared file systems for training: FSx for Lustre linked to S3 by data repository associations,
// EFS with mount targets, file system policies and replication, DataSync tasks between stores.

import { cat, fn, jsonencode, ref, U, type PlanSpec, type Provider, type Res } from "../builder";
import { assume, aws, callerData, kmsKey, privateNetwork, R, role, s3Bucket, SEOUL, subnetRef } from "../kit";
import { fail, PASS, type Scenario } from "../scenario";

const ACCOUNT = "845120993671";

/** p4d hosts mounting an FSx for Lustre file system whose data comes from a personal bucket through a DRA. */
function lustre(o: { region: string; fsxKms?: boolean; classification?: string }): PlanSpec {
  const remote = o.region !== SEOUL;
  const p = remote ? "aws.compute" : undefined;
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...kmsKey("corpus", { alias: "alias/ocr-corpus" }),
    ...s3Bucket("scans", {
      bucket: "acme-id-document-scans",
      tags: { DataClassification: o.classification ?? "personal", Dataset: "kyc-ocr" },
      kms: "aws_kms_key.corpus.arn",
      tls: "doc",
      logTo: "aws_s3_bucket.scan_logs.id",
    }),
    ...s3Bucket("scan_logs", {
      bucket: "acme-id-document-scans-logs",
      tags: { DataClassification: "internal" },
      kms: "AES256",
      versioning: false,
    }),
    ...privateNetwork("hpc", { provider: p, region: o.region, cidr: "10.33.0.0/16" }),
    ...kmsKey("hpc", { provider: p, alias: "alias/hpc-scratch" }),
    {
      type: "aws_fsx_lustre_file_system",
      name: "scratch",
      provider: p,
      cfg: {
        storage_capacity: 4800,
        deployment_type: "PERSISTENT_2",
        per_unit_storage_throughput: 500,
        subnet_ids: [subnetRef("hpc", `${o.region}a`)],
        security_group_ids: [ref("aws_security_group.hpc_training.id")],
        data_compression_type: "LZ4",
        file_system_type_version: "2.15",
        ...(o.fsxKms !== false ? { kms_key_id: ref("aws_kms_key.hpc.arn") } : {}),
        tags: { Name: "ocr-training-scratch" },
      },
    },
    {
      type: "aws_fsx_data_repository_association",
      name: "scans",
      provider: p,
      cfg: {
        file_system_id: ref("aws_fsx_lustre_file_system.scratch.id"),
        data_repository_path: cat("s3://", ref("aws_s3_bucket.scans.id"), "/train"),
        file_system_path: "/train",
        batch_import_meta_data_on_create: true,
        s3: [{ auto_import_policy: [{ events: ["NEW", "CHANGED", "DELETED"] }] }],
      },
    },
    role("host", "ocr-trainer-host", assume("ec2.amazonaws.com"), {
      managed: ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
    }),
    {
      type: "aws_iam_instance_profile",
      name: "host",
      cfg: { name: "ocr-trainer-host", role: ref("aws_iam_role.host.name") },
    },
    {
      type: "aws_instance",
      name: "trainer",
      provider: p,
      count: 2,
      countExpr: ref("var.trainer_count"),
      cfg: {
        ami: "ami-07d1b8f6c3e2a9b54",
        instance_type: "p4d.24xlarge",
        subnet_id: subnetRef("hpc", `${o.region}a`),
        vpc_security_group_ids: [ref("aws_security_group.hpc_training.id")],
        iam_instance_profile: ref("aws_iam_instance_profile.host.name"),
        associate_public_ip_address: false,
        root_block_device: [{ encrypted: true, kms_key_id: ref("aws_kms_key.hpc.arn"), volume_size: 200 }],
        // templatefile("mount.sh", { dns = aws_fsx_lustre_file_system.scratch.dns_name, mount = ...mount_name })
        user_data: fn(
          U,
          "aws_fsx_lustre_file_system.scratch.dns_name",
          "aws_fsx_lustre_file_system.scratch.mount_name",
        ),
        tags: fn((k: number) => ({ Name: `ocr-trainer-${k}`, Workload: "training" }), "count.index"),
      },
    },
  ];
  const providers: Provider[] = [aws(SEOUL, { defaultTags: { Product: "kyc-ocr" } })];
  if (p) providers.push(aws(o.region, { alias: "compute", defaultTags: { Product: "kyc-ocr" } }));
  return { variables: { trainer_count: { value: 2, default: 1 } }, providers, resources };
}

/** A personal EFS file system mounted by a GPU notebook fleet, optionally replicated elsewhere. */
function efs(o: {
  encrypted?: "cmk" | "aws-managed" | "off";
  replicaRegion?: string;
  policy?: boolean;
  /** A GPU host that does not name the file system: in a public subnet of the same VPC, of another VPC, or private. */
  networkHost?: "public-same-vpc" | "public-other-vpc" | "private-same-vpc";
}): PlanSpec {
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...privateNetwork("shared", { cidr: "10.34.0.0/16" }),
    ...kmsKey("efs", { alias: "alias/shared-home" }),
    {
      type: "aws_efs_file_system",
      name: "home",
      cfg: {
        creation_token: "research-shared-home",
        ...(o.encrypted === "off" ? { encrypted: false } : { encrypted: true }),
        ...(o.encrypted === "cmk" || o.encrypted === undefined ? { kms_key_id: ref("aws_kms_key.efs.arn") } : {}),
        performance_mode: "generalPurpose",
        throughput_mode: "elastic",
        lifecycle_policy: [{ transition_to_ia: "AFTER_30_DAYS" }],
        tags: { Name: "research-shared-home", DataClassification: "personal" },
      },
    },
    {
      type: "aws_efs_mount_target",
      name: "home",
      forEach: [`${SEOUL}a`, `${SEOUL}c`],
      forEachExpr: ref("aws_subnet.shared_private"),
      cfg: {
        file_system_id: ref("aws_efs_file_system.home.id"),
        subnet_id: fn(U, "each.value.id"),
        security_groups: [ref("aws_security_group.shared_training.id")],
      },
    },
  ];
  if (o.policy !== false)
    resources.push({
      type: "aws_efs_file_system_policy",
      name: "home",
      cfg: {
        file_system_id: ref("aws_efs_file_system.home.id"),
        policy: fn(
          jsonencode({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: "*",
                Resource: "*",
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
            ],
          }),
        ),
      },
    });
  if (o.replicaRegion)
    resources.push({
      type: "aws_efs_replication_configuration",
      name: "home",
      cfg: {
        source_file_system_id: ref("aws_efs_file_system.home.id"),
        destination: [
          {
            region: o.replicaRegion,
            kms_key_id: `arn:aws:kms:${o.replicaRegion}:${ACCOUNT}:key/mrk-3c5e7a91b2d84f06a1c9e8d7f6b5a4c3`,
          },
        ],
      },
    });
  resources.push(
    role("research", "research-workstation", assume("ec2.amazonaws.com")),
    {
      type: "aws_iam_instance_profile",
      name: "research",
      cfg: { name: "research-workstation", role: ref("aws_iam_role.research.name") },
    },
    {
      type: "aws_instance",
      name: "workstation",
      forEach: ["kim", "park"],
      forEachExpr: fn(U, "var.researchers"),
      cfg: {
        ami: "ami-0e5c7a9d3b1f24c68",
        instance_type: "g6.12xlarge",
        subnet_id: subnetRef("shared", `${SEOUL}a`),
        vpc_security_group_ids: [ref("aws_security_group.shared_training.id")],
        iam_instance_profile: ref("aws_iam_instance_profile.research.name"),
        associate_public_ip_address: false,
        root_block_device: [{ encrypted: true, kms_key_id: ref("aws_kms_key.efs.arn") }],
        user_data: fn(U, "aws_efs_file_system.home.dns_name", "each.key"),
        tags: fn((k: string) => ({ Name: `ws-${k}`, Owner: k }), "each.key"),
      },
    },
  );
  if (o.networkHost) {
    // A bootstrapped GPU host: it mounts whatever its AMI's fstab says, so the plan shows no link
    // but the subnet it runs in.
    const other = o.networkHost === "public-other-vpc";
    const pub = o.networkHost !== "private-same-vpc";
    const vpc = other ? "lab" : "shared";
    if (other)
      resources.push({ type: "aws_vpc", name: "lab", cfg: { cidr_block: "10.35.0.0/16", tags: { Name: "lab-vpc" } } });
    if (pub)
      resources.push(
        { type: "aws_internet_gateway", name: vpc, cfg: { vpc_id: ref(`aws_vpc.${vpc}.id`) } },
        {
          type: "aws_subnet",
          name: `${vpc}_public`,
          cfg: {
            vpc_id: ref(`aws_vpc.${vpc}.id`),
            cidr_block: other ? "10.35.200.0/24" : "10.34.200.0/24",
            availability_zone: `${SEOUL}a`,
            map_public_ip_on_launch: true,
            tags: { Tier: "public" },
          },
        },
      );
    resources.push({
      type: "aws_instance",
      name: "batch_trainer",
      cfg: {
        ami: "ami-0b7e3f1c9d2a84e65",
        instance_type: "g5.48xlarge",
        subnet_id: pub ? ref(`aws_subnet.${vpc}_public.id`) : subnetRef("shared", `${SEOUL}c`),
        iam_instance_profile: ref("aws_iam_instance_profile.research.name"),
        root_block_device: [{ encrypted: true, kms_key_id: ref("aws_kms_key.efs.arn") }],
        ...(pub
          ? {}
          : {
              vpc_security_group_ids: [ref("aws_security_group.shared_training.id")],
              associate_public_ip_address: false,
            }),
        tags: { Name: "nightly-embedding-train" },
      },
    });
  }
  return {
    variables: { researchers: { value: ["kim", "park"] } },
    providers: [aws(SEOUL, { defaultTags: { Team: "applied-research" } })],
    resources,
  };
}

/** DataSync from the personal bucket to another store. */
function datasync(o: { destRegion: string; dest: "s3" | "fsx" }): PlanSpec {
  const remote = o.destRegion !== SEOUL;
  const p = remote ? "aws.target" : undefined;
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...kmsKey("src", { alias: "alias/ehr-extracts" }),
    ...s3Bucket("ehr", {
      bucket: "acme-ehr-extracts",
      tags: { DataClassification: "personal", Sector: "healthcare" },
      kms: "aws_kms_key.src.arn",
      tls: "jsonencode",
      logTo: "aws_s3_bucket.ehr_logs.id",
    }),
    ...s3Bucket("ehr_logs", {
      bucket: "acme-ehr-extracts-logs",
      tags: { DataClassification: "internal" },
      kms: "AES256",
      versioning: false,
    }),
    role("datasync", "datasync-ehr", assume("datasync.amazonaws.com")),
    {
      type: "aws_iam_role_policy",
      name: "datasync",
      cfg: {
        name: "buckets",
        role: ref("aws_iam_role.datasync.id"),
        policy: fn(U, "aws_s3_bucket.ehr.arn", "aws_s3_bucket.ehr.arn"),
      },
    },
    {
      type: "aws_datasync_location_s3",
      name: "source",
      cfg: {
        s3_bucket_arn: ref("aws_s3_bucket.ehr.arn"),
        subdirectory: "/extracts/",
        s3_config: [{ bucket_access_role_arn: ref("aws_iam_role.datasync.arn") }],
      },
    },
  ];
  if (o.dest === "s3") {
    resources.push(
      ...kmsKey("dst", { provider: p, alias: "alias/ehr-analytics" }),
      ...s3Bucket("analytics", {
        provider: p,
        bucket: `acme-ehr-analytics-${o.destRegion}`,
        kms: "aws_kms_key.dst.arn",
        tls: "jsonencode",
        logTo: "aws_s3_bucket.analytics_logs.id",
      }),
      ...s3Bucket("analytics_logs", {
        provider: p,
        bucket: `acme-ehr-analytics-logs-${o.destRegion}`,
        tags: { DataClassification: "internal" },
        kms: "AES256",
        versioning: false,
      }),
      {
        type: "aws_datasync_location_s3",
        name: "destination",
        provider: p,
        cfg: {
          s3_bucket_arn: ref("aws_s3_bucket.analytics.arn"),
          subdirectory: "/landing/",
          s3_config: [{ bucket_access_role_arn: ref("aws_iam_role.datasync.arn") }],
        },
      },
    );
  } else {
    resources.push(
      ...privateNetwork("fsx", { provider: p, region: o.destRegion, cidr: "10.35.0.0/16" }),
      ...kmsKey("fsx", { provider: p, alias: "alias/ehr-scratch" }),
      {
        type: "aws_fsx_lustre_file_system",
        name: "scratch",
        provider: p,
        cfg: {
          storage_capacity: 2400,
          deployment_type: "PERSISTENT_2",
          per_unit_storage_throughput: 250,
          subnet_ids: [subnetRef("fsx", `${o.destRegion}a`)],
          security_group_ids: [ref("aws_security_group.fsx_training.id")],
          kms_key_id: ref("aws_kms_key.fsx.arn"),
        },
      },
      {
        type: "aws_datasync_location_fsx_lustre_file_system",
        name: "destination",
        provider: p,
        cfg: {
          fsx_filesystem_arn: ref("aws_fsx_lustre_file_system.scratch.arn"),
          security_group_arns: [ref("aws_security_group.fsx_training.arn")],
          subdirectory: "/ehr/",
        },
      },
    );
  }
  resources.push({
    type: "aws_datasync_task",
    name: "nightly",
    provider: p,
    cfg: {
      name: "ehr-extracts-nightly",
      source_location_arn: ref("aws_datasync_location_s3.source.arn"),
      destination_location_arn: ref(
        o.dest === "s3"
          ? "aws_datasync_location_s3.destination.arn"
          : "aws_datasync_location_fsx_lustre_file_system.destination.arn",
      ),
      schedule: [{ schedule_expression: "cron(0 17 * * ? *)" }],
      options: [
        {
          verify_mode: "ONLY_FILES_TRANSFERRED",
          log_level: "TRANSFER",
          posix_permissions: "NONE",
          uid: "NONE",
          gid: "NONE",
        },
      ],
    },
  });
  const providers: Provider[] = [aws(SEOUL, { defaultTags: { Product: "clinical-nlp" } })];
  if (p) providers.push(aws(o.destRegion, { alias: "target", defaultTags: { Product: "clinical-nlp" } }));
  return { providers, resources };
}

export const scenarios: Scenario[] = [
  {
    name: "fsx-lustre-dra-seoul-p4d",
    description:
      "p4d hosts in Seoul mount an FSx for Lustre file system (CMK) whose data repository association imports the personal KYC scans bucket. The DRA names the file system and the bucket; nothing references it. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: lustre({ region: SEOUL }),
  },
  {
    name: "fsx-lustre-dra-us-east-1-p4d",
    description:
      "The Lustre file system and its p4d hosts run on a us-east-1 provider alias while the DRA imports the personal scans bucket from Seoul: the training and the file-system copy of the personal data are outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT, R.STORE_OUT), "risk-based": PASS },
    plan: lustre({ region: "us-east-1" }),
  },
  {
    name: "fsx-lustre-dra-seoul-no-cmk",
    description:
      "Seoul Lustre file system filled from the personal bucket without kms_key_id (FSx then uses the AWS-managed key; unknown at plan, not configured): a personal-data store without a customer-managed key.",
    expect: { "kr-localization": fail(R.CMK), "risk-based": fail(R.CMK) },
    plan: lustre({ region: SEOUL, fsxKms: false }),
  },
  {
    name: "fsx-lustre-dra-us-west-2-public-data",
    description: "Lustre in us-west-2 imports a bucket classified public: no personal data, nothing applies.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: lustre({ region: "us-west-2", classification: "public" }),
  },
  {
    name: "efs-home-seoul-cmk-mount-targets",
    description:
      "A personal EFS home file system in Seoul (CMK, file system policy) with mount targets in private subnets, mounted by g6 workstations (for_each over researchers). Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: efs({}),
  },
  {
    name: "efs-home-replicated-to-tokyo",
    description:
      "The personal EFS file system has a replication configuration whose destination is ap-northeast-1: a cross-border copy.",
    expect: { "kr-localization": fail(R.COPY), "risk-based": PASS },
    plan: efs({ replicaRegion: "ap-northeast-1" }),
  },
  {
    name: "efs-home-encrypted-aws-managed-key",
    description:
      "The personal EFS file system is encrypted = true without kms_key_id: the AWS-managed aws/elasticfilesystem key is used.",
    expect: { "kr-localization": fail(R.CMK), "risk-based": fail(R.CMK) },
    plan: efs({ encrypted: "aws-managed" }),
  },
  {
    name: "efs-home-unencrypted",
    description: "The personal EFS file system is written with encrypted = false: no encryption at rest at all.",
    expect: { "kr-localization": fail(R.CMK), "risk-based": fail(R.CMK) },
    plan: efs({ encrypted: "off" }),
  },
  {
    name: "efs-network-mount-public-subnet-seoul",
    description:
      "A GPU host that never names the personal file system runs in a public subnet of the file system's VPC: a mount target serves the whole VPC and the file system policy only denies insecure transport, so the host can mount personal data over NFS. Personal-data training with a public IP.",
    expect: { "kr-localization": fail(R.PRIVATE, R.PUBLIC), "risk-based": fail(R.PUBLIC) },
    plan: efs({ networkHost: "public-same-vpc" }),
  },
  {
    name: "efs-network-public-subnet-other-vpc-seoul",
    description:
      "The same public GPU host, but in a lab VPC of its own: no mount target of the personal file system is reachable (no peering), so it trains on no personal data. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: efs({ networkHost: "public-other-vpc" }),
  },
  {
    name: "efs-network-mount-private-subnet-seoul",
    description:
      "A GPU host in a private subnet of the file system's VPC mounts the personal home directories without naming them: personal-data training in Seoul on isolated infrastructure. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: efs({ networkHost: "private-same-vpc" }),
  },
  {
    name: "datasync-ehr-to-us-west-2-bucket",
    description:
      "A nightly DataSync task copies personal health extracts from the Seoul bucket to an analytics bucket in us-west-2 (untagged, fully safeguarded): a cross-border copy.",
    expect: { "kr-localization": fail(R.COPY), "risk-based": PASS },
    plan: datasync({ destRegion: "us-west-2", dest: "s3" }),
  },
  {
    name: "datasync-ehr-to-seoul-lustre",
    description:
      "The DataSync task copies the personal extracts to a CMK-encrypted Lustre file system in Seoul: stays in Korea. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: datasync({ destRegion: SEOUL, dest: "fsx" }),
  },
  {
    name: "fsx-lustre-dra-ap-northeast-1-p4d",
    description:
      "The Lustre file system and its hosts on a Tokyo provider alias, importing the personal scans from Seoul.",
    expect: { "kr-localization": fail(R.TRAIN_OUT, R.STORE_OUT), "risk-based": PASS },
    plan: lustre({ region: "ap-northeast-1" }),
  },
  {
    name: "datasync-ehr-to-tokyo-lustre",
    description:
      "The DataSync task copies the personal health extracts to a Lustre file system in Tokyo: a cross-border copy.",
    expect: { "kr-localization": fail(R.COPY), "risk-based": PASS },
    plan: datasync({ destRegion: "ap-northeast-1", dest: "fsx" }),
  },
];
