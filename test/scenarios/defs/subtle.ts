// Subtle cases where one detail decides: Deny and NotResource statements, keys shared between
// personal and public data, resource-based bucket policies, access points, classification tag
// spellings, AWS-managed S3 keys, account-level public access blocks, explicit public IP flags,
// NAT egress, restricted public endpoints, disabled replication rules, backup selections that
// select nothing personal, unknown instance types and accelerator requirements.

import { fn, jsonencode, jsonencodeOf, ref, type Cfg, type PlanSpec, type Provider, type Res } from "../builder";
import { assume, aws, callerData, kmsKey, privateNetwork, R, role, s3Bucket, SEOUL, subnetRef } from "../kit";
import { fail, PASS, type Scenario } from "../scenario";

const ACCOUNT = "903417265528";
const PERSONAL = "acme-loyalty-transactions";
const PUBLIC = "acme-open-product-catalog";

interface ProbeOpts {
  /** Region of the GPU host (aliased provider when not Seoul). */
  hostRegion?: string;
  /** Statements of the host role's inline policy (bucket ARNs known at plan). */
  statements?: Record<string, unknown>[];
  /** Tags of the personal bucket. */
  personalTags?: Record<string, string>;
  /** SSE of the personal bucket: CMK (default), the AWS-managed alias, or a data-source lookup of it. */
  sse?: "cmk" | "alias-aws-s3" | "data-aws-s3";
  /** Bucket-level public access block on the personal bucket (default true). */
  pab?: boolean;
  accountPab?: boolean;
  /** Host networking. */
  publicSubnet?: boolean;
  associatePublicIp?: boolean | null;
  nat?: boolean;
  instanceType?: string | null;
  /** Personal bucket policy granting the host role directly (resource-based). */
  bucketGrant?: boolean;
  /** An access point on the personal bucket that the host role uses. */
  accessPoint?: boolean;
}

