// SageMaker as a platform: pipelines whose definitions are known at plan (existing network and
// keys read through data sources), Studio domains with user profiles and spaces, HyperPod clusters
// (awscc provider), and real-time inference endpoints.

import { fn, jsonencode, lazy, ref, U, type PlanSpec, type Provider, type Res } from "../builder";
import { assume, aws, callerData, kmsKey, privateNetwork, R, role, s3Bucket, SEOUL, subnetIds } from "../kit";
import { fail, PASS, type Scenario } from "../scenario";

const ACCOUNT = "611208934457";

/** Existing network and key of a platform account, read through data sources. */
function platformData(region: string, module?: string): Res[] {
  return [
    {
      type: "aws_subnets",
      name: "private",
      data: true,
      module,
      cfg: { filter: [{ name: "tag:Tier", values: ["private"] }] },
      known: {
        ids: [
          `subnet-0a41c2e9d7b36f${region === SEOUL ? "150" : "812"}`,
          `subnet-0c93d7a15e2f48${region === SEOUL ? "a27" : "b93"}`,
        ],
      },
    },
    {
      type: "aws_security_group",
      name: "training",
      data: true,
      module,
      cfg: { name: "ml-training-isolated" },
      known: {
        id: "sg-04e7b2d9c1a3f5086",
        arn: `arn:aws:ec2:${region}:${ACCOUNT}:security-group/sg-04e7b2d9c1a3f5086`,
        vpc_id: "vpc-0d2a6c8e4b1f93a57",
      },
    },
    {
      type: "aws_kms_alias",
      name: "ml",
      data: true,
      module,
      cfg: { name: "alias/ml-platform" },
      known: {
        arn: `arn:aws:kms:${region}:${ACCOUNT}:alias/ml-platform`,
        target_key_arn: `arn:aws:kms:${region}:${ACCOUNT}:key/0e6b3f2a-91c4-4d7e-8a5b-2f9c1d0e7b64`,
        target_key_id: "0e6b3f2a-91c4-4d7e-8a5b-2f9c1d0e7b64",
        id: "alias/ml-platform",
      },
    },
  ];
}

interface PipelineOpts {
  region: string;
  isolateProcessing?: boolean;
  isolateTraining?: boolean;
  classification?: string;
}

