// The input document the policies judge: one shape for cdktf synth output, Terraform
// JSON configuration and `terraform show -json` plans. Versioned; documented in
// docs/input-document.md. The contract between src/inputs (reader) and policies/.

export const INPUT_SCHEMA_VERSION = "residency-guard/input/v1";

export type SourceKind = "terraform-plan" | "cdktf-synth" | "terraform-json";

export interface GuardInput {
  schema_version: typeof INPUT_SCHEMA_VERSION;
  source: {
    kind: SourceKind;
    /** The file the document was read from (as given by the user). */
    file: string;
    /** cdktf stack name, when known. */
    stack: string | null;
    terraform_version: string | null;
    format_version: string | null;
  };
  /** Every resource instance, keyed by its address (`input.resources[addr]`). */
  resources: Record<string, ResourceEntry>;
  /**
   * Optional (added by the reader; JSON configuration and cdktf only): module calls whose
   * resources this document cannot show. Empty when there are none; judge a plan to see inside.
   */
  opaque_modules?: OpaqueModule[];
}

/** A module call in a JSON configuration: its resources are not in the document. */
export interface OpaqueModule {
  /** `module.<name>`, the address references to it use. */
  address: string;
  /** The module's `source` as written, null when missing. */
  source: string | null;
  construct_path: string | null;
}

export type ChangeAction = "create" | "update" | "delete" | "replace" | "no-op" | "read" | "config";

export type Cloud = "aws" | "azure" | "google" | "oci" | "other";

/**
 * How a resource's location was found:
 * - resource-region: its own `region` argument (AWS provider 6) / `location` (Azure) / `region`|`location` (Google)
 * - provider-config: the region of the provider configuration it uses (alias, module provider, `provider` meta-argument)
 * - variable: the provider's region came from a variable value in the plan
 * - unknown-at-plan: the value is only known after apply
 * - unresolved: nothing states it (no region argument, provider without region, unparseable)
 */
export type LocationSource = "resource-region" | "provider-config" | "variable" | "unknown-at-plan" | "unresolved";

export interface ResolvedLocation {
  cloud: Cloud;
  /** Region or location name (`ap-northeast-2`, `koreacentral`, `asia-northeast3`); null when not resolved. */
  region: string | null;
  source: LocationSource;
  /** Human-readable how: e.g. `provider "aws.us" (region = "us-east-1")`. */
  detail: string;
}

export interface Reference {
  /** Dotted path of the attribute whose expression references the target, e.g. `rule.destination.bucket`. */
  attribute: string;
  /** Address of the referenced resource, resolved through modules (`module.data.aws_s3_bucket.train`). */
  address: string;
}

export interface ResourceEntry {
  /** As Terraform prints it: `module.a.aws_instance.b["k"]`; for cdktf JSON `type.logicalId`. */
  address: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  /** count/for_each key, null when none. */
  index: string | number | null;
  /** Module address, "" for the root module (`module.a.module.b`). */
  module: string;
  /** cdktf construct path (`stack/dataset/bucket`), null when not from cdktf. */
  construct_path: string | null;
  /** Provider configuration key as Terraform names it: `aws`, `aws.us`, `module.a:aws`. */
  provider_config: string;
  action: ChangeAction;
  /** Attribute values (the planned `after` values; the configured values for JSON configuration). */
  values: Record<string, unknown>;
  /** Dotted attribute paths whose values are unknown until apply (`arn`, `tags_all`, `rule.0.id`). */
  unknown: string[];
  /** Effective tags: `tags_all` when known, else provider default tags merged with `tags`. */
  tags: Record<string, string>;
  references: Reference[];
  location: ResolvedLocation;
  /** Where the resource is declared, when known (for SARIF): file path and optional line. */
  source_file: string | null;
  source_line: number | null;
  /** Optional (added by the reader): the address before a `moved` block renamed it (plans only). */
  previous_address?: string;
}
