// The data-access graph facts (docs/data-access-graph.md): edges found by reference and by value
// (ARNs, s3:// URIs, names, ids, inside embedded JSON), external nodes, IAM statements, provider
// defaults and default tags from variables, on plan fragments shaped like real AWS 6.x plans.

import * as path from "node:path";
import { readInputPath, type Edge, type GuardInput } from "../../src/inputs";
import { OWN_FIXTURES } from "./helpers";
import { readPlanOf, ref, type PlanResource } from "./plan-builder";

/** Edges of a document as `from -[how attribute]-> to` strings (statement edges add `#index part`). */
function edges(doc: GuardInput, from?: string): string[] {
  return doc.edges
    .filter((e) => from === undefined || e.from === from)
    .map(
      (e: Edge) =>
        `${e.from} -[${e.how} ${e.attribute}${e.statement === undefined ? "" : ` #${e.statement} ${e.part}`}]-> ${e.to}`,
    );
}

const ACCOUNT = "111122223333";
const caller: PlanResource = {
  address: "data.aws_caller_identity.current",
  prior: true,
  values: {
    account_id: ACCOUNT,
    arn: `arn:aws:iam::${ACCOUNT}:user/ci`,
    id: ACCOUNT,
    user_id: "AIDAEXAMPLE",
  },
};

const bucketUnknown = {
  arn: true,
  id: true,
  bucket_domain_name: true,
  bucket_regional_domain_name: true,
  tags_all: true,
};

/** A personal dataset bucket created by this plan (its ARN unknown until apply). */
const dataset: PlanResource = {
  address: "aws_s3_bucket.dataset",
  values: {
    bucket: "acme-kr-personal-train",
    force_destroy: false,
    region: "ap-northeast-2",
    tags: { DataClassification: "personal" },
  },
  unknown: bucketUnknown,
};

describe("SageMaker training whose S3 URIs and ARNs are built from locals", () => {
  const doc = readPlanOf([
    caller,
    dataset,
    {
      address: "aws_iam_role.training",
      values: {
        name: "acme-sm-training",
        path: "/",
        assume_role_policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        region: "ap-northeast-2",
      },
      unknown: { arn: true, id: true, unique_id: true, tags_all: true, inline_policy: true, managed_policy_arns: true },
    },
    {
      // pipeline_definition = jsonencode({... S3Uri = "${local.dataset_uri}/train" ...}): the plan records
      // only `local.dataset_uri` as the reference, but the value is known.
      address: "aws_sagemaker_pipeline.train",
      values: {
        pipeline_name: "acme-train",
        pipeline_display_name: "acme-train",
        role_arn: `arn:aws:iam::${ACCOUNT}:role/acme-sm-training`,
        region: "ap-northeast-2",
        pipeline_definition: JSON.stringify({
          Version: "2020-12-01",
          Steps: [
            {
              Name: "Train",
              Type: "Training",
              Arguments: {
                AlgorithmSpecification: {
                  TrainingImage: "763104351884.dkr.ecr.ap-northeast-2.amazonaws.com/pytorch-training:2.3-gpu-py311",
                  TrainingInputMode: "FastFile",
                },
                InputDataConfig: [
                  {
                    ChannelName: "train",
                    DataSource: {
                      S3DataSource: { S3Uri: "s3://acme-kr-personal-train/train/", S3DataType: "S3Prefix" },
                    },
                  },
                ],
                OutputDataConfig: { S3OutputPath: "s3://acme-us-model-artifacts/output/" },
                RoleArn: `arn:aws:iam::${ACCOUNT}:role/acme-sm-training`,
              },
            },
          ],
        }),
      },
      unknown: { arn: true, id: true, tags_all: true },
      expressions: {
        pipeline_name: { constant_value: "acme-train" },
        pipeline_display_name: { constant_value: "acme-train" },
        role_arn: ref("local.training_role_arn"),
        pipeline_definition: ref("local.dataset_uri", "local.training_role_arn"),
      },
    },
  ]);

  it("links the pipeline to the bucket through the s3:// URI inside its JSON definition", () => {
    expect(edges(doc, "aws_sagemaker_pipeline.train")).toEqual([
      "aws_sagemaker_pipeline.train -[arn role_arn]-> aws_iam_role.training",
      "aws_sagemaker_pipeline.train -[s3-uri pipeline_definition]-> aws_s3_bucket.dataset",
      "aws_sagemaker_pipeline.train -[s3-uri pipeline_definition]-> arn:aws:s3:::acme-us-model-artifacts",
      "aws_sagemaker_pipeline.train -[arn pipeline_definition]-> aws_iam_role.training",
    ]);
  });

  it("makes a bucket that is not in the plan an external node without a location", () => {
    expect(doc.external["arn:aws:s3:::acme-us-model-artifacts"]).toEqual({
      key: "arn:aws:s3:::acme-us-model-artifacts",
      kind: "s3-uri",
      cloud: "aws",
      service: "s3",
      resource_type: "bucket",
      name: "acme-us-model-artifacts",
      wildcard: false,
      location: {
        cloud: "aws",
        region: null,
        source: "unresolved",
        detail: "s3://acme-us-model-artifacts names a bucket that is not in this input; S3 URIs carry no region",
      },
    });
  });

  it("reads the trust policy into a statement without resource edges", () => {
    expect(doc.iam_statements).toEqual([
      {
        policy: "aws_iam_role.training",
        attribute: "assume_role_policy",
        index: 0,
        sid: null,
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        not_actions: null,
        resources: null,
        not_resources: null,
        principals: { Service: "sagemaker.amazonaws.com" },
        not_principals: null,
        has_condition: false,
        unresolved: null,
      },
    ]);
    expect(edges(doc, "aws_iam_role.training")).toEqual([]);
  });
});