/** A two-step pipeline (processing, training) over an existing personal bucket. */
function pipeline(o: PipelineOpts): PlanSpec {
  const bucket = `acme-loan-applications-${o.region}`;
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...platformData(o.region),
    ...s3Bucket("applications", {
      bucket,
      tags: { DataClassification: o.classification ?? "personal", Owner: "credit-risk" },
      kms: "data.aws_kms_alias.ml.target_key_arn",
      tls: "doc",
      logTo: "aws_s3_bucket.app_logs.id",
      existing: true,
    }),
    ...s3Bucket("app_logs", {
      bucket: `acme-loan-applications-logs-${o.region}`,
      tags: { DataClassification: "internal" },
      kms: "AES256",
      versioning: false,
      existing: true,
    }),
    role("pipeline", "credit-risk-pipeline", assume("sagemaker.amazonaws.com")),
    {
      type: "aws_iam_role_policy",
      name: "pipeline",
      cfg: {
        name: "data-and-key",
        role: ref("aws_iam_role.pipeline.id"),
        policy: fn(
          jsonencode({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
                Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
              },
              {
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: `arn:aws:kms:${o.region}:${ACCOUNT}:key/0e6b3f2a-91c4-4d7e-8a5b-2f9c1d0e7b64`,
              },
            ],
          }),
          "aws_s3_bucket.applications.arn",
          "aws_s3_bucket.applications.arn",
          "data.aws_kms_alias.ml.target_key_arn",
        ),
      },
    },
  ];
  const def = lazy((_k, r) => {
    const subnets = r("data.aws_subnets.private.ids");
    const sg = r("data.aws_security_group.training.id");
    const key = r("data.aws_kms_alias.ml.target_key_arn");
    const roleArn = `arn:aws:iam::${r("data.aws_caller_identity.current.account_id") as string}:role/credit-risk-pipeline`;
    const vpc = { Subnets: subnets, SecurityGroupIds: [sg] };
    return jsonencode({
      Version: "2020-12-01",
      Parameters: [{ Name: "TrainingInstanceType", Type: "String", DefaultValue: "ml.p4d.24xlarge" }],
      Steps: [
        {
          Name: "PrepareFeatures",
          Type: "Processing",
          Arguments: {
            ProcessingResources: {
              ClusterConfig: {
                InstanceType: "ml.m5.4xlarge",
                InstanceCount: 1,
                VolumeSizeInGB: 100,
                VolumeKmsKeyId: key,
              },
            },
            AppSpecification: {
              ImageUri: `366743142698.dkr.ecr.${o.region}.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3`,
            },
            RoleArn: roleArn,
            ProcessingInputs: [
              {
                InputName: "raw",
                S3Input: {
                  S3Uri: `s3://${bucket}/raw/`,
                  LocalPath: "/opt/ml/processing/input",
                  S3DataType: "S3Prefix",
                  S3InputMode: "File",
                },
              },
            ],
            NetworkConfig: { EnableNetworkIsolation: o.isolateProcessing ?? true, VpcConfig: vpc },
          },
        },
        {
          Name: "TrainScorer",
          Type: "Training",
          Arguments: {
            AlgorithmSpecification: {
              TrainingImage: `763104351884.dkr.ecr.${o.region}.amazonaws.com/pytorch-training:2.3.0-gpu-py311`,
              TrainingInputMode: "File",
            },
            RoleArn: roleArn,
            InputDataConfig: [
              {
                ChannelName: "train",
                DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${bucket}/features/` } },
              },
            ],
            OutputDataConfig: { S3OutputPath: `s3://${bucket}/models/`, KmsKeyId: key },
            ResourceConfig: {
              InstanceType: { Get: "Parameters.TrainingInstanceType" },
              InstanceCount: 2,
              VolumeSizeInGB: 500,
              VolumeKmsKeyId: key,
            },
            StoppingCondition: { MaxRuntimeInSeconds: 86400 },
            EnableNetworkIsolation: o.isolateTraining ?? true,
            EnableInterContainerTrafficEncryption: true,
            VpcConfig: vpc,
          },
        },
      ],
    });
  });
  resources.push({
    type: "aws_sagemaker_pipeline",
    name: "credit_risk",
    cfg: {
      pipeline_name: "credit-risk-scorer",
      pipeline_display_name: "credit-risk-scorer",
      role_arn: ref("aws_iam_role.pipeline.arn"),
      pipeline_definition: fn(
        def,
        "data.aws_subnets.private.ids",
        "data.aws_security_group.training.id",
        "data.aws_kms_alias.ml.target_key_arn",
        "data.aws_caller_identity.current.account_id",
      ),
      tags: { Workload: "training" },
    },
  });
  return {
    variables: { region: { value: o.region } },
    providers: [aws(ref("var.region"), { defaultTags: { Domain: "credit-risk" } })],
    resources,
  };
}

interface DomainOpts {
  region: string;
  network: "VpcOnly" | "PublicInternetOnly";
  kms?: boolean;
}

/** A Studio domain with a user profile and a private space; the execution role reads personal data. */
function studio(o: DomainOpts): PlanSpec {
  const remote = o.region !== SEOUL;
  const p = remote ? "aws.studio" : undefined;
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...kmsKey("data", { alias: "alias/clinical-notes" }),
    ...s3Bucket("notes", {
      bucket: "acme-clinical-notes-deid-pending",
      tags: { DataClassification: "sensitive-personal", Sector: "healthcare" },
      kms: "aws_kms_key.data.arn",
      tls: "doc",
      logTo: "aws_s3_bucket.notes_logs.id",
    }),
    ...s3Bucket("notes_logs", {
      bucket: "acme-clinical-notes-logs",
      tags: { DataClassification: "internal" },
      kms: "AES256",
      versioning: false,
    }),
    ...privateNetwork("studio", {
      provider: p,
      region: o.region,
      cidr: "10.72.0.0/16",
      interfaceEndpoints: ["sagemaker.api", "sagemaker.runtime", "sts"],
    }),
    ...kmsKey("studio", { provider: p, alias: "alias/studio-efs" }),
    role("studio", "clinical-nlp-studio", assume("sagemaker.amazonaws.com")),
    {
      type: "aws_iam_role_policy",
      name: "studio_notes",
      cfg: {
        name: "notes",
        role: ref("aws_iam_role.studio.name"),
        policy: fn(U, "aws_s3_bucket.notes.arn", "aws_s3_bucket.notes.arn", "aws_kms_key.data.arn"),
      },
    },
    {
      type: "aws_sagemaker_domain",
      name: "clinical",
      provider: p,
      cfg: {
        domain_name: "clinical-nlp",
        auth_mode: "IAM",
        vpc_id: ref("aws_vpc.studio.id"),
        subnet_ids: subnetIds("studio"),
        app_network_access_type: o.network,
        ...(o.kms !== false ? { kms_key_id: ref("aws_kms_key.studio.arn") } : {}),
        default_user_settings: [
          {
            execution_role: ref("aws_iam_role.studio.arn"),
            security_groups: [ref("aws_security_group.studio_training.id")],
            jupyter_lab_app_settings: [{ default_resource_spec: [{ instance_type: "ml.g5.4xlarge" }] }],
          },
        ],
        default_space_settings: [
          {
            execution_role: ref("aws_iam_role.studio.arn"),
            security_groups: [ref("aws_security_group.studio_training.id")],
          },
        ],
        domain_settings: [{ security_group_ids: [ref("aws_security_group.studio_training.id")] }],
      },
    },
    {
      type: "aws_sagemaker_user_profile",
      name: "researcher",
      provider: p,
      forEach: ["jlee", "mchoi"],
      forEachExpr: fn(U, "var.researchers"),
      cfg: {
        domain_id: ref("aws_sagemaker_domain.clinical.id"),
        user_profile_name: ref("each.key"),
        user_settings: [
          {
            execution_role: ref("aws_iam_role.studio.arn"),
            security_groups: [ref("aws_security_group.studio_training.id")],
          },
        ],
      },
    },
    {
      type: "aws_sagemaker_space",
      name: "jlee",
      provider: p,
      cfg: {
        domain_id: ref("aws_sagemaker_domain.clinical.id"),
        space_name: "jlee-finetune",
        ownership_settings: [
          { owner_user_profile_name: ref('aws_sagemaker_user_profile.researcher["jlee"].user_profile_name') },
        ],
        space_sharing_settings: [{ sharing_type: "Private" }],
        space_settings: [
          {
            app_type: "JupyterLab",
            jupyter_lab_app_settings: [{ default_resource_spec: [{ instance_type: "ml.g5.12xlarge" }] }],
          },
        ],
      },
    },
  ];
  const providers: Provider[] = [aws(SEOUL, { defaultTags: { Team: "clinical-nlp" } })];
  if (p) providers.push(aws(o.region, { alias: "studio", defaultTags: { Team: "clinical-nlp" } }));
  return { variables: { researchers: { value: ["jlee", "mchoi"] } }, providers, resources };
}