const arn = (b: string): string[] => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`];

/** A personal and a public bucket, a key, and a GPU host whose role policy is the probe. */
function probe(o: ProbeOpts): PlanSpec {
  const region = o.hostRegion ?? SEOUL;
  const hp = region === SEOUL ? undefined : "aws.gpu";
  const kmsFor =
    o.sse === "alias-aws-s3"
      ? null
      : o.sse === "data-aws-s3"
        ? "data.aws_kms_key.s3_default.arn"
        : "aws_kms_key.shared.arn";
  const personal = s3Bucket("personal", {
    bucket: PERSONAL,
    tags: o.personalTags ?? { DataClassification: "personal" },
    kms: kmsFor,
    tls: "jsonencode",
    logTo: "aws_s3_bucket.logs.id",
    pab: o.pab,
  });
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...kmsKey("shared", { alias: "alias/analytics-shared" }),
    ...personal,
    ...s3Bucket("catalog", {
      bucket: PUBLIC,
      tags: { DataClassification: "public" },
      kms: "aws_kms_key.shared.arn",
      tls: "jsonencode",
    }),
    ...s3Bucket("logs", {
      bucket: "acme-analytics-access-logs",
      tags: { DataClassification: "internal" },
      kms: "AES256",
      versioning: false,
    }),
  ];
  if (o.sse === "alias-aws-s3")
    resources.push({
      type: "aws_s3_bucket_server_side_encryption_configuration",
      name: "personal",
      cfg: {
        bucket: ref("aws_s3_bucket.personal.id"),
        rule: [
          {
            apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms", kms_master_key_id: "alias/aws/s3" }],
          },
        ],
      },
    });
  if (o.sse === "data-aws-s3")
    resources.push({
      type: "aws_kms_key",
      name: "s3_default",
      data: true,
      cfg: { key_id: "alias/aws/s3" },
      known: {
        arn: `arn:aws:kms:${SEOUL}:${ACCOUNT}:key/5d1b7e3a-2c9f-4a68-b0e4-7f3c2a1d9e85`,
        id: "5d1b7e3a-2c9f-4a68-b0e4-7f3c2a1d9e85",
        key_manager: "AWS",
        origin: "AWS_KMS",
        key_state: "Enabled",
        enabled: true,
        description: "Default key that protects my S3 objects when no other key is defined",
      },
    });
  if (o.accountPab)
    resources.push({
      type: "aws_s3_account_public_access_block",
      name: "account",
      cfg: {
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      },
    });
  resources.push(
    ...privateNetwork("gpu", { provider: hp, region, cidr: "10.77.0.0/16" }),
    ...kmsKey("gpu", { provider: hp, alias: "alias/gpu-volumes" }),
    role("host", "analytics-gpu-host", assume("ec2.amazonaws.com")),
    {
      type: "aws_iam_instance_profile",
      name: "host",
      cfg: { name: "analytics-gpu-host", role: ref("aws_iam_role.host.name") },
    },
  );
  if (o.statements)
    resources.push({
      type: "aws_iam_role_policy",
      name: "host",
      cfg: {
        name: "data",
        role: ref("aws_iam_role.host.id"),
        policy: fn(jsonencode({ Version: "2012-10-17", Statement: o.statements })),
      },
    });
  if (o.bucketGrant) {
    // The personal bucket's policy grants the host role (resource-based), beside the TLS deny.
    const i = resources.findIndex((r) => r.type === "aws_s3_bucket_policy" && r.name === "personal");
    resources[i] = {
      ...resources[i],
      cfg: {
        bucket: ref("aws_s3_bucket.personal.id"),
        policy: fn(
          jsonencodeOf((_k, r) => {
            const roleArn = `arn:aws:iam::${r("data.aws_caller_identity.current.account_id") as string}:role/${r("aws_iam_role.host.name") as string}`;
            return {
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "DenyInsecureTransport",
                  Effect: "Deny",
                  Principal: "*",
                  Action: "s3:*",
                  Resource: arn(PERSONAL),
                  Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
                {
                  Sid: "GpuHostRead",
                  Effect: "Allow",
                  Principal: { AWS: roleArn },
                  Action: ["s3:GetObject", "s3:ListBucket"],
                  Resource: arn(PERSONAL),
                },
              ],
            };
          }),
          "data.aws_caller_identity.current.account_id",
          "aws_iam_role.host.name",
        ),
      },
    };
  }
  if (o.accessPoint)
    resources.push(
      {
        type: "aws_s3_access_point",
        name: "training",
        cfg: {
          bucket: ref("aws_s3_bucket.personal.id"),
          name: "loyalty-training",
          vpc_configuration: [{ vpc_id: ref("aws_vpc.gpu.id") }],
        },
      },
      {
        type: "aws_iam_role_policy",
        name: "host_ap",
        cfg: {
          name: "access-point",
          role: ref("aws_iam_role.host.id"),
          policy: fn(
            jsonencode({
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: ["s3:GetObject", "s3:ListBucket"],
                  Resource: [
                    `arn:aws:s3:${SEOUL}:${ACCOUNT}:accesspoint/loyalty-training`,
                    `arn:aws:s3:${SEOUL}:${ACCOUNT}:accesspoint/loyalty-training/object/*`,
                  ],
                },
              ],
            }),
          ),
        },
      },
    );
  if (o.publicSubnet)
    resources.push(
      { type: "aws_internet_gateway", name: "gpu", provider: hp, cfg: { vpc_id: ref("aws_vpc.gpu.id") } },
      {
        type: "aws_subnet",
        name: "gpu_public",
        provider: hp,
        cfg: {
          vpc_id: ref("aws_vpc.gpu.id"),
          cidr_block: "10.77.200.0/24",
          availability_zone: `${region}a`,
          map_public_ip_on_launch: true,
          tags: { Tier: "public" },
        },
      },
    );
  if (o.nat)
    resources.push(
      { type: "aws_internet_gateway", name: "gpu", provider: hp, cfg: { vpc_id: ref("aws_vpc.gpu.id") } },
      {
        type: "aws_subnet",
        name: "gpu_public",
        provider: hp,
        cfg: {
          vpc_id: ref("aws_vpc.gpu.id"),
          cidr_block: "10.77.200.0/24",
          availability_zone: `${region}a`,
          map_public_ip_on_launch: true,
          tags: { Tier: "public" },
        },
      },
      { type: "aws_eip", name: "nat", provider: hp, cfg: { domain: "vpc" } },
      {
        type: "aws_nat_gateway",
        name: "gpu",
        provider: hp,
        cfg: { allocation_id: ref("aws_eip.nat.id"), subnet_id: ref("aws_subnet.gpu_public.id") },
      },
    );
  const host: Cfg = {
    ami: "ami-0f1e2d3c4b5a69788",
    subnet_id: o.publicSubnet ? ref("aws_subnet.gpu_public.id") : subnetRef("gpu", `${region}a`),
    vpc_security_group_ids: [ref("aws_security_group.gpu_training.id")],
    iam_instance_profile: ref("aws_iam_instance_profile.host.name"),
    root_block_device: [{ encrypted: true, kms_key_id: ref("aws_kms_key.gpu.arn"), volume_size: 300 }],
    tags: { Name: "loyalty-ranker-train" },
  };
  if (o.instanceType !== null) host.instance_type = o.instanceType ?? "g5.12xlarge";
  else host.instance_type = ref("data.aws_ssm_parameter.instance_type.value");
  if (o.associatePublicIp !== null) host.associate_public_ip_address = o.associatePublicIp ?? false;
  resources.push({ type: "aws_instance", name: "train", provider: hp, cfg: host });
  if (o.instanceType === null)
    resources.push(
      {
        type: "aws_ssm_parameter",
        name: "instance_type",
        cfg: { name: "/ml/loyalty/instance-type", type: "String", value: "p4d.24xlarge", overwrite: true },
      },
      {
        type: "aws_ssm_parameter",
        name: "instance_type",
        data: true,
        dependsOn: ["aws_ssm_parameter.instance_type"],
        deferred: "read_because_dependency_pending",
        cfg: { name: "/ml/loyalty/instance-type" },
      },
    );
  const providers: Provider[] = [aws(SEOUL, { defaultTags: { Domain: "loyalty" } })];
  if (hp) providers.push(aws(region, { alias: "gpu", defaultTags: { Domain: "loyalty" } }));
  return { providers, resources };
}

const READ = ["s3:GetObject", "s3:ListBucket"];

export const scenarios: Scenario[] = [
  {
    name: "subtle-allow-star-deny-personal-us-east-1",
    description:
      "The us-east-1 GPU host's role allows s3:GetObject/ListBucket on every bucket but explicitly denies s3:* on the personal bucket: an explicit Deny wins in IAM, so the host cannot read personal data. Not personal-data training.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: probe({
      hostRegion: "us-east-1",
      statements: [
        { Sid: "ReadAll", Effect: "Allow", Action: READ, Resource: "*" },
        { Sid: "NoPersonal", Effect: "Deny", Action: "s3:*", Resource: arn(PERSONAL) },
      ],
    }),
  },
  {
    name: "subtle-allow-not-resource-personal-us-east-1",
    description:
      "The role allows reads with NotResource = the personal bucket (everything except it): the personal data is out of reach. Not personal-data training.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: probe({
      hostRegion: "us-east-1",
      statements: [{ Effect: "Allow", Action: READ, NotResource: arn(PERSONAL) }],
    }),
  },
  {
    name: "subtle-allow-star-us-east-1",
    description:
      'The us-east-1 GPU host\'s role allows s3:GetObject on Resource "*": it can read the personal bucket of the same account.',
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: probe({ hostRegion: "us-east-1", statements: [{ Effect: "Allow", Action: READ, Resource: "*" }] }),
  },
  {
    name: "subtle-shared-key-public-bucket-us-east-1",
    description:
      "The host abroad reads only the public catalog bucket, which shares its CMK with the personal bucket, and may kms:Decrypt with that key: a key carries no personal data, so this is not personal-data training.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: probe({
      hostRegion: "us-east-1",
      statements: [
        { Effect: "Allow", Action: READ, Resource: arn(PUBLIC) },
        {
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:DescribeKey"],
          Resource: `arn:aws:kms:${SEOUL}:${ACCOUNT}:alias/analytics-shared`,
        },
      ],
    }),
  },
  {
    name: "subtle-kms-decrypt-only-personal-key-us-east-1",
    description:
      "The host abroad has kms:Decrypt on the key of the personal bucket but no S3 permission on it: decrypting alone reads no data.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: probe({
      hostRegion: "us-east-1",
      statements: [
        { Effect: "Allow", Action: "kms:Decrypt", Resource: "*" },
        { Effect: "Allow", Action: READ, Resource: arn(PUBLIC) },
      ],
    }),
  },
  {
    name: "subtle-bucket-policy-grants-host-role-us-west-2",
    description:
      "The host role has no identity policy for the personal bucket; the bucket's own policy grants that role s3:GetObject (a resource-based grant, same account). The host in us-west-2 can read personal data.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: probe({
      hostRegion: "us-west-2",
      bucketGrant: true,
      statements: [{ Effect: "Allow", Action: READ, Resource: arn(PUBLIC) }],
    }),
  },
  {
    name: "subtle-access-point-arn-ap-northeast-1",
    description:
      "The Tokyo host reads the personal bucket through an S3 access point named by ARN in its role policy; the access point belongs to the personal bucket.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: probe({ hostRegion: "ap-northeast-1", accessPoint: true }),
  },
  {
    name: "subtle-classification-tag-spelling-pii",
    description:
      "The personal bucket is tagged Data-Classification = PII (another key spelling and upper case); the host in us-east-1 reads it.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: probe({
      hostRegion: "us-east-1",
      personalTags: { "Data-Classification": "PII" },
      statements: [{ Effect: "Allow", Action: READ, Resource: arn(PERSONAL) }],
    }),
  },
  {
    name: "subtle-classification-confidential-us-east-1",
    description:
      "The bucket is tagged DataClassification = confidential, a value the policy data lists neither as personal nor as non-personal: reported as unclassified (advisory), not judged personal. The host abroad passes the mandatory rules.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: probe({
      hostRegion: "us-east-1",
      personalTags: { DataClassification: "confidential" },
      statements: [{ Effect: "Allow", Action: READ, Resource: arn(PERSONAL) }],
    }),
  },
  {
    name: "subtle-sse-alias-aws-s3-seoul",
    description:
      "The personal bucket's SSE-KMS names alias/aws/s3, the AWS-managed S3 key: not a customer-managed key. Everything else (Seoul, private host) is compliant.",
    expect: { "kr-localization": fail(R.CMK), "risk-based": fail(R.CMK) },
    plan: probe({ sse: "alias-aws-s3", statements: [{ Effect: "Allow", Action: READ, Resource: arn(PERSONAL) }] }),
  },
  {
    name: "subtle-sse-data-source-aws-managed-key-seoul",
    description:
      "The personal bucket's SSE-KMS key is data.aws_kms_key for alias/aws/s3, whose key_manager is AWS: an AWS-managed key read through a data source.",
    expect: { "kr-localization": fail(R.CMK), "risk-based": fail(R.CMK) },
    plan: probe({ sse: "data-aws-s3", statements: [{ Effect: "Allow", Action: READ, Resource: arn(PERSONAL) }] }),
  },
  {
    name: "subtle-account-level-public-access-block-seoul",
    description:
      "The personal bucket has no bucket-level public access block, but the account-level block (all four settings) is in the same plan. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: probe({
      pab: false,
      accountPab: true,
      statements: [{ Effect: "Allow", Action: READ, Resource: arn(PERSONAL) }],
    }),
  },
  {
    name: "subtle-no-public-access-block-seoul",
    description:
      "The personal bucket has no public access block at any level: reachable from the public internet by a policy or ACL change.",
    expect: { "kr-localization": fail(R.PUBLIC), "risk-based": fail(R.PUBLIC) },
    plan: probe({ pab: false, statements: [{ Effect: "Allow", Action: READ, Resource: arn(PERSONAL) }] }),
  },
  {
    name: "subtle-public-subnet-explicit-no-public-ip-seoul",
    description:
      "The Seoul GPU host sits in a subnet that maps public IPs on launch, but sets associate_public_ip_address = false explicitly: it gets no public address. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: probe({
      publicSubnet: true,
      associatePublicIp: false,
      statements: [{ Effect: "Allow", Action: READ, Resource: arn(PERSONAL) }],
    }),
  },
  {
    name: "subtle-public-subnet-default-public-ip-seoul",
    description:
      "The Seoul GPU host in the public subnet without associate_public_ip_address: the subnet maps a public IP on launch.",
    expect: { "kr-localization": fail(R.PRIVATE, R.PUBLIC), "risk-based": fail(R.PUBLIC) },
    plan: probe({
      publicSubnet: true,
      associatePublicIp: null,
      statements: [{ Effect: "Allow", Action: READ, Resource: arn(PERSONAL) }],
    }),
  },
  {
    name: "subtle-private-subnet-with-nat-egress-seoul",
    description:
      "The Seoul GPU host is in a private subnet of a VPC that also has a NAT gateway (outbound only) and an internet gateway for the NAT's public subnet: no public IP, no inbound path. Compliant under the isolated reading.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: probe({ nat: true, statements: [{ Effect: "Allow", Action: READ, Resource: arn(PERSONAL) }] }),
  },
  {
    name: "subtle-instance-type-unknown-us-east-1",
    description:
      "The host abroad reads the personal bucket and its instance type comes from an SSM parameter read during apply: it may be a GPU host, and the guard cannot prove it is not, so it is judged as training.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: probe({
      hostRegion: "us-east-1",
      instanceType: null,
      statements: [{ Effect: "Allow", Action: READ, Resource: arn(PERSONAL) }],
    }),
  },
];
