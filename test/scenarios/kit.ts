// Small building blocks for scenarios: the pieces real training stacks repeat (provider, caller
// data sources, KMS keys, buckets with their companion resources, roles, private networks). Each
// returns plain resource descriptions; scenarios combine and vary them (names, modules, policy
// styles), so no two plans come from one template.

import { cat, fn, jsonencode, lazy, ref, tpl, U, type Cfg, type Ex, type Provider, type Res } from "./builder";

export const SEOUL = "ap-northeast-2";
/** Expected rule ids, short names. */
export const R = {
  TRAIN_OUT: "residency/personal-training-outside-korea",
  STORE_OUT: "residency/personal-store-outside-korea",
  UNRESOLVED: "residency/unresolved-location",
  UNRESOLVED_ACCESS: "residency/unresolved-data-access",
  OPAQUE: "residency/opaque-module",
  PRIVATE: "private-cloud/personal-training-shared-infrastructure",
  COPY: "cross-border/personal-data-replicated-abroad",
  CRIS: "cross-border/bedrock-cross-region-inference",
  CMK: "safeguards/customer-managed-key",
  TRANSIT: "safeguards/in-transit-encryption",
  PUBLIC: "safeguards/public-access",
  SECTOR_ISO: "sector/regulated-network-isolation",
  SECTOR_LOG: "sector/regulated-access-logging",
  SECTOR_KEY: "sector/regulated-key-rotation",
} as const;

/** Prefixes a traversal with nothing (root) — kept for readability at call sites. */
export const at = (t: string): string => t;

/** `provider "aws" { region = var.<name> }` with optional alias and default tags. */
export function aws(
  region: string | Ex,
  opts: { alias?: string; defaultTags?: Record<string, string> | Ex; module?: string } = {},
): Provider {
  const local = opts.alias ? `aws.${opts.alias}` : "aws";
  return { key: opts.module ? `${opts.module}:${local}` : local, region, defaultTags: opts.defaultTags };
}

/** The caller identity / partition / region data sources most stacks read. */
export function callerData(
  account: string,
  opts: { module?: string; provider?: string; region?: boolean } = {},
): Res[] {
  const out: Res[] = [
    {
      type: "aws_caller_identity",
      name: "current",
      data: true,
      module: opts.module,
      provider: opts.provider,
      cfg: {},
      known: {
        account_id: account,
        arn: `arn:aws:sts::${account}:assumed-role/terraform-ci/gitlab-runner`,
        id: account,
        user_id: "AROAZ7QXEXAMPLE2KJ3M:gitlab-runner",
      },
    },
    {
      type: "aws_partition",
      name: "current",
      data: true,
      module: opts.module,
      provider: opts.provider,
      cfg: {},
      known: { dns_suffix: "amazonaws.com", id: "aws", partition: "aws", reverse_dns_prefix: "com.amazonaws" },
    },
  ];
  if (opts.region !== false)
    out.push({
      type: "aws_region",
      name: "current",
      data: true,
      module: opts.module,
      provider: opts.provider,
      cfg: {},
      known: { description: "", endpoint: "" },
    });
  return out;
}

/** A customer-managed key (rotation on by default) with an alias. */
export function kmsKey(
  name: string,
  opts: {
    module?: string;
    provider?: string;
    description?: string;
    rotation?: boolean;
    alias?: string;
    multiRegion?: boolean;
    tags?: Record<string, string>;
  } = {},
): Res[] {
  const cfg: Cfg = {
    description: opts.description ?? `${name} data key`,
    deletion_window_in_days: 30,
  };
  if (opts.rotation !== false) cfg.enable_key_rotation = true;
  if (opts.multiRegion) cfg.multi_region = true;
  if (opts.tags) cfg.tags = opts.tags;
  const out: Res[] = [{ type: "aws_kms_key", name, module: opts.module, provider: opts.provider, cfg }];
  if (opts.alias)
    out.push({
      type: "aws_kms_alias",
      name,
      module: opts.module,
      provider: opts.provider,
      cfg: { name: opts.alias, target_key_id: ref(`aws_kms_key.${name}.key_id`) },
    });
  return out;
}

/** Options of s3Bucket. */
export interface BucketOpts {
  bucket: string;
  tags?: Record<string, string> | Ex;
  module?: string;
  provider?: string;
  /** Traversal of the CMK ARN, `aws:kms` (AWS-managed key), `AES256`, or null (no SSE resource). */
  kms?: string | null;
  pab?: boolean;
  /** Bucket policy denying non-TLS: as an aws_iam_policy_document, a jsonencode, or none. */
  tls?: "doc" | "jsonencode" | null;
  /** Traversal of the log bucket id for aws_s3_bucket_logging. */
  logTo?: string;
  versioning?: boolean;
  existing?: boolean;
  forceDestroy?: boolean;
}

