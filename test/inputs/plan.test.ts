// The plan reader on the reader's own plans: AWS provider aliases, module providers, variables,
// per-resource region, count/for_each pairing, module outputs and inputs, deletes, default tags,
// and Azure / Google / OCI locations.

import * as path from "node:path";
import { readInputPath, type GuardInput } from "../../src/inputs";
import { OWN_FIXTURES, refs, res } from "./helpers";

const read = (rel: string): GuardInput => readInputPath(path.join(OWN_FIXTURES, rel))[0];

describe("AWS plan with modules and provider aliases", () => {
  const doc = read("plans/aws-modules.json");

  it("reads the header", () => {
    expect(doc.source).toEqual({
      kind: "terraform-plan",
      file: path.join(OWN_FIXTURES, "plans/aws-modules.json"),
      stack: null,
      terraform_version: "1.9.8",
      format_version: "1.2",
    });
    // Plans show every module's resources.
    expect(doc.opaque_modules).toBeUndefined();
  });

  it("takes the default provider's region from the plan's variable value, not the declared default", () => {
    expect(res(doc, "aws_s3_bucket.train").location).toEqual({
      cloud: "aws",
      region: "ap-northeast-2",
      source: "variable",
      detail: 'provider "aws" (region = var.region = "ap-northeast-2")',
    });
  });

  it("uses an aliased provider", () => {
    const r = res(doc, "aws_s3_bucket.replica");
    expect(r.provider_config).toBe("aws.us");
    expect(r.location).toMatchObject({
      region: "us-east-1",
      source: "provider-config",
      detail: 'provider "aws.us" (region = "us-east-1")',
    });
  });

  it("prefers a configured per-resource region (AWS provider 6)", () => {
    expect(res(doc, "aws_s3_bucket.logs").location).toMatchObject({ region: "us-west-2", source: "resource-region" });
  });

  it("reports a configured region known only after apply as unknown-at-plan", () => {
    const r = res(doc, "aws_kms_key.dataset");
    expect(r.location).toMatchObject({ region: null, source: "unknown-at-plan" });
    expect(r.unknown).toContain("region");
    expect(refs(doc, "aws_kms_key.dataset")).toEqual(["region -> aws_s3_bucket.train"]);
  });

  it("follows providers passed to a module (normalised provider_config_key)", () => {
    const r = res(doc, "module.dataset.aws_s3_bucket.this");
    expect(r).toMatchObject({ module: "module.dataset", provider_config: "aws.us" });
    expect(r.location).toMatchObject({ region: "us-east-1", source: "provider-config" });
  });

  it("follows a provider block inside a module whose region comes through module variables", () => {
    const r = res(doc, "module.kr.aws_sagemaker_notebook_instance.nb");
    expect(r.provider_config).toBe("module.kr:aws");
    expect(r.location).toEqual({
      cloud: "aws",
      region: "ap-northeast-2",
      source: "variable",
      detail: 'provider "module.kr:aws" (region = module.kr.var.region = var.region = "ap-northeast-2")',
    });
  });

  it("resolves references through module input variables and outputs to the resource inside", () => {
    expect(refs(doc, "module.kr.aws_iam_policy.read")).toEqual(["policy -> module.dataset.aws_s3_bucket.this"]);
    expect(refs(doc, "module.kr.aws_sagemaker_notebook_instance.nb")).toEqual([
      "role_arn -> module.kr.aws_iam_policy.read",
    ]);
  });

  it("resolves a keyed module output to that module instance only", () => {
    expect(refs(doc, "aws_s3_bucket_policy.shard_a")).toEqual([
      'bucket -> module.shard["a"].aws_s3_bucket.this',
      "policy -> data.aws_iam_policy_document.read",
    ]);
  });

  it("pairs count.index references by instance key", () => {
    expect(refs(doc, "aws_s3_object.shard[0]")).toEqual(["bucket -> aws_s3_bucket.shards[0]"]);
    expect(refs(doc, "aws_s3_object.shard[1]")).toEqual(["bucket -> aws_s3_bucket.shards[1]"]);
  });

  it("records nested block paths without indices", () => {
    expect(refs(doc, "aws_s3_bucket_replication_configuration.train")).toEqual([
      "bucket -> aws_s3_bucket.train",
      "rule.destination.bucket -> aws_s3_bucket.replica",
    ]);
    expect(res(doc, "aws_s3_bucket_replication_configuration.train").unknown).toContain("rule.0.destination.0.bucket");
  });

  it("reads for_each instances with string keys", () => {
    const a = res(doc, 'aws_instance.gpu["a"]');
    expect(a).toMatchObject({ index: "a", name: "gpu", type: "aws_instance" });
    expect(a.tags).toEqual({ Name: "gpu-a", Owner: "ml-platform" });
    expect(refs(doc, 'aws_instance.gpu["b"]')).toEqual(["iam_instance_profile -> aws_s3_bucket.train"]);
  });

  it("maps actions: replace, delete (values from before), no-op after a move, deferred read", () => {
    expect(res(doc, "aws_instance.web").action).toBe("replace");
    const legacy = res(doc, "aws_s3_bucket.legacy");
    expect(legacy.action).toBe("delete");
    expect(legacy.values.bucket).toBe("legacy-train");
    expect(legacy.location).toMatchObject({ region: "us-east-1", source: "resource-region" });
    expect(res(doc, "aws_s3_bucket.archive")).toMatchObject({
      action: "no-op",
      previous_address: "aws_s3_bucket.old_archive",
    });
    expect(res(doc, "data.aws_iam_policy_document.read").action).toBe("read");
    expect(refs(doc, "data.aws_iam_policy_document.read")).toEqual(["statement.0.resources -> aws_s3_bucket.train"]);
  });

  it("includes data sources read while planning (prior_state only)", () => {
    const r = res(doc, "data.aws_caller_identity.current");
    expect(r).toMatchObject({ mode: "data", action: "read", tags: {} });
    expect(r.values.account_id).toBe("123456789012");
  });

  it("uses tags_all when known, else provider default tags merged with tags", () => {
    expect(res(doc, "aws_s3_bucket.train").tags).toEqual({ DataClassification: "personal", Owner: "ml-platform" });
    expect(res(doc, "aws_s3_bucket.logs").unknown).toContain("tags_all");
    expect(res(doc, "aws_s3_bucket.logs").tags).toEqual({ Owner: "ml-platform", Team: "ml" });
    expect(res(doc, "aws_s3_bucket.replica").tags).toEqual({});
    // Not taggable (no tags_all): provider default tags do not apply.
    expect(res(doc, "aws_s3_bucket_policy.shard_a").tags).toEqual({});
  });

  it("merges planned_values into after and lists unknown paths", () => {
    const r = res(doc, "aws_s3_bucket.train");
    expect(r.values).toMatchObject({ bucket: "kr-train-personal", region: "ap-northeast-2" });
    expect(r.unknown).toEqual(expect.arrayContaining(["arn", "id", "bucket_region"]));
    expect(r.unknown).not.toContain("tags");
  });
});

