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
  /** Every link found between two nodes (resources of this document or external nodes); docs/data-access-graph.md. */
  edges: Edge[];
  /** Nodes named by this document that are not its resources, keyed by the `Edge.to` that names them. */
  external: Record<string, ExternalNode>;
  /** Statements of every IAM / resource policy document found in the input. */
  iam_statements: IamStatement[];
}

/** How a link between two nodes was found. */
export type EdgeHow = "reference" | "arn" | "s3-uri" | "name" | "id" | "cross-stack";

/** One link from the node that names to the node named. */
export interface Edge {
  /** Node key: a resource address of this document. */
  from: string;
  /** Node key: a resource address of this document, a key of `external`, or a reference target the document does not hold. */
  to: string;
  /** Dotted attribute path in `from` where the link was found (list indices kept for values, dropped for references). */
  attribute: string;
  how: EdgeHow;
  /** For links found inside an IAM policy document: index into `iam_statements`. */
  statement?: number;
  /** For statement links: the statement element that names the target (`not_resource`: NotResource). */
  part?: "resource" | "not_resource" | "principal" | "condition";
  /** Resource / NotResource links: true when the statement's patterns name the target and everything under it (bucket and objects). */
  whole?: boolean;
}

/** A node named by the input that is not one of its resources. */
export interface ExternalNode {
  key: string;
  kind: "arn" | "s3-uri" | "cross-stack";
  cloud: Cloud;
  /** ARN service (`s3`, `dynamodb`, `kms`, `bedrock`, ...). */
  service: string | null;
  /** ARN resource type (`table`, `key`, `foundation-model`, `role`); `bucket` for S3 buckets. */
  resource_type: string | null;
  name: string | null;
  /** True when the ARN is an IAM pattern with `*` or `?` in it (it may name many resources). */
  wildcard: boolean;
  /** From the ARN's region field, the other stack's resource, or unresolved (S3 and IAM ARNs carry none). */
  location: ResolvedLocation;
  /** cross-stack only: the producing stack's name. */
  stack?: string;
  /** cross-stack only: the producing stack's resource entry. */
  resource?: ResourceEntry;
}

/** One statement of an IAM identity or resource policy document. */
export interface IamStatement {
  /** Address of the resource holding the document. */
  policy: string;
  /** Where the document is: `policy`, `inline_policy.0.policy`, `json`, `statement.2`. */
  attribute: string;
  /** Position in `iam_statements`. */
  index: number;
  sid: string | null;
  /** null only when the statement is unresolved. */
  effect: "Allow" | "Deny" | null;
  /** As written (case kept); null when the statement uses NotAction or is unresolved. */
  actions: string[] | null;
  not_actions: string[] | null;
  /** As written; null when the statement uses NotResource or is unresolved. */
  resources: string[] | null;
  not_resources: string[] | null;
  /** `Principal` as written (`"*"`, `{AWS: [...]}`, `{Service: ...}`); null when absent. */
  principals: unknown;
  not_principals: unknown;
  has_condition: boolean;
  /** Why the document or statement could not be read; policies must fail closed on it. */
  unresolved: string | null;
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
  /**
   * Dotted attribute paths whose value the provider chooses: unknown at plan or null, with no
   * expression for them in the configuration (plans); written as null (JSON configuration).
   */
  defaults: string[];
  /** Optional (added by the reader): the address before a `moved` block renamed it (plans only). */
  previous_address?: string;
}
