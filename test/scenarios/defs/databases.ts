// Databases and backups holding personal data: Aurora global databases, RDS read replicas and
// automated-backup replication, public or unencrypted instances, Redshift snapshot copy, AWS
// Backup plans selecting by tag with copy actions, KMS multi-Region replica keys.

import { fn, ref, U, type PlanSpec, type Provider, type Res } from "../builder";
import { assume, aws, callerData, kmsKey, privateNetwork, R, role, SEOUL, subnetIds, subnetRef } from "../kit";
import { fail, PASS, type Scenario } from "../scenario";

const ACCOUNT = "190374826615";
const TAGS = { Application: "loyalty", ManagedBy: "terraform" };

/** A SageMaker notebook in Seoul that reads the database through its secret (training on extracts). */
function dbNotebook(target: string): Res[] {
  return [
    role("analyst", "loyalty-analyst-notebook", assume("sagemaker.amazonaws.com")),
    {
      type: "aws_iam_role_policy",
      name: "analyst",
      cfg: {
        name: "db-connect",
        role: ref("aws_iam_role.analyst.id"),
        policy: fn(U, `${target}.arn`, `${target}.master_user_secret`),
      },
    },
    {
      type: "aws_sagemaker_notebook_instance",
      name: "analyst",
      cfg: {
        name: "loyalty-propensity",
        instance_type: "ml.g5.2xlarge",
        role_arn: ref("aws_iam_role.analyst.arn"),
        subnet_id: subnetRef("db", `${SEOUL}a`),
        security_groups: [ref("aws_security_group.db_training.id")],
        direct_internet_access: "Disabled",
        kms_key_id: ref("aws_kms_key.db.arn"),
      },
    },
  ];
}

/** Aurora PostgreSQL in Seoul, optionally the primary of a global database with a secondary abroad. */
function aurora(o: { secondary?: string; encrypted?: boolean; logs?: boolean }): PlanSpec {
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...privateNetwork("db", { cidr: "10.44.0.0/16" }),
    ...kmsKey("db", { alias: "alias/loyalty-db", multiRegion: !!o.secondary }),
    { type: "aws_db_subnet_group", name: "db", cfg: { name: "loyalty-db", subnet_ids: subnetIds("db") } },
  ];
  if (o.secondary)
    resources.push({
      type: "aws_rds_global_cluster",
      name: "loyalty",
      cfg: {
        global_cluster_identifier: "loyalty-global",
        engine: "aurora-postgresql",
        engine_version: "16.4",
        database_name: "loyalty",
        storage_encrypted: true,
      },
    });
  resources.push(
    {
      type: "aws_rds_cluster",
      name: "primary",
      cfg: {
        cluster_identifier: "loyalty-kr",
        engine: "aurora-postgresql",
        engine_version: "16.4",
        ...(o.secondary
          ? { global_cluster_identifier: ref("aws_rds_global_cluster.loyalty.id") }
          : { database_name: "loyalty" }),
        master_username: "loyalty_admin",
        manage_master_user_password: true,
        db_subnet_group_name: ref("aws_db_subnet_group.db.name"),
        vpc_security_group_ids: [ref("aws_security_group.db_training.id")],
        storage_encrypted: o.encrypted ?? true,
        ...(o.encrypted === false ? {} : { kms_key_id: ref("aws_kms_key.db.arn") }),
        backup_retention_period: 14,
        ...(o.logs === false ? {} : { enabled_cloudwatch_logs_exports: ["postgresql"] }),
        deletion_protection: true,
        tags: { DataClassification: "personal" },
      },
    },
    {
      type: "aws_rds_cluster_instance",
      name: "primary",
      count: 2,
      countExpr: 2,
      cfg: {
        identifier: fn((k: number) => `loyalty-kr-${k}`, "count.index"),
        cluster_identifier: ref("aws_rds_cluster.primary.id"),
        instance_class: "db.r7g.2xlarge",
        engine: ref("aws_rds_cluster.primary.engine"),
        publicly_accessible: false,
      },
    },
  );
  if (o.secondary) {
    resources.push(
      {
        type: "aws_kms_replica_key",
        name: "db",
        provider: "aws.secondary",
        cfg: { primary_key_arn: ref("aws_kms_key.db.arn"), description: "loyalty db replica key" },
      },
      ...privateNetwork("db2", { provider: "aws.secondary", region: o.secondary, cidr: "10.45.0.0/16" }),
      {
        type: "aws_db_subnet_group",
        name: "secondary",
        provider: "aws.secondary",
        cfg: { name: "loyalty-db-secondary", subnet_ids: subnetIds("db2") },
      },
      {
        type: "aws_rds_cluster",
        name: "secondary",
        provider: "aws.secondary",
        dependsOn: ["aws_rds_cluster_instance.primary"],
        cfg: {
          cluster_identifier: "loyalty-dr",
          engine: "aurora-postgresql",
          engine_version: "16.4",
          global_cluster_identifier: ref("aws_rds_global_cluster.loyalty.id"),
          db_subnet_group_name: ref("aws_db_subnet_group.secondary.name"),
          storage_encrypted: true,
          kms_key_id: ref("aws_kms_replica_key.db.arn"),
          enabled_cloudwatch_logs_exports: ["postgresql"],
          skip_final_snapshot: true,
        },
      },
    );
  }
  resources.push(...dbNotebook("aws_rds_cluster.primary"));
  const providers: Provider[] = [aws(SEOUL, { defaultTags: TAGS })];
  if (o.secondary) providers.push(aws(o.secondary, { alias: "secondary", defaultTags: TAGS }));
  return { providers, resources };
}

