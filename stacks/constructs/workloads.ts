// Training workloads that consume a PersonalDataset. Each one wires real references (IAM
// policy on the bucket ARN, the training-data S3 URI from the bucket name) so the guard
// can trace the path from the workload to the personal data.

import { Construct } from "constructs";
import { BatchComputeEnvironment } from "@cdktf/provider-aws/lib/batch-compute-environment";
import { BatchJobDefinition } from "@cdktf/provider-aws/lib/batch-job-definition";
import { BatchJobQueue } from "@cdktf/provider-aws/lib/batch-job-queue";
import { BedrockCustomModel } from "@cdktf/provider-aws/lib/bedrock-custom-model";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SagemakerDomain } from "@cdktf/provider-aws/lib/sagemaker-domain";
import { SagemakerNotebookInstance } from "@cdktf/provider-aws/lib/sagemaker-notebook-instance";
import { placed, providerOnly, TAG, type PlacementProps } from "./common";
import type { TrainingNetwork } from "./networks";
import type { PersonalDataset } from "./personal-dataset";

/** Options of a TrainingRole. */
export interface TrainingRoleProps extends PlacementProps {
  /** Service principals allowed to assume the role, e.g. `ec2.amazonaws.com`. */
  readonly services: string[];
  /** Datasets the role may read; each grants s3:GetObject/ListBucket on the bucket ARN and kms:Decrypt on its key. */
  readonly datasets: PersonalDataset[];
  /** Extra managed policies, e.g. for EKS nodes. */
  readonly managedPolicyArns?: string[];
  readonly tags?: Record<string, string>;
}

/** An IAM role whose inline policy references each dataset bucket ARN and key ARN (the lineage edge). */
export class TrainingRole extends Construct {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: TrainingRoleProps) {
    super(scope, id);
    const provider = providerOnly(props);
    this.role = new IamRole(this, "role", {
      ...provider,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: props.services } }],
      }),
      managedPolicyArns: props.managedPolicyArns,
      tags: props.tags,
    });
    this.policy = new IamRolePolicy(this, "dataset-access", {
      ...provider,
      role: this.role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "ReadTrainingData",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:ListBucket"],
            Resource: props.datasets.flatMap((d) => [d.arn, `${d.arn}/*`]),
          },
          {
            Sid: "DecryptTrainingData",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: props.datasets.map((d) => d.key.arn),
          },
        ],
      }),
    });
  }

  get arn(): string {
    return this.role.arn;
  }
}

/** Common options of the workload constructs. */
export interface WorkloadProps extends PlacementProps {
  /** The dataset the workload trains on. */
  readonly dataset: PersonalDataset;
  /** Prefix of the training data inside the dataset bucket. */
  readonly trainingPrefix?: string;
  readonly tags?: Record<string, string>;
}

// Only the compute that trains carries Purpose=ai-training: the policies treat every resource
// with that tag as a training workload, so roles, keys, registries and queues must not.
function workloadTags(props: WorkloadProps): Record<string, string> {
  return { [TAG.purpose]: "ai-training", ...props.tags };
}

/** The role a workload's service assumes to read the workload's dataset (plus any extra datasets or policies). */
function datasetRole(
  scope: Construct,
  id: string,
  props: WorkloadProps,
  service: string,
  extra: Pick<TrainingRoleProps, "managedPolicyArns"> & { datasets?: PersonalDataset[] } = {},
): TrainingRole {
  return new TrainingRole(scope, id, {
    ...providerOnly(props),
    services: [service],
    datasets: extra.datasets ?? [props.dataset],
    managedPolicyArns: extra.managedPolicyArns,
    tags: props.tags,
  });
}

/** Options of a GpuTrainingFleet. */
export interface GpuTrainingFleetProps extends WorkloadProps {
  readonly network: TrainingNetwork;
  /** `dedicated` (single-tenant hardware) or `default` (shared). */
  readonly tenancy: "dedicated" | "default";
  /** Defaults to g5.12xlarge (offered in ap-northeast-2, us-east-1, us-west-2). */
  readonly instanceType?: string;
  readonly instanceCount?: number;
  /** Attach a public IPv4 address (anti-pattern; default false). */
  readonly associatePublicIp?: boolean;
}

/**
 * GPU EC2 training hosts with the given tenancy in the network's subnets, root volumes encrypted
 * with their own CMK (a key must be in the hosts' Region, which may differ from the dataset's).
 * Instances are configured directly rather than through a launch template: a template without
 * network interfaces leaves public-IP behaviour to the subnet, and one with them conflicts with
 * instance-level subnet settings.
 */
