// Container platforms for GPU training: EKS managed node groups with pod identity or IRSA, ECS
// task definitions with GPU requirements, AWS Batch GPU compute environments and job definitions,
// and launch templates behind Auto Scaling groups.

import { cat, fn, jsonencode, jsonencodeOf, lazy, ref, U, type PlanSpec, type Provider, type Res } from "../builder";
import {
  assume,
  aws,
  callerData,
  kmsKey,
  policyAttached,
  policyDoc,
  privateNetwork,
  R,
  role,
  s3Bucket,
  SEOUL,
  subnetIds,
} from "../kit";
import { fail, PASS, type Scenario } from "../scenario";

const ACCOUNT = "264517093388";

/** The personal dataset every stack here trains on (Seoul). */
function dataset(module?: string, classification = "personal"): Res[] {
  return [
    ...kmsKey("dataset", { module, alias: "alias/speech-dataset" }),
    ...s3Bucket("dataset", {
      module,
      bucket: "acme-speech-utterances-kr",
      tags: { DataClassification: classification, Dataset: "utterances" },
      kms: "aws_kms_key.dataset.arn",
      tls: "doc",
      logTo: "aws_s3_bucket.dataset_logs.id",
    }),
    ...s3Bucket("dataset_logs", {
      module,
      bucket: "acme-speech-utterances-logs",
      tags: { DataClassification: "internal" },
      kms: "AES256",
      versioning: false,
    }),
  ];
}

/** A read policy on the dataset bucket for a role, as policy document + managed policy + attachment. */
function datasetAccess(roleName: string, module?: string): Res[] {
  return [
    policyDoc(
      `${roleName}_dataset`,
      [
        {
          actions: ["s3:GetObject", "s3:ListBucket"],
          resources: [ref("aws_s3_bucket.dataset.arn"), cat(ref("aws_s3_bucket.dataset.arn"), "/*")],
        },
        { actions: ["kms:Decrypt"], resources: [ref("aws_kms_key.dataset.arn")] },
      ],
      { module },
    ),
    ...policyAttached(`${roleName}_dataset`, `${roleName}-dataset-read`, `${roleName}_dataset`, roleName, { module }),
  ];
}

interface EksOpts {
  region: string;
  /** both: IRSA for the trainer (dataset access) and pod identity for a log shipper (no data) on one cluster. */
  identity: "pod-identity" | "irsa" | "both";
  publicEndpoint?: boolean;
  publicCidrs?: string[];
  classification?: string;
}