/** An RDS PostgreSQL instance with optional cross-Region replica, backup replication or public access. */
function rdsInstance(o: {
  replicaRegion?: string;
  backupsTo?: string;
  public?: boolean;
  encrypted?: boolean;
}): PlanSpec {
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...privateNetwork("db", { cidr: "10.46.0.0/16" }),
    ...kmsKey("db", { alias: "alias/members-db" }),
    { type: "aws_db_subnet_group", name: "db", cfg: { name: "members-db", subnet_ids: subnetIds("db") } },
    {
      type: "aws_db_instance",
      name: "members",
      cfg: {
        identifier: "members-pg",
        engine: "postgres",
        engine_version: "16.4",
        instance_class: "db.m7g.xlarge",
        allocated_storage: 200,
        storage_type: "gp3",
        db_name: "members",
        username: "members_admin",
        manage_master_user_password: true,
        db_subnet_group_name: ref("aws_db_subnet_group.db.name"),
        vpc_security_group_ids: [ref("aws_security_group.db_training.id")],
        ...(o.encrypted === false ? {} : { storage_encrypted: true, kms_key_id: ref("aws_kms_key.db.arn") }),
        publicly_accessible: o.public ?? false,
        backup_retention_period: 7,
        enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"],
        skip_final_snapshot: false,
        final_snapshot_identifier: "members-pg-final",
        tags: { DataClassification: "personal" },
      },
    },
  ];
  if (o.replicaRegion)
    resources.push(
      {
        type: "aws_kms_key",
        name: "replica",
        provider: "aws.remote",
        cfg: { description: "members read replica", enable_key_rotation: true },
      },
      {
        type: "aws_db_instance",
        name: "members_replica",
        provider: "aws.remote",
        cfg: {
          identifier: "members-pg-replica",
          replicate_source_db: ref("aws_db_instance.members.arn"),
          instance_class: "db.m7g.xlarge",
          storage_encrypted: true,
          kms_key_id: ref("aws_kms_key.replica.arn"),
          publicly_accessible: false,
          skip_final_snapshot: true,
        },
      },
    );
  if (o.backupsTo)
    resources.push(
      {
        type: "aws_kms_key",
        name: "backups",
        provider: "aws.remote",
        cfg: { description: "members backup replication", enable_key_rotation: true },
      },
      {
        type: "aws_db_instance_automated_backups_replication",
        name: "members",
        provider: "aws.remote",
        cfg: {
          source_db_instance_arn: ref("aws_db_instance.members.arn"),
          kms_key_id: ref("aws_kms_key.backups.arn"),
          retention_period: 14,
        },
      },
    );
  resources.push(...dbNotebook("aws_db_instance.members"));
  const remote = o.replicaRegion ?? o.backupsTo;
  const providers: Provider[] = [aws(SEOUL, { defaultTags: TAGS })];
  if (remote) providers.push(aws(remote, { alias: "remote", defaultTags: TAGS }));
  return { providers, resources };
}