export class GpuTrainingFleet extends Construct {
  readonly instances: Instance[];
  readonly role: TrainingRole;
  readonly profile: IamInstanceProfile;
  readonly volumeKey: KmsKey;

  constructor(scope: Construct, id: string, props: GpuTrainingFleetProps) {
    super(scope, id);
    const where = placed(props);
    const tags = workloadTags(props);
    this.role = datasetRole(this, "role", props, "ec2.amazonaws.com");
    this.profile = new IamInstanceProfile(this, "profile", { ...providerOnly(props), role: this.role.role.name });
    this.volumeKey = new KmsKey(this, "volume-key", {
      ...where,
      description: `Root volumes of ${id}`,
      enableKeyRotation: true,
      tags: props.tags,
    });
    // The Deep Learning AMI id is resolved at plan time from the public SSM parameter of the Region.
    const ami = new DataAwsSsmParameter(this, "dlami", {
      ...where,
      name: "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id",
    });
    const trainingUri = props.dataset.s3Uri(props.trainingPrefix ?? "train/");
    this.instances = Array.from(
      { length: props.instanceCount ?? 1 },
      (_, i) =>
        new Instance(this, `host-${i}`, {
          ...where,
          ami: ami.value,
          instanceType: props.instanceType ?? "g5.12xlarge",
          tenancy: props.tenancy,
          subnetId: props.network.subnets[i % props.network.subnets.length].id,
          vpcSecurityGroupIds: [props.network.workloadSecurityGroup.id],
          associatePublicIpAddress: props.associatePublicIp ?? false,
          iamInstanceProfile: this.profile.name,
          metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
          rootBlockDevice: { encrypted: true, kmsKeyId: this.volumeKey.arn, volumeSize: 500, volumeType: "gp3" },
          userData: `#!/bin/bash\naws s3 sync ${trainingUri} /data/train\n`,
          tags: { ...tags, [TAG.trainingData]: trainingUri, Name: `${id}-${i}` },
        }),
    );
  }
}

/** Options of a BedrockFineTuning job. */
export interface BedrockFineTuningProps extends WorkloadProps {
  /** Base model id offered for fine-tuning in the job's Region, e.g. `amazon.nova-micro-v1:0:128k` in us-east-1. */
  readonly baseModelIdentifier: string;
  readonly customModelName: string;
  /** Bucket for the job output; the dataset bucket when omitted. */
  readonly outputDataset?: PersonalDataset;
  /** Run the job inside these subnets/security group (Bedrock VPC config). */
  readonly network?: TrainingNetwork;
  readonly hyperparameters?: Record<string, string>;
}

/** A Bedrock model customization (`aws_bedrock_custom_model`) whose training data is the dataset's S3 URI. */
export class BedrockFineTuning extends Construct {
  readonly model: BedrockCustomModel;
  readonly role: TrainingRole;

  constructor(scope: Construct, id: string, props: BedrockFineTuningProps) {
    super(scope, id);
    const where = placed(props);
    const tags = workloadTags(props);
    const output = props.outputDataset ?? props.dataset;
    this.role = datasetRole(this, "role", props, "bedrock.amazonaws.com", {
      datasets: output === props.dataset ? [props.dataset] : [props.dataset, output],
    });
    this.model = new BedrockCustomModel(this, "model", {
      ...where,
      baseModelIdentifier: props.baseModelIdentifier,
      customModelName: props.customModelName,
      jobName: `${props.customModelName}-job`,
      customizationType: "FINE_TUNING",
      roleArn: this.role.arn,
      customModelKmsKeyId: props.dataset.key.arn,
      hyperparameters: props.hyperparameters ?? { epochCount: "2", batchSize: "1", learningRate: "0.00001" },
      trainingDataConfig: [{ s3Uri: props.dataset.s3Uri(props.trainingPrefix ?? "train/data.jsonl") }],
      outputDataConfig: [{ s3Uri: output.s3Uri("bedrock-output/") }],
      vpcConfig: props.network
        ? [
            {
              subnetIds: props.network.subnets.map((s) => s.id),
              securityGroupIds: [props.network.workloadSecurityGroup.id],
            },
          ]
        : undefined,
      tags,
    });
  }
}

