// The catalogue of training workloads, copies and network paths (policies/data/catalogue.json,
// policies/lib/catalogue.rego): each case is a plan in the `terraform show -json` shape read by
// the project's reader and judged by the compiled Wasm, with a compliant neighbour beside it.

import type { EvaluationResult, ProfileName } from "../../src/core/findings";
import type { Guard } from "../../src/engine";
import { testGuard } from "../helpers/policy";
import { planInput, type PlanResource } from "./plan-builder";

let guard: Guard;
beforeAll(() => {
  guard = testGuard();
});

const TRAIN_OUT = "residency/personal-training-outside-korea";
const PRIVATE = "private-cloud/personal-training-shared-infrastructure";
const PUBLIC = "safeguards/public-access";
const COPY = "cross-border/personal-data-replicated-abroad";
const CRIS = "cross-border/bedrock-cross-region-inference";
const JUDGED = [TRAIN_OUT, PRIVATE, PUBLIC, COPY, CRIS];

/** `rule address` of the violations of the rules this file is about, sorted. */
function verdicts(resources: PlanResource[], profile: ProfileName = "kr-localization"): string[] {
  return judge(resources, profile)
    .findings.filter((f) => f.status === "violation" && JUDGED.includes(f.rule))
    .map((f) => `${f.rule} ${f.address}`)
    .sort();
}

function judge(resources: PlanResource[], profile: ProfileName = "kr-localization"): EvaluationResult {
  return guard.evaluate(planInput(resources), profile);
}

function message(resources: PlanResource[], rule: string, address: string): string {
  const f = judge(resources).findings.find((x) => x.rule === rule && x.address === address);
  if (!f) throw new Error(`no ${rule} finding on ${address}`);
  return f.message;
}

// ---------- shared pieces: a personal dataset, a role that reads it, private networking ----------

const PERSONAL = { DataClassification: "personal" };

const dataset = (address = "aws_s3_bucket.data", provider = "aws"): PlanResource => ({
  address,
  provider,
  values: { bucket: "kr-training-personal", tags: PERSONAL, force_destroy: false },
});

const role = (name = "train"): PlanResource[] => [
  {
    address: `aws_iam_role.${name}`,
    values: { name: `${name}-role`, assume_role_policy: '{"Version":"2012-10-17","Statement":[]}' },
  },
  {
    address: `aws_iam_role_policy.${name}_read`,
    values: { name: "read-dataset" },
    unknown: { policy: true },
    refs: { role: [`aws_iam_role.${name}.id`], policy: ["aws_s3_bucket.data.arn"] },
  },
];

const network: PlanResource[] = [
  { address: "aws_vpc.main", values: { cidr_block: "10.0.0.0/16" } },
  {
    address: "aws_subnet.private",
    values: { cidr_block: "10.0.1.0/24", map_public_ip_on_launch: false },
    refs: { vpc_id: ["aws_vpc.main.id"] },
  },
  {
    address: "aws_subnet.public",
    values: { cidr_block: "10.0.2.0/24", map_public_ip_on_launch: true },
    refs: { vpc_id: ["aws_vpc.main.id"] },
  },
  { address: "aws_security_group.train", values: { name: "train" }, refs: { vpc_id: ["aws_vpc.main.id"] } },
];

const blockPublic: PlanResource = {
  address: "aws_s3_bucket_public_access_block.data",
  values: {
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  },
  refs: { bucket: ["aws_s3_bucket.data.id"] },
};

const base = (): PlanResource[] => [dataset(), blockPublic, ...role(), ...network];

// ---------- training workloads ----------

describe("ECS task definitions with GPUs", () => {
  const task = (provider: string, gpu: boolean): PlanResource => ({
    address: "aws_ecs_task_definition.finetune",
    provider,
    values: {
      family: "finetune",
      network_mode: "awsvpc",
      requires_compatibilities: ["EC2"],
      container_definitions: JSON.stringify([
        {
          name: "trainer",
          image: "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/trainer:1.4",
          essential: true,
          environment: [{ name: "DATASET", value: "s3://kr-training-personal/v3/" }],
          ...(gpu ? { resourceRequirements: [{ type: "GPU", value: "4" }] } : {}),
        },
      ]),
    },
    refs: { task_role_arn: ["aws_iam_role.train.arn"], container_definitions: ["aws_s3_bucket.data.bucket"] },
  });
  const service = (assignPublic: boolean, subnet = "aws_subnet.private"): PlanResource => ({
    address: "aws_ecs_service.finetune",
    values: {
      name: "finetune",
      desired_count: 1,
      network_configuration: [{ assign_public_ip: assignPublic, subnets: ["subnet-0a1"], security_groups: ["sg-1"] }],
    },
    refs: {
      task_definition: ["aws_ecs_task_definition.finetune.arn"],
      network_configuration: [{ subnets: [`${subnet}.id`], security_groups: ["aws_security_group.train.id"] }],
    },
  });

  it("judges a task with GPU resourceRequirements in its container definitions as training", () => {
    expect(verdicts([...base(), task("aws.us", true), service(false)])).toEqual([
      `${TRAIN_OUT} aws_ecs_task_definition.finetune`,
    ]);
    expect(verdicts([...base(), task("aws", true), service(false)])).toEqual([]);
  });

  it("ignores a task without GPUs on ordinary capacity", () => {
    expect(verdicts([...base(), task("aws.us", false), service(false)])).toEqual([]);
  });

  it("judges a task on a capacity provider whose Auto Scaling group launches GPU instances", () => {
    const capacity: PlanResource[] = [
      {
        address: "aws_launch_template.gpu",
        provider: "aws.us",
        values: { instance_type: "g5.12xlarge", image_id: "ami-0ecs" },
      },
      {
        address: "aws_autoscaling_group.gpu",
        provider: "aws.us",
        values: { max_size: 4, min_size: 0, launch_template: [{ version: "$Latest" }] },
        refs: { launch_template: [{ id: ["aws_launch_template.gpu.id"] }] },
      },
      {
        address: "aws_ecs_capacity_provider.gpu",
        provider: "aws.us",
        values: { name: "gpu" },
        refs: { auto_scaling_group_provider: [{ auto_scaling_group_arn: ["aws_autoscaling_group.gpu.arn"] }] },
      },
    ];
    const svc = service(false);
    svc.provider = "aws.us";
    svc.refs = {
      ...svc.refs,
      capacity_provider_strategy: [{ capacity_provider: ["aws_ecs_capacity_provider.gpu.name"] }],
    };
    expect(verdicts([...base(), ...capacity, task("aws.us", false), svc])).toContain(
      `${TRAIN_OUT} aws_ecs_task_definition.finetune`,
    );
  });

  it("judges a task whose service uses the GPU capacity of its cluster's default strategy", () => {
    const capacity: PlanResource[] = [
      { address: "aws_launch_template.gpu", provider: "aws.us", values: { instance_type: "p5.48xlarge" } },
      {
        address: "aws_autoscaling_group.gpu",
        provider: "aws.us",
        values: { max_size: 2, min_size: 0 },
        refs: { launch_template: [{ id: ["aws_launch_template.gpu.id"] }] },
      },
      {
        address: "aws_ecs_capacity_provider.gpu",
        provider: "aws.us",
        values: { name: "gpu" },
        refs: { auto_scaling_group_provider: [{ auto_scaling_group_arn: ["aws_autoscaling_group.gpu.arn"] }] },
      },
      { address: "aws_ecs_cluster.train", provider: "aws.us", values: { name: "train" } },
      {
        address: "aws_ecs_cluster_capacity_providers.train",
        provider: "aws.us",
        values: { capacity_providers: ["gpu"] },
        refs: {
          cluster_name: ["aws_ecs_cluster.train.name"],
          capacity_providers: ["aws_ecs_capacity_provider.gpu.name"],
          default_capacity_provider_strategy: [{ capacity_provider: ["aws_ecs_capacity_provider.gpu.name"] }],
        },
      },
    ];
    const svc = service(false);
    svc.provider = "aws.us";
    svc.refs = { ...svc.refs, cluster: ["aws_ecs_cluster.train.id"] };
    expect(verdicts([...base(), ...capacity, task("aws.us", false), svc])).toEqual([
      `${TRAIN_OUT} aws_ecs_task_definition.finetune`,
    ]);
  });

  it("needs a service in private subnets without public IPs", () => {
    expect(verdicts([...base(), task("aws", true), service(true)])).toEqual([
      `${PRIVATE} aws_ecs_task_definition.finetune`,
      `${PUBLIC} aws_ecs_task_definition.finetune`,
    ]);
    expect(verdicts([...base(), task("aws", true), service(false, "aws_subnet.public")])).toEqual([
      `${PRIVATE} aws_ecs_task_definition.finetune`,
    ]);
    expect(verdicts([...base(), task("aws", true)])).toEqual([`${PRIVATE} aws_ecs_task_definition.finetune`]);
  });
});