/** AWS Backup: a plan selecting resources by DataClassification tag, with an optional copy action. */
function backup(o: { copyTo?: string; literalArn?: boolean; selectTag?: [string, string] }): PlanSpec {
  const [selKey, selValue] = o.selectTag ?? ["DataClassification", "personal"];
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...privateNetwork("db", { cidr: "10.47.0.0/16" }),
    ...kmsKey("db", { alias: "alias/orders-db" }),
    ...kmsKey("vault", { alias: "alias/backup-vault" }),
    { type: "aws_db_subnet_group", name: "db", cfg: { name: "orders-db", subnet_ids: subnetIds("db") } },
    {
      type: "aws_db_instance",
      name: "orders",
      cfg: {
        identifier: "orders-mysql",
        engine: "mysql",
        engine_version: "8.0.39",
        instance_class: "db.r6g.large",
        allocated_storage: 100,
        username: "orders",
        manage_master_user_password: true,
        db_subnet_group_name: ref("aws_db_subnet_group.db.name"),
        storage_encrypted: true,
        kms_key_id: ref("aws_kms_key.db.arn"),
        enabled_cloudwatch_logs_exports: ["audit", "error"],
        skip_final_snapshot: true,
        tags: { DataClassification: "personal", Backup: "daily" },
      },
    },
    {
      type: "aws_backup_vault",
      name: "primary",
      cfg: { name: "orders-primary", kms_key_arn: ref("aws_kms_key.vault.arn") },
    },
  ];
  let dest: unknown;
  if (o.copyTo && o.literalArn) dest = `arn:aws:backup:${o.copyTo}:${ACCOUNT}:backup-vault:orders-dr`;
  else if (o.copyTo) {
    const p = o.copyTo === SEOUL ? undefined : "aws.dr";
    resources.push(...kmsKey("dr_vault", { provider: p, alias: "alias/backup-vault-dr" }), {
      type: "aws_backup_vault",
      name: "dr",
      provider: p,
      cfg: { name: "orders-dr", kms_key_arn: ref("aws_kms_key.dr_vault.arn") },
    });
    dest = ref("aws_backup_vault.dr.arn");
  }
  resources.push(
    {
      type: "aws_backup_plan",
      name: "daily",
      cfg: {
        name: "orders-daily",
        rule: [
          {
            rule_name: "daily-35d",
            target_vault_name: ref("aws_backup_vault.primary.name"),
            schedule: "cron(0 18 * * ? *)",
            lifecycle: [{ delete_after: 35 }],
            ...(dest ? { copy_action: [{ destination_vault_arn: dest, lifecycle: [{ delete_after: 90 }] }] } : {}),
          },
        ],
      },
    },
    role("backup", "orders-backup", assume("backup.amazonaws.com"), {
      managed: ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"],
    }),
    {
      type: "aws_backup_selection",
      name: "personal",
      cfg: {
        name: "personal-data",
        plan_id: ref("aws_backup_plan.daily.id"),
        iam_role_arn: ref("aws_iam_role.backup.arn"),
        selection_tag: [{ type: "STRINGEQUALS", key: selKey, value: selValue }],
      },
    },
  );
  const providers: Provider[] = [aws(SEOUL, { defaultTags: { Application: "orders" } })];
  if (o.copyTo && !o.literalArn && o.copyTo !== SEOUL)
    providers.push(aws(o.copyTo, { alias: "dr", defaultTags: { Application: "orders" } }));
  return { providers, resources };
}