describe("Azure, Google and OCI plan", () => {
  const doc = read("plans/azure-google-oci.json");
  const loc = (a: string) => res(doc, a).location;

  it("Azure location argument, normalised from its display name", () => {
    expect(loc("azurerm_resource_group.rg")).toEqual({
      cloud: "azure",
      region: "koreacentral",
      source: "resource-region",
      detail: 'resource argument location = "Korea Central"',
    });
    expect(loc("azurerm_storage_account.sa")).toMatchObject({ region: "koreacentral", source: "resource-region" });
    expect(refs(doc, "azurerm_storage_account.sa")).toEqual([
      "location -> azurerm_resource_group.rg",
      "resource_group_name -> azurerm_resource_group.rg",
    ]);
  });

  it("Azure resource without location is unresolved and says why", () => {
    expect(loc("azurerm_storage_container.c")).toMatchObject({ cloud: "azure", region: null, source: "unresolved" });
    expect(loc("azurerm_storage_container.c").detail).toContain("no location argument");
  });

  it("Google location, zone and provider region", () => {
    expect(loc("google_storage_bucket.b")).toMatchObject({
      cloud: "google",
      region: "asia-northeast3",
      source: "resource-region",
    });
    expect(loc("google_compute_instance.vm")).toMatchObject({ region: "us-central1", source: "resource-region" });
    expect(loc("google_vertex_ai_dataset.ds")).toEqual({
      cloud: "google",
      region: "asia-northeast3",
      source: "provider-config",
      detail: 'provider "google" (region = "asia-northeast3")',
    });
    expect(loc("google_pubsub_topic.eu")).toMatchObject({ region: "europe-west1", source: "provider-config" });
  });

  it("OCI provider region", () => {
    expect(loc("oci_objectstorage_bucket.b")).toEqual({
      cloud: "oci",
      region: "ap-seoul-1",
      source: "provider-config",
      detail: 'provider "oci" (region = "ap-seoul-1")',
    });
  });
});