describe("FSx for Lustre data repository association", () => {
  const doc = readPlanOf([
    dataset,
    {
      address: "aws_fsx_lustre_file_system.train",
      values: { storage_capacity: 2400, deployment_type: "PERSISTENT_2", subnet_ids: ["subnet-0a1b2c3d4e5f60718"] },
      unknown: { id: true, arn: true, dns_name: true, kms_key_id: true, mount_name: true, tags_all: true },
      expressions: {
        storage_capacity: { constant_value: 2400 },
        deployment_type: { constant_value: "PERSISTENT_2" },
        subnet_ids: ref("aws_subnet.private.id", "aws_subnet.private"),
      },
    },
    {
      address: "aws_fsx_data_repository_association.train",
      values: {
        data_repository_path: "s3://acme-kr-personal-train/fsx",
        file_system_path: "/train",
        batch_import_meta_data_on_create: true,
      },
      unknown: { id: true, arn: true, file_system_id: true, tags_all: true },
      expressions: {
        data_repository_path: { constant_value: "s3://acme-kr-personal-train/fsx" },
        file_system_path: { constant_value: "/train" },
        file_system_id: ref("aws_fsx_lustre_file_system.train.id", "aws_fsx_lustre_file_system.train"),
      },
    },
  ]);

  it("links the association to the file system by reference and to the bucket by its URI", () => {
    expect(edges(doc, "aws_fsx_data_repository_association.train")).toEqual([
      "aws_fsx_data_repository_association.train -[reference file_system_id]-> aws_fsx_lustre_file_system.train",
      "aws_fsx_data_repository_association.train -[s3-uri data_repository_path]-> aws_s3_bucket.dataset",
    ]);
  });

  it("lists a key the provider chooses (kms_key_id not configured) as a default", () => {
    // id, arn and tags_all are always the provider's and not listed.
    expect(doc.resources["aws_fsx_lustre_file_system.train"].defaults).toEqual([
      "dns_name",
      "kms_key_id",
      "mount_name",
    ]);
  });
});

describe("EKS pod identity association naming the cluster and role by literal values", () => {
  const doc = readPlanOf([
    caller,
    {
      address: "aws_eks_cluster.train",
      values: { name: "acme-train-cluster", version: "1.31", region: "ap-northeast-2" },
      unknown: { arn: true, id: true, endpoint: true, tags_all: true },
    },
    {
      address: "aws_iam_role.trainer",
      values: { name: "eks-trainer", path: "/", assume_role_policy: '{"Version":"2012-10-17","Statement":[]}' },
      unknown: { arn: true, id: true, unique_id: true, tags_all: true },
    },
    {
      address: "aws_eks_pod_identity_association.trainer",
      values: {
        cluster_name: "acme-train-cluster",
        namespace: "training",
        service_account: "trainer",
        role_arn: `arn:aws:iam::${ACCOUNT}:role/eks-trainer`,
      },
      unknown: { association_arn: true, association_id: true, id: true, tags_all: true },
    },
  ]);

  it("links by name to the cluster and by the role's ARN built from its name", () => {
    expect(edges(doc, "aws_eks_pod_identity_association.trainer")).toEqual([
      "aws_eks_pod_identity_association.trainer -[name cluster_name]-> aws_eks_cluster.train",
      "aws_eks_pod_identity_association.trainer -[arn role_arn]-> aws_iam_role.trainer",
    ]);
  });

  it("does not link a role ARN of another account to the plan's role of the same name", () => {
    const other = readPlanOf([
      caller,
      {
        address: "aws_iam_role.trainer",
        values: { name: "eks-trainer", path: "/" },
        unknown: { arn: true, id: true },
      },
      {
        address: "aws_eks_pod_identity_association.trainer",
        values: {
          cluster_name: "c",
          namespace: "n",
          service_account: "s",
          role_arn: "arn:aws:iam::999988887777:role/eks-trainer",
        },
        unknown: { id: true },
      },
    ]);
    expect(edges(other, "aws_eks_pod_identity_association.trainer")).toEqual([
      "aws_eks_pod_identity_association.trainer -[arn role_arn]-> arn:aws:iam::999988887777:role/eks-trainer",
    ]);
  });
});