/** An EKS cluster with a GPU managed node group; training pods get the dataset role. */
function eksTraining(o: EksOpts): PlanSpec {
  const remote = o.region !== SEOUL;
  const p = remote ? "aws.gpu" : undefined;
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...dataset(),
    ...privateNetwork("eks", { provider: p, region: o.region, cidr: "10.50.0.0/16" }),
    ...kmsKey("eks", { provider: p, alias: "alias/eks-secrets" }),
    role("cluster", "speech-training-cluster", assume("eks.amazonaws.com"), {
      managed: ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"],
    }),
    role("nodes", "speech-training-nodes", assume("ec2.amazonaws.com")),
    ...["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"].map((pol): Res => ({
      type: "aws_iam_role_policy_attachment",
      name: `nodes_${pol.replace(/^AmazonEKS_?|^AmazonEC2/, "").toLowerCase()}`,
      cfg: { role: ref("aws_iam_role.nodes.name"), policy_arn: `arn:aws:iam::aws:policy/${pol}` },
    })),
    {
      type: "aws_eks_cluster",
      name: "training",
      provider: p,
      cfg: {
        name: "speech-training",
        version: "1.31",
        role_arn: ref("aws_iam_role.cluster.arn"),
        vpc_config: [
          {
            subnet_ids: subnetIds("eks"),
            endpoint_private_access: true,
            endpoint_public_access: o.publicEndpoint ?? false,
            ...(o.publicEndpoint ? { public_access_cidrs: o.publicCidrs ?? ["0.0.0.0/0"] } : {}),
          },
        ],
        access_config: [{ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: true }],
        encryption_config: [{ resources: ["secrets"], provider: [{ key_arn: ref("aws_kms_key.eks.arn") }] }],
        enabled_cluster_log_types: ["api", "audit", "authenticator"],
      },
    },
    {
      type: "aws_launch_template",
      name: "gpu",
      provider: p,
      cfg: {
        name_prefix: "speech-gpu-",
        block_device_mappings: [
          {
            device_name: "/dev/xvda",
            ebs: [{ volume_size: 200, volume_type: "gp3", encrypted: "true", kms_key_id: ref("aws_kms_key.eks.arn") }],
          },
        ],
        metadata_options: [{ http_tokens: "required", http_put_response_hop_limit: 2 }],
      },
    },
    {
      type: "aws_eks_node_group",
      name: "gpu",
      provider: p,
      cfg: {
        cluster_name: ref("aws_eks_cluster.training.name"),
        node_group_name: "gpu-a10g",
        node_role_arn: ref("aws_iam_role.nodes.arn"),
        subnet_ids: subnetIds("eks"),
        ami_type: "AL2023_x86_64_NVIDIA",
        instance_types: ["g5.12xlarge"],
        capacity_type: "ON_DEMAND",
        scaling_config: [{ desired_size: 2, max_size: 8, min_size: 0 }],
        launch_template: [
          { id: ref("aws_launch_template.gpu.id"), version: ref("aws_launch_template.gpu.latest_version") },
        ],
        labels: { "nvidia.com/gpu.present": "true", workload: "training" },
        taint: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
      },
    },
  ];
  if (o.identity === "pod-identity") {
    resources.push(
      role("trainer", "speech-trainer-pod", assume("pods.eks.amazonaws.com")),
      ...datasetAccess("trainer"),
      {
        type: "aws_eks_addon",
        name: "pod_identity",
        provider: p,
        cfg: { cluster_name: ref("aws_eks_cluster.training.name"), addon_name: "eks-pod-identity-agent" },
      },
      {
        type: "aws_eks_pod_identity_association",
        name: "trainer",
        provider: p,
        cfg: {
          cluster_name: ref("aws_eks_cluster.training.name"),
          namespace: "training",
          service_account: "speech-trainer",
          role_arn: ref("aws_iam_role.trainer.arn"),
        },
      },
    );
  }
  if (o.identity === "both")
    resources.push(
      role("shipper", "speech-log-shipper-pod", assume("pods.eks.amazonaws.com"), {
        managed: ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"],
      }),
      {
        type: "aws_eks_addon",
        name: "pod_identity",
        provider: p,
        cfg: { cluster_name: ref("aws_eks_cluster.training.name"), addon_name: "eks-pod-identity-agent" },
      },
      {
        type: "aws_eks_pod_identity_association",
        name: "shipper",
        provider: p,
        cfg: {
          cluster_name: ref("aws_eks_cluster.training.name"),
          namespace: "observability",
          service_account: "log-shipper",
          role_arn: ref("aws_iam_role.shipper.arn"),
        },
      },
    );
  if (o.identity !== "pod-identity") {
    resources.push(
      {
        type: "aws_iam_openid_connect_provider",
        name: "eks",
        cfg: {
          url: ref("aws_eks_cluster.training.identity[0].oidc[0].issuer"),
          client_id_list: ["sts.amazonaws.com"],
        },
      },
      {
        type: "aws_iam_role",
        name: "trainer",
        cfg: {
          name: "speech-trainer-irsa",
          assume_role_policy: fn(
            U,
            "aws_iam_openid_connect_provider.eks.arn",
            "aws_iam_openid_connect_provider.eks.url",
          ),
        },
      },
      ...datasetAccess("trainer"),
    );
  }
  const providers: Provider[] = [aws(SEOUL, { defaultTags: { Product: "speech", ManagedBy: "terraform" } })];
  if (remote)
    providers.push(aws(o.region, { alias: "gpu", defaultTags: { Product: "speech", ManagedBy: "terraform" } }));
  return { providers, resources };
}

