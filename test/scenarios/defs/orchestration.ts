// Orchestrated training: Step Functions state machines that start SageMaker training jobs or
// Bedrock customization jobs, EMR clusters with GPU core nodes, EMR Serverless applications.

import { fn, jsonencode, lazy, ref, U, type PlanSpec, type Provider, type Res } from "../builder";
import {
  assume,
  aws,
  callerData,
  kmsKey,
  privateNetwork,
  R,
  role,
  s3Bucket,
  SEOUL,
  subnetIds,
  subnetRef,
} from "../kit";
import { fail, PASS, type Scenario } from "../scenario";

const ACCOUNT = "977201483326";
const BUCKET = "acme-app-telemetry-userlevel";

function telemetry(): Res[] {
  return [
    ...kmsKey("telemetry", { alias: "alias/telemetry" }),
    ...s3Bucket("telemetry", {
      bucket: BUCKET,
      tags: { "data-classification": "pii", Owner: "growth" },
      kms: "aws_kms_key.telemetry.arn",
      tls: "jsonencode",
      logTo: "aws_s3_bucket.telemetry_logs.id",
    }),
    ...s3Bucket("telemetry_logs", {
      bucket: `${BUCKET}-logs`,
      tags: { "data-classification": "internal" },
      kms: "AES256",
      versioning: false,
    }),
  ];
}