/** Redshift in Seoul with an optional cross-Region snapshot copy. */
function redshift(o: { copyTo?: string; kms?: boolean }): PlanSpec {
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...privateNetwork("dw", { cidr: "10.48.0.0/16" }),
    ...kmsKey("dw", { alias: "alias/dw" }),
    { type: "aws_redshift_subnet_group", name: "dw", cfg: { name: "customer-dw", subnet_ids: subnetIds("dw") } },
    {
      type: "aws_redshift_cluster",
      name: "dw",
      cfg: {
        cluster_identifier: "customer-dw",
        node_type: "ra3.4xlarge",
        number_of_nodes: 2,
        database_name: "customers",
        master_username: "dwadmin",
        manage_master_password: true,
        cluster_subnet_group_name: ref("aws_redshift_subnet_group.dw.name"),
        vpc_security_group_ids: [ref("aws_security_group.dw_training.id")],
        publicly_accessible: false,
        encrypted: "true",
        ...(o.kms === false ? {} : { kms_key_id: ref("aws_kms_key.dw.arn") }),
        enhanced_vpc_routing: true,
        skip_final_snapshot: true,
        tags: { DataClassification: "personal" },
      },
    },
    {
      type: "aws_redshift_logging",
      name: "dw",
      cfg: {
        cluster_identifier: ref("aws_redshift_cluster.dw.id"),
        log_destination_type: "cloudwatch",
        log_exports: ["connectionlog", "userlog", "useractivitylog"],
      },
    },
  ];
  if (o.copyTo)
    resources.push(
      {
        type: "aws_redshift_snapshot_copy_grant",
        name: "dr",
        provider: "aws.dr",
        cfg: {
          snapshot_copy_grant_name: "customer-dw-dr",
          kms_key_id: `arn:aws:kms:${o.copyTo}:${ACCOUNT}:key/1b2c3d4e-5f60-4718-92a3-b4c5d6e7f809`,
        },
      },
      {
        type: "aws_redshift_snapshot_copy",
        name: "dr",
        cfg: {
          cluster_identifier: ref("aws_redshift_cluster.dw.id"),
          destination_region: o.copyTo,
          retention_period: 7,
          snapshot_copy_grant_name: ref("aws_redshift_snapshot_copy_grant.dr.snapshot_copy_grant_name"),
        },
      },
    );
  const providers: Provider[] = [aws(SEOUL, { defaultTags: TAGS })];
  if (o.copyTo) providers.push(aws(o.copyTo, { alias: "dr", defaultTags: TAGS }));
  return { providers, resources };
}