/** A bucket with its companion resources, each written the way the AWS provider 4+ split them. */
export function s3Bucket(name: string, o: BucketOpts): Res[] {
  const m = o.module;
  const p = o.provider;
  const bucketCfg: Cfg = { bucket: o.bucket };
  if (o.tags) bucketCfg.tags = o.tags;
  if (o.forceDestroy) bucketCfg.force_destroy = true;
  const existing = o.existing ? { action: "no-op" as const } : {};
  const arn = `arn:aws:s3:::${o.bucket}`;
  const out: Res[] = [
    {
      type: "aws_s3_bucket",
      name,
      module: m,
      provider: p,
      cfg: bucketCfg,
      ...existing,
      known: o.existing
        ? {
            arn,
            id: o.bucket,
            bucket_domain_name: `${o.bucket}.s3.amazonaws.com`,
            bucket_regional_domain_name: `${o.bucket}.s3.ap-northeast-2.amazonaws.com`,
            hosted_zone_id: "Z3W03O7B5YMIYP",
            object_lock_enabled: false,
            acl: null,
            acceleration_status: "",
            request_payer: "BucketOwner",
            policy: "",
          }
        : undefined,
    },
  ];
  const bucketRef = (attr = "id"): Ex => ref(`aws_s3_bucket.${name}.${attr}`);
  if (o.kms !== undefined && o.kms !== null) {
    const sse: Cfg =
      o.kms === "AES256"
        ? { sse_algorithm: "AES256" }
        : o.kms === "aws:kms"
          ? { sse_algorithm: "aws:kms" }
          : { sse_algorithm: "aws:kms", kms_master_key_id: ref(o.kms) };
    out.push({
      type: "aws_s3_bucket_server_side_encryption_configuration",
      name,
      module: m,
      provider: p,
      cfg: {
        bucket: bucketRef(),
        rule: [{ apply_server_side_encryption_by_default: [sse], bucket_key_enabled: true }],
      },
    });
  }
  if (o.pab !== false)
    out.push({
      type: "aws_s3_bucket_public_access_block",
      name,
      module: m,
      provider: p,
      cfg: {
        bucket: bucketRef(),
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      },
    });
  if (o.versioning !== false)
    out.push({
      type: "aws_s3_bucket_versioning",
      name,
      module: m,
      provider: p,
      cfg: { bucket: bucketRef(), versioning_configuration: [{ status: "Enabled" }] },
    });
  if (o.logTo)
    out.push({
      type: "aws_s3_bucket_logging",
      name,
      module: m,
      provider: p,
      cfg: { bucket: bucketRef(), target_bucket: ref(o.logTo), target_prefix: `s3/${o.bucket}/` },
    });
  if (o.tls === "doc") {
    out.push(
      {
        type: "aws_iam_policy_document",
        name: `${name}_tls`,
        data: true,
        module: m,
        provider: p,
        cfg: {
          statement: [
            {
              sid: "DenyInsecureTransport",
              effect: "Deny",
              actions: ["s3:*"],
              resources: [bucketRef("arn"), cat(bucketRef("arn"), "/*")],
              principals: [{ type: "*", identifiers: ["*"] }],
              condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
            },
          ],
        },
      },
      {
        type: "aws_s3_bucket_policy",
        name,
        module: m,
        provider: p,
        cfg: { bucket: bucketRef(), policy: ref(`data.aws_iam_policy_document.${name}_tls.json`) },
      },
    );
  } else if (o.tls === "jsonencode") {
    // ARNs built from the bucket name (known at plan), as most teams write them.
    const policy = lazy((_k, resolve) => {
      const b = resolve(`aws_s3_bucket.${name}.bucket`);
      const a = `arn:aws:s3:::${b as string}`;
      return b === U
        ? U
        : jsonencode({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [a, `${a}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
            ],
          });
    });
    out.push({
      type: "aws_s3_bucket_policy",
      name,
      module: m,
      provider: p,
      cfg: { bucket: bucketRef(), policy: fn(policy, `aws_s3_bucket.${name}.bucket`, `aws_s3_bucket.${name}.bucket`) },
    });
  }
  return out;
}

/** `jsonencode` of an assume-role policy for the given service principals. */
export function assume(...services: string[]): Ex {
  return fn(
    jsonencode({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { Service: services.length === 1 ? services[0] : services },
        },
      ],
    }),
  );
}

/** An IAM role (global: IAM has no region, but the resource still plans under its provider). */
export function role(
  name: string,
  roleName: string,
  assumePolicy: Ex,
  opts: { module?: string; managed?: unknown[]; tags?: Record<string, string> } = {},
): Res {
  const cfg: Cfg = { name: roleName, assume_role_policy: assumePolicy };
  if (opts.managed) cfg.managed_policy_arns = opts.managed;
  if (opts.tags) cfg.tags = opts.tags;
  return { type: "aws_iam_role", name, module: opts.module, cfg };
}

/** A policy statement for aws_iam_policy_document. */
export interface Stmt {
  sid?: string;
  effect?: "Allow" | "Deny";
  actions: string[];
  resources: unknown[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

/** data "aws_iam_policy_document" (read at plan when its resources are known, else deferred). */
export function policyDoc(name: string, statements: Stmt[], opts: { module?: string } = {}): Res {
  return {
    type: "aws_iam_policy_document",
    name,
    data: true,
    module: opts.module,
    cfg: {
      statement: statements.map((s) => {
        const b: Cfg = {};
        if (s.sid) b.sid = s.sid;
        if (s.effect) b.effect = s.effect;
        b.actions = s.actions;
        b.resources = s.resources;
        if (s.conditions) b.condition = s.conditions;
        return b;
      }),
    },
  };
}

/** aws_iam_policy from a policy document data source, attached to a role. */
export function policyAttached(
  name: string,
  policyName: string,
  docName: string,
  roleName: string,
  opts: { module?: string } = {},
): Res[] {
  return [
    {
      type: "aws_iam_policy",
      name,
      module: opts.module,
      cfg: { name: policyName, policy: ref(`data.aws_iam_policy_document.${docName}.json`) },
    },
    {
      type: "aws_iam_role_policy_attachment",
      name,
      module: opts.module,
      cfg: { role: ref(`aws_iam_role.${roleName}.name`), policy_arn: ref(`aws_iam_policy.${name}.arn`) },
    },
  ];
}

/** A VPC with private subnets (one per AZ, for_each), a security group and an S3 gateway endpoint. */
export function privateNetwork(
  prefix: string,
  opts: {
    module?: string;
    provider?: string;
    cidr?: string;
    azs?: string[];
    region?: string;
    tenancy?: string;
    interfaceEndpoints?: string[];
  } = {},
): Res[] {
  const region = opts.region ?? SEOUL;
  const azs = opts.azs ?? [`${region}a`, `${region}c`];
  const m = opts.module;
  const p = opts.provider;
  const cidr = opts.cidr ?? "10.40.0.0/16";
  const base = cidr.split(".").slice(0, 2).join(".");
  const vpcCfg: Cfg = { cidr_block: cidr, enable_dns_hostnames: true, tags: { Name: `${prefix}-vpc` } };
  if (opts.tenancy) vpcCfg.instance_tenancy = opts.tenancy;
  const out: Res[] = [
    { type: "aws_vpc", name: prefix, module: m, provider: p, cfg: vpcCfg },
    {
      type: "aws_subnet",
      name: `${prefix}_private`,
      module: m,
      provider: p,
      forEach: azs,
      forEachExpr: fn(U, "local.azs"),
      cfg: {
        vpc_id: ref(`aws_vpc.${prefix}.id`),
        availability_zone: ref("each.key"),
        cidr_block: fn(
          (k: string) => `${base}.${10 + azs.indexOf(k)}.0/24`,
          `aws_vpc.${prefix}.cidr_block`,
          "each.key",
        ),
        tags: tpl((k: string) => ({ Name: `${prefix}-private-${k.slice(-1)}`, Tier: "private" }), "each.key"),
      },
    },
    {
      type: "aws_security_group",
      name: `${prefix}_training`,
      module: m,
      provider: p,
      cfg: {
        name: `${prefix}-training`,
        description: "Training hosts: intra-VPC only",
        vpc_id: ref(`aws_vpc.${prefix}.id`),
        egress: [
          {
            description: "HTTPS to VPC endpoints",
            from_port: 443,
            to_port: 443,
            protocol: "tcp",
            cidr_blocks: [cidr],
            ipv6_cidr_blocks: [],
            prefix_list_ids: [],
            security_groups: [],
            self: false,
          },
        ],
      },
    },
    {
      type: "aws_route_table",
      name: `${prefix}_private`,
      module: m,
      provider: p,
      cfg: { vpc_id: ref(`aws_vpc.${prefix}.id`) },
    },
    {
      type: "aws_vpc_endpoint",
      name: `${prefix}_s3`,
      module: m,
      provider: p,
      cfg: {
        vpc_id: ref(`aws_vpc.${prefix}.id`),
        service_name: `com.amazonaws.${region}.s3`,
        vpc_endpoint_type: "Gateway",
        route_table_ids: [ref(`aws_route_table.${prefix}_private.id`)],
      },
    },
  ];
  for (const svc of opts.interfaceEndpoints ?? []) {
    out.push({
      type: "aws_vpc_endpoint",
      name: `${prefix}_${svc.replace(/[.-]/g, "_")}`,
      module: m,
      provider: p,
      cfg: {
        vpc_id: ref(`aws_vpc.${prefix}.id`),
        service_name: `com.amazonaws.${region}.${svc}`,
        vpc_endpoint_type: "Interface",
        private_dns_enabled: true,
        subnet_ids: fn(Array(azs.length).fill(U), `aws_subnet.${prefix}_private`),
        security_group_ids: [ref(`aws_security_group.${prefix}_training.id`)],
      },
    });
  }
  return out;
}

/** Subnet ids of privateNetwork as `[for s in aws_subnet.<p>_private : s.id]`. */
export function subnetIds(prefix: string, n = 2): Ex {
  return fn(Array(n).fill(U), `aws_subnet.${prefix}_private`);
}

/** Addresses of the for_each subnets of privateNetwork. */
export function subnetRef(prefix: string, az: string): Ex {
  return ref(`aws_subnet.${prefix}_private["${az}"].id`);
}
