// Copies of personal data: S3 replication, DynamoDB global tables, Aurora global databases, RDS
// read replicas and backup replication, AWS Backup copy actions, EFS replication, Redshift
// snapshot copy, KMS multi-Region replica keys, DataSync tasks.

import { fn, jsonencode, lazy, ref, U, type Cfg, type PlanSpec, type Provider, type Res } from "../builder";
import { assume, aws, callerData, kmsKey, privateNetwork, R, role, s3Bucket, SEOUL, subnetRef } from "../kit";
import { fail, PASS, type Scenario } from "../scenario";

const ACCOUNT = "559301847726";
const TAGS = { Owner: "data-platform", ManagedBy: "terraform" };

/** A compliant Seoul notebook that reads `bucketName` through an inline role policy. */
function seoulNotebook(arnOf: string, opts: { module?: string } = {}): Res[] {
  const m = opts.module;
  return [
    ...privateNetwork("nb", { module: m, cidr: "10.90.0.0/16" }),
    ...kmsKey("notebook", { module: m }),
    role("notebook", "dataset-notebook", assume("sagemaker.amazonaws.com"), { module: m }),
    {
      type: "aws_iam_role_policy",
      name: "notebook_data",
      module: m,
      cfg: {
        name: "dataset-read",
        role: ref("aws_iam_role.notebook.id"),
        policy: fn(
          lazy((_k, resolve) => {
            const arn = resolve(arnOf);
            return arn === U
              ? U
              : jsonencode({
                  Version: "2012-10-17",
                  Statement: [
                    { Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: [arn, `${arn}/*`] },
                  ],
                });
          }),
          arnOf,
          arnOf,
        ),
      },
    },
    {
      type: "aws_sagemaker_notebook_instance",
      name: "analysis",
      module: m,
      cfg: {
        name: "dataset-analysis",
        instance_type: "ml.g5.xlarge",
        role_arn: ref("aws_iam_role.notebook.arn"),
        subnet_id: subnetRef("nb", `${SEOUL}a`),
        security_groups: [ref("aws_security_group.nb_training.id")],
        direct_internet_access: "Disabled",
        root_access: "Disabled",
        kms_key_id: ref("aws_kms_key.notebook.id"),
      },
    },
  ];
}