describe("Step Functions state machines that start SageMaker training jobs", () => {
  const trainingState = (isolated: boolean) => ({
    Type: "Task",
    Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync",
    Parameters: {
      "TrainingJobName.$": "$.name",
      RoleArn: "arn:aws:iam::123456789012:role/train-role",
      AlgorithmSpecification: {
        TrainingImage: "763104351884.dkr.ecr.ap-northeast-2.amazonaws.com/pytorch-training:2.3",
        TrainingInputMode: "File",
      },
      InputDataConfig: [
        {
          ChannelName: "train",
          DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: "s3://kr-training-personal/train/" } },
        },
      ],
      OutputDataConfig: { S3OutputPath: "s3://kr-training-personal/models/" },
      ResourceConfig: { InstanceCount: 1, InstanceType: "ml.p4d.24xlarge", VolumeSizeInGB: 200 },
      StoppingCondition: { MaxRuntimeInSeconds: 86400 },
      VpcConfig: { SecurityGroupIds: ["sg-0123"], Subnets: ["subnet-0a1"] },
      ...(isolated ? { EnableNetworkIsolation: true } : {}),
    },
    End: true,
  });
  const machine = (definition: unknown, provider = "aws"): PlanResource => ({
    address: "aws_sfn_state_machine.train",
    provider,
    values: {
      name: "train",
      type: "STANDARD",
      ...(definition === undefined ? {} : { definition: JSON.stringify(definition) }),
    },
    unknown: definition === undefined ? { definition: true } : {},
    refs: { role_arn: ["aws_iam_role.sfn.arn"], definition: ["aws_iam_role.train.arn", "aws_s3_bucket.data.bucket"] },
  });
  const sfnRole: PlanResource = { address: "aws_iam_role.sfn", values: { name: "sfn" } };
  const flat = (isolated: boolean) => ({ StartAt: "Train", States: { Train: trainingState(isolated) } });

  it("judges the state machine as training: outside Korea, and per task for isolation", () => {
    expect(verdicts([...base(), sfnRole, machine(flat(true), "aws.us")])).toEqual([
      `${TRAIN_OUT} aws_sfn_state_machine.train`,
    ]);
    expect(verdicts([...base(), sfnRole, machine(flat(true))])).toEqual([]);
    const resources = [...base(), sfnRole, machine(flat(false))];
    expect(verdicts(resources)).toEqual([`${PRIVATE} aws_sfn_state_machine.train`]);
    expect(message(resources, PRIVATE, "aws_sfn_state_machine.train")).toContain(
      "starts a training job in state States.Train where network isolation is not enabled",
    );
  });

  it("finds training tasks nested in Parallel branches and Map item processors", () => {
    const nested = {
      StartAt: "Fan",
      States: {
        Fan: {
          Type: "Parallel",
          Branches: [
            { StartAt: "Prep", States: { Prep: { Type: "Pass", End: true } } },
            {
              StartAt: "Each",
              States: {
                Each: {
                  Type: "Map",
                  ItemProcessor: { StartAt: "Train", States: { Train: trainingState(false) } },
                  End: true,
                },
              },
            },
          ],
          End: true,
        },
      },
    };
    const resources = [...base(), sfnRole, machine(nested)];
    expect(verdicts(resources)).toEqual([`${PRIVATE} aws_sfn_state_machine.train`]);
    expect(message(resources, PRIVATE, "aws_sfn_state_machine.train")).toContain(
      "States.Fan.Branches.1.States.Each.ItemProcessor.States.Train",
    );
  });

  it("does not judge a state machine that only invokes Lambda functions", () => {
    const etl = {
      StartAt: "Load",
      States: {
        Load: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Parameters: { FunctionName: "load" },
          End: true,
        },
      },
    };
    expect(verdicts([...base(), sfnRole, machine(etl, "aws.us")])).toEqual([]);
  });

  it("fails closed on a definition unknown at plan that reaches personal data", () => {
    const resources = [...base(), sfnRole, machine(undefined)];
    expect(verdicts(resources)).toEqual([`${PRIVATE} aws_sfn_state_machine.train`]);
    expect(message(resources, PRIVATE, "aws_sfn_state_machine.train")).toContain("cannot be read at plan time");
    // Through the training role only: machine -> role <- role policy -> bucket.
    const viaRole = machine(undefined, "aws.us");
    viaRole.refs = { role_arn: ["aws_iam_role.sfn.arn"], definition: ["aws_iam_role.train.arn"] };
    expect(verdicts([...base(), sfnRole, viaRole])).toEqual([
      `${PRIVATE} aws_sfn_state_machine.train`,
      `${TRAIN_OUT} aws_sfn_state_machine.train`,
    ]);
    // Reaching nothing personal, an unreadable definition is not taken for training.
    const unrelated = machine(undefined, "aws.us");
    unrelated.refs = { role_arn: ["aws_iam_role.sfn.arn"] };
    expect(verdicts([...base(), sfnRole, unrelated])).toEqual([]);
  });
});