/** ECS on EC2 GPU capacity: a task definition with GPU resource requirements and a task role. */
function ecsTraining(o: { region: string }): PlanSpec {
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...dataset("module.data"),
    ...privateNetwork("ecs", { module: "module.training", region: o.region, cidr: "10.61.0.0/16" }),
    ...kmsKey("ecs", { module: "module.training", alias: "alias/ecs-training" }),
    role("task", "asr-finetune-task", assume("ecs-tasks.amazonaws.com"), { module: "module.training" }),
    role("execution", "asr-finetune-execution", assume("ecs-tasks.amazonaws.com"), {
      module: "module.training",
      managed: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
    }),
    {
      type: "aws_iam_role_policy",
      name: "task_dataset",
      module: "module.training",
      cfg: {
        name: "dataset",
        role: ref("aws_iam_role.task.id"),
        policy: fn(
          jsonencodeOf((_k, r) => {
            const arn = r("var.dataset_arn");
            return {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: ["s3:GetObject", "s3:ListBucket"],
                  Resource: [arn, arn === U ? U : `${arn as string}/*`],
                },
              ],
            };
          }),
          "var.dataset_arn",
          "var.dataset_arn",
        ),
      },
    },
    {
      type: "aws_ecs_cluster",
      name: "training",
      module: "module.training",
      cfg: {
        name: "asr-training",
        setting: [{ name: "containerInsights", value: "enabled" }],
        configuration: [{ managed_storage_configuration: [{ kms_key_id: ref("aws_kms_key.ecs.arn") }] }],
      },
    },
    {
      type: "aws_ecs_task_definition",
      name: "finetune",
      module: "module.training",
      cfg: {
        family: "asr-finetune",
        requires_compatibilities: ["EC2"],
        network_mode: "awsvpc",
        cpu: "16384",
        memory: "65536",
        task_role_arn: ref("aws_iam_role.task.arn"),
        execution_role_arn: ref("aws_iam_role.execution.arn"),
        container_definitions: fn(
          lazy((_k, r) =>
            jsonencode([
              {
                name: "trainer",
                image: `${ACCOUNT}.dkr.ecr.${o.region}.amazonaws.com/asr-trainer:2026.11.2`,
                essential: true,
                command: ["python", "train.py", "--data", `s3://${r("var.dataset_bucket") as string}/utterances/`],
                resourceRequirements: [{ type: "GPU", value: "4" }],
                logConfiguration: {
                  logDriver: "awslogs",
                  options: { "awslogs-group": "/ecs/asr-finetune", "awslogs-region": o.region },
                },
              },
            ]),
          ),
          "var.dataset_bucket",
        ),
      },
    },
    {
      type: "aws_ecs_service",
      name: "finetune",
      module: "module.training",
      cfg: {
        name: "asr-finetune-workers",
        cluster: ref("aws_ecs_cluster.training.id"),
        task_definition: ref("aws_ecs_task_definition.finetune.arn"),
        desired_count: 4,
        launch_type: "EC2",
        network_configuration: [
          {
            subnets: subnetIds("ecs"),
            security_groups: [ref("aws_security_group.ecs_training.id")],
            assign_public_ip: false,
          },
        ],
      },
    },
  ];
  return {
    variables: { region: { value: SEOUL }, training_region: { value: o.region } },
    providers: [
      aws(ref("var.region"), { defaultTags: { Product: "asr" } }),
      aws(ref("var.training_region"), { alias: "training", defaultTags: { Product: "asr" } }),
    ],
    modules: [
      {
        path: "module.data",
        source: "./modules/data",
        inputs: {},
        outputs: { bucket_arn: ref("aws_s3_bucket.dataset.arn"), bucket_name: ref("aws_s3_bucket.dataset.bucket") },
      },
      {
        path: "module.training",
        source: "./modules/ecs-gpu-training",
        inputs: { dataset_arn: ref("module.data.bucket_arn"), dataset_bucket: ref("module.data.bucket_name") },
      },
    ],
    resources: resources.map((r) =>
      r.module === "module.training" && !r.type.startsWith("aws_iam") ? { ...r, provider: "aws.training" } : r,
    ),
  };
}