/** S3 replication of a personal bucket to a destination on another provider (or the same Region). */
function s3Replication(o: {
  destRegion: string;
  classification?: string;
  destArnLiteral?: string;
  withTraining?: boolean;
  ruleStatus?: "Enabled" | "Disabled";
}): PlanSpec {
  const remote = o.destRegion !== SEOUL;
  const dp = remote ? "aws.dr" : undefined;
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...kmsKey("source", { alias: "alias/claims-source" }),
    ...s3Bucket("claims", {
      bucket: "acme-insurance-claims-images",
      tags: { DataClassification: o.classification ?? "personal", Sector: "finance" },
      kms: "aws_kms_key.source.arn",
      tls: "doc",
      logTo: "aws_s3_bucket.logs.id",
    }),
    ...s3Bucket("logs", {
      bucket: "acme-claims-access-logs",
      tags: { DataClassification: "internal" },
      kms: "AES256",
      versioning: false,
    }),
    role("replication", "s3-claims-replication", assume("s3.amazonaws.com")),
    {
      type: "aws_iam_role_policy",
      name: "replication",
      cfg: {
        name: "replicate-claims",
        role: ref("aws_iam_role.replication.id"),
        policy: fn(
          U,
          "aws_s3_bucket.claims.arn",
          "aws_s3_bucket.claims.arn",
          ...(o.destArnLiteral ? ["var.dr_bucket_arn"] : ["aws_s3_bucket.claims_dr.arn"]),
        ),
      },
    },
  ];
  if (!o.destArnLiteral) {
    resources.push(
      ...kmsKey("dr", { provider: dp, alias: "alias/claims-dr" }),
      ...s3Bucket("claims_dr", {
        provider: dp,
        bucket: `acme-insurance-claims-images-${o.destRegion}`,
        tags: { DataClassification: o.classification ?? "personal", Sector: "finance", Role: "dr-replica" },
        kms: "aws_kms_key.dr.arn",
        tls: "doc",
        logTo: "aws_s3_bucket.logs.id",
      }),
    );
    // The DR bucket logs to the source account's log bucket only when in the same Region.
    if (remote) {
      const i = resources.findIndex((r) => r.type === "aws_s3_bucket_logging" && r.name === "claims_dr");
      resources.splice(i, 1);
      resources.push(
        ...s3Bucket("logs_dr", {
          provider: dp,
          bucket: `acme-claims-access-logs-${o.destRegion}`,
          tags: { DataClassification: "internal" },
          kms: "AES256",
          versioning: false,
        }),
        {
          type: "aws_s3_bucket_logging",
          name: "claims_dr",
          provider: dp,
          cfg: {
            bucket: ref("aws_s3_bucket.claims_dr.id"),
            target_bucket: ref("aws_s3_bucket.logs_dr.id"),
            target_prefix: "claims-dr/",
          },
        },
      );
    }
  }
  const destination: Cfg = {
    bucket: o.destArnLiteral ? ref("var.dr_bucket_arn") : ref("aws_s3_bucket.claims_dr.arn"),
    storage_class: "STANDARD_IA",
    encryption_configuration: [
      { replica_kms_key_id: o.destArnLiteral ? ref("var.dr_kms_key_arn") : ref("aws_kms_key.dr.arn") },
    ],
  };
  if (o.destArnLiteral) destination.account = "889977665544";
  resources.push({
    type: "aws_s3_bucket_replication_configuration",
    name: "claims",
    dependsOn: ["aws_s3_bucket_versioning.claims"],
    cfg: {
      bucket: ref("aws_s3_bucket.claims.id"),
      role: ref("aws_iam_role.replication.arn"),
      rule: [
        {
          id: "dr",
          status: o.ruleStatus ?? "Enabled",
          filter: [{ prefix: "" }],
          delete_marker_replication: [{ status: "Enabled" }],
          source_selection_criteria: [{ sse_kms_encrypted_objects: [{ status: "Enabled" }] }],
          destination: [destination],
        },
      ],
    },
  });
  if (o.withTraining !== false) resources.push(...seoulNotebook("aws_s3_bucket.claims.arn"));
  const providers: Provider[] = [aws(SEOUL, { defaultTags: TAGS })];
  if (remote && !o.destArnLiteral) providers.push(aws(o.destRegion, { alias: "dr", defaultTags: TAGS }));
  return {
    variables: o.destArnLiteral
      ? {
          dr_bucket_arn: { value: o.destArnLiteral, description: "Replica bucket in the DR account" },
          dr_kms_key_arn: { value: "arn:aws:kms:ap-northeast-2:889977665544:key/6f1c2d3e-8a9b-4c0d-9e1f-2a3b4c5d6e7f" },
        }
      : undefined,
    providers,
    resources,
  };
}

/** A DynamoDB feature table, optionally a global table with a replica Region. */
function dynamoFeatures(o: { replicaRegion?: string; replicaResource?: string; classification?: string }): PlanSpec {
  const replicas = o.replicaRegion
    ? [
        {
          region_name: o.replicaRegion,
          kms_key_arn: ref("aws_kms_replica_key.features.arn"),
          point_in_time_recovery: true,
          propagate_tags: true,
        },
      ]
    : [];
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...kmsKey("features", { multiRegion: !!(o.replicaRegion || o.replicaResource), alias: "alias/user-features" }),
    {
      type: "aws_dynamodb_table",
      name: "features",
      cfg: {
        name: "user-realtime-features",
        billing_mode: "PAY_PER_REQUEST",
        hash_key: "user_id",
        range_key: "feature_set",
        attribute: [
          { name: "user_id", type: "S" },
          { name: "feature_set", type: "S" },
        ],
        stream_enabled: replicas.length > 0 || !!o.replicaResource,
        ...(replicas.length || o.replicaResource ? { stream_view_type: "NEW_AND_OLD_IMAGES" } : {}),
        point_in_time_recovery: [{ enabled: true }],
        server_side_encryption: [{ enabled: true, kms_key_arn: ref("aws_kms_key.features.arn") }],
        replica: replicas,
        deletion_protection_enabled: true,
        tags: { DataClassification: o.classification ?? "personal", Dataset: "user-features" },
      },
    },
  ];
  if (o.replicaRegion)
    resources.push({
      type: "aws_kms_replica_key",
      name: "features",
      provider: "aws.replica",
      cfg: {
        description: "user features replica key",
        primary_key_arn: ref("aws_kms_key.features.arn"),
        deletion_window_in_days: 7,
      },
    });
  if (o.replicaResource)
    resources.push(
      {
        type: "aws_kms_replica_key",
        name: "features",
        provider: "aws.replica",
        cfg: {
          description: "user features replica key",
          primary_key_arn: ref("aws_kms_key.features.arn"),
          deletion_window_in_days: 7,
        },
      },
      {
        type: "aws_dynamodb_table_replica",
        name: "features",
        provider: "aws.replica",
        cfg: {
          global_table_arn: ref("aws_dynamodb_table.features.arn"),
          kms_key_arn: ref("aws_kms_replica_key.features.arn"),
          point_in_time_recovery: true,
          tags: { DataClassification: o.classification ?? "personal" },
        },
      },
    );
  // A Seoul notebook trains a ranker on the table.
  resources.push(...seoulNotebook("aws_dynamodb_table.features.arn"));
  const region = o.replicaRegion ?? o.replicaResource;
  return {
    providers: region
      ? [aws(SEOUL, { defaultTags: TAGS }), aws(region, { alias: "replica", defaultTags: TAGS })]
      : [aws(SEOUL, { defaultTags: TAGS })],
    resources,
  };
}