/** A HyperPod cluster (awscc) whose instance groups' execution role reads personal data. */
function hyperpod(o: { region: string; vpc?: boolean }): PlanSpec {
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...kmsKey("pretrain", { alias: "alias/pretrain-corpus" }),
    ...s3Bucket("corpus", {
      bucket: "acme-chat-logs-pretrain",
      tags: { DataClassification: "personal" },
      kms: "aws_kms_key.pretrain.arn",
      tls: "jsonencode",
      logTo: "aws_s3_bucket.corpus_logs.id",
    }),
    ...s3Bucket("corpus_logs", {
      bucket: "acme-chat-logs-pretrain-logs",
      tags: { DataClassification: "internal" },
      kms: "AES256",
      versioning: false,
    }),
    ...privateNetwork("hp", { region: o.region, cidr: "10.74.0.0/16" }),
    role("hyperpod", "hyperpod-pretrain-nodes", assume("sagemaker.amazonaws.com"), {
      managed: ["arn:aws:iam::aws:policy/AmazonSageMakerClusterInstanceRolePolicy"],
    }),
    {
      type: "aws_iam_role_policy",
      name: "hyperpod_corpus",
      cfg: {
        name: "corpus",
        role: ref("aws_iam_role.hyperpod.id"),
        policy: fn(U, "aws_s3_bucket.corpus.arn", "aws_s3_bucket.corpus.arn"),
      },
    },
    {
      type: "awscc_sagemaker_cluster",
      name: "pretrain",
      provider: "awscc",
      cfg: {
        cluster_name: "chat-pretrain",
        instance_groups: [
          {
            instance_group_name: "workers",
            instance_type: "ml.p5.48xlarge",
            instance_count: 16,
            execution_role: ref("aws_iam_role.hyperpod.arn"),
            threads_per_core: 1,
            life_cycle_config: { source_s3_uri: "s3://acme-hyperpod-lifecycle/scripts/", on_create: "on_create.sh" },
          },
        ],
        ...(o.vpc !== false
          ? { vpc_config: { subnets: subnetIds("hp"), security_group_ids: [ref("aws_security_group.hp_training.id")] } }
          : {}),
        node_recovery: "Automatic",
        tags: [{ key: "Workload", value: "training" }],
      },
    },
  ];
  return {
    variables: { region: { value: o.region } },
    providers: [aws(ref("var.region")), { key: "awscc", region: ref("var.region"), name: "awscc" }],
    resources,
  };
}