describe("instance -> instance profile -> role -> attachment -> managed policy -> document -> bucket", () => {
  const policyJson = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadDataset",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:ListBucket"],
        Resource: ["arn:aws:s3:::acme-kr-personal-train", "arn:aws:s3:::acme-kr-personal-train/*"],
      },
      { Sid: "Logs", Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" },
      {
        Sid: "NoOthers",
        Effect: "Deny",
        NotAction: "s3:GetObject",
        NotResource: "arn:aws:s3:::acme-kr-*/*",
        Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-0a1b2c3d4e5f60718" } },
      },
    ],
  });
  const doc = readPlanOf([
    caller,
    {
      address: "aws_s3_bucket.dataset",
      action: "no-op",
      values: {
        arn: "arn:aws:s3:::acme-kr-personal-train",
        bucket: "acme-kr-personal-train",
        id: "acme-kr-personal-train",
        region: "ap-northeast-2",
        tags: { DataClassification: "personal" },
        tags_all: { DataClassification: "personal" },
      },
    },
    {
      address: "data.aws_iam_policy_document.read",
      prior: true,
      values: { id: "1234567890", json: policyJson, minified_json: policyJson, statement: [] },
      expressions: { statement: [{ resources: ref("aws_s3_bucket.dataset.arn", "aws_s3_bucket.dataset") }] },
    },
    {
      address: "aws_iam_policy.read",
      values: { name: "acme-read-dataset", path: "/", policy: policyJson },
      unknown: { arn: true, id: true, policy_id: true, tags_all: true },
      expressions: {
        name: { constant_value: "acme-read-dataset" },
        policy: ref("data.aws_iam_policy_document.read.json", "data.aws_iam_policy_document.read"),
      },
    },
    {
      address: "aws_iam_role.gpu",
      values: { name: "acme-gpu", path: "/", assume_role_policy: '{"Version":"2012-10-17","Statement":[]}' },
      unknown: { arn: true, id: true, unique_id: true, tags_all: true },
    },
    {
      address: "aws_iam_role_policy_attachment.read",
      values: {},
      unknown: { id: true, policy_arn: true, role: true },
      expressions: {
        role: ref("aws_iam_role.gpu.name", "aws_iam_role.gpu"),
        policy_arn: ref("aws_iam_policy.read.arn", "aws_iam_policy.read"),
      },
    },
    {
      address: "aws_iam_role_policy_attachment.s3_read_only",
      values: { policy_arn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" },
      unknown: { id: true, role: true },
      expressions: {
        role: ref("aws_iam_role.gpu.name", "aws_iam_role.gpu"),
        policy_arn: { constant_value: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" },
      },
    },
    {
      address: "aws_iam_instance_profile.gpu",
      values: { name: "acme-gpu", path: "/" },
      unknown: { arn: true, id: true, role: true, unique_id: true, tags_all: true },
      expressions: { name: { constant_value: "acme-gpu" }, role: ref("aws_iam_role.gpu.name", "aws_iam_role.gpu") },
    },
    {
      address: "aws_instance.gpu",
      values: { ami: "ami-0c9c942bd7bf113a2", instance_type: "p4d.24xlarge", region: "ap-northeast-2" },
      unknown: { arn: true, id: true, iam_instance_profile: true, private_ip: true, tags_all: true },
      expressions: {
        ami: { constant_value: "ami-0c9c942bd7bf113a2" },
        instance_type: { constant_value: "p4d.24xlarge" },
        iam_instance_profile: ref("aws_iam_instance_profile.gpu.name", "aws_iam_instance_profile.gpu"),
      },
    },
  ]);

  it("finds every hop", () => {
    expect(edges(doc, "aws_instance.gpu")).toEqual([
      "aws_instance.gpu -[reference iam_instance_profile]-> aws_iam_instance_profile.gpu",
    ]);
    expect(edges(doc, "aws_iam_instance_profile.gpu")).toEqual([
      "aws_iam_instance_profile.gpu -[reference role]-> aws_iam_role.gpu",
    ]);
    expect(edges(doc, "aws_iam_role_policy_attachment.read")).toEqual([
      "aws_iam_role_policy_attachment.read -[reference role]-> aws_iam_role.gpu",
      "aws_iam_role_policy_attachment.read -[reference policy_arn]-> aws_iam_policy.read",
    ]);
    expect(edges(doc, "aws_iam_policy.read")).toEqual([
      "aws_iam_policy.read -[reference policy]-> data.aws_iam_policy_document.read",
      "aws_iam_policy.read -[arn policy #0 resource]-> aws_s3_bucket.dataset",
      "aws_iam_policy.read -[arn policy #2 not_resource]-> aws_s3_bucket.dataset",
    ]);
    expect(edges(doc, "data.aws_iam_policy_document.read")).toEqual([
      "data.aws_iam_policy_document.read -[reference statement.0.resources]-> aws_s3_bucket.dataset",
      "data.aws_iam_policy_document.read -[arn json #3 resource]-> aws_s3_bucket.dataset",
      "data.aws_iam_policy_document.read -[arn json #5 not_resource]-> aws_s3_bucket.dataset",
    ]);
  });

  it("makes an AWS-managed policy ARN an external node", () => {
    expect(edges(doc, "aws_iam_role_policy_attachment.s3_read_only")).toEqual([
      "aws_iam_role_policy_attachment.s3_read_only -[reference role]-> aws_iam_role.gpu",
      "aws_iam_role_policy_attachment.s3_read_only -[arn policy_arn]-> arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    ]);
    expect(doc.external["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]).toMatchObject({
      kind: "arn",
      service: "iam",
      resource_type: "policy",
      name: "AmazonS3ReadOnlyAccess",
      location: { region: null, source: "unresolved" },
    });
  });

  it("reads statements as written, with Deny, NotAction, NotResource and conditions", () => {
    const st = doc.iam_statements.filter((s) => s.policy === "aws_iam_policy.read");
    expect(
      st.map((s) => [
        s.index,
        s.sid,
        s.effect,
        s.actions,
        s.not_actions,
        s.resources,
        s.not_resources,
        s.has_condition,
      ]),
    ).toEqual([
      [
        0,
        "ReadDataset",
        "Allow",
        ["s3:GetObject", "s3:ListBucket"],
        null,
        ["arn:aws:s3:::acme-kr-personal-train", "arn:aws:s3:::acme-kr-personal-train/*"],
        null,
        false,
      ],
      [1, "Logs", "Allow", ["logs:PutLogEvents"], null, ["*"], null, false],
      [2, "NoOthers", "Deny", null, ["s3:GetObject"], null, ["arn:aws:s3:::acme-kr-*/*"], true],
    ]);
    // A bare "*" gives no edges; NotResource names what it excludes (no external node). `whole`:
    // statement 0 names the bucket and its objects, the NotResource only objects of acme-kr-*.
    expect(doc.edges.filter((e) => e.statement === 1)).toEqual([]);
    expect(
      doc.edges.filter((e) => e.statement === 0 || e.statement === 2).map((e) => [e.statement, e.part, e.to, e.whole]),
    ).toEqual([
      [0, "resource", "aws_s3_bucket.dataset", true],
      [2, "not_resource", "aws_s3_bucket.dataset", undefined],
    ]);
  });
});

describe("IAM resource patterns", () => {
  const statement = (Resource: unknown) =>
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource }] });
  const doc = readPlanOf([
    caller,
    dataset,
    {
      address: "aws_s3_bucket.logs",
      values: { bucket: "acme-kr-logs", region: "ap-northeast-2" },
      unknown: bucketUnknown,
    },
    {
      address: "aws_dynamodb_table.features",
      values: { name: "acme-features", region: "ap-northeast-2", billing_mode: "PAY_PER_REQUEST" },
      unknown: { arn: true, id: true, stream_arn: true, tags_all: true },
    },
    {
      address: "aws_iam_policy.wild",
      values: {
        name: "acme-wild",
        path: "/",
        policy: statement([
          "arn:aws:s3:::acme-kr-*/*",
          `arn:aws:dynamodb:*:${ACCOUNT}:table/acme-features/index/*`,
          "arn:aws:dynamodb:us-east-1:444455556666:table/partner-features",
          "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0",
          "arn:aws:s3:::acme-kr-personal-train/train/*",
        ]),
      },
      unknown: { arn: true, id: true, policy_id: true, tags_all: true },
    },
  ]);

  it("matches wildcards against every bucket and table, and keeps the pattern as a wildcard node", () => {
    expect(edges(doc, "aws_iam_policy.wild")).toEqual([
      "aws_iam_policy.wild -[arn policy #0 resource]-> aws_s3_bucket.logs",
      "aws_iam_policy.wild -[arn policy #0 resource]-> aws_s3_bucket.dataset",
      "aws_iam_policy.wild -[arn policy #0 resource]-> arn:aws:s3:::acme-kr-*/*",
      "aws_iam_policy.wild -[arn policy #0 resource]-> aws_dynamodb_table.features",
      `aws_iam_policy.wild -[arn policy #0 resource]-> arn:aws:dynamodb:*:${ACCOUNT}:table/acme-features/index/*`,
      "aws_iam_policy.wild -[arn policy #0 resource]-> arn:aws:dynamodb:us-east-1:444455556666:table/partner-features",
      "aws_iam_policy.wild -[arn policy #0 resource]-> arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0",
    ]);
  });

  it("places external ARNs by their region field", () => {
    expect(doc.external["arn:aws:dynamodb:us-east-1:444455556666:table/partner-features"]).toMatchObject({
      service: "dynamodb",
      resource_type: "table",
      name: "partner-features",
      wildcard: false,
      location: { cloud: "aws", region: "us-east-1", source: "resource-region" },
    });
    expect(
      doc.external["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"],
    ).toMatchObject({ service: "bedrock", resource_type: "foundation-model", location: { region: "us-east-1" } });
    expect(doc.external["arn:aws:s3:::acme-kr-*/*"]).toMatchObject({
      wildcard: true,
      name: "acme-kr-*",
      location: { region: null, source: "unresolved" },
    });
  });
});

