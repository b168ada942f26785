// Example 1 (compliant): personal-data training kept in Seoul on private cloud infrastructure.
// Dedicated-tenancy VPC with no internet gateway, VPC endpoints, CMK encryption, and GPU EC2
// hosts on dedicated tenancy. No Bedrock customization: it is not offered in ap-northeast-2,
// and SageMaker jobs/notebooks are not used because they require default-tenancy VPCs.

import type { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { GpuTrainingFleet, PersonalDataset, PrivateTrainingNetwork } from "../constructs";
import { awsProvider } from "./common";

/** Seoul sovereign-training stack: passes both profiles. */
export class KrSovereignTrainingStack extends TerraformStack {
  readonly dataset: PersonalDataset;
  readonly network: PrivateTrainingNetwork;
  readonly fleet: GpuTrainingFleet;

  constructor(scope: Construct, id = "kr-sovereign-training") {
    super(scope, id);
    awsProvider(this, "aws", "ap-northeast-2");
    this.dataset = new PersonalDataset(this, "customer-chats", {
      bucketName: "acme-kr-customer-chats-training",
      classification: "personal",
      purpose: "llm-fine-tuning",
    });
    this.network = new PrivateTrainingNetwork(this, "network", {
      regionName: "ap-northeast-2",
      instanceTenancy: "dedicated",
    });
    this.fleet = new GpuTrainingFleet(this, "gpu-fleet", {
      dataset: this.dataset,
      network: this.network,
      tenancy: "dedicated",
      instanceType: "g5.12xlarge",
      instanceCount: 2,
    });
  }
}
