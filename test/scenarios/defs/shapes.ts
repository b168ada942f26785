// Plan shapes that change how a fact must be read: regions unknown at plan, per-resource regions
// under a provider elsewhere, default tags from variables with tags_all unknown, missing
// classification, for_each datasets with per-key classification, modules for_each over Regions,
// modules with their own provider block, existing (no-op / update / replace) resources, and the
// version strings of Terraform 1.9 and OpenTofu.

import { fn, jsonencodeOf, ref, U, type PlanSpec, type Provider, type Res } from "../builder";
import { assume, aws, callerData, kmsKey, privateNetwork, R, role, s3Bucket, SEOUL, subnetRef } from "../kit";
import { fail, PASS, type Scenario } from "../scenario";

const ACCOUNT = "738291046652";

interface MiniOpts {
  /** Region of the default provider. */
  providerRegion?: string;
  /** Per-resource region of the notebook (6.x `region` argument). */
  notebookRegion?: string | ReturnType<typeof ref>;
  /** Per-resource region of every Seoul-bound resource (bucket side). */
  dataRegion?: string;
  tags?: Record<string, string> | null;
  defaultTagsVar?: Record<string, string>;
  tagsAllUnknown?: boolean;
  bucketAction?: "no-op";
  notebookAction?: "update" | "replace";
  terraformVersion?: string;
  extra?: Res[];
  variables?: PlanSpec["variables"];
  /** Put the notebook side on a provider alias `aws.ml` in this Region (with its own default tags). */
  mlAlias?: string;
}

/** A bucket and a notebook reading it through an inline policy: the smallest training stack. */
function mini(o: MiniOpts): PlanSpec {
  const nbRegion = o.notebookRegion;
  const nbRegionValue = typeof nbRegion === "string" ? nbRegion : undefined;
  const regionArg = (r?: string | ReturnType<typeof ref>): Record<string, unknown> =>
    r === undefined ? {} : { region: r };
  const netRegion = o.mlAlias ?? nbRegionValue ?? o.providerRegion ?? SEOUL;
  const onMl = (r: Res): Res => (o.mlAlias ? { ...r, provider: "aws.ml" } : r);
  const existing = o.bucketAction === "no-op";
  const bucketRes = s3Bucket("reviews", {
    bucket: "acme-product-reviews-with-authors",
    tags: o.tags === null ? undefined : (o.tags ?? { DataClassification: "personal" }),
    kms: "aws_kms_key.reviews.arn",
    tls: "doc",
    logTo: "aws_s3_bucket.reviews_logs.id",
    existing,
  }).map((r) => ({
    ...r,
    cfg: { ...r.cfg, ...(r.data ? {} : regionArg(o.dataRegion)) },
    ...(r.type === "aws_s3_bucket" && o.tagsAllUnknown ? { unknown: ["tags_all"] } : {}),
  }));
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...kmsKey("reviews", { alias: "alias/reviews" }).map((r) => ({
      ...r,
      cfg: { ...r.cfg, ...regionArg(o.dataRegion) },
    })),
    ...bucketRes,
    ...s3Bucket("reviews_logs", {
      bucket: "acme-product-reviews-logs",
      tags: { DataClassification: "internal" },
      kms: "AES256",
      versioning: false,
    }).map((r) => ({
      ...r,
      cfg: { ...r.cfg, ...(r.data ? {} : regionArg(o.dataRegion)) },
    })),
    ...privateNetwork("nb", { region: netRegion, cidr: "10.52.0.0/16" }).map((r) =>
      onMl({ ...r, cfg: { ...r.cfg, ...regionArg(nbRegion) } }),
    ),
    ...kmsKey("nb", {}).map((r) => onMl({ ...r, cfg: { ...r.cfg, ...regionArg(nbRegion) } })),
    onMl(role("nb", "reviews-sentiment-notebook", assume("sagemaker.amazonaws.com"))),
    onMl({
      type: "aws_iam_role_policy",
      name: "nb",
      cfg: {
        name: "reviews",
        role: ref("aws_iam_role.nb.id"),
        policy: fn(
          jsonencodeOf((_k, r) => {
            const a = r("aws_s3_bucket.reviews.arn");
            return {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: ["s3:GetObject", "s3:ListBucket"],
                  Resource: [a, a === U ? U : `${a as string}/*`],
                },
              ],
            };
          }),
          "aws_s3_bucket.reviews.arn",
          "aws_s3_bucket.reviews.arn",
        ),
      },
    }),
    onMl({
      type: "aws_sagemaker_notebook_instance",
      name: "sentiment",
      action: o.notebookAction,
      known: o.notebookAction
        ? {
            arn: `arn:aws:sagemaker:${netRegion}:${ACCOUNT}:notebook-instance/reviews-sentiment`,
            id: "reviews-sentiment",
            url: "reviews-sentiment.notebook.aws",
          }
        : undefined,
      before: o.notebookAction === "update" ? { instance_type: "ml.g5.xlarge" } : undefined,
      cfg: {
        name: "reviews-sentiment",
        instance_type: "ml.g5.4xlarge",
        role_arn: ref("aws_iam_role.nb.arn"),
        subnet_id: subnetRef("nb", `${netRegion}a`),
        security_groups: [ref("aws_security_group.nb_training.id")],
        direct_internet_access: "Disabled",
        kms_key_id: ref("aws_kms_key.nb.arn"),
        ...regionArg(nbRegion),
      },
    }),
    ...(o.extra ?? []),
  ];
  const providers: Provider[] = [
    aws(
      o.providerRegion ?? SEOUL,
      o.defaultTagsVar ? { defaultTags: ref("var.default_tags") } : { defaultTags: { Team: "voice-of-customer" } },
    ),
  ];
  if (o.mlAlias) providers.push(aws(o.mlAlias, { alias: "ml", defaultTags: { Team: "ml-platform" } }));
  return {
    terraformVersion: o.terraformVersion,
    variables: { ...(o.defaultTagsVar ? { default_tags: { value: o.defaultTagsVar } } : {}), ...(o.variables ?? {}) },
    providers,
    resources,
  };
}