describe("values found by name", () => {
  const doc = readPlanOf([
    dataset,
    {
      address: "aws_ecs_task_definition.train",
      values: {
        family: "acme-train",
        requires_compatibilities: ["EC2"],
        container_definitions: JSON.stringify([
          {
            name: "train",
            image: "111122223333.dkr.ecr.ap-northeast-2.amazonaws.com/train:1",
            resourceRequirements: [{ type: "GPU", value: "1" }],
            environment: [
              { name: "DATASET_BUCKET", value: "acme-kr-personal-train" },
              { name: "CHANNEL", value: "train" },
            ],
          },
        ]),
      },
      unknown: { arn: true, arn_without_revision: true, id: true, revision: true, tags_all: true },
    },
    {
      address: "data.aws_s3_bucket.existing",
      action: "read",
      values: { bucket: "acme-kr-personal-train" },
      unknown: { arn: true, id: true, bucket_domain_name: true, region: true, hosted_zone_id: true },
      expressions: { bucket: { constant_value: "acme-kr-personal-train" } },
    },
    {
      address: "aws_sagemaker_notebook_instance.train",
      values: {
        name: "train",
        instance_type: "ml.g5.xlarge",
        kms_key_id: null,
        role_arn: "arn:aws:iam::111122223333:role/x",
      },
      unknown: { arn: true, id: true, network_interface_id: true, url: true, tags_all: true },
    },
  ]);

  it("links a bucket name inside container definitions, but not a generic word to a notebook named so", () => {
    expect(edges(doc, "aws_ecs_task_definition.train")).toEqual([
      "aws_ecs_task_definition.train -[name container_definitions]-> aws_s3_bucket.dataset",
    ]);
  });

  it("links a data source (deferred read) to the managed bucket it names", () => {
    expect(edges(doc, "data.aws_s3_bucket.existing")).toEqual([
      "data.aws_s3_bucket.existing -[name bucket]-> aws_s3_bucket.dataset",
    ]);
  });

  it("lists an unset key as a provider default", () => {
    expect(doc.resources["aws_sagemaker_notebook_instance.train"].defaults).toContain("kms_key_id");
  });
});