/** Options of a SageMakerNotebook. */
export interface SageMakerNotebookProps extends WorkloadProps {
  readonly network: TrainingNetwork;
  /** `Disabled` keeps traffic in the VPC; `Enabled` gives the notebook direct internet access. */
  readonly directInternetAccess: "Enabled" | "Disabled";
  readonly instanceType?: string;
  readonly name: string;
}

/** A SageMaker notebook instance in the network's first subnet, its volume encrypted with its own CMK in its Region. */
export class SageMakerNotebook extends Construct {
  readonly notebook: SagemakerNotebookInstance;
  readonly role: TrainingRole;
  readonly volumeKey: KmsKey;

  constructor(scope: Construct, id: string, props: SageMakerNotebookProps) {
    super(scope, id);
    const tags = workloadTags(props);
    this.role = datasetRole(this, "role", props, "sagemaker.amazonaws.com");
    // Own key: a KMS key must be in the notebook's Region, which may differ from the dataset's.
    this.volumeKey = new KmsKey(this, "volume-key", {
      ...placed(props),
      description: `Notebook volume key for ${props.name}`,
      enableKeyRotation: true,
      tags: props.tags,
    });
    this.notebook = new SagemakerNotebookInstance(this, "notebook", {
      ...placed(props),
      name: props.name,
      instanceType: props.instanceType ?? "ml.g5.xlarge",
      roleArn: this.role.arn,
      subnetId: props.network.subnets[0].id,
      securityGroups: [props.network.workloadSecurityGroup.id],
      directInternetAccess: props.directInternetAccess,
      rootAccess: props.directInternetAccess === "Enabled" ? "Enabled" : "Disabled",
      kmsKeyId: this.volumeKey.id,
      tags: { ...tags, [TAG.trainingData]: props.dataset.s3Uri(props.trainingPrefix ?? "train/") },
    });
  }
}

/** Options of a SageMakerStudioDomain. */
export interface SageMakerStudioDomainProps extends WorkloadProps {
  readonly network: TrainingNetwork;
  /** `VpcOnly` routes all Studio traffic through the VPC; `PublicInternetOnly` does not. */
  readonly appNetworkAccessType: "VpcOnly" | "PublicInternetOnly";
  readonly domainName: string;
}

/** A SageMaker Studio domain whose execution role reads the dataset. */
export class SageMakerStudioDomain extends Construct {
  readonly domain: SagemakerDomain;
  readonly role: TrainingRole;

  constructor(scope: Construct, id: string, props: SageMakerStudioDomainProps) {
    super(scope, id);
    const tags = workloadTags(props);
    this.role = datasetRole(this, "role", props, "sagemaker.amazonaws.com");
    this.domain = new SagemakerDomain(this, "domain", {
      ...placed(props),
      domainName: props.domainName,
      authMode: "IAM",
      vpcId: props.network.vpc.id,
      subnetIds: props.network.subnets.map((s) => s.id),
      appNetworkAccessType: props.appNetworkAccessType,
      kmsKeyId: props.dataset.key.arn,
      defaultUserSettings: {
        executionRole: this.role.arn,
        securityGroups: [props.network.workloadSecurityGroup.id],
      },
      tags,
    });
  }
}

/** Options of an EksGpuNodeGroup. */
export interface EksGpuNodeGroupProps extends WorkloadProps {
  readonly network: TrainingNetwork;
  readonly clusterName: string;
  /** Public API endpoint of the cluster (anti-pattern; default false). */
  readonly publicEndpoint?: boolean;
  readonly instanceTypes?: string[];
}

/** An EKS cluster with a GPU managed node group whose node role reads the dataset. */
export class EksGpuNodeGroup extends Construct {
  readonly cluster: EksCluster;
  readonly nodeGroup: EksNodeGroup;
  readonly nodeRole: TrainingRole;

