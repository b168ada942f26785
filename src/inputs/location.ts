// Cloud detection and the per-cloud location arguments shared by the plan and JSON readers.

import type { Cloud, ResolvedLocation } from "./types";

/** Maps a provider type (`aws`, `hashicorp/azurerm`, `registry.terraform.io/hashicorp/google`) to a cloud. */
export function cloudOfProvider(provider: string): Cloud {
  let cloud = cloudCache.get(provider);
  if (!cloud) {
    cloud = cloudOfType(provider.split("/").pop()!.split(".")[0].toLowerCase());
    cloudCache.set(provider, cloud);
  }
  return cloud;
}

const cloudCache = new Map<string, Cloud>();

function cloudOfType(type: string): Cloud {
  if (type === "aws" || type === "awscc") return "aws";
  if (type === "azurerm" || type === "azapi" || type === "azuread") return "azure";
  if (type === "google" || type === "google-beta") return "google";
  if (type === "oci") return "oci";
  return "other";
}

/** The provider local name implied by a resource type (`aws_s3_bucket` -> `aws`). */
export function impliedProvider(type: string): string {
  const i = type.indexOf("_");
  return i > 0 ? type.slice(0, i) : type;
}

/** Resource arguments that state where the resource lives, in the order they are consulted. */
export function resourceLocationArgs(cloud: Cloud): readonly string[] {
  return RESOURCE_ARGS[cloud];
}

/** Provider arguments that give the default location, in order. */
export function providerLocationArgs(cloud: Cloud): readonly string[] {
  return PROVIDER_ARGS[cloud];
}

// Constant lists: these are asked for several times per resource.
const RESOURCE_ARGS: Record<Cloud, readonly string[]> = {
  aws: ["region"],
  azure: ["location"],
  google: ["region", "location", "zone"],
  oci: [],
  other: ["region", "location"],
};

const PROVIDER_ARGS: Record<Cloud, readonly string[]> = {
  aws: ["region"],
  oci: ["region"],
  other: ["region"],
  google: ["region", "zone"],
  azure: [],
};

/**
 * Normalises a location value: Azure display names become names (`Korea Central` ->
 * `koreacentral`) and Google names are lower-cased and zones become their region (`asia-northeast3-a` -> `asia-northeast3`).
 */
export function normaliseRegion(cloud: Cloud, arg: string, value: string): string {
  if (cloud === "azure") return value.toLowerCase().replace(/\s+/g, "");
  if (cloud === "google") return (arg === "zone" ? value.replace(/-[a-z]$/, "") : value).toLowerCase();
  return value;
}

/** Builds an unresolved location. */
export function unresolved(cloud: Cloud, detail: string): ResolvedLocation {
  return { cloud, region: null, source: "unresolved", detail };
}

/** Why a provider cannot give a location, for the unresolved detail. */
export function noProviderRegionDetail(cloud: Cloud, providerKey: string): string {
  if (cloud === "azure")
    return `azure resources state their own location; this one has no location argument (provider "${providerKey}" has none)`;
  if (cloud === "other") return `provider "${providerKey}" has no region argument (not a cloud placement)`;
  return `provider "${providerKey}" has no region argument (Terraform would take it from the environment at apply time)`;
}