describe("unknown documents fail closed", () => {
  const doc = readPlanOf([
    dataset,
    {
      address: "aws_iam_role_policy.read",
      values: { name: "read", role: "acme-sm-training" },
      unknown: { id: true, policy: true },
      expressions: {
        name: { constant_value: "read" },
        role: { constant_value: "acme-sm-training" },
        policy: ref("aws_s3_bucket.dataset.arn", "aws_s3_bucket.dataset"),
      },
    },
  ]);

  it("gives an unresolved statement and keeps the reference edge", () => {
    expect(doc.iam_statements).toEqual([
      expect.objectContaining({
        policy: "aws_iam_role_policy.read",
        attribute: "policy",
        effect: null,
        actions: null,
        resources: null,
        unresolved:
          "the document is known only after apply: the configuration computes it (jsonencode or a template) from aws_s3_bucket.dataset, so its statements are not in the plan",
      }),
    ]);
    expect(edges(doc, "aws_iam_role_policy.read")).toEqual([
      "aws_iam_role_policy.read -[reference policy]-> aws_s3_bucket.dataset",
    ]);
  });

  it("does not read a provider-computed document (aws_s3_bucket.policy unknown, not configured) as one", () => {
    expect(doc.iam_statements.some((s) => s.policy === "aws_s3_bucket.dataset")).toBe(false);
  });
});