/** A state machine whose Task state runs `createTrainingJob.sync` (or a Bedrock customization job). */
function stepFunctions(o: { region: string; isolated?: boolean; service?: "sagemaker" | "bedrock" }): PlanSpec {
  const remote = o.region !== SEOUL;
  const p = remote ? "aws.ml" : undefined;
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...telemetry(),
    ...kmsKey("jobs", { provider: p, alias: "alias/training-jobs" }),
    {
      type: "aws_subnets",
      name: "training",
      data: true,
      provider: p,
      cfg: { filter: [{ name: "tag:Purpose", values: ["ml-training"] }] },
      known: { ids: ["subnet-0b7e2c91d4a6f3e58", "subnet-05d1a8c3e9b72f614"] },
    },
    {
      type: "aws_security_group",
      name: "training",
      data: true,
      provider: p,
      cfg: { name: "sagemaker-training" },
      known: { id: "sg-0a9c3e5b7d1f24680", vpc_id: "vpc-07c2e9a4b6d1f3a85" },
    },
    role(
      "job",
      "churn-training-job",
      assume(o.service === "bedrock" ? "bedrock.amazonaws.com" : "sagemaker.amazonaws.com"),
    ),
    {
      type: "aws_iam_role_policy",
      name: "job",
      cfg: {
        name: "telemetry",
        role: ref("aws_iam_role.job.id"),
        policy: fn(
          jsonencode({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:ListBucket"],
                Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
              },
            ],
          }),
        ),
      },
    },
    role("sfn", "churn-training-orchestrator", assume("states.amazonaws.com")),
    {
      type: "aws_iam_role_policy",
      name: "sfn",
      cfg: { name: "start-jobs", role: ref("aws_iam_role.sfn.id"), policy: fn(U, "aws_iam_role.job.arn") },
    },
  ];
  const definition = lazy((_k, r) => {
    const jobRole = `arn:aws:iam::${r("data.aws_caller_identity.current.account_id") as string}:role/churn-training-job`;
    const key = `arn:aws:kms:${o.region}:${r("data.aws_caller_identity.current.account_id") as string}:${r("aws_kms_alias.jobs.name") as string}`;
    const subnets = r("data.aws_subnets.training.ids");
    const sg = r("data.aws_security_group.training.id");
    const task =
      o.service === "bedrock"
        ? {
            Type: "Task",
            Resource: "arn:aws:states:::bedrock:createModelCustomizationJob.sync",
            Parameters: {
              "JobName.$": "$.jobName",
              CustomModelName: "churn-explainer",
              RoleArn: jobRole,
              BaseModelIdentifier: "amazon.nova-micro-v1:0:128k",
              CustomizationType: "FINE_TUNING",
              TrainingDataConfig: { S3Uri: `s3://${BUCKET}/bedrock/train.jsonl` },
              OutputDataConfig: { S3Uri: `s3://${BUCKET}-logs/bedrock-output/` },
              VpcConfig: { SubnetIds: subnets, SecurityGroupIds: [sg] },
              HyperParameters: { epochCount: "2" },
            },
            End: true,
          }
        : {
            Type: "Task",
            Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync",
            Parameters: {
              "TrainingJobName.$": "$.jobName",
              RoleArn: jobRole,
              AlgorithmSpecification: {
                TrainingImage: `763104351884.dkr.ecr.${o.region}.amazonaws.com/pytorch-training:2.3.0-gpu-py311`,
                TrainingInputMode: "FastFile",
              },
              InputDataConfig: [
                {
                  ChannelName: "train",
                  DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${BUCKET}/sessions/` } },
                },
              ],
              OutputDataConfig: { S3OutputPath: `s3://${BUCKET}-logs/models/`, KmsKeyId: key },
              ResourceConfig: {
                InstanceType: "ml.g5.12xlarge",
                InstanceCount: 1,
                VolumeSizeInGB: 200,
                VolumeKmsKeyId: key,
              },
              StoppingCondition: { MaxRuntimeInSeconds: 43200 },
              ...(o.isolated === false
                ? {}
                : { EnableNetworkIsolation: true, VpcConfig: { Subnets: subnets, SecurityGroupIds: [sg] } }),
            },
            End: true,
          };
    return jsonencode({ Comment: "Weekly churn model retraining", StartAt: "Train", States: { Train: task } });
  });
  resources.push({
    type: "aws_sfn_state_machine",
    name: "retrain",
    provider: p,
    cfg: {
      name: "churn-weekly-retrain",
      role_arn: ref("aws_iam_role.sfn.arn"),
      definition: fn(
        definition,
        "data.aws_caller_identity.current.account_id",
        "aws_kms_alias.jobs.name",
        "data.aws_subnets.training.ids",
        "data.aws_security_group.training.id",
      ),
      logging_configuration: [
        { level: "ERROR", include_execution_data: false, log_destination: ref("aws_cloudwatch_log_group.sfn.arn") },
      ],
    },
  });
  resources.push({
    type: "aws_cloudwatch_log_group",
    name: "sfn",
    provider: p,
    cfg: { name: "/aws/states/churn-weekly-retrain", retention_in_days: 30, kms_key_id: ref("aws_kms_key.jobs.arn") },
  });
  const providers: Provider[] = [aws(SEOUL, { defaultTags: { Product: "growth-ml" } })];
  if (p) providers.push(aws(o.region, { alias: "ml", defaultTags: { Product: "growth-ml" } }));
  return { providers, resources };
}

/** An EMR cluster with GPU core nodes reading the telemetry bucket through its instance profile. */
function emr(o: { region: string; publicSubnet?: boolean }): PlanSpec {
  const p = o.region === SEOUL ? undefined : "aws.emr";
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...telemetry(),
    ...privateNetwork("emr", { provider: p, region: o.region, cidr: "10.84.0.0/16" }),
    ...kmsKey("emr", { provider: p, alias: "alias/emr-disks" }),
    role("emr_service", "emr-service", assume("elasticmapreduce.amazonaws.com"), {
      managed: ["arn:aws:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2"],
    }),
    role("emr_ec2", "emr-ec2-gpu", assume("ec2.amazonaws.com")),
    {
      type: "aws_iam_role_policy",
      name: "emr_ec2",
      cfg: {
        name: "telemetry",
        role: ref("aws_iam_role.emr_ec2.id"),
        policy: fn(
          lazy((_k, r) => {
            const a = r("aws_s3_bucket.telemetry.arn");
            return typeof a === "string"
              ? jsonencode({
                  Statement: [{ Action: ["s3:GetObject"], Effect: "Allow", Resource: `${a}/*` }],
                  Version: "2012-10-17",
                })
              : a;
          }),
          "aws_s3_bucket.telemetry.arn",
        ),
      },
    },
    {
      type: "aws_iam_instance_profile",
      name: "emr_ec2",
      cfg: { name: "emr-ec2-gpu", role: ref("aws_iam_role.emr_ec2.name") },
    },
    {
      type: "aws_emr_security_configuration",
      name: "encrypted",
      provider: p,
      cfg: {
        name: "gpu-at-rest-cmk",
        configuration: fn(
          lazy((_k, r) => {
            const k = r("aws_kms_key.emr.arn");
            return typeof k === "string"
              ? jsonencode({
                  EncryptionConfiguration: {
                    EnableAtRestEncryption: true,
                    EnableInTransitEncryption: false,
                    AtRestEncryptionConfiguration: {
                      LocalDiskEncryptionConfiguration: {
                        EncryptionKeyProviderType: "AwsKms",
                        AwsKmsKey: k,
                        EnableEbsEncryption: true,
                      },
                    },
                  },
                })
              : k;
          }),
          "aws_kms_key.emr.arn",
        ),
      },
    },
  ];
  if (o.publicSubnet)
    resources.push(
      { type: "aws_internet_gateway", name: "emr", provider: p, cfg: { vpc_id: ref("aws_vpc.emr.id") } },
      {
        type: "aws_subnet",
        name: "emr_public",
        provider: p,
        cfg: {
          vpc_id: ref("aws_vpc.emr.id"),
          cidr_block: "10.84.200.0/24",
          availability_zone: `${o.region}a`,
          map_public_ip_on_launch: true,
        },
      },
    );
  resources.push({
    type: "aws_emr_cluster",
    name: "features",
    provider: p,
    cfg: {
      name: "telemetry-gpu-features",
      release_label: "emr-7.5.0",
      applications: ["Spark", "Hadoop"],
      service_role: ref("aws_iam_role.emr_service.arn"),
      security_configuration: ref("aws_emr_security_configuration.encrypted.name"),
      log_uri: `s3://${BUCKET}-logs/emr/`,
      ec2_attributes: [
        {
          subnet_id: o.publicSubnet ? ref("aws_subnet.emr_public.id") : subnetRef("emr", `${o.region}a`),
          instance_profile: ref("aws_iam_instance_profile.emr_ec2.arn"),
          emr_managed_master_security_group: ref("aws_security_group.emr_training.id"),
          emr_managed_slave_security_group: ref("aws_security_group.emr_training.id"),
        },
      ],
      master_instance_group: [{ instance_type: "m7g.2xlarge" }],
      core_instance_group: [
        {
          instance_type: "g5.12xlarge",
          instance_count: 4,
          ebs_config: [{ size: 500, type: "gp3", volumes_per_instance: 1 }],
        },
      ],
      tags: { Workload: "training" },
    },
  });
  const providers: Provider[] = [aws(SEOUL)];
  if (p) providers.push(aws(o.region, { alias: "emr" }));
  return { providers, resources };
}

