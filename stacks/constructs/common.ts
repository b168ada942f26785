// Placement options shared by every construct: which provider configuration (alias) and
// which per-resource `region` (AWS provider 6) its resources use.

import type { TerraformProvider } from "cdktf";

/** Where a construct's resources are placed; omitted fields fall back to the stack's default provider. */
export interface PlacementProps {
  /** Provider configuration to use, e.g. an aliased `AwsProvider` for another Region. */
  readonly provider?: TerraformProvider;
  /** Per-resource `region` argument (AWS provider 6.x); overrides the provider's Region. */
  readonly region?: string;
}

/** Meta-arguments for a regional AWS resource: only the keys that are set, so synth output stays minimal. */
export function placed(p: PlacementProps): { provider?: TerraformProvider; region?: string } {
  const out: { provider?: TerraformProvider; region?: string } = {};
  if (p.provider) out.provider = p.provider;
  if (p.region) out.region = p.region;
  return out;
}

/** Meta-arguments for a global AWS resource (IAM): a provider alias may apply, a region never does. */
export function providerOnly(p: PlacementProps): { provider?: TerraformProvider } {
  return p.provider ? { provider: p.provider } : {};
}

/** Tag keys the constructs write and the policies read (see policies/data). */
export const TAG = {
  classification: "DataClassification",
  purpose: "Purpose",
  trainingData: "TrainingData",
  tenancy: "Tenancy",
} as const;
