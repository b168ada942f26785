// The example stacks, by the key RESIDENCY_GUARD_STACKS selects them with.

import type { Construct } from "constructs";
import type { TerraformStack } from "cdktf";
import { AliasAndRegionStack } from "./alias-and-region";
import { GlobalBurstStack } from "./global-burst";
import { KrSharedInternetStack } from "./kr-shared-internet";
import { KrSovereignTrainingStack } from "./kr-sovereign-training";
import { RiskBasedStack } from "./risk-based";

export { AliasAndRegionStack, GlobalBurstStack, KrSharedInternetStack, KrSovereignTrainingStack, RiskBasedStack };

/** Selection key -> stack factory. */
export const EXAMPLE_STACKS: Record<string, (scope: Construct) => TerraformStack> = {
  compliant: (s) => new KrSovereignTrainingStack(s),
  "global-burst": (s) => new GlobalBurstStack(s),
  "shared-tenancy": (s) => new KrSharedInternetStack(s),
  "risk-based": (s) => new RiskBasedStack(s),
  aliases: (s) => new AliasAndRegionStack(s),
};