/** AWS Batch: GPU compute environment, queue and a container job definition with a job role. */
function batchTraining(o: {
  region: string;
  classification?: string;
  /** Fargate capacity (no instances, launch template or GPU): awsvpc networking per job. */
  fargate?: "private" | "public-ip" | "private-unknown";
}): PlanSpec {
  if (o.fargate)
    return batchFargate({
      region: o.region,
      publicIp: o.fargate === "public-ip",
      knownRoles: o.fargate !== "private-unknown",
    });
  const p = o.region === SEOUL ? undefined : "aws.batch";
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...dataset(undefined, o.classification),
    ...privateNetwork("batch", { provider: p, region: o.region, cidr: "10.62.0.0/16" }),
    ...kmsKey("batch", { provider: p, alias: "alias/batch-volumes" }),
    role("instance", "batch-gpu-instance", assume("ec2.amazonaws.com"), {
      managed: ["arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"],
    }),
    {
      type: "aws_iam_instance_profile",
      name: "instance",
      cfg: { name: "batch-gpu-instance", role: ref("aws_iam_role.instance.name") },
    },
    role("job", "batch-asr-job", assume("ecs-tasks.amazonaws.com")),
    ...datasetAccess("job"),
    {
      type: "aws_launch_template",
      name: "batch",
      provider: p,
      cfg: {
        name: "batch-gpu",
        block_device_mappings: [
          {
            device_name: "/dev/xvda",
            ebs: [
              { volume_size: 500, volume_type: "gp3", encrypted: "true", kms_key_id: ref("aws_kms_key.batch.arn") },
            ],
          },
        ],
      },
    },
    {
      type: "aws_batch_compute_environment",
      name: "gpu",
      provider: p,
      cfg: {
        name: "asr-gpu",
        type: "MANAGED",
        compute_resources: [
          {
            type: "EC2",
            allocation_strategy: "BEST_FIT_PROGRESSIVE",
            instance_type: ["g5.12xlarge", "g5.24xlarge"],
            max_vcpus: 384,
            min_vcpus: 0,
            subnets: subnetIds("batch"),
            security_group_ids: [ref("aws_security_group.batch_training.id")],
            instance_role: ref("aws_iam_instance_profile.instance.arn"),
            launch_template: [{ launch_template_id: ref("aws_launch_template.batch.id"), version: "$Latest" }],
            ec2_configuration: [{ image_type: "ECS_AL2023_NVIDIA" }],
          },
        ],
      },
    },
    {
      type: "aws_batch_job_queue",
      name: "gpu",
      provider: p,
      cfg: {
        name: "asr-gpu",
        state: "ENABLED",
        priority: 10,
        compute_environment_order: [{ order: 1, compute_environment: ref("aws_batch_compute_environment.gpu.arn") }],
      },
    },
    {
      type: "aws_batch_job_definition",
      name: "finetune",
      provider: p,
      cfg: {
        name: "asr-finetune",
        type: "container",
        platform_capabilities: ["EC2"],
        container_properties: fn(
          lazy((_k, r) => {
            const roleArn = `arn:aws:iam::${r("data.aws_caller_identity.current.account_id") as string}:role/batch-asr-job`;
            return jsonencode({
              image: `${ACCOUNT}.dkr.ecr.${o.region}.amazonaws.com/asr-trainer:2026.11.2`,
              command: ["python", "train.py", "--data", "s3://acme-speech-utterances-kr/utterances/"],
              jobRoleArn: roleArn,
              resourceRequirements: [
                { type: "GPU", value: "4" },
                { type: "VCPU", value: "48" },
                { type: "MEMORY", value: "184320" },
              ],
            });
          }),
          "data.aws_caller_identity.current.account_id",
        ),
        retry_strategy: [{ attempts: 2 }],
      },
    },
  ];
  const providers: Provider[] = [aws(SEOUL)];
  if (p) providers.push(aws(o.region, { alias: "batch" }));
  return { providers, resources };
}