describe("reference details", () => {
  const AWS = "registry.terraform.io/hashicorp/aws";
  const bucket = (i: number) => ({
    address: `aws_s3_bucket.data[${i}]`,
    mode: "managed",
    type: "aws_s3_bucket",
    name: "data",
    index: i,
    provider_name: AWS,
    change: { actions: ["create"], before: null, after: {}, after_unknown: {} },
  });
  const plan = {
    format_version: "1.2",
    resource_changes: [
      bucket(0),
      bucket(1),
      {
        address: "module.m.aws_iam_policy.p",
        module_address: "module.m",
        mode: "managed",
        type: "aws_iam_policy",
        name: "p",
        provider_name: AWS,
        change: { actions: ["create"], before: null, after: {}, after_unknown: {} },
      },
    ],
    configuration: {
      provider_config: {
        aws: { name: "aws", full_name: AWS, expressions: { region: { constant_value: "ap-northeast-2" } } },
      },
      root_module: {
        resources: [
          {
            address: "aws_s3_bucket.data",
            mode: "managed",
            type: "aws_s3_bucket",
            name: "data",
            provider_config_key: "aws",
          },
        ],
        module_calls: {
          m: {
            source: "./m",
            expressions: {
              arn: { references: ["aws_s3_bucket.data[1].arn", "aws_s3_bucket.data[1]", "aws_s3_bucket.data"] },
            },
            module: {
              // A pre-1.1 style key that is not in provider_config: the default provider is inherited from the root.
              resources: [
                {
                  address: "aws_iam_policy.p",
                  mode: "managed",
                  type: "aws_iam_policy",
                  name: "p",
                  provider_config_key: "m:aws",
                  expressions: { policy: { references: ["var.arn"] } },
                },
              ],
              variables: { arn: {} },
            },
          },
        },
      },
    },
  };
  const [doc] = readInputPath("-", { stdin: () => JSON.stringify(plan) });

  it("a keyed reference drops the bare containers Terraform lists beside it", () => {
    expect(refs(doc, "module.m.aws_iam_policy.p")).toEqual(["policy -> aws_s3_bucket.data[1]"]);
  });

  it("a module without its own provider configuration inherits the root default provider", () => {
    const r = res(doc, "module.m.aws_iam_policy.p");
    expect(r.provider_config).toBe("module.m:aws");
    expect(r.location).toEqual({
      cloud: "aws",
      region: "ap-northeast-2",
      source: "provider-config",
      detail: 'provider "aws" (inherited by "module.m:aws") (region = "ap-northeast-2")',
    });
  });
});

