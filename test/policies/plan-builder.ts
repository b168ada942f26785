// Builds `terraform show -json` plan documents (format 1.2, hashicorp/aws 6.x: provider-filled
// `region`, `after_unknown`, configuration expressions with references) from a compact list of
// resources, and reads them with the project's reader, so policy tests judge what a real plan gives.

import { fromTerraformJson } from "../../src/inputs";
import type { GuardInput } from "../../src/inputs/types";

/** One root-module resource of a plan. */
export interface PlanResource {
  address: string;
  /** Provider configuration key (`aws`, `aws.us`); `aws` when omitted. */
  provider?: string;
  /** Planned `after` values (known at plan). */
  values?: Record<string, unknown>;
  /** `after_unknown`: values known only after apply. */
  unknown?: Record<string, unknown>;
  /** Configuration expressions: attribute -> references, or nested blocks as arrays of objects. */
  refs?: Record<string, unknown>;
  action?: "create" | "no-op" | "update" | "delete";
}

const AWS = "registry.terraform.io/hashicorp/aws";

function expressions(refs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(refs)) {
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) {
      // Terraform lists the resource beside the attribute it reads.
      const extra = v.map((r) => r.split(".").slice(0, 2).join("."));
      out[k] = { references: [...new Set([...v, ...extra])] };
    } else if (Array.isArray(v)) {
      out[k] = v.map((b) => expressions(b as Record<string, unknown>));
    } else {
      out[k] = expressions(v as Record<string, unknown>);
    }
  }
  return out;
}

/** A plan JSON document; `regions` maps provider configuration keys to their region. */
export function planDoc(
  resources: PlanResource[],
  regions: Record<string, string> = { aws: "ap-northeast-2", "aws.us": "us-east-1" },
): Record<string, unknown> {
  const split = (address: string) => {
    const [type, name] = address.split(".");
    return { type, name, mode: "managed" as const };
  };
  const providerConfig: Record<string, unknown> = {};
  for (const [key, region] of Object.entries(regions)) {
    const [name, alias] = key.split(".");
    providerConfig[key] = {
      name,
      full_name: AWS,
      ...(alias ? { alias } : {}),
      expressions: { region: { constant_value: region } },
    };
  }
  const after = (r: PlanResource) => {
    const v: Record<string, unknown> = { region: regions[r.provider ?? "aws"], ...(r.values ?? {}) };
    if (v.tags && !v.tags_all) v.tags_all = v.tags;
    return v;
  };
  return {
    format_version: "1.2",
    terraform_version: "1.9.8",
    planned_values: {
      root_module: {
        resources: resources.map((r) => ({
          address: r.address,
          ...split(r.address),
          provider_name: AWS,
          schema_version: 0,
          values: after(r),
        })),
      },
    },
    resource_changes: resources.map((r) => ({
      address: r.address,
      ...split(r.address),
      provider_name: AWS,
      change: {
        actions: [r.action ?? "create"],
        before: r.action && r.action !== "create" ? after(r) : null,
        after: r.action === "delete" ? null : after(r),
        after_unknown: { id: true, arn: true, tags_all: false, ...(r.unknown ?? {}) },
      },
    })),
    configuration: {
      provider_config: providerConfig,
      root_module: {
        resources: resources.map((r) => ({
          address: r.address,
          ...split(r.address),
          provider_config_key: r.provider ?? "aws",
          expressions: expressions(r.refs ?? {}),
          schema_version: 0,
        })),
      },
    },
  };
}

/** The input document the reader makes of a plan built from `resources`. */
export function planInput(resources: PlanResource[], regions?: Record<string, string>): GuardInput {
  return fromTerraformJson(planDoc(resources, regions), { file: "catalogue-plan.json" });
}
