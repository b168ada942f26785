// Example 2 (violating): the Seoul dataset is replicated to us-east-1 and a Bedrock
// fine-tuning job plus GPU hosts there train on it, "bursting" abroad for GPU capacity.
// Bedrock fine-tuning of Amazon Nova Micro is offered in us-east-1.

import type { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { BedrockFineTuning, GpuTrainingFleet, PersonalDataset, PrivateTrainingNetwork } from "../constructs";
import { awsProvider } from "./common";

/** Global burst: cross-border replication and training in us-east-1. */
export class GlobalBurstStack extends TerraformStack {
  readonly dataset: PersonalDataset;
  readonly replica: PersonalDataset;
  readonly bedrock: BedrockFineTuning;
  readonly fleet: GpuTrainingFleet;
  readonly replication: S3BucketReplicationConfigurationA;

  constructor(scope: Construct, id = "global-burst") {
    super(scope, id);
    awsProvider(this, "aws", "ap-northeast-2");
    const us = awsProvider(this, "aws-us-east-1", "us-east-1", "us_east_1");

    this.dataset = new PersonalDataset(this, "customer-chats", {
      bucketName: "acme-kr-customer-chats",
      purpose: "llm-fine-tuning",
    });
    this.replica = new PersonalDataset(this, "customer-chats-us", {
      provider: us,
      bucketName: "acme-us-customer-chats-replica",
      purpose: "llm-fine-tuning",
    });

    const replicationRole = new IamRole(this, "replication-role", {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "s3.amazonaws.com" } }],
      }),
    });
    new IamRolePolicy(this, "replication-policy", {
      role: replicationRole.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["s3:GetReplicationConfiguration", "s3:ListBucket", "s3:GetObjectVersionForReplication"],
            Resource: [this.dataset.arn, `${this.dataset.arn}/*`],
          },
          { Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete"], Resource: `${this.replica.arn}/*` },
          { Effect: "Allow", Action: ["kms:Decrypt"], Resource: this.dataset.key.arn },
          { Effect: "Allow", Action: ["kms:Encrypt"], Resource: this.replica.key.arn },
        ],
      }),
    });
    this.replication = new S3BucketReplicationConfigurationA(this, "replicate-abroad", {
      // S3 rejects replication until versioning is on at both ends.
      dependsOn: [this.dataset.versioning, this.replica.versioning],
      bucket: this.dataset.bucket.id,
      role: replicationRole.arn,
      rule: [
        {
          id: "burst-to-us-east-1",
          status: "Enabled",
          filter: { prefix: "train/" },
          deleteMarkerReplication: { status: "Disabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: {
            bucket: this.replica.arn,
            storageClass: "STANDARD",
            encryptionConfiguration: { replicaKmsKeyId: this.replica.key.arn },
          },
        },
      ],
    });

    this.bedrock = new BedrockFineTuning(this, "nova-fine-tune", {
      provider: us,
      dataset: this.replica,
      baseModelIdentifier: "amazon.nova-micro-v1:0:128k",
      customModelName: "acme-support-nova-micro",
      trainingPrefix: "train/data.jsonl",
    });

    const usNetwork = new PrivateTrainingNetwork(this, "us-network", {
      provider: us,
      regionName: "us-east-1",
      instanceTenancy: "default",
      cidr: "10.40.0.0/16",
    });
    this.fleet = new GpuTrainingFleet(this, "us-gpu-burst", {
      provider: us,
      dataset: this.dataset,
      network: usNetwork,
      tenancy: "default",
      instanceType: "g5.48xlarge",
      instanceCount: 2,
    });
  }
}
