// Example 5: location comes from three places. The default provider is Seoul; a provider
// alias puts a dataset backup in Tokyo; per-resource `region = "us-east-1"` (AWS provider 6)
// moves a whole notebook network to N. Virginia while the provider still says Seoul.
// The notebook explores the Tokyo copy. Expected under kr-localization: the Seoul fleet passes;
// the us-east-1 notebook (location from its own region) and the Tokyo copy it uses (location
// from the provider alias) are flagged.

import type { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { GpuTrainingFleet, PersonalDataset, PrivateTrainingNetwork, SageMakerNotebook } from "../constructs";
import { awsProvider } from "./common";

/** Provider aliases and per-resource Regions in one stack. */
export class AliasAndRegionStack extends TerraformStack {
  readonly dataset: PersonalDataset;
  readonly tokyoBackup: PersonalDataset;
  readonly fleet: GpuTrainingFleet;
  readonly notebook: SageMakerNotebook;

  constructor(scope: Construct, id = "alias-and-region") {
    super(scope, id);
    awsProvider(this, "aws", "ap-northeast-2");
    const tokyo = awsProvider(this, "aws-tokyo", "ap-northeast-1", "tokyo");

    this.dataset = new PersonalDataset(this, "voice-samples", {
      bucketName: "acme-kr-voice-samples",
      purpose: "speech-model",
    });
    this.tokyoBackup = new PersonalDataset(this, "voice-samples-tokyo", {
      provider: tokyo,
      bucketName: "acme-jp-voice-samples-backup",
      purpose: "speech-model",
    });

    const seoulNetwork = new PrivateTrainingNetwork(this, "seoul-network", { regionName: "ap-northeast-2" });
    this.fleet = new GpuTrainingFleet(this, "seoul-gpu", {
      dataset: this.dataset,
      network: seoulNetwork,
      tenancy: "dedicated",
    });

    // SageMaker notebooks need a default-tenancy VPC, so this network is not dedicated.
    const usNetwork = new PrivateTrainingNetwork(this, "us-network", {
      region: "us-east-1",
      regionName: "us-east-1",
      instanceTenancy: "default",
      cidr: "10.50.0.0/16",
      interfaceEndpoints: ["sagemaker.api", "sagemaker.runtime"],
    });
    this.notebook = new SageMakerNotebook(this, "us-notebook", {
      region: "us-east-1",
      dataset: this.tokyoBackup,
      network: usNetwork,
      name: "voice-exploration",
      directInternetAccess: "Disabled",
    });
  }
}