describe("SageMaker HyperPod clusters", () => {
  const cluster = (provider: string, vpc: boolean): PlanResource => ({
    address: "aws_sagemaker_cluster.hyperpod",
    provider,
    values: {
      cluster_name: "llm-pretrain",
      instance_group: [
        {
          instance_group_name: "workers",
          instance_count: 8,
          instance_type: "ml.p5.48xlarge",
          lifecycle_config: [{ on_create: "on_create.sh", source_s3_uri: "s3://kr-training-personal/lifecycle/" }],
        },
      ],
      ...(vpc ? { vpc_config: [{ subnets: ["subnet-0a1"], security_group_ids: ["sg-1"] }] } : {}),
    },
    refs: {
      instance_group: [
        {
          execution_role: ["aws_iam_role.train.arn"],
          lifecycle_config: [{ source_s3_uri: ["aws_s3_bucket.data.id"] }],
        },
      ],
      ...(vpc
        ? { vpc_config: [{ subnets: ["aws_subnet.private.id"], security_group_ids: ["aws_security_group.train.id"] }] }
        : {}),
    },
  });

  it("places the cluster and requires VPC subnets", () => {
    expect(verdicts([...base(), cluster("aws.us", true)])).toEqual([`${TRAIN_OUT} aws_sagemaker_cluster.hyperpod`]);
    expect(verdicts([...base(), cluster("aws", true)])).toEqual([]);
    const open = [...base(), cluster("aws", false)];
    expect(verdicts(open)).toEqual([`${PRIVATE} aws_sagemaker_cluster.hyperpod`]);
    expect(message(open, PRIVATE, "aws_sagemaker_cluster.hyperpod")).toContain("vpc_config.subnets");
  });

  it("reports an EKS orchestrator with a public API endpoint", () => {
    const eks = (publicEndpoint: boolean): PlanResource => ({
      address: "aws_eks_cluster.hyperpod",
      values: {
        name: "hyperpod",
        vpc_config: [{ endpoint_private_access: true, endpoint_public_access: publicEndpoint }],
      },
      refs: { vpc_config: [{ subnet_ids: ["aws_subnet.private.id"] }], role_arn: ["aws_iam_role.train.arn"] },
    });
    const onEks = (): PlanResource => {
      const c = cluster("aws", true);
      c.refs = { ...c.refs, orchestrator: [{ eks: [{ cluster_arn: ["aws_eks_cluster.hyperpod.arn"] }] }] };
      return c;
    };
    expect(verdicts([...base(), eks(false), onEks()])).toEqual([]);
    expect(verdicts([...base(), eks(true), onEks()])).toEqual([
      `${PRIVATE} aws_sagemaker_cluster.hyperpod`,
      `${PUBLIC} aws_sagemaker_cluster.hyperpod`,
    ]);
  });
});

describe("SageMaker Studio user profiles and spaces inherit their domain's network", () => {
  const domain = (access: "VpcOnly" | "PublicInternetOnly"): PlanResource => ({
    address: "aws_sagemaker_domain.studio",
    values: { domain_name: "studio", auth_mode: "IAM", app_network_access_type: access, subnet_ids: ["subnet-0a1"] },
    refs: {
      vpc_id: ["aws_vpc.main.id"],
      subnet_ids: ["aws_subnet.private.id"],
      default_user_settings: [{ execution_role: ["aws_iam_role.studio.arn"] }],
    },
  });
  const studioRole: PlanResource = { address: "aws_iam_role.studio", values: { name: "studio-default" } };
  const profile: PlanResource = {
    address: "aws_sagemaker_user_profile.analyst",
    values: { user_profile_name: "analyst" },
    refs: {
      domain_id: ["aws_sagemaker_domain.studio.id"],
      user_settings: [{ execution_role: ["aws_iam_role.train.arn"] }],
    },
  };
  const space: PlanResource = {
    address: "aws_sagemaker_space.shared",
    values: { space_name: "shared", tags: PERSONAL },
    refs: { domain_id: ["aws_sagemaker_domain.studio.id"] },
  };

  it("passes profiles and spaces of a VpcOnly domain", () => {
    expect(verdicts([...base(), studioRole, domain("VpcOnly"), profile, space])).toEqual([]);
  });

  it("reports profiles and spaces of a domain with public internet access", () => {
    expect(verdicts([...base(), studioRole, domain("PublicInternetOnly"), profile, space])).toEqual([
      `${PRIVATE} aws_sagemaker_space.shared`,
      `${PRIVATE} aws_sagemaker_user_profile.analyst`,
      `${PUBLIC} aws_sagemaker_space.shared`,
      `${PUBLIC} aws_sagemaker_user_profile.analyst`,
    ]);
  });

  it("fails closed when the domain is not in the document", () => {
    const orphan: PlanResource = {
      ...profile,
      values: { user_profile_name: "analyst", domain_id: "d-abc123" },
      refs: { user_settings: [{ execution_role: ["aws_iam_role.train.arn"] }] },
    };
    const resources = [...base(), orphan];
    expect(verdicts(resources)).toEqual([`${PRIVATE} aws_sagemaker_user_profile.analyst`]);
    expect(message(resources, PRIVATE, "aws_sagemaker_user_profile.analyst")).toContain("not in this document");
  });
});