/** Buckets for_each over datasets with per-key classification; a notebook abroad reads one key. */
function datasets(o: { reads: "reviews" | "members"; unreadable?: boolean }): PlanSpec {
  const classes = { reviews: "public", members: "personal" } as const;
  const keys = Object.keys(classes);
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...kmsKey("data", { alias: "alias/datasets" }),
    {
      type: "aws_s3_bucket",
      name: "datasets",
      forEach: keys,
      forEachExpr: ref("var.datasets"),
      forEachValues: classes,
      cfg: {
        bucket: fn((k: string) => `acme-ds-${k}`, "each.key"),
        tags: fn(
          (k: string) => ({ DataClassification: classes[k as keyof typeof classes], Dataset: k }),
          "each.value",
          "each.key",
        ),
      },
    },
    {
      type: "aws_s3_bucket_server_side_encryption_configuration",
      name: "datasets",
      forEach: keys,
      forEachExpr: ref("aws_s3_bucket.datasets"),
      cfg: {
        bucket: fn(U, "each.value.id"),
        rule: [
          {
            apply_server_side_encryption_by_default: [
              { sse_algorithm: "aws:kms", kms_master_key_id: ref("aws_kms_key.data.arn") },
            ],
          },
        ],
      },
    },
    {
      type: "aws_s3_bucket_public_access_block",
      name: "datasets",
      forEach: keys,
      forEachExpr: ref("aws_s3_bucket.datasets"),
      cfg: {
        bucket: fn(U, "each.value.id"),
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      },
    },
    {
      type: "aws_iam_policy_document",
      name: "tls",
      data: true,
      forEach: keys,
      forEachExpr: ref("aws_s3_bucket.datasets"),
      cfg: {
        statement: [
          {
            sid: "DenyInsecureTransport",
            effect: "Deny",
            actions: ["s3:*"],
            resources: [fn(U, "each.value.arn"), fn(U, "each.value.arn")],
            principals: [{ type: "*", identifiers: ["*"] }],
            condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
          },
        ],
      },
    },
    {
      type: "aws_s3_bucket_policy",
      name: "datasets",
      forEach: keys,
      forEachExpr: ref("aws_s3_bucket.datasets"),
      cfg: { bucket: fn(U, "each.value.id"), policy: fn(U, "data.aws_iam_policy_document.tls[each.key].json") },
    },
    ...privateNetwork("nb", { provider: "aws.us", region: "us-east-1", cidr: "10.53.0.0/16" }),
    ...kmsKey("nb", { provider: "aws.us" }),
    role("nb", "dataset-explorer", assume("sagemaker.amazonaws.com")),
    {
      type: "aws_iam_role_policy",
      name: "nb",
      cfg: {
        name: "dataset",
        role: ref("aws_iam_role.nb.id"),
        // Readable at plan: ARNs from the bucket name; unreadable: from the ARN attribute (unknown until apply).
        policy: o.unreadable
          ? fn(U, `aws_s3_bucket.datasets["${o.reads}"].arn`, `aws_s3_bucket.datasets["${o.reads}"].arn`)
          : fn(
              jsonencodeOf((_k, r) => {
                const b = r(`aws_s3_bucket.datasets["${o.reads}"].bucket`) as string;
                return {
                  Version: "2012-10-17",
                  Statement: [
                    {
                      Effect: "Allow",
                      Action: ["s3:GetObject", "s3:ListBucket"],
                      Resource: [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`],
                    },
                  ],
                };
              }),
              `aws_s3_bucket.datasets["${o.reads}"].bucket`,
              `aws_s3_bucket.datasets["${o.reads}"].bucket`,
            ),
      },
    },
    {
      type: "aws_sagemaker_notebook_instance",
      name: "explorer",
      provider: "aws.us",
      cfg: {
        name: "dataset-explorer",
        instance_type: "ml.g5.2xlarge",
        role_arn: ref("aws_iam_role.nb.arn"),
        subnet_id: subnetRef("nb", "us-east-1a"),
        security_groups: [ref("aws_security_group.nb_training.id")],
        direct_internet_access: "Disabled",
        kms_key_id: ref("aws_kms_key.nb.arn"),
      },
    },
  ];
  return {
    variables: { datasets: { value: classes } },
    providers: [
      aws(SEOUL, { defaultTags: { Team: "data-science" } }),
      aws("us-east-1", { alias: "us", defaultTags: { Team: "data-science" } }),
    ],
    resources,
  };
}

/** Module trainer for_each over Regions, each instance setting the 6.x per-resource region. */
function regionsModule(o: { regions: Record<string, string> }): PlanSpec {
  const keys = Object.keys(o.regions);
  const m = "module.trainer";
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...kmsKey("data", { alias: "alias/support-chats" }),
    ...s3Bucket("chats", {
      bucket: "acme-support-chats",
      tags: { DataClassification: "personal" },
      kms: "aws_kms_key.data.arn",
      tls: "doc",
      logTo: "aws_s3_bucket.chat_logs.id",
    }),
    ...s3Bucket("chat_logs", {
      bucket: "acme-support-chats-logs",
      tags: { DataClassification: "internal" },
      kms: "AES256",
      versioning: false,
    }),
    {
      type: "aws_kms_key",
      name: "nb",
      module: m,
      cfg: { description: "notebook volumes", enable_key_rotation: true, region: ref("var.region") },
    },
    {
      type: "aws_iam_role",
      name: "nb",
      module: m,
      cfg: { name: ref("var.name"), assume_role_policy: assume("sagemaker.amazonaws.com") },
    },
    {
      type: "aws_iam_role_policy",
      name: "nb",
      module: m,
      cfg: { name: "chats", role: ref("aws_iam_role.nb.id"), policy: fn(U, "var.dataset_arn", "var.dataset_arn") },
    },
    {
      type: "aws_sagemaker_notebook_instance",
      name: "this",
      module: m,
      cfg: {
        name: ref("var.name"),
        region: ref("var.region"),
        instance_type: "ml.g5.2xlarge",
        role_arn: ref("aws_iam_role.nb.arn"),
        subnet_id: ref("var.subnet_id"),
        direct_internet_access: "Disabled",
        kms_key_id: ref("aws_kms_key.nb.arn"),
      },
    },
  ];
  return {
    variables: { trainer_regions: { value: o.regions } },
    providers: [aws(SEOUL, { defaultTags: { Team: "support-ai" } })],
    modules: [
      {
        path: m,
        source: "./modules/notebook",
        keys,
        forEachExpr: ref("var.trainer_regions"),
        inputs: {
          name: fn((k: string) => `support-chats-${k}`, "each.key"),
          region: fn((k: string) => o.regions[k], "each.value"),
          dataset_arn: ref("aws_s3_bucket.chats.arn"),
          subnet_id: fn(
            (k: string) => (k === "seoul" ? "subnet-0f3a9c1e7b5d24680" : "subnet-0a2c4e6f8b1d3e5a7"),
            "var.subnets",
            "each.key",
          ),
        },
      },
    ],
    resources,
  };
}

/** A module with its own (legacy) provider block. */
function legacyModule(o: { region: string }): PlanSpec {
  const m = "module.legacy_gpu";
  return {
    providers: [aws(SEOUL, { defaultTags: { Team: "search" } }), { key: `${m}:aws`, region: o.region }],
    modules: [
      { path: m, source: "../../modules/legacy-gpu", inputs: { dataset_bucket: ref("aws_s3_bucket.queries.bucket") } },
    ],
    resources: [
      ...callerData(ACCOUNT),
      ...kmsKey("q", { alias: "alias/search-queries" }),
      ...s3Bucket("queries", {
        bucket: "acme-search-queries-by-user",
        tags: { DataClassification: "personal" },
        kms: "aws_kms_key.q.arn",
        tls: "doc",
        logTo: "aws_s3_bucket.q_logs.id",
      }),
      ...s3Bucket("q_logs", {
        bucket: "acme-search-queries-logs",
        tags: { DataClassification: "internal" },
        kms: "AES256",
        versioning: false,
      }),
      ...privateNetwork("gpu", { module: m, region: o.region, cidr: "10.54.0.0/16" }),
      ...kmsKey("gpu", { module: m }),
      role("gpu", "search-ranker-gpu", assume("ec2.amazonaws.com"), { module: m }),
      {
        type: "aws_iam_role_policy",
        name: "gpu",
        module: m,
        cfg: {
          name: "queries",
          role: ref("aws_iam_role.gpu.id"),
          policy: fn(
            jsonencodeOf((_k, r) => ({
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: "s3:GetObject",
                  Resource: `arn:aws:s3:::${r("var.dataset_bucket") as string}/*`,
                },
              ],
            })),
            "var.dataset_bucket",
          ),
        },
      },
      {
        type: "aws_iam_instance_profile",
        name: "gpu",
        module: m,
        cfg: { name: "search-ranker-gpu", role: ref("aws_iam_role.gpu.name") },
      },
      {
        type: "aws_instance",
        name: "ranker",
        module: m,
        cfg: {
          ami: "ami-0d4b2e6f8a1c3e5b7",
          instance_type: "g5.8xlarge",
          subnet_id: subnetRef("gpu", `${o.region}a`),
          vpc_security_group_ids: [ref("aws_security_group.gpu_training.id")],
          iam_instance_profile: ref("aws_iam_instance_profile.gpu.name"),
          associate_public_ip_address: false,
          root_block_device: [{ encrypted: true, kms_key_id: ref("aws_kms_key.gpu.arn") }],
        },
      },
    ],
  };
}

/** The region of the notebook comes from a data source read during apply. */
function deferredRegion(): PlanSpec {
  const plan = mini({
    notebookRegion: ref("data.aws_ssm_parameter.training_region.value"),
    extra: [
      {
        type: "aws_ssm_parameter",
        name: "training_region",
        cfg: { name: "/ml/reviews/training-region", type: "String", value: "ap-northeast-2", overwrite: true },
      },
      {
        type: "aws_ssm_parameter",
        name: "training_region",
        data: true,
        dependsOn: ["aws_ssm_parameter.training_region"],
        deferred: "read_because_dependency_pending",
        cfg: { name: "/ml/reviews/training-region" },
      },
    ],
  });
  return plan;
}

export const scenarios: Scenario[] = [
  {
    name: "shape-notebook-region-from-deferred-data-source",
    description:
      "The notebook's per-resource region comes from an SSM parameter data source that depends on a parameter created in the same plan, so it is read during apply: the region of a personal-data training workload is unknown at plan.",
    expect: { "kr-localization": fail(R.UNRESOLVED), "risk-based": PASS },
    plan: deferredRegion(),
  },
  {
    name: "shape-per-resource-region-us-west-2-under-seoul-provider",
    description:
      'The provider is Seoul but the notebook (and its network) set region = "us-west-2": the 6.x per-resource region places the training outside Korea.',
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: mini({ notebookRegion: "us-west-2" }),
  },
  {
    name: "shape-per-resource-region-seoul-under-us-provider",
    description:
      'The organisation\'s default provider is us-east-1, but every resource of this stack sets region = "ap-northeast-2" explicitly (data, keys, network, notebook). Compliant.',
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: mini({ providerRegion: "us-east-1", notebookRegion: SEOUL, dataRegion: SEOUL }),
  },
  {
    name: "shape-default-tags-variable-tags-all-unknown",
    description:
      "The bucket has no tags of its own; the provider's default_tags come from var.default_tags (DataClassification=personal) and the bucket's tags_all is unknown at plan. The notebook reading it runs on an aws.ml alias in us-east-1 whose own default tags carry no classification.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: mini({
      tags: null,
      defaultTagsVar: { DataClassification: "personal", Team: "voc" },
      tagsAllUnknown: true,
      mlAlias: "us-east-1",
    }),
  },
  {
    name: "shape-unclassified-bucket-notebook-us-east-1",
    description:
      "The bucket carries no classification tag at all and nothing marks it personal: the guard's classification is by tags, so an unclassified store is not personal data and the notebook in us-east-1 is not judged.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: mini({ tags: { Team: "voc" }, notebookRegion: "us-east-1" }),
  },
  {
    name: "shape-existing-bucket-noop-notebook-us-west-2",
    description:
      "The personal bucket already exists (no-op, ARN known at plan); a new notebook in us-west-2 reads it: personal-data training outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: mini({ bucketAction: "no-op", notebookRegion: "us-west-2" }),
  },
  {
    name: "shape-notebook-update-in-place-us-east-1",
    description:
      "An existing notebook in us-east-1 is updated in place (instance type change); it still trains on the personal bucket outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: mini({ bucketAction: "no-op", notebookRegion: "us-east-1", notebookAction: "update" }),
  },
  {
    name: "shape-terraform-1-9-seoul-compliant",
    description: "The compliant Seoul reviews stack as written by Terraform 1.9.8. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: mini({ terraformVersion: "1.9.8" }),
  },
  {
    name: "shape-opentofu-seoul-compliant",
    description:
      "The compliant Seoul reviews stack planned by OpenTofu 1.8.5 (which writes its own version in terraform_version). Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: mini({ terraformVersion: "1.8.5" }),
  },
  {
    name: "shape-for-each-datasets-public-key-abroad",
    description:
      'Buckets for_each over datasets with per-key classification (reviews public, members personal); a us-east-1 notebook reads only datasets["reviews"]. Not personal.',
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: datasets({ reads: "reviews" }),
  },
  {
    name: "shape-for-each-datasets-personal-key-abroad",
    description:
      'The same for_each buckets; the us-east-1 notebook reads datasets["members"] (personal): personal-data training outside Korea.',
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: datasets({ reads: "members" }),
  },
  {
    name: "shape-for-each-datasets-unreadable-policy-abroad",
    description:
      'The us-east-1 notebook\'s role policy is a jsonencode over aws_s3_bucket.datasets["reviews"].arn, unknown until apply, while a personal dataset exists in the same plan: the guard cannot read what the policy grants, so it fails closed (residency/unresolved-data-access) instead of passing a workload abroad it cannot see.',
    expect: { "kr-localization": fail(R.UNRESOLVED_ACCESS), "risk-based": PASS },
    plan: datasets({ reads: "reviews", unreadable: true }),
  },
  {
    name: "shape-module-for-each-regions-one-abroad",
    description:
      'Module trainer for_each over {seoul, virginia} with the Region passed as an input and used as the 6.x per-resource region: module.trainer["virginia"] trains on the personal chats in us-east-1.',
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: regionsModule({ regions: { seoul: SEOUL, virginia: "us-east-1" } }),
  },
  {
    name: "shape-module-for-each-regions-all-seoul",
    description: "The trainer module for_each over two Seoul instances (prod and staging). Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: regionsModule({ regions: { prod: SEOUL, staging: SEOUL } }),
  },
  {
    name: "shape-legacy-module-own-provider-ap-southeast-1",
    description:
      'A legacy module declares its own provider "aws" block (region ap-southeast-1, key module.legacy_gpu:aws) and runs a g5 host reading the personal queries bucket by the name passed in.',
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: legacyModule({ region: "ap-southeast-1" }),
  },
  {
    name: "shape-per-resource-region-ap-southeast-1-under-seoul-provider",
    description:
      'Under the Seoul provider the notebook and its network set region = "ap-southeast-1": personal-data training in Singapore.',
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: mini({ notebookRegion: "ap-southeast-1" }),
  },
];