describe("provider default_tags from a variable", () => {
  const doc = readPlanOf(
    [
      {
        address: "aws_s3_bucket.dataset",
        values: { bucket: "acme-kr-personal-train", tags: { Name: "dataset" } },
        unknown: { ...bucketUnknown, tags_all: true },
      },
    ],
    {
      variables: { default_tags: { DataClassification: "personal", Owner: "ml" } },
      providers: {
        aws: {
          name: "aws",
          full_name: "registry.terraform.io/hashicorp/aws",
          expressions: {
            region: { constant_value: "ap-northeast-2" },
            default_tags: [{ tags: ref("var.default_tags") }],
          },
        },
      },
    },
  );

  it("resolves the tags from the plan's variable values when tags_all is unknown", () => {
    expect(doc.resources["aws_s3_bucket.dataset"].tags).toEqual({
      DataClassification: "personal",
      Owner: "ml",
      Name: "dataset",
    });
  });
});

describe("cdktf cross-stack references (a real cdktf synth of two stacks)", () => {
  const [compute, data] = readInputPath(path.join(OWN_FIXTURES, "cross-stack/cdktf.out"));

  it("resolves the remote state output to the data stack's bucket", () => {
    expect(compute.source.stack).toBe("compute");
    expect(data.source.stack).toBe("data");
    const key = "cross-stack:data:aws_s3_bucket.dataset";
    expect(edges(compute).filter((e) => e.endsWith(key))).toEqual([
      `aws_sagemaker_model.model -[cross-stack primary_container.model_data_url]-> ${key}`,
      `aws_iam_role_policy.read -[cross-stack policy #1 resource]-> ${key}`,
    ]);
    expect(compute.external[key]).toMatchObject({
      kind: "cross-stack",
      stack: "data",
      name: "kr-personal-dataset",
      location: { region: "ap-northeast-2", source: "provider-config" },
      resource: { address: "aws_s3_bucket.dataset", tags: { DataClassification: "personal" } },
    });
  });

  it("resolves it also when only the consuming stack is selected", () => {
    const [only] = readInputPath(path.join(OWN_FIXTURES, "cross-stack/cdktf.out"), { stacks: ["compute"] });
    expect(Object.keys(only.external)).toEqual(["cross-stack:data:aws_s3_bucket.dataset"]);
  });
});

describe("links that are not links", () => {
  const doc = readPlanOf([
    {
      address: "aws_iam_role.trainer",
      values: { name: "trainer", path: "/" },
      unknown: { arn: true, id: true, unique_id: true },
    },
    {
      address: "aws_iam_instance_profile.trainer",
      values: { name: "trainer", path: "/", role: "trainer" },
      unknown: { arn: true, id: true, unique_id: true },
      expressions: {
        name: { constant_value: "trainer" },
        role: ref("aws_iam_role.trainer.name", "aws_iam_role.trainer"),
      },
    },
    {
      address: "aws_launch_template.gpu",
      values: {
        name: "gpu-template",
        iam_instance_profile: [{ name: "trainer", arn: null }],
        tag_specifications: [{ resource_type: "instance", tags: { Name: "trainer" } }],
      },
      unknown: { arn: true, id: true, latest_version: true },
    },
    {
      address: "aws_sfn_state_machine.retrain",
      values: {
        name: "retrain",
        role_arn: "arn:aws:iam::111122223333:role/trainer",
        definition: JSON.stringify({
          StartAt: "Train",
          States: {
            Train: {
              Type: "Task",
              Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync",
              Parameters: { RoleArn: "arn:aws:iam::111122223333:role/trainer" },
              End: true,
            },
          },
        }),
      },
      unknown: { arn: true, id: true },
    },
  ]);

  it("prefers the kind the key names (a profile and a role may share a name) and skips nested tags", () => {
    expect(edges(doc, "aws_launch_template.gpu")).toEqual([
      "aws_launch_template.gpu -[name iam_instance_profile.0.name]-> aws_iam_instance_profile.trainer",
    ]);
  });

  it("does not repeat a reference as a value link", () => {
    expect(edges(doc, "aws_iam_instance_profile.trainer")).toEqual([
      "aws_iam_instance_profile.trainer -[reference role]-> aws_iam_role.trainer",
    ]);
  });

  it("does not make Step Functions service integrations nodes", () => {
    expect(edges(doc, "aws_sfn_state_machine.retrain")).toEqual([
      "aws_sfn_state_machine.retrain -[name role_arn]-> aws_iam_role.trainer",
      "aws_sfn_state_machine.retrain -[name definition]-> aws_iam_role.trainer",
    ]);
    expect(Object.keys(doc.external)).toEqual([]);
  });
});