describe("location when the provider configuration does not say", () => {
  const AWS = "registry.terraform.io/hashicorp/aws";
  const bucket = (name: string, after: Record<string, unknown>, afterUnknown: Record<string, unknown>) => ({
    address: `aws_s3_bucket.${name}`,
    mode: "managed",
    type: "aws_s3_bucket",
    name,
    provider_name: AWS,
    change: { actions: ["create"], before: null, after, after_unknown: afterUnknown },
  });
  const cfg = (name: string) => ({
    address: `aws_s3_bucket.${name}`,
    mode: "managed",
    type: "aws_s3_bucket",
    name,
    provider_config_key: "aws",
  });
  const plan = {
    format_version: "1.2",
    resource_changes: [
      bucket("computed", { region: "ap-northeast-2" }, {}),
      bucket("later", {}, { region: true }),
      bucket("none", {}, {}),
    ],
    configuration: {
      // No region in the provider block: Terraform takes it from AWS_REGION or the profile.
      provider_config: { aws: { name: "aws", full_name: AWS } },
      root_module: { resources: [cfg("computed"), cfg("later"), cfg("none")] },
    },
  };
  const [doc] = readInputPath("-", { stdin: () => JSON.stringify(plan) });

  it("uses the region the provider filled in while planning", () => {
    expect(res(doc, "aws_s3_bucket.computed").location).toEqual({
      cloud: "aws",
      region: "ap-northeast-2",
      source: "resource-region",
      detail:
        'planned attribute region = "ap-northeast-2" (not configured; filled in by the provider; provider "aws" has no region argument (Terraform would take it from the environment at apply time))',
    });
  });

  it("is unknown-at-plan when that attribute is unknown", () => {
    expect(res(doc, "aws_s3_bucket.later").location).toMatchObject({ region: null, source: "unknown-at-plan" });
  });

  it("is unresolved otherwise, saying why", () => {
    expect(res(doc, "aws_s3_bucket.none").location).toEqual({
      cloud: "aws",
      region: null,
      source: "unresolved",
      detail: 'provider "aws" has no region argument (Terraform would take it from the environment at apply time)',
    });
  });
});

describe("module provider that an older plan does not resolve", () => {
  const AWS = "registry.terraform.io/hashicorp/aws";
  const plan = {
    format_version: "1.0",
    terraform_version: "1.1.9",
    resource_changes: [
      {
        address: "module.m.aws_s3_bucket.b",
        module_address: "module.m",
        mode: "managed",
        type: "aws_s3_bucket",
        name: "b",
        provider_name: AWS,
        change: { actions: ["create"], before: null, after: {}, after_unknown: {} },
      },
    ],
    configuration: {
      provider_config: {
        aws: { name: "aws", expressions: { region: { constant_value: "ap-northeast-2" } } },
        "aws.us": { name: "aws", alias: "us", expressions: { region: { constant_value: "us-east-1" } } },
      },
      root_module: {
        module_calls: {
          m: {
            source: "./m",
            module: {
              resources: [
                {
                  address: "aws_s3_bucket.b",
                  mode: "managed",
                  type: "aws_s3_bucket",
                  name: "b",
                  provider_config_key: "m:aws",
                },
              ],
            },
          },
        },
      },
    },
  };

  it("is unresolved when the root also has aliases the call may have passed (fail closed)", () => {
    const [doc] = readInputPath("-", { stdin: () => JSON.stringify(plan) });
    expect(res(doc, "module.m.aws_s3_bucket.b").location).toEqual({
      cloud: "aws",
      region: null,
      source: "unresolved",
      detail:
        'provider configuration "module.m:aws" is not in the plan; the module inherits "aws" unless its call passed one of "aws.us", which this plan does not record',
    });
  });
});

describe("Terraform 0.12 prior_state quirks", () => {
  it("counted data sources without their key and module prefix get both back", () => {
    const ds = (index: number) => ({
      address: "data.null_data_source.d",
      mode: "data",
      type: "null_data_source",
      name: "d",
      index,
      provider_name: "null",
      values: { id: `static-${index}` },
    });
    const plan = {
      format_version: "0.1",
      terraform_version: "0.12.31",
      planned_values: { root_module: {} },
      prior_state: { values: { root_module: { child_modules: [{ address: "module.m", resources: [ds(0), ds(1)] }] } } },
    };
    const [doc] = readInputPath("-", { stdin: () => JSON.stringify(plan) });
    expect(Object.keys(doc.resources)).toEqual([
      "module.m.data.null_data_source.d[0]",
      "module.m.data.null_data_source.d[1]",
    ]);
    expect(res(doc, "module.m.data.null_data_source.d[1]")).toMatchObject({
      action: "read",
      index: 1,
      module: "module.m",
      values: { id: "static-1" },
    });
  });
});
