// Example 4: location-neutral but strongly safeguarded, in us-west-2. Dedicated tenancy,
// private network with endpoints only, CMK encryption, TLS-only and logged dataset access.
// Expected: passes the risk-based profile, fails kr-localization (outside Korea).

import type { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { GpuTrainingFleet, PersonalDataset, PrivateTrainingNetwork } from "../constructs";
import { awsProvider } from "./common";

/** Safeguarded training in us-west-2. */
export class RiskBasedStack extends TerraformStack {
  readonly dataset: PersonalDataset;
  readonly network: PrivateTrainingNetwork;
  readonly fleet: GpuTrainingFleet;

  constructor(scope: Construct, id = "us-west-2-risk-based") {
    super(scope, id);
    awsProvider(this, "aws", "us-west-2");
    this.dataset = new PersonalDataset(this, "customer-chats", {
      bucketName: "acme-usw2-customer-chats-training",
      purpose: "llm-fine-tuning",
    });
    this.network = new PrivateTrainingNetwork(this, "network", {
      regionName: "us-west-2",
      instanceTenancy: "dedicated",
    });
    this.fleet = new GpuTrainingFleet(this, "gpu-fleet", {
      dataset: this.dataset,
      network: this.network,
      tenancy: "dedicated",
      instanceType: "g5.12xlarge",
    });
  }
}