export const scenarios: Scenario[] = [
  {
    name: "s3-crr-claims-to-us-west-2",
    description:
      "Personal (finance) claim images in Seoul are replicated by an S3 replication rule to a DR bucket in us-west-2 on the aws.dr provider alias. The DR copy is fully safeguarded, training stays in Seoul, but the copy crosses the border.",
    expect: { "kr-localization": fail(R.COPY), "risk-based": PASS },
    plan: s3Replication({ destRegion: "us-west-2" }),
  },
  {
    name: "s3-srr-claims-within-seoul",
    description:
      "Same-Region replication of the personal claim images to a second Seoul bucket for recovery: no copy leaves Korea. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: s3Replication({ destRegion: SEOUL }),
  },
  {
    name: "s3-crr-public-reference-images-to-eu",
    description:
      "The replicated bucket holds public reference images (DataClassification=public): replicating them to eu-west-1 is not a personal-data copy.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: s3Replication({ destRegion: "eu-west-1", classification: "public" }),
  },
  {
    name: "s3-crr-to-other-account-arn-variable",
    description:
      "Replication to a bucket in another account named by an ARN variable: S3 ARNs carry no Region, so the destination's location cannot be established at plan time; the rule fails closed on an unresolvable copy destination.",
    expect: { "kr-localization": fail(R.COPY), "risk-based": PASS },
    plan: s3Replication({ destRegion: SEOUL, destArnLiteral: "arn:aws:s3:::acme-dr-claims-replica" }),
  },
  {
    name: "dynamodb-global-table-replica-tokyo",
    description:
      "The personal user-features table is a global table with a replica block in ap-northeast-1 (Tokyo) encrypted with a multi-Region replica key: both the table replica and the KMS replica key of a key protecting personal data leave Korea.",
    expect: { "kr-localization": fail(R.COPY), "risk-based": PASS },
    plan: dynamoFeatures({ replicaRegion: "ap-northeast-1" }),
  },
  {
    name: "dynamodb-table-replica-resource-us-east-1",
    description:
      "The global table is extended with an aws_dynamodb_table_replica resource on a us-east-1 provider alias (the provider's other way to write replicas).",
    expect: { "kr-localization": fail(R.COPY), "risk-based": PASS },
    plan: dynamoFeatures({ replicaResource: "us-east-1" }),
  },
  {
    name: "dynamodb-features-seoul-only",
    description:
      "The personal feature table in Seoul with point-in-time recovery and a CMK, no replicas; the training pipeline reads it from Seoul. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: dynamoFeatures({}),
  },
  {
    name: "s3-crr-claims-to-ap-southeast-1-no-training",
    description:
      "Replication of the personal claim images to Singapore in a stack without any training workload: the copy rule does not depend on training.",
    expect: { "kr-localization": fail(R.COPY), "risk-based": PASS },
    plan: s3Replication({ destRegion: "ap-southeast-1", withTraining: false }),
  },
  {
    name: "s3-crr-claims-rule-disabled",
    description:
      "The replication configuration to us-west-2 exists but its only rule has status Disabled: nothing is copied. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: s3Replication({ destRegion: "us-west-2", ruleStatus: "Disabled" }),
  },
  {
    name: "dynamodb-internal-table-replica-tokyo",
    description:
      "A global table of internal (non-personal) feature statistics with a Tokyo replica and a KMS replica key: no personal data is copied.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: dynamoFeatures({ replicaRegion: "ap-northeast-1", classification: "internal" }),
  },
];