describe("a policy document read during apply (deferred data source)", () => {
  // Terraform writes a list with unknown elements per element: null in `after`, true in `after_unknown`.
  const block = (o: Record<string, unknown>) => ({
    actions: null,
    condition: [],
    effect: "Allow",
    not_actions: null,
    not_principals: [],
    not_resources: null,
    principals: [],
    resources: null,
    sid: null,
    ...o,
  });
  const scratch: PlanResource = {
    address: "aws_s3_bucket.scratch",
    values: { bucket: "acme-scratch-2026", region: "ap-northeast-2", tags: {} },
    unknown: { arn: true, id: true },
    expressions: { bucket: { constant_value: "acme-scratch-2026" } },
  };
  const role: PlanResource = {
    address: "aws_iam_role.trainer",
    values: { name: "acme-trainer", assume_role_policy: "{}" },
    unknown: { arn: true, id: true },
    expressions: { name: { constant_value: "acme-trainer" } },
  };
  const doc = readPlanOf([
    dataset,
    scratch,
    role,
    {
      address: "data.aws_iam_policy_document.read",
      action: "read",
      values: {
        statement: [
          block({
            sid: "Read",
            actions: ["s3:GetObject", "s3:ListBucket"],
            resources: [null, "arn:aws:s3:::acme-open-catalog/*"],
          }),
          block({ effect: "Deny", actions: ["s3:*"], resources: [null] }),
          block({ actions: ["s3:GetObject"], resources: [null] }),
          block({
            actions: ["s3:PutObject"],
            resources: ["arn:aws:s3:::acme-open-catalog/*"],
            condition: [{ test: "StringEquals", variable: "aws:SourceArn", values: [null] }],
          }),
          block({ actions: ["s3:GetObject"], principals: [{ type: "AWS", identifiers: [null] }], resources: ["*"] }),
        ],
        version: null,
      },
      unknown: {
        id: true,
        json: true,
        minified_json: true,
        statement: [
          { actions: [false, false], resources: [true, false] },
          { actions: [false], resources: [true] },
          { actions: [false], resources: [true] },
          { actions: [false], resources: [false], condition: [{ values: [true] }] },
          { actions: [false], resources: [false], principals: [{ identifiers: [true] }] },
        ],
      },
      expressions: {
        statement: [
          {
            sid: { constant_value: "Read" },
            actions: { constant_value: ["s3:GetObject", "s3:ListBucket"] },
            resources: ref("aws_s3_bucket.dataset.arn", "aws_s3_bucket.dataset"),
          },
          {
            effect: { constant_value: "Deny" },
            actions: { constant_value: ["s3:*"] },
            resources: ref("aws_s3_bucket.scratch.arn", "aws_s3_bucket.scratch"),
          },
          { actions: { constant_value: ["s3:GetObject"] }, resources: { references: ["local.extra_arns"] } },
          {
            actions: { constant_value: ["s3:PutObject"] },
            resources: { constant_value: ["arn:aws:s3:::acme-open-catalog/*"] },
            condition: [
              {
                test: { constant_value: "StringEquals" },
                values: ref("aws_iam_role.trainer.arn", "aws_iam_role.trainer"),
              },
            ],
          },
          {
            actions: { constant_value: ["s3:GetObject"] },
            resources: { constant_value: ["*"] },
            principals: [
              { type: { constant_value: "AWS" }, identifiers: ref("aws_iam_role.trainer.arn", "aws_iam_role.trainer") },
            ],
          },
        ],
      },
    },
    {
      address: "aws_iam_policy.read",
      values: { name: "read", path: "/" },
      unknown: { arn: true, id: true, policy: true },
      expressions: {
        name: { constant_value: "read" },
        policy: ref("data.aws_iam_policy_document.read.json", "data.aws_iam_policy_document.read"),
      },
    },
  ]);
  const st = doc.iam_statements.filter((s) => s.policy === "data.aws_iam_policy_document.read");

  it("keeps the known literals and explains an unknown element by the block's references", () => {
    expect(st[0]).toEqual(
      expect.objectContaining({
        attribute: "statement.0",
        sid: "Read",
        effect: "Allow",
        actions: ["s3:GetObject", "s3:ListBucket"],
        resources: ["arn:aws:s3:::acme-open-catalog/*"],
        unresolved: null,
      }),
    );
    expect(edges(doc, "data.aws_iam_policy_document.read").filter((e) => e.includes("#0 "))).toEqual([
      "data.aws_iam_policy_document.read -[arn statement.0 #0 resource]-> arn:aws:s3:::acme-open-catalog",
      "data.aws_iam_policy_document.read -[reference statement.0 #0 resource]-> aws_s3_bucket.dataset",
    ]);
  });

  it("ties each reference to its own statement block (indices kept for policy documents)", () => {
    expect(edges(doc, "data.aws_iam_policy_document.read").filter((e) => !e.includes("#"))).toEqual([
      "data.aws_iam_policy_document.read -[reference statement.0.resources]-> aws_s3_bucket.dataset",
      "data.aws_iam_policy_document.read -[reference statement.1.resources]-> aws_s3_bucket.scratch",
      "data.aws_iam_policy_document.read -[reference statement.2.resources]-> local.extra_arns",
      "data.aws_iam_policy_document.read -[reference statement.3.condition.values]-> aws_iam_role.trainer",
      "data.aws_iam_policy_document.read -[reference statement.4.principals.identifiers]-> aws_iam_role.trainer",
    ]);
    // A Deny explained by a reference names the bucket, but not as a whole (the element may be `${arn}/private/*`).
    expect(doc.edges.filter((e) => e.statement === 1)).toEqual([
      expect.objectContaining({ to: "aws_s3_bucket.scratch", how: "reference", part: "resource" }),
    ]);
    expect(doc.edges.find((e) => e.statement === 1)?.whole).toBeUndefined();
  });

  it("stays unresolved when only a local explains an unknown element", () => {
    expect(st[2]).toEqual(
      expect.objectContaining({
        effect: "Allow",
        actions: ["s3:GetObject"],
        resources: [],
        unresolved:
          "resources known only after apply; it is built from local.extra_arns, whose value the plan does not record",
      }),
    );
  });

  it("reads an unknown condition value as a condition, and an unknown principal through its reference", () => {
    expect(st[3]).toEqual(expect.objectContaining({ has_condition: true, unresolved: null }));
    expect(st[4]).toEqual(expect.objectContaining({ principals: { AWS: [] }, resources: ["*"], unresolved: null }));
    expect(edges(doc, "data.aws_iam_policy_document.read").filter((e) => e.includes("#4 "))).toEqual([
      "data.aws_iam_policy_document.read -[reference statement.4 #4 principal]-> aws_iam_role.trainer",
    ]);
  });

  it("stays unresolved when the reference names nothing this input holds (a module output it cannot follow)", () => {
    const other = readPlanOf([
      {
        address: "data.aws_iam_policy_document.ext",
        action: "read",
        values: { statement: [block({ actions: ["s3:GetObject"], resources: [null] })], version: null },
        unknown: { id: true, json: true, minified_json: true, statement: [{ actions: [false], resources: [true] }] },
        expressions: {
          statement: [
            { actions: { constant_value: ["s3:GetObject"] }, resources: ref("module.data.bucket_arn", "module.data") },
          ],
        },
      },
    ]);
    expect(other.iam_statements[0].unresolved).toBe(
      "resources known only after apply; it is built from module.data, which this input does not hold",
    );
  });

  it("reads a policy whose document is a deferred aws_iam_policy_document as that document (no unresolved statement)", () => {
    expect(doc.iam_statements.filter((s) => s.policy === "aws_iam_policy.read")).toEqual([]);
    expect(edges(doc, "aws_iam_policy.read")).toEqual([
      "aws_iam_policy.read -[reference policy]-> data.aws_iam_policy_document.read",
    ]);
  });
});