describe("EMR Serverless applications", () => {
  const app = (vpc: boolean): PlanResource => ({
    address: "aws_emrserverless_application.features",
    values: {
      name: "features",
      release_label: "emr-7.2.0",
      type: "spark",
      tags: PERSONAL,
      ...(vpc ? { network_configuration: [{ subnet_ids: ["subnet-0a1"], security_group_ids: ["sg-1"] }] } : {}),
    },
    refs: vpc ? { network_configuration: [{ subnet_ids: ["aws_subnet.private.id"] }] } : {},
  });

  it("requires VPC subnets", () => {
    expect(verdicts([...base(), app(true)])).toEqual([]);
    expect(verdicts([...base(), app(false)])).toEqual([`${PRIVATE} aws_emrserverless_application.features`]);
  });
});

// ---------- isolation per SageMaker pipeline step ----------

describe("SageMaker pipeline isolation per step", () => {
  const step = (name: string, type: string, args: Record<string, unknown>) => ({
    Name: name,
    Type: type,
    Arguments: args,
  });
  const training = (isolated: boolean) =>
    step("Train", "Training", {
      AlgorithmSpecification: { TrainingImage: "pytorch-training:2.3", TrainingInputMode: "File" },
      RoleArn: "arn:aws:iam::123456789012:role/train-role",
      ResourceConfig: { InstanceCount: 2, InstanceType: "ml.g5.12xlarge", VolumeSizeInGB: 100 },
      VpcConfig: { Subnets: ["subnet-0a1"], SecurityGroupIds: ["sg-1"] },
      ...(isolated ? { EnableNetworkIsolation: true } : {}),
    });
  const processing = (config: Record<string, unknown> | null) =>
    step("Prepare", "Processing", {
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: "ml.m5.4xlarge", VolumeSizeInGB: 50 } },
      AppSpecification: { ImageUri: "sklearn:1.2" },
      RoleArn: "arn:aws:iam::123456789012:role/train-role",
      ...(config ? { NetworkConfig: config } : {}),
    });
  const pipeline = (steps: unknown[]): PlanResource => ({
    address: "aws_sagemaker_pipeline.finetune",
    values: {
      pipeline_name: "finetune",
      pipeline_display_name: "finetune",
      pipeline_definition: JSON.stringify({ Version: "2020-12-01", Parameters: [], Steps: steps }),
    },
    refs: { role_arn: ["aws_iam_role.train.arn"] },
  });
  const isolatedProcessing = {
    EnableNetworkIsolation: true,
    VpcConfig: { Subnets: ["subnet-0a1"], SecurityGroupIds: ["sg-1"] },
  };

  it("passes when every Training and Processing step is isolated in a VPC", () => {
    expect(verdicts([...base(), pipeline([processing(isolatedProcessing), training(true)])])).toEqual([]);
  });

  it("reports the one step that is not isolated, although another step is", () => {
    const resources = [...base(), pipeline([processing(null), training(true)])];
    expect(verdicts(resources)).toEqual([`${PRIVATE} aws_sagemaker_pipeline.finetune`]);
    const text = message(resources, PRIVATE, "aws_sagemaker_pipeline.finetune");
    expect(text).toContain(
      "runs pipeline step Prepare (Processing) where it is not placed in VPC subnets (VpcConfig) and network isolation is not enabled",
    );
    expect(text).not.toContain("step Train");
  });

  it("finds steps nested in a Condition step", () => {
    const condition = step("Gate", "Condition", { Conditions: [], IfSteps: [training(false)], ElseSteps: [] });
    const resources = [...base(), pipeline([processing(isolatedProcessing), condition])];
    expect(message(resources, PRIVATE, "aws_sagemaker_pipeline.finetune")).toContain("step Train (Training)");
  });

  it("fails closed on a definition it cannot read", () => {
    const p = pipeline([]);
    p.values = {
      pipeline_name: "finetune",
      pipeline_definition_s3_location: [{ bucket: "defs", object_key: "p.json" }],
    };
    expect(message([...base(), p], PRIVATE, "aws_sagemaker_pipeline.finetune")).toContain(
      "cannot be read at plan time",
    );
  });
});

// ---------- public paths ----------