export const scenarios: Scenario[] = [
  {
    name: "aurora-global-secondary-us-east-1",
    description:
      "The personal loyalty Aurora cluster in Seoul is the primary of an aws_rds_global_cluster whose secondary cluster runs on a us-east-1 provider alias (with a KMS replica key): the global database copies personal data abroad.",
    expect: { "kr-localization": fail(R.COPY), "risk-based": PASS },
    plan: aurora({ secondary: "us-east-1" }),
  },
  {
    name: "aurora-seoul-cmk-notebook",
    description:
      "The Aurora cluster alone in Seoul (CMK, logs exported, private subnets) with a Seoul notebook training on it. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: aurora({}),
  },
  {
    name: "aurora-seoul-storage-unencrypted",
    description:
      "The personal Aurora cluster with storage_encrypted = false: no encryption at rest with a customer-managed key.",
    expect: { "kr-localization": fail(R.CMK), "risk-based": fail(R.CMK) },
    plan: aurora({ encrypted: false }),
  },
  {
    name: "rds-read-replica-tokyo",
    description:
      "A cross-Region read replica of the personal members database on a Tokyo provider alias (replicate_source_db = primary ARN).",
    expect: { "kr-localization": fail(R.COPY), "risk-based": PASS },
    plan: rdsInstance({ replicaRegion: "ap-northeast-1" }),
  },
  {
    name: "rds-automated-backups-replicated-us-west-2",
    description:
      "Automated backups of the personal members database are replicated to us-west-2 (aws_db_instance_automated_backups_replication).",
    expect: { "kr-localization": fail(R.COPY), "risk-based": PASS },
    plan: rdsInstance({ backupsTo: "us-west-2" }),
  },
  {
    name: "rds-members-publicly-accessible",
    description: "The personal members database in Seoul is publicly_accessible = true.",
    expect: { "kr-localization": fail(R.PUBLIC), "risk-based": fail(R.PUBLIC) },
    plan: rdsInstance({ public: true }),
  },
  {
    name: "rds-members-seoul-private-cmk",
    description:
      "The personal members database in Seoul, private, CMK-encrypted, logs exported; a Seoul notebook trains on it. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: rdsInstance({}),
  },
  {
    name: "rds-members-unencrypted",
    description: "The personal members database without storage_encrypted (provider default false) and without a key.",
    expect: { "kr-localization": fail(R.CMK), "risk-based": fail(R.CMK) },
    plan: rdsInstance({ encrypted: false }),
  },
  {
    name: "backup-tag-selection-copy-to-us-east-1",
    description:
      "An AWS Backup plan selects every resource tagged DataClassification=personal (the orders database) and its rule copies recovery points to a vault on a us-east-1 provider alias.",
    expect: { "kr-localization": fail(R.COPY), "risk-based": PASS },
    plan: backup({ copyTo: "us-east-1" }),
  },
  {
    name: "backup-tag-selection-copy-within-seoul",
    description: "The tag-selected backups are copied to a second vault in Seoul. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: backup({ copyTo: SEOUL }),
  },
  {
    name: "backup-tag-selection-copy-literal-arn-tokyo",
    description:
      "The copy action names the destination vault by a literal ARN in ap-northeast-1 (the vault is managed elsewhere): the ARN's Region places the copy abroad.",
    expect: { "kr-localization": fail(R.COPY), "risk-based": PASS },
    plan: backup({ copyTo: "ap-northeast-1", literalArn: true }),
  },
  {
    name: "backup-tag-selection-no-copy",
    description: "Tag-selected daily backups into a CMK vault in Seoul, no copy action. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: backup({}),
  },
  {
    name: "redshift-snapshot-copy-us-west-2",
    description:
      "The personal customer warehouse in Seoul copies its snapshots to us-west-2 (aws_redshift_snapshot_copy with a copy grant there).",
    expect: { "kr-localization": fail(R.COPY), "risk-based": PASS },
    plan: redshift({ copyTo: "us-west-2" }),
  },
  {
    name: "redshift-seoul-cmk-logging",
    description:
      "The personal warehouse in Seoul with a CMK, audit logging to CloudWatch, private subnets, no snapshot copy. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: redshift({}),
  },
  {
    name: "backup-selection-weekly-tag-copy-to-us-east-1",
    description:
      "The copy-to-us-east-1 backup plan selects resources tagged Backup = weekly; the personal orders database is tagged Backup = daily, so nothing personal is selected or copied. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: backup({ copyTo: "us-east-1", selectTag: ["Backup", "weekly"] }),
  },
  {
    name: "aurora-global-secondary-ap-northeast-1",
    description: "The personal Aurora global database with its secondary cluster in Tokyo.",
    expect: { "kr-localization": fail(R.COPY), "risk-based": PASS },
    plan: aurora({ secondary: "ap-northeast-1" }),
  },
  {
    name: "rds-read-replica-same-region-seoul",
    description:
      "A read replica of the personal members database on a second provider configuration that is also ap-northeast-2: the copy stays in Korea. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: rdsInstance({ replicaRegion: SEOUL }),
  },
  {
    name: "redshift-snapshot-copy-ap-northeast-3",
    description: "The personal warehouse copies snapshots to Osaka (ap-northeast-3): outside Korea.",
    expect: { "kr-localization": fail(R.COPY), "risk-based": PASS },
    plan: redshift({ copyTo: "ap-northeast-3" }),
  },
];
