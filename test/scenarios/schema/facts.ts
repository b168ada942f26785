// Provider facts the cdktf-generated schema does not carry: SDKv2 attribute defaults shown in
// plans, Optional+Computed blocks (unknown when not written), schema versions, sensitive
// attributes, and hand-written schemas of the few non-aws types the corpus uses (from the
// provider documentation).

import type { AttrSchema } from "../builder";

/** Default values the provider plans for unset optional attributes (dotted paths inside blocks). */
export const PROVIDER_DEFAULTS: Record<string, Record<string, unknown>> = {
  aws_s3_bucket: { force_destroy: false },
  aws_s3_bucket_public_access_block: {
    block_public_acls: false,
    block_public_policy: false,
    ignore_public_acls: false,
    restrict_public_buckets: false,
  },
  aws_kms_key: {
    bypass_policy_lockout_safety_check: false,
    customer_master_key_spec: "SYMMETRIC_DEFAULT",
    enable_key_rotation: false,
    is_enabled: true,
    key_usage: "ENCRYPT_DECRYPT",
  },
  aws_iam_role: { force_detach_policies: false, max_session_duration: 3600, path: "/" },
  aws_iam_policy: { path: "/" },
  aws_iam_instance_profile: { path: "/" },
  aws_vpc: { enable_dns_support: true, instance_tenancy: "default" },
  aws_subnet: {
    assign_ipv6_address_on_creation: false,
    enable_dns64: false,
    enable_resource_name_dns_a_record_on_launch: false,
    enable_resource_name_dns_aaaa_record_on_launch: false,
    ipv6_native: false,
    map_public_ip_on_launch: false,
  },
  aws_security_group: { description: "Managed by Terraform", revoke_rules_on_delete: false },
  aws_instance: { get_password_data: false, source_dest_check: true, user_data_replace_on_change: false },
  aws_sagemaker_notebook_instance: { direct_internet_access: "Enabled", root_access: "Enabled", volume_size: 5 },
  aws_sagemaker_domain: { app_network_access_type: "PublicInternetOnly" },
  aws_eks_cluster: {
    bootstrap_self_managed_addons: true,
    "vpc_config.endpoint_private_access": false,
    "vpc_config.endpoint_public_access": true,
  },
  aws_db_instance: {
    apply_immediately: false,
    auto_minor_version_upgrade: true,
    copy_tags_to_snapshot: false,
    delete_automated_backups: true,
    performance_insights_enabled: false,
    publicly_accessible: false,
    skip_final_snapshot: false,
    storage_encrypted: false,
  },
  aws_rds_cluster: { copy_tags_to_snapshot: false, skip_final_snapshot: false },
  aws_dynamodb_table: { billing_mode: "PROVISIONED" },
  aws_efs_file_system: { throughput_mode: "bursting" },
  aws_cloudwatch_log_group: { retention_in_days: 0, skip_destroy: false },
  aws_ecr_repository: { image_tag_mutability: "MUTABLE" },
  aws_backup_vault: { force_destroy: false },
  aws_sfn_state_machine: { publish: false, type: "STANDARD" },
  aws_ecs_task_definition: { skip_destroy: false, track_latest: false },
  aws_batch_job_definition: { deregister_on_new_revision: true, propagate_tags: false },
  aws_emr_cluster: { visible_to_all_users: true },
  "data.aws_iam_policy_document": { "statement.effect": "Allow" },
};

/** Optional+Computed blocks: unknown at plan when the configuration does not write them. */
export const COMPUTED_BLOCKS: Record<string, string[]> = {
  aws_instance: [
    "root_block_device",
    "ebs_block_device",
    "ephemeral_block_device",
    "metadata_options",
    "cpu_options",
    "capacity_reservation_specification",
    "credit_specification",
    "enclave_options",
    "maintenance_options",
    "private_dns_name_options",
    "network_interface",
    "instance_market_options",
  ],
  aws_eks_cluster: ["access_config", "kubernetes_network_config", "upgrade_policy"],
  aws_rds_cluster: ["serverlessv2_scaling_configuration"],
};

/** Schema versions other than 0. */
export const SCHEMA_VERSIONS: Record<string, number> = {
  aws_instance: 1,
  aws_db_instance: 2,
  aws_security_group: 1,
  aws_dynamodb_table: 1,
  aws_spot_instance_request: 1,
  aws_eip: 0,
};

/** Sensitive attributes per type. */
export const SENSITIVE: Record<string, string[]> = {
  aws_db_instance: ["password", "password_wo"],
  aws_rds_cluster: ["master_password", "master_password_wo"],
  aws_redshift_cluster: ["master_password", "master_password_wo"],
  aws_ssm_parameter: ["value", "value_wo"],
};

const a = (k: string, f: string, n?: Record<string, AttrSchema>): AttrSchema => (n ? { k, f, n } : { k, f });

/** Schemas of types outside hashicorp/aws (hashicorp/awscc, from its documentation). */
export const EXTRA_SCHEMAS: Record<string, Record<string, AttrSchema>> = {
  // HyperPod clusters are not in hashicorp/aws 6.x; teams use awscc_sagemaker_cluster.
  awscc_sagemaker_cluster: {
    cluster_arn: a("string", "c"),
    cluster_name: a("string", "co"),
    cluster_status: a("string", "c"),
    creation_time: a("string", "c"),
    failure_message: a("string", "c"),
    id: a("string", "c"),
    instance_groups: a("list", "co"),
    node_recovery: a("string", "co"),
    orchestrator: a("any", "co"),
    restricted_instance_groups: a("list", "co"),
    tags: a("list", "co"),
    vpc_config: a("any", "co"),
  },
};