/** AWS Batch on Fargate: a CPU preprocessing/fine-tuning job with a job role and an execution role. */
function batchFargate(o: { region: string; publicIp: boolean; knownRoles?: boolean }): PlanSpec {
  const p = o.region === SEOUL ? undefined : "aws.batch";
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...dataset(),
    ...privateNetwork("batch", { provider: p, region: o.region, cidr: "10.64.0.0/16" }),
    role("job", "batch-tokenizer-job", assume("ecs-tasks.amazonaws.com")),
    ...datasetAccess("job"),
    role("execution", "batch-tokenizer-execution", assume("ecs-tasks.amazonaws.com"), {
      managed: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
    }),
    {
      type: "aws_batch_compute_environment",
      name: "fargate",
      provider: p,
      cfg: {
        name: "tokenizer-fargate",
        type: "MANAGED",
        compute_resources: [
          {
            type: "FARGATE",
            max_vcpus: 256,
            subnets: subnetIds("batch"),
            security_group_ids: [ref("aws_security_group.batch_training.id")],
          },
        ],
      },
    },
    {
      type: "aws_batch_job_queue",
      name: "fargate",
      provider: p,
      cfg: {
        name: "tokenizer",
        state: "ENABLED",
        priority: 1,
        compute_environment_order: [
          { order: 1, compute_environment: ref("aws_batch_compute_environment.fargate.arn") },
        ],
      },
    },
    {
      type: "aws_batch_job_definition",
      name: "tokenize",
      provider: p,
      cfg: {
        name: "utterance-tokenize",
        type: "container",
        platform_capabilities: ["FARGATE"],
        container_properties: fn(
          jsonencodeOf((_k, r) => ({
            image: `${ACCOUNT}.dkr.ecr.${o.region}.amazonaws.com/tokenizer:3.2.0`,
            command: ["python", "tokenize.py", "--data", "s3://acme-speech-utterances-kr/utterances/"],
            // Role ARNs built from the account and the role names are known at plan; the roles' own
            // `arn` attributes are not (new roles), which leaves the whole document unknown.
            jobRoleArn: o.knownRoles
              ? `arn:aws:iam::${r("data.aws_caller_identity.current.account_id") as string}:role/batch-tokenizer-job`
              : r("aws_iam_role.job.arn"),
            executionRoleArn: o.knownRoles
              ? `arn:aws:iam::${r("data.aws_caller_identity.current.account_id") as string}:role/batch-tokenizer-execution`
              : r("aws_iam_role.execution.arn"),
            fargatePlatformConfiguration: { platformVersion: "LATEST" },
            networkConfiguration: { assignPublicIp: o.publicIp ? "ENABLED" : "DISABLED" },
            resourceRequirements: [
              { type: "VCPU", value: "4" },
              { type: "MEMORY", value: "16384" },
            ],
          })),
          ...(o.knownRoles
            ? ["data.aws_caller_identity.current.account_id"]
            : ["aws_iam_role.job.arn", "aws_iam_role.execution.arn"]),
        ),
      },
    },
  ];
  const providers: Provider[] = [aws(SEOUL)];
  if (p) providers.push(aws(o.region, { alias: "batch" }));
  return { providers, resources };
}

/** A launch template (GPU) behind an Auto Scaling group in the given subnets. */
function asgTraining(o: { publicSubnets: boolean }): PlanSpec {
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...dataset(),
    ...privateNetwork("asg", { cidr: "10.63.0.0/16" }),
    ...kmsKey("asg", { alias: "alias/asg-volumes" }),
    role("worker", "distributed-trainer", assume("ec2.amazonaws.com")),
    ...datasetAccess("worker"),
    {
      type: "aws_iam_instance_profile",
      name: "worker",
      cfg: { name: "distributed-trainer", role: ref("aws_iam_role.worker.name") },
    },
  ];
  if (o.publicSubnets) {
    resources.push(
      { type: "aws_internet_gateway", name: "asg", cfg: { vpc_id: ref("aws_vpc.asg.id") } },
      {
        type: "aws_subnet",
        name: "public",
        count: 2,
        countExpr: fn(2, "local.azs"),
        cfg: {
          vpc_id: ref("aws_vpc.asg.id"),
          availability_zone: fn((k: number) => `${SEOUL}${["a", "c"][k]}`, "local.azs", "count.index"),
          cidr_block: fn((k: number) => `10.63.${100 + k}.0/24`, "aws_vpc.asg.cidr_block", "count.index"),
          map_public_ip_on_launch: true,
          tags: fn((k: number) => ({ Name: `asg-public-${k}` }), "count.index"),
        },
      },
    );
  }
  resources.push(
    {
      type: "aws_launch_template",
      name: "worker",
      cfg: {
        name: "distributed-trainer",
        image_id: "ami-0c9a7e5d2f1b34a67",
        instance_type: "p4d.24xlarge",
        iam_instance_profile: [{ arn: ref("aws_iam_instance_profile.worker.arn") }],
        vpc_security_group_ids: [ref("aws_security_group.asg_training.id")],
        block_device_mappings: [
          {
            device_name: "/dev/sda1",
            ebs: [{ volume_size: 1000, volume_type: "gp3", encrypted: "true", kms_key_id: ref("aws_kms_key.asg.arn") }],
          },
        ],
        metadata_options: [{ http_tokens: "required" }],
        tag_specifications: [{ resource_type: "instance", tags: { Name: "distributed-trainer" } }],
      },
    },
    {
      type: "aws_autoscaling_group",
      name: "workers",
      cfg: {
        name: "distributed-trainer",
        min_size: 0,
        max_size: 4,
        desired_capacity: 2,
        vpc_zone_identifier: o.publicSubnets ? fn([U, U], "aws_subnet.public") : subnetIds("asg"),
        launch_template: [{ id: ref("aws_launch_template.worker.id"), version: "$Latest" }],
        tag: [{ key: "Workload", value: "training", propagate_at_launch: true }],
      },
    },
  );
  return { providers: [aws(SEOUL, { defaultTags: { Product: "speech" } })], resources };
}

