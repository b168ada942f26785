// Example 3 (violating): in Seoul, but on shared infrastructure open to the internet:
// default tenancy, public subnets with public IPs, an internet gateway, a SageMaker notebook
// with direct internet access, an EKS GPU node group behind a public API endpoint, and AWS
// Batch GPU jobs whose container instances can read the data. All services are offered in
// ap-northeast-2.

import type { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import {
  BatchGpuTraining,
  EksGpuNodeGroup,
  GpuTrainingFleet,
  InternetFacingNetwork,
  PersonalDataset,
  SageMakerNotebook,
} from "../constructs";
import { awsProvider } from "./common";

/** Shared-tenancy, internet-facing training in Seoul. */
export class KrSharedInternetStack extends TerraformStack {
  readonly dataset: PersonalDataset;
  readonly network: InternetFacingNetwork;
  readonly fleet: GpuTrainingFleet;
  readonly notebook: SageMakerNotebook;
  readonly eks: EksGpuNodeGroup;
  readonly batch: BatchGpuTraining;

  constructor(scope: Construct, id = "kr-shared-internet") {
    super(scope, id);
    awsProvider(this, "aws", "ap-northeast-2");
    this.dataset = new PersonalDataset(this, "patient-notes", {
      bucketName: "acme-kr-patient-notes",
      classification: "sensitive-personal",
      purpose: "clinical-llm",
    });
    this.network = new InternetFacingNetwork(this, "network", { regionName: "ap-northeast-2" });
    this.fleet = new GpuTrainingFleet(this, "gpu-hosts", {
      dataset: this.dataset,
      network: this.network,
      tenancy: "default",
      instanceType: "g5.2xlarge",
      associatePublicIp: true,
    });
    this.notebook = new SageMakerNotebook(this, "notebook", {
      dataset: this.dataset,
      network: this.network,
      name: "clinical-exploration",
      directInternetAccess: "Enabled",
    });
    this.eks = new EksGpuNodeGroup(this, "eks", {
      dataset: this.dataset,
      network: this.network,
      clusterName: "clinical-training",
      publicEndpoint: true,
    });
    this.batch = new BatchGpuTraining(this, "batch", {
      dataset: this.dataset,
      network: this.network,
      name: "clinical",
      // The shortcut many teams take: container instances may read the dataset too.
      instanceRoleReadsDataset: true,
    });
  }
}