describe("Elastic IPs and Auto Scaling groups", () => {
  const gpu = (): PlanResource => ({
    address: "aws_instance.trainer",
    values: { instance_type: "p4d.24xlarge", ami: "ami-0dl", associate_public_ip_address: false },
    refs: { subnet_id: ["aws_subnet.private.id"], iam_instance_profile: ["aws_iam_instance_profile.train.name"] },
  });
  const profile: PlanResource = {
    address: "aws_iam_instance_profile.train",
    values: { name: "train" },
    refs: { role: ["aws_iam_role.train.name"] },
  };

  it("reports an Elastic IP on a training instance", () => {
    expect(verdicts([...base(), profile, gpu()])).toEqual([]);
    const eip: PlanResource = {
      address: "aws_eip.trainer",
      values: { domain: "vpc" },
      refs: { instance: ["aws_instance.trainer.id"] },
    };
    expect(verdicts([...base(), profile, gpu(), eip])).toEqual([
      `${PRIVATE} aws_instance.trainer`,
      `${PUBLIC} aws_instance.trainer`,
    ]);
  });

  it("reports an Elastic IP association on a network interface attached to it", () => {
    const eni: PlanResource[] = [
      {
        address: "aws_network_interface.trainer",
        values: { private_ips: ["10.0.1.10"] },
        refs: { subnet_id: ["aws_subnet.private.id"] },
      },
      {
        address: "aws_network_interface_attachment.trainer",
        values: { device_index: 1 },
        refs: { instance_id: ["aws_instance.trainer.id"], network_interface_id: ["aws_network_interface.trainer.id"] },
      },
      { address: "aws_eip.spare", values: { domain: "vpc" } },
      {
        address: "aws_eip_association.trainer",
        values: {},
        refs: { allocation_id: ["aws_eip.spare.id"], network_interface_id: ["aws_network_interface.trainer.id"] },
      },
    ];
    const resources = [...base(), profile, gpu(), ...eni];
    expect(verdicts(resources)).toEqual([`${PRIVATE} aws_instance.trainer`, `${PUBLIC} aws_instance.trainer`]);
    expect(message(resources, PUBLIC, "aws_instance.trainer")).toContain("aws_eip_association.trainer");
  });

  const template = (): PlanResource => ({
    address: "aws_launch_template.gpu",
    values: { instance_type: "g6.12xlarge", image_id: "ami-0dl", name: "gpu" },
    refs: { iam_instance_profile: [{ name: ["aws_iam_instance_profile.train.name"] }] },
  });
  const group = (subnet: string): PlanResource => ({
    address: "aws_autoscaling_group.gpu",
    values: { max_size: 8, min_size: 0, vpc_zone_identifier: ["subnet-x"], launch_template: [{ version: "$Latest" }] },
    unknown: { vpc_zone_identifier: false },
    refs: { vpc_zone_identifier: [`${subnet}.id`], launch_template: [{ id: ["aws_launch_template.gpu.id"] }] },
  });

  it("judges a launch template with the subnets of its Auto Scaling group", () => {
    expect(verdicts([...base(), profile, template(), group("aws_subnet.private")])).toEqual([]);
    const resources = [...base(), profile, template(), group("aws_subnet.public")];
    expect(verdicts(resources)).toEqual([`${PRIVATE} aws_launch_template.gpu`, `${PUBLIC} aws_launch_template.gpu`]);
    expect(message(resources, PUBLIC, "aws_launch_template.gpu")).toContain(
      "is launched by Auto Scaling group aws_autoscaling_group.gpu into subnet aws_subnet.public",
    );
    // Without a group the template alone must turn public IPs off.
    expect(verdicts([...base(), profile, template()])).toEqual([`${PRIVATE} aws_launch_template.gpu`]);
  });

  it("judges a launch template of an EKS node group with the node group's subnets", () => {
    const lt: PlanResource = {
      address: "aws_launch_template.nodes",
      values: { instance_type: "p4d.24xlarge", image_id: "ami-0eksgpu", name: "nodes" },
      unknown: { user_data: true },
      refs: { user_data: ["aws_s3_bucket.data.bucket"] },
    };
    const nodes = (subnet: string): PlanResource => ({
      address: "aws_eks_node_group.gpu",
      values: {
        cluster_name: "train",
        node_group_name: "gpu",
        scaling_config: [{ desired_size: 2, max_size: 4, min_size: 0 }],
      },
      unknown: { subnet_ids: true },
      refs: {
        node_role_arn: ["aws_iam_role.train.arn"],
        subnet_ids: [`${subnet}.id`],
        launch_template: [{ id: ["aws_launch_template.nodes.id"] }],
      },
    });
    const onTemplate = (resources: PlanResource[]) =>
      verdicts(resources).filter((v) => v.endsWith("aws_launch_template.nodes"));
    expect(onTemplate([...base(), lt, nodes("aws_subnet.private")])).toEqual([]);
    expect(onTemplate([...base(), lt, nodes("aws_subnet.public")])).toEqual([
      `${PRIVATE} aws_launch_template.nodes`,
      `${PUBLIC} aws_launch_template.nodes`,
    ]);
  });
});

describe("links the reader finds by value (input.edges)", () => {
  it("places a user profile named by domain id in its domain's network", () => {
    const domain: PlanResource = {
      address: "aws_sagemaker_domain.studio",
      values: { domain_name: "studio", auth_mode: "IAM", app_network_access_type: "PublicInternetOnly" },
      refs: { vpc_id: ["aws_vpc.main.id"] },
    };
    const profile: PlanResource = {
      address: "aws_sagemaker_user_profile.analyst",
      values: { user_profile_name: "analyst", domain_id: "d-abc123" },
      refs: { user_settings: [{ execution_role: ["aws_iam_role.train.arn"] }] },
    };
    const input = planInput([...base(), domain, profile]);
    const before = guard.evaluate(input, "kr-localization").findings.find((f) => f.rule === PRIVATE)!;
    expect(before.message).toContain("not in this document");
    // The edge the reader adds when `domain_id` equals the domain's id.
    // (`edges` is added to the input type by the reader's data-access graph work.)
    // The reader's edge list holds every reference too (docs/data-access-graph.md): add to it.
    const withEdges = input as unknown as { edges?: unknown[] };
    withEdges.edges = [
      ...(withEdges.edges ?? []),
      {
        from: "aws_sagemaker_user_profile.analyst",
        to: "aws_sagemaker_domain.studio",
        attribute: "domain_id",
        how: "id",
      },
    ];
    const after = guard
      .evaluate(input, "kr-localization")
      .findings.filter((f) => f.address === "aws_sagemaker_user_profile.analyst");
    expect(after.map((f) => f.rule).sort()).toEqual([PRIVATE, PUBLIC]);
    expect(after.find((f) => f.rule === PRIVATE)!.message).toContain(
      "aws_sagemaker_domain.studio, which is not VpcOnly",
    );
  });
});

// ---------- copies ----------