  constructor(scope: Construct, id: string, props: EksGpuNodeGroupProps) {
    super(scope, id);
    const where = placed(props);
    const tags = workloadTags(props);
    const clusterRole = new IamRole(this, "cluster-role", {
      ...providerOnly(props),
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Principal: { Service: "eks.amazonaws.com" },
          },
        ],
      }),
      managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"],
    });
    this.nodeRole = datasetRole(this, "node-role", props, "ec2.amazonaws.com", {
      managedPolicyArns: [
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      ],
    });
    this.cluster = new EksCluster(this, "cluster", {
      ...where,
      name: props.clusterName,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: props.network.subnets.map((s) => s.id),
        endpointPrivateAccess: true,
        endpointPublicAccess: props.publicEndpoint ?? false,
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: props.dataset.key.arn } },
      tags: props.tags,
    });
    this.nodeGroup = new EksNodeGroup(this, "gpu-nodes", {
      ...where,
      clusterName: this.cluster.name,
      nodeRoleArn: this.nodeRole.arn,
      subnetIds: props.network.subnets.map((s) => s.id),
      amiType: "AL2023_x86_64_NVIDIA",
      instanceTypes: props.instanceTypes ?? ["g5.2xlarge"],
      scalingConfig: { minSize: 0, desiredSize: 1, maxSize: 4 },
      labels: { workload: "training" },
      tags: { ...tags, [TAG.trainingData]: props.dataset.s3Uri(props.trainingPrefix ?? "train/") },
    });
  }
}

/** Options of a BatchGpuTraining setup. */
export interface BatchGpuTrainingProps extends WorkloadProps {
  readonly network: TrainingNetwork;
  readonly name: string;
  readonly instanceTypes?: string[];
  /**
   * Also let the container instances' role read the dataset (a common shortcut: containers
   * fall back to the instance credentials). Default false: only the job role reads it.
   */
  readonly instanceRoleReadsDataset?: boolean;
}

/** An AWS Batch GPU compute environment, job queue and a container job definition reading the dataset. */
export class BatchGpuTraining extends Construct {
  readonly computeEnvironment: BatchComputeEnvironment;
  readonly jobQueue: BatchJobQueue;
  readonly jobDefinition: BatchJobDefinition;
  readonly jobRole: TrainingRole;
  readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: BatchGpuTrainingProps) {
    super(scope, id);
    const where = placed(props);
    const tags = workloadTags(props);
    const ecsInstancePolicy = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role";
    const instanceRole: IamRole = props.instanceRoleReadsDataset
      ? datasetRole(this, "instance-role", props, "ec2.amazonaws.com", { managedPolicyArns: [ecsInstancePolicy] }).role
      : new IamRole(this, "instance-role", {
          ...providerOnly(props),
          assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ec2.amazonaws.com" } }],
          }),
          managedPolicyArns: [ecsInstancePolicy],
        });
    const profile = new IamInstanceProfile(this, "instance-profile", {
      ...providerOnly(props),
      role: instanceRole.name,
    });
    this.jobRole = datasetRole(this, "job-role", props, "ecs-tasks.amazonaws.com");
    this.repository = new EcrRepository(this, "image", {
      ...where,
      name: `${props.name}-trainer`,
      imageTagMutability: "IMMUTABLE",
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: props.dataset.key.arn }],
      tags: props.tags,
    });
    this.computeEnvironment = new BatchComputeEnvironment(this, "gpu-compute", {
      ...where,
      name: `${props.name}-gpu`,
      type: "MANAGED",
      computeResources: {
        type: "EC2",
        instanceType: props.instanceTypes ?? ["g5.xlarge"],
        minVcpus: 0,
        maxVcpus: 64,
        subnets: props.network.subnets.map((s) => s.id),
        securityGroupIds: [props.network.workloadSecurityGroup.id],
        instanceRole: profile.arn,
        ec2Configuration: [{ imageType: "ECS_AL2_NVIDIA" }],
      },
      tags,
    });
    this.jobQueue = new BatchJobQueue(this, "queue", {
      ...where,
      name: `${props.name}-queue`,
      priority: 1,
      state: "ENABLED",
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: this.computeEnvironment.arn }],
      tags: props.tags,
    });
    const trainingUri = props.dataset.s3Uri(props.trainingPrefix ?? "train/");
    this.jobDefinition = new BatchJobDefinition(this, "job", {
      ...where,
      name: `${props.name}-train`,
      type: "container",
      platformCapabilities: ["EC2"],
      containerProperties: JSON.stringify({
        image: `${this.repository.repositoryUrl}:v1`,
        command: ["python", "train.py", "--data", trainingUri],
        jobRoleArn: this.jobRole.arn,
        resourceRequirements: [
          { type: "GPU", value: "1" },
          { type: "VCPU", value: "4" },
          { type: "MEMORY", value: "15000" },
        ],
        environment: [{ name: "TRAINING_DATA", value: trainingUri }],
      }),
      tags: { ...tags, [TAG.trainingData]: trainingUri },
    });
  }
}