/** An EMR Serverless Spark application tagged for personal-data model training. */
function emrServerless(o: { region: string }): PlanSpec {
  return {
    variables: { region: { value: o.region } },
    providers: [aws(ref("var.region"), { defaultTags: { Product: "growth-ml" } })],
    resources: [
      ...callerData(ACCOUNT),
      ...privateNetwork("emrs", { region: o.region, cidr: "10.85.0.0/16" }),
      {
        type: "aws_emrserverless_application",
        name: "training",
        cfg: {
          name: "churn-spark-ml",
          release_label: "emr-7.5.0",
          type: "spark",
          maximum_capacity: [{ cpu: "400 vCPU", memory: "3000 GB", disk: "20000 GB" }],
          network_configuration: [
            { subnet_ids: subnetIds("emrs"), security_group_ids: [ref("aws_security_group.emrs_training.id")] },
          ],
          auto_stop_configuration: [{ enabled: true, idle_timeout_minutes: 15 }],
          tags: { DataClassification: "personal", Purpose: "model-training" },
        },
      },
    ],
  };
}

export const scenarios: Scenario[] = [
  {
    name: "sfn-sagemaker-training-seoul-isolated",
    description:
      "A Step Functions state machine in Seoul starts a SageMaker training job (createTrainingJob.sync) on the personal telemetry bucket with network isolation, VPC config from existing subnets and CMK volumes. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: stepFunctions({ region: SEOUL }),
  },
  {
    name: "sfn-sagemaker-training-us-east-1",
    description:
      "The state machine on a us-east-1 provider alias: the training job it starts runs in us-east-1 and reads the personal Seoul bucket by s3:// URI.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: stepFunctions({ region: "us-east-1" }),
  },
  {
    name: "sfn-sagemaker-training-seoul-not-isolated",
    description:
      "The Seoul state machine starts the training job without EnableNetworkIsolation and without VpcConfig: the personal-data job is not on private infrastructure.",
    expect: { "kr-localization": fail(R.PRIVATE), "risk-based": PASS },
    plan: stepFunctions({ region: SEOUL, isolated: false }),
  },
  {
    name: "sfn-bedrock-customization-us-west-2",
    description:
      "A state machine in us-west-2 starts a Bedrock model customization job (createModelCustomizationJob.sync) on the personal telemetry export.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: stepFunctions({ region: "us-west-2", service: "bedrock" }),
  },
  {
    name: "emr-gpu-core-seoul-private",
    description:
      "EMR with g5 core nodes in a private Seoul subnet, CMK local-disk encryption, instance profile reading the personal telemetry bucket. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: emr({ region: SEOUL }),
  },
  {
    name: "emr-gpu-core-us-east-1",
    description:
      "The EMR GPU cluster on a us-east-1 provider alias reading the personal Seoul bucket: personal-data training outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: emr({ region: "us-east-1" }),
  },
  {
    name: "emr-gpu-core-seoul-public-subnet",
    description:
      "The Seoul EMR cluster placed in a subnet that maps public IPs on launch (with an internet gateway): its nodes get public addresses.",
    expect: { "kr-localization": fail(R.PRIVATE, R.PUBLIC), "risk-based": fail(R.PUBLIC) },
    plan: emr({ region: SEOUL, publicSubnet: true }),
  },
  {
    name: "emr-serverless-us-west-2-tagged-personal",
    description:
      "An EMR Serverless Spark ML application in us-west-2 tagged DataClassification=personal and Purpose=model-training (its job runtime role is given per run, so the tag is the evidence).",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: emrServerless({ region: "us-west-2" }),
  },
  {
    name: "emr-serverless-seoul-vpc",
    description: "The tagged EMR Serverless application in Seoul inside private subnets. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: emrServerless({ region: SEOUL }),
  },
  {
    name: "sfn-sagemaker-training-ap-northeast-1",
    description:
      "The retraining state machine on a Tokyo provider alias: its SageMaker job trains on the personal telemetry outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: stepFunctions({ region: "ap-northeast-1" }),
  },
  {
    name: "emr-gpu-core-eu-central-1",
    description: "The EMR GPU cluster on a Frankfurt provider alias reading the personal telemetry.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: emr({ region: "eu-central-1" }),
  },
];