describe("copies across Regions", () => {
  it("reports an Aurora global database secondary outside Korea", () => {
    const global: PlanResource = {
      address: "aws_rds_global_cluster.members",
      values: { global_cluster_identifier: "members", engine: "aurora-postgresql", storage_encrypted: true },
    };
    const primary: PlanResource = {
      address: "aws_rds_cluster.primary",
      values: { cluster_identifier: "members-kr", engine: "aurora-postgresql", tags: PERSONAL },
      refs: { global_cluster_identifier: ["aws_rds_global_cluster.members.id"] },
    };
    const secondary = (provider: string): PlanResource => ({
      address: "aws_rds_cluster.secondary",
      provider,
      values: { cluster_identifier: "members-dr", engine: "aurora-postgresql" },
      refs: { global_cluster_identifier: ["aws_rds_global_cluster.members.id"] },
    });
    const abroad = [global, primary, secondary("aws.us")];
    expect(verdicts(abroad)).toEqual([`${COPY} aws_rds_cluster.secondary`]);
    const f = judge(abroad).findings.find((x) => x.rule === COPY)!;
    expect(f.lineage.map((s) => s.address)).toEqual([
      "aws_rds_cluster.secondary",
      "aws_rds_global_cluster.members",
      "aws_rds_cluster.primary",
    ]);
    expect(verdicts([global, primary, secondary("aws")])).toEqual([]);
  });

  it("reports a secondary of a global database made from an existing personal cluster", () => {
    const existing: PlanResource = {
      address: "aws_rds_cluster.members",
      action: "no-op",
      values: { cluster_identifier: "members", engine: "aurora-mysql", tags: PERSONAL },
    };
    const global: PlanResource = {
      address: "aws_rds_global_cluster.members",
      values: { global_cluster_identifier: "members-global", force_destroy: true },
      refs: { source_db_cluster_identifier: ["aws_rds_cluster.members.arn"] },
    };
    const secondary: PlanResource = {
      address: "aws_rds_cluster.tokyo",
      provider: "aws.tokyo",
      values: { cluster_identifier: "members-tokyo", engine: "aurora-mysql" },
      refs: { global_cluster_identifier: ["aws_rds_global_cluster.members.id"] },
    };
    const regions = { aws: "ap-northeast-2", "aws.tokyo": "ap-northeast-1" };
    const r = guard.evaluate(planInput([existing, global, secondary], regions), "kr-localization");
    const copies = r.findings.filter((f) => f.rule === COPY);
    expect(copies.map((f) => f.address)).toEqual(["aws_rds_cluster.tokyo"]);
    expect(copies[0].message).toContain("in aws ap-northeast-1");
  });

  const plan = (vaultArn: string): PlanResource => ({
    address: "aws_backup_plan.daily",
    values: {
      name: "daily",
      rule: [
        {
          rule_name: "daily",
          target_vault_name: "primary",
          schedule: "cron(0 5 ? * * *)",
          copy_action: [{ destination_vault_arn: vaultArn, lifecycle: [{ delete_after: 35 }] }],
        },
      ],
    },
  });
  const backupRole: PlanResource = { address: "aws_iam_role.backup", values: { name: "backup" } };
  const byTag = (tag: { key: string; value: string }): PlanResource => ({
    address: "aws_backup_selection.tagged",
    values: { name: "tagged", selection_tag: [{ type: "STRINGEQUALS", ...tag }] },
    refs: { plan_id: ["aws_backup_plan.daily.id"], iam_role_arn: ["aws_iam_role.backup.arn"] },
  });
  const US_VAULT = "arn:aws:backup:us-west-2:123456789012:backup-vault:dr";
  const KR_VAULT = "arn:aws:backup:ap-northeast-2:123456789012:backup-vault:second";

  it("reports a Backup plan that copies resources selected by a personal classification tag abroad", () => {
    const tagged = byTag({ key: "DataClassification", value: "personal" });
    expect(verdicts([backupRole, plan(US_VAULT), tagged])).toEqual([`${COPY} aws_backup_plan.daily`]);
    expect(verdicts([backupRole, plan(KR_VAULT), tagged])).toEqual([]);
    expect(verdicts([backupRole, plan(US_VAULT), byTag({ key: "DataClassification", value: "internal" })])).toEqual([]);
  });

  it("reports a Backup plan whose selection takes every resource of the Region", () => {
    const store: PlanResource = {
      address: "aws_efs_file_system.shared",
      values: { creation_token: "shared", tags: PERSONAL },
    };
    const all: PlanResource = {
      address: "aws_backup_selection.all",
      values: { name: "all", resources: ["*"] },
      refs: { plan_id: ["aws_backup_plan.daily.id"], iam_role_arn: ["aws_iam_role.backup.arn"] },
    };
    expect(verdicts([backupRole, store, plan(US_VAULT), all])).toEqual([`${COPY} aws_backup_plan.daily`]);
    expect(verdicts([backupRole, store, plan(KR_VAULT), all])).toEqual([]);
    const onlyTagged = {
      ...all,
      values: { ...all.values, selection_tag: [{ type: "STRINGEQUALS", key: "backup", value: "yes" }] },
    };
    expect(verdicts([backupRole, store, plan(US_VAULT), onlyTagged])).toEqual([]);
  });

  it("reports a Backup plan whose condition selects a personal store of the document by its tags", () => {
    const store: PlanResource = {
      address: "aws_dynamodb_table.profiles",
      values: { name: "profiles", hash_key: "id", tags: { ...PERSONAL, team: "ml-platform" } },
    };
    const byCondition: PlanResource = {
      address: "aws_backup_selection.team",
      values: {
        name: "team",
        resources: ["*"],
        condition: [
          {
            string_like: [{ key: "aws:ResourceTag/team", value: "ml-*" }],
            string_equals: [],
            string_not_equals: [],
            string_not_like: [],
          },
        ],
      },
      refs: { plan_id: ["aws_backup_plan.daily.id"], iam_role_arn: ["aws_iam_role.backup.arn"] },
    };
    const resources = [backupRole, store, plan(US_VAULT), byCondition];
    expect(verdicts(resources)).toEqual([`${COPY} aws_backup_plan.daily`]);
    const f = judge(resources).findings.find((x) => x.rule === COPY)!;
    expect(f.lineage.map((s) => s.address)).toEqual([
      "aws_backup_plan.daily",
      "aws_backup_selection.team",
      "aws_dynamodb_table.profiles",
    ]);
  });

  const cluster: PlanResource = {
    address: "aws_redshift_cluster.warehouse",
    values: { cluster_identifier: "warehouse", node_type: "ra3.xlplus", tags: PERSONAL },
  };

  it("reports Redshift snapshot copy to another Region", () => {
    const copy = (region: string): PlanResource => ({
      address: "aws_redshift_snapshot_copy.dr",
      values: { destination_region: region, retention_period: 7 },
      refs: { cluster_identifier: ["aws_redshift_cluster.warehouse.id"] },
    });
    expect(verdicts([cluster, copy("us-east-1")])).toEqual([`${COPY} aws_redshift_snapshot_copy.dr`]);
    const publicCluster = { ...cluster, values: { ...cluster.values, tags: { DataClassification: "public" } } };
    expect(verdicts([publicCluster, copy("us-east-1")])).toEqual([]);
  });

  it("reports EFS replication to another Region, by region or by Availability Zone", () => {
    const fs: PlanResource = {
      address: "aws_efs_file_system.shared",
      values: { creation_token: "shared", tags: PERSONAL },
    };
    const replication = (
      destination: Record<string, unknown>,
      unknown: Record<string, unknown> = {},
    ): PlanResource => ({
      address: "aws_efs_replication_configuration.dr",
      values: { destination: [destination] },
      unknown: { destination: [unknown] },
      refs: { source_file_system_id: ["aws_efs_file_system.shared.id"] },
    });
    expect(verdicts([fs, replication({ region: "us-west-2" })])).toEqual([
      `${COPY} aws_efs_replication_configuration.dr`,
    ]);
    expect(verdicts([fs, replication({ availability_zone_name: "us-west-2b" }, { region: true })])).toEqual([
      `${COPY} aws_efs_replication_configuration.dr`,
    ]);
    expect(verdicts([fs, replication({ availability_zone_name: "ap-northeast-2a" }, { region: true })])).toEqual([]);
    expect(verdicts([fs, replication({ region: "ap-northeast-2" })])).toEqual([]);
    // Configured from something unknown until apply: cannot be shown to stay in Korea. (The
    // expression must be in the configuration: unknown and not configured is the provider's default.)
    const fromVariable: PlanResource = {
      ...replication({}, { region: true }),
      refs: {
        source_file_system_id: ["aws_efs_file_system.shared.id"],
        destination: [{ region: ["aws_efs_file_system.other.region"] }],
      },
    };
    expect(message([fs, fromVariable], COPY, "aws_efs_replication_configuration.dr")).toContain(
      "a Region unknown until apply",
    );
  });

  it("reports snapshot copies made abroad, through the snapshot to the personal volume or database", () => {
    const volume: PlanResource = {
      address: "aws_ebs_volume.scratch",
      values: { availability_zone: "ap-northeast-2a", size: 2000, type: "gp3", tags: PERSONAL },
    };
    const snapshot: PlanResource = {
      address: "aws_ebs_snapshot.scratch",
      refs: { volume_id: ["aws_ebs_volume.scratch.id"] },
    };
    const copy = (provider: string): PlanResource => ({
      address: "aws_ebs_snapshot_copy.dr",
      provider,
      values: { source_region: "ap-northeast-2", encrypted: true },
      refs: { source_snapshot_id: ["aws_ebs_snapshot.scratch.id"] },
    });
    const abroad = [volume, snapshot, copy("aws.us")];
    expect(verdicts(abroad)).toEqual([`${COPY} aws_ebs_snapshot_copy.dr`]);
    const f = judge(abroad).findings.find((x) => x.rule === COPY)!;
    expect(f.lineage.map((x) => x.address)).toEqual([
      "aws_ebs_snapshot_copy.dr",
      "aws_ebs_snapshot.scratch",
      "aws_ebs_volume.scratch",
    ]);
    expect(verdicts([volume, snapshot, copy("aws")])).toEqual([]);

    const db: PlanResource = {
      address: "aws_db_instance.members",
      values: { identifier: "members", engine: "postgres", tags: PERSONAL },
    };
    const dbSnap: PlanResource = {
      address: "aws_db_snapshot.members",
      values: { db_snapshot_identifier: "members-final" },
      refs: { db_instance_identifier: ["aws_db_instance.members.identifier"] },
    };
    const dbCopy = (destination?: string): PlanResource => ({
      address: "aws_db_snapshot_copy.members",
      values: {
        target_db_snapshot_identifier: "members-copy",
        ...(destination ? { destination_region: destination } : {}),
      },
      refs: { source_db_snapshot_identifier: ["aws_db_snapshot.members.db_snapshot_arn"] },
    });
    expect(verdicts([db, dbSnap, dbCopy("eu-central-1")])).toEqual([`${COPY} aws_db_snapshot_copy.members`]);
    expect(verdicts([db, dbSnap, dbCopy()])).toEqual([]);
  });

  it("reports a Data Lifecycle Manager policy that copies snapshots of personal volumes abroad", () => {
    const dlm = (targetTags: Record<string, string>, region: string): PlanResource => ({
      address: "aws_dlm_lifecycle_policy.daily",
      values: {
        description: "daily snapshots",
        state: "ENABLED",
        policy_details: [
          {
            resource_types: ["VOLUME"],
            target_tags: targetTags,
            schedule: [
              {
                name: "daily",
                create_rule: [{ interval: 24, interval_unit: "HOURS", times: ["03:00"] }],
                retain_rule: [{ count: 7 }],
                cross_region_copy_rule: [
                  { target: region, encrypted: true, retain_rule: [{ interval: 7, interval_unit: "DAYS" }] },
                ],
              },
            ],
          },
        ],
      },
      refs: { execution_role_arn: ["aws_iam_role.dlm.arn"] },
    });
    const dlmRole: PlanResource = { address: "aws_iam_role.dlm", values: { name: "dlm" } };
    const volume: PlanResource = {
      address: "aws_ebs_volume.features",
      values: { availability_zone: "ap-northeast-2a", size: 500, tags: { ...PERSONAL, snapshot: "daily" } },
    };
    expect(verdicts([dlmRole, volume, dlm({ snapshot: "daily" }, "us-west-2")])).toEqual([
      `${COPY} aws_dlm_lifecycle_policy.daily`,
    ]);
    expect(verdicts([dlmRole, dlm({ DataClassification: "personal" }, "us-west-2")])).toEqual([
      `${COPY} aws_dlm_lifecycle_policy.daily`,
    ]);
    expect(verdicts([dlmRole, volume, dlm({ snapshot: "daily" }, "ap-northeast-2")])).toEqual([]);
    expect(verdicts([dlmRole, volume, dlm({ snapshot: "weekly" }, "us-west-2")])).toEqual([]);
  });

  it("reports members of ElastiCache global datastores abroad", () => {
    const primary: PlanResource = {
      address: "aws_elasticache_replication_group.sessions",
      values: {
        replication_group_id: "sessions",
        description: "sessions",
        node_type: "cache.r7g.large",
        tags: PERSONAL,
      },
    };
    const global: PlanResource = {
      address: "aws_elasticache_global_replication_group.sessions",
      values: { global_replication_group_id_suffix: "sessions" },
      refs: { primary_replication_group_id: ["aws_elasticache_replication_group.sessions.id"] },
    };
    const secondary: PlanResource = {
      address: "aws_elasticache_replication_group.sessions_us",
      provider: "aws.us",
      values: { replication_group_id: "sessions-us", description: "sessions replica" },
      refs: {
        global_replication_group_id: ["aws_elasticache_global_replication_group.sessions.global_replication_group_id"],
      },
    };
    expect(verdicts([primary, global, secondary])).toEqual([`${COPY} aws_elasticache_replication_group.sessions_us`]);
    expect(verdicts([primary, global])).toEqual([]);
  });

  it("reports a DynamoDB export to a bucket abroad or to a bucket it cannot place", () => {
    const table: PlanResource = {
      address: "aws_dynamodb_table.profiles",
      values: { name: "profiles", hash_key: "id", tags: PERSONAL },
    };
    const bucket = (provider: string): PlanResource => ({
      address: "aws_s3_bucket.exports",
      provider,
      values: { bucket: "exports" },
    });
    const exp = (linked: boolean): PlanResource => ({
      address: "aws_dynamodb_table_export.profiles",
      values: { s3_bucket: "exports", export_format: "DYNAMODB_JSON" },
      refs: {
        table_arn: ["aws_dynamodb_table.profiles.arn"],
        ...(linked ? { s3_bucket: ["aws_s3_bucket.exports.id"] } : {}),
      },
    });
    expect(verdicts([table, bucket("aws.us"), exp(true)])).toEqual([`${COPY} aws_dynamodb_table_export.profiles`]);
    expect(verdicts([table, bucket("aws"), exp(true)])).toEqual([]);
    expect(message([table, exp(false)], COPY, "aws_dynamodb_table_export.profiles")).toContain("not in this document");
  });

  it("reports a DataSync task that copies a personal bucket to a bucket abroad", () => {
    const target = (provider: string): PlanResource => ({
      address: "aws_s3_bucket.target",
      provider,
      values: { bucket: "archive-target" },
    });
    const locations: PlanResource[] = [
      {
        address: "aws_datasync_location_s3.source",
        values: { subdirectory: "/train", s3_config: [{}] },
        refs: {
          s3_bucket_arn: ["aws_s3_bucket.data.arn"],
          s3_config: [{ bucket_access_role_arn: ["aws_iam_role.train.arn"] }],
        },
      },
      {
        address: "aws_datasync_location_s3.target",
        values: { subdirectory: "/", s3_config: [{}] },
        refs: {
          s3_bucket_arn: ["aws_s3_bucket.target.arn"],
          s3_config: [{ bucket_access_role_arn: ["aws_iam_role.train.arn"] }],
        },
      },
    ];
    const task: PlanResource = {
      address: "aws_datasync_task.archive",
      values: { name: "archive" },
      refs: {
        source_location_arn: ["aws_datasync_location_s3.source.arn"],
        destination_location_arn: ["aws_datasync_location_s3.target.arn"],
      },
    };
    const abroad = [...base(), target("aws.us"), ...locations, task];
    expect(verdicts(abroad)).toEqual([`${COPY} aws_datasync_task.archive`]);
    expect(message(abroad, COPY, "aws_datasync_task.archive")).toContain(
      "copies files to aws_s3_bucket.target in aws us-east-1",
    );
    expect(verdicts([...base(), target("aws"), ...locations, task])).toEqual([]);
    // A server outside AWS: the location's Region says nothing about where the files go.
    const external: PlanResource = {
      address: "aws_datasync_location_object_storage.onprem",
      values: { server_hostname: "minio.example.internal", bucket_name: "archive", server_protocol: "HTTPS" },
    };
    const toExternal: PlanResource = {
      ...task,
      refs: { ...task.refs, destination_location_arn: ["aws_datasync_location_object_storage.onprem.arn"] },
    };
    const resources = [...base(), ...locations, external, toExternal];
    expect(verdicts(resources)).toEqual([`${COPY} aws_datasync_task.archive`]);
    expect(message(resources, COPY, "aws_datasync_task.archive")).toContain("a server outside AWS");
  });
});