export const scenarios: Scenario[] = [
  {
    name: "eks-gpu-seoul-pod-identity-private",
    description:
      "EKS in Seoul with a private API endpoint, a g5 managed node group in private subnets with a CMK launch template, and an EKS Pod Identity association giving the trainer service account a role that reads the personal utterance bucket. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: eksTraining({ region: SEOUL, identity: "pod-identity" }),
  },
  {
    name: "eks-gpu-us-west-2-pod-identity",
    description:
      "The same cluster on a us-west-2 provider alias: the pod identity association (which names the cluster and the role, and is referenced by neither) is the only link from the GPU node group to the personal data. Personal-data training outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: eksTraining({ region: "us-west-2", identity: "pod-identity" }),
  },
  {
    name: "eks-gpu-seoul-public-endpoint",
    description:
      "Seoul cluster whose API endpoint is public (0.0.0.0/0) while its GPU nodes train on personal data: not private infrastructure and publicly reachable control plane.",
    expect: { "kr-localization": fail(R.PRIVATE, R.PUBLIC), "risk-based": fail(R.PUBLIC) },
    plan: eksTraining({ region: SEOUL, identity: "pod-identity", publicEndpoint: true }),
  },
  {
    name: "eks-gpu-us-east-1-irsa",
    description:
      "IRSA: an OIDC provider built from the cluster's issuer and a role whose trust policy names that provider; the role reads the personal bucket. The cluster and its GPU nodes are in us-east-1.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: eksTraining({ region: "us-east-1", identity: "irsa" }),
  },
  {
    name: "eks-gpu-seoul-irsa-private",
    description: "The IRSA variant in Seoul with a private endpoint. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: eksTraining({ region: SEOUL, identity: "irsa" }),
  },
  {
    name: "ecs-gpu-task-us-east-1-module",
    description:
      "Module training (provider aws.training = us-east-1 through a variable) defines an ECS task definition with GPU resource requirements whose task role reads the personal bucket of module data (ARN passed between modules). Personal-data training outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: ecsTraining({ region: "us-east-1" }),
  },
  {
    name: "ecs-gpu-task-seoul-module",
    description:
      "The ECS GPU training module with both providers in Seoul and CMK-encrypted managed storage. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: ecsTraining({ region: SEOUL }),
  },
  {
    name: "batch-gpu-seoul-job-role",
    description:
      "AWS Batch in Seoul: a g5 compute environment in private subnets with a CMK launch template, and a job definition whose jobRoleArn (built from the account id and role name) reads the personal bucket. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: batchTraining({ region: SEOUL }),
  },
  {
    name: "batch-gpu-ap-northeast-1-job-role",
    description:
      "The Batch stack on a Tokyo provider alias: the job definition's container properties name the role by ARN and the personal bucket by s3:// URI; the job trains outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: batchTraining({ region: "ap-northeast-1" }),
  },
  {
    name: "batch-gpu-ap-northeast-1-internal-data",
    description: "The Tokyo Batch stack training on a bucket classified internal: not personal data, nothing applies.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: batchTraining({ region: "ap-northeast-1", classification: "internal" }),
  },
  {
    name: "asg-p4d-launch-template-public-subnets",
    description:
      "A p4d launch template (no network_interfaces block) behind an Auto Scaling group whose vpc_zone_identifier are subnets with map_public_ip_on_launch = true and an internet gateway: the training hosts get public IPs. Judged with the ASG's subnets.",
    expect: { "kr-localization": fail(R.PRIVATE, R.PUBLIC), "risk-based": fail(R.PUBLIC) },
    plan: asgTraining({ publicSubnets: true }),
  },
  {
    name: "asg-p4d-launch-template-private-subnets",
    description:
      "The same launch template and ASG placed in private subnets (no public IP mapping, no internet gateway). The launch template has no network_interfaces block, so the subnets decide. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: asgTraining({ publicSubnets: false }),
  },
  {
    name: "eks-gpu-seoul-public-endpoint-corporate-cidr",
    description:
      "The Seoul cluster's API endpoint is public but restricted to the corporate range 203.0.113.0/24: still an internet-facing endpoint of a personal-data training platform.",
    expect: { "kr-localization": fail(R.PRIVATE, R.PUBLIC), "risk-based": fail(R.PUBLIC) },
    plan: eksTraining({
      region: SEOUL,
      identity: "pod-identity",
      publicEndpoint: true,
      publicCidrs: ["203.0.113.0/24"],
    }),
  },
  {
    name: "eks-gpu-ap-south-1-pod-identity",
    description: "The pod-identity training cluster on a Mumbai provider alias: personal-data training outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: eksTraining({ region: "ap-south-1", identity: "pod-identity" }),
  },
  {
    name: "batch-gpu-us-west-2-job-role",
    description:
      "The Batch GPU stack on a us-west-2 provider alias reading the personal utterances: personal-data training outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: batchTraining({ region: "us-west-2" }),
  },
  {
    name: "eks-irsa-and-pod-identity-us-west-2",
    description:
      "One us-west-2 cluster uses both mechanisms: IRSA for the trainer role that reads the personal utterances, pod identity for a log shipper with only CloudWatch permissions. The GPU node group can assume the IRSA role: personal-data training outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: eksTraining({ region: "us-west-2", identity: "both" }),
  },
  {
    name: "eks-irsa-and-pod-identity-seoul-private",
    description:
      "The same IRSA + pod identity cluster in Seoul with a private API endpoint and private subnets. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: eksTraining({ region: SEOUL, identity: "both" }),
  },
  {
    name: "batch-fargate-us-east-1-job-role",
    description:
      "AWS Batch on Fargate in us-east-1 (no GPUs, no instances to see) runs a job whose role reads the personal utterances: Batch compute is judged as a training workload, so personal data is processed for training outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: batchTraining({ region: "us-east-1", fargate: "private" }),
  },
  {
    name: "batch-fargate-seoul-public-ip",
    description:
      "Batch on Fargate in Seoul, but the job definition assigns public IPs to its tasks (assignPublicIp ENABLED) while reading personal data: not private infrastructure.",
    expect: { "kr-localization": fail(R.PRIVATE, R.PUBLIC), "risk-based": fail(R.PUBLIC) },
    plan: batchTraining({ region: SEOUL, fargate: "public-ip" }),
  },
  {
    name: "batch-fargate-seoul-private",
    description: "Batch on Fargate in Seoul private subnets without public IPs, reading personal data. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: batchTraining({ region: SEOUL, fargate: "private" }),
  },
  {
    name: "batch-fargate-seoul-network-unknown",
    description:
      "Batch on Fargate in Seoul reading personal data, whose container_properties is jsonencode over the new roles' ARNs: unknown at plan, so whether tasks get public IPs cannot be read. Fail closed (the guard cannot show the infrastructure is private).",
    expect: { "kr-localization": fail(R.PRIVATE, R.PUBLIC), "risk-based": fail(R.PUBLIC) },
    plan: batchTraining({ region: SEOUL, fargate: "private-unknown" }),
  },
];