export const scenarios: Scenario[] = [
  {
    name: "sm-pipeline-seoul-isolated-steps",
    description:
      "A SageMaker pipeline in Seoul over an existing personal bucket of loan applications; both steps enable network isolation, run in existing private subnets and use the platform CMK, all known at plan through data sources. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: pipeline({ region: SEOUL }),
  },
  {
    name: "sm-pipeline-seoul-processing-step-not-isolated",
    description:
      "The training step is isolated but the processing step, which reads the raw personal applications, has EnableNetworkIsolation = false: the pipeline is not isolated step by step.",
    expect: { "kr-localization": fail(R.PRIVATE), "risk-based": PASS },
    plan: pipeline({ region: SEOUL, isolateProcessing: false }),
  },
  {
    name: "sm-pipeline-us-east-1-existing-bucket",
    description:
      "The same pipeline applied with var.region = us-east-1 over the us-east-1 copy of the applications bucket: personal-data training and its store outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT, R.STORE_OUT), "risk-based": PASS },
    plan: pipeline({ region: "us-east-1" }),
  },
  {
    name: "sm-pipeline-us-east-1-internal-data",
    description: "The us-east-1 pipeline over a bucket classified internal: nothing applies.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: pipeline({ region: "us-east-1", classification: "internal" }),
  },
  {
    name: "sm-studio-domain-vpconly-seoul",
    description:
      "A Studio domain in Seoul (VpcOnly, CMK, interface endpoints) with two user profiles (for_each) and a private space; the execution role reads sensitive personal clinical notes. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: studio({ region: SEOUL, network: "VpcOnly" }),
  },
  {
    name: "sm-studio-domain-public-internet-seoul",
    description:
      "The Seoul domain left at PublicInternetOnly: its apps, profiles and spaces reach the internet while working on personal clinical notes.",
    expect: { "kr-localization": fail(R.PRIVATE, R.PUBLIC), "risk-based": fail(R.PUBLIC, R.SECTOR_ISO) },
    plan: studio({ region: SEOUL, network: "PublicInternetOnly" }),
  },
  {
    name: "sm-studio-domain-vpconly-us-west-2",
    description:
      "The VpcOnly domain with its user profiles and space on a us-west-2 provider alias, working on the Seoul clinical notes: personal-data training outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: studio({ region: "us-west-2", network: "VpcOnly" }),
  },
  {
    name: "sm-studio-domain-vpconly-seoul-no-kms",
    description:
      "The Seoul VpcOnly domain without kms_key_id: the domain's EFS home volumes use an AWS-managed key while holding personal notebooks.",
    expect: { "kr-localization": fail(R.CMK), "risk-based": fail(R.CMK) },
    plan: studio({ region: SEOUL, network: "VpcOnly", kms: false }),
  },
  {
    name: "hyperpod-awscc-seoul-vpc",
    description:
      "A HyperPod cluster (awscc_sagemaker_cluster, p5 instance group) in Seoul inside private subnets; its execution role reads the personal chat-log corpus. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: hyperpod({ region: SEOUL }),
  },
  {
    name: "hyperpod-awscc-us-east-1",
    description:
      "The HyperPod cluster with var.region = us-east-1 for both providers: the pre-training corpus and the cluster are outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT, R.STORE_OUT), "risk-based": PASS },
    plan: hyperpod({ region: "us-east-1" }),
  },
  {
    name: "sm-pipeline-ap-southeast-2-existing-bucket",
    description:
      "The credit-risk pipeline applied in ap-southeast-2 over the Sydney copy of the personal applications bucket.",
    expect: { "kr-localization": fail(R.TRAIN_OUT, R.STORE_OUT), "risk-based": PASS },
    plan: pipeline({ region: "ap-southeast-2" }),
  },
  {
    name: "sm-studio-domain-public-internet-us-east-1",
    description:
      "The clinical Studio domain on a us-east-1 alias left at PublicInternetOnly: outside Korea and public.",
    expect: { "kr-localization": fail(R.TRAIN_OUT, R.PRIVATE, R.PUBLIC), "risk-based": fail(R.PUBLIC, R.SECTOR_ISO) },
    plan: studio({ region: "us-east-1", network: "PublicInternetOnly" }),
  },
  {
    name: "hyperpod-awscc-seoul-no-vpc",
    description:
      "The Seoul HyperPod cluster without vpc_config: its instances run in the service's network, not in the team's VPC.",
    expect: { "kr-localization": fail(R.PRIVATE), "risk-based": PASS },
    plan: hyperpod({ region: SEOUL, vpc: false }),
  },
];