// ---------- Bedrock model ids at any depth ----------

describe("Bedrock cross-Region inference profiles at any depth", () => {
  const kb: PlanResource = {
    address: "aws_bedrockagent_knowledge_base.docs",
    values: { name: "docs", tags: PERSONAL },
    refs: { role_arn: ["aws_iam_role.train.arn"] },
  };
  const source = (modelArn: string): PlanResource => ({
    address: "aws_bedrockagent_data_source.docs",
    values: {
      name: "docs",
      data_source_configuration: [
        { type: "S3", s3_configuration: [{ bucket_arn: "arn:aws:s3:::kr-training-personal" }] },
      ],
      vector_ingestion_configuration: [
        {
          parsing_configuration: [
            {
              parsing_strategy: "BEDROCK_FOUNDATION_MODEL",
              bedrock_foundation_model_configuration: [{ model_arn: modelArn }],
            },
          ],
        },
      ],
    },
    refs: {
      knowledge_base_id: ["aws_bedrockagent_knowledge_base.docs.id"],
      data_source_configuration: [{ s3_configuration: [{ bucket_arn: ["aws_s3_bucket.data.arn"] }] }],
    },
  });

  it("finds an inference-profile ARN four blocks deep", () => {
    const cris =
      "arn:aws:bedrock:ap-northeast-2:123456789012:inference-profile/apac.anthropic.claude-3-5-sonnet-20241022-v2:0";
    const resources = [...base(), kb, source(cris)];
    expect(verdicts(resources)).toEqual([`${CRIS} aws_bedrockagent_data_source.docs`]);
    expect(message(resources, CRIS, "aws_bedrockagent_data_source.docs")).toContain(
      "vector_ingestion_configuration.0.parsing_configuration.0.bedrock_foundation_model_configuration.0.model_arn",
    );
    const inRegion = "arn:aws:bedrock:ap-northeast-2::foundation-model/anthropic.claude-3-5-sonnet-20241022-v2:0";
    expect(verdicts([...base(), kb, source(inRegion)])).toEqual([]);
  });

  it("finds a model id inside a state machine definition of a training workload", () => {
    const definition = {
      StartAt: "Label",
      States: {
        Label: {
          Type: "Task",
          Resource: "arn:aws:states:::bedrock:invokeModel",
          Parameters: { ModelId: "global.anthropic.claude-sonnet-4-20250514-v1:0", Body: { prompt: "label" } },
          Next: "Customize",
        },
        Customize: {
          Type: "Task",
          Resource: "arn:aws:states:::bedrock:createModelCustomizationJob.sync",
          Parameters: {
            BaseModelIdentifier: "amazon.titan-text-express-v1",
            RoleArn: "arn:aws:iam::123456789012:role/train-role",
            VpcConfig: { SubnetIds: ["subnet-0a1"], SecurityGroupIds: ["sg-1"] },
          },
          End: true,
        },
      },
    };
    const machine: PlanResource = {
      address: "aws_sfn_state_machine.customize",
      values: { name: "customize", definition: JSON.stringify(definition) },
      refs: { definition: ["aws_s3_bucket.data.bucket"] },
    };
    const resources = [...base(), machine];
    expect(verdicts(resources)).toEqual([`${CRIS} aws_sfn_state_machine.customize`]);
    expect(message(resources, CRIS, "aws_sfn_state_machine.customize")).toContain(
      "definition.States.Label.Parameters.ModelId = global.anthropic.",
    );
  });
});
