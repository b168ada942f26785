// cdktf output folders and Terraform JSON configuration: stacks, construct paths, provider
// aliases (arrays with alias), per-resource region, variables and locals, default tags,
// `${...}` references, Azure/Google locations, source lines.

import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../../src/core/errors";
import { readInputPath, readInputText, fromTerraformJson, type GuardInput } from "../../src/inputs";
import { OWN_FIXTURES, refs, res, thrown } from "./helpers";

const CDKTF_OUT = path.join(OWN_FIXTURES, "cdktf.out");

describe("cdktf output folder", () => {
  const docs = readInputPath(CDKTF_OUT);
  const training = docs.find((d) => d.source.stack === "training") as GuardInput;

  it("reads one document per stack listed in manifest.json", () => {
    expect(docs.map((d) => [d.source.stack, d.source.kind, d.source.file])).toEqual([
      ["serving", "cdktf-synth", path.join(CDKTF_OUT, "stacks/serving/cdk.tf.json")],
      ["training", "cdktf-synth", path.join(CDKTF_OUT, "stacks/training/cdk.tf.json")],
    ]);
    expect(training.source).toMatchObject({ terraform_version: null, format_version: null });
  });

  it("accepts the project folder holding cdktf.out and the manifest file itself", () => {
    expect(readInputPath(OWN_FIXTURES, { stacks: ["serving"] }).map((d) => d.source.stack)).toEqual(["serving"]);
    expect(readInputPath(path.join(CDKTF_OUT, "manifest.json")).length).toBe(2);
  });

  it("selects stacks and lists the available ones for an unknown name", () => {
    expect(readInputPath(CDKTF_OUT, { stacks: ["training"] }).map((d) => d.source.stack)).toEqual(["training"]);
    const err = thrown(() => readInputPath(CDKTF_OUT, { stacks: ["trainig"] }));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(
      `${path.join(CDKTF_OUT, "manifest.json")}: stacks: unknown stack "trainig"; available stacks: serving, training`,
    );
  });

  it("gives each resource its cdktf address, construct path, line and action config", () => {
    const b = res(training, "aws_s3_bucket.dataset_bucket_E90436DF");
    expect(b).toMatchObject({
      mode: "managed",
      type: "aws_s3_bucket",
      name: "dataset_bucket_E90436DF",
      index: null,
      module: "",
      construct_path: "training/dataset/bucket",
      provider_config: "aws",
      action: "config",
      source_file: path.join(CDKTF_OUT, "stacks/training/cdk.tf.json"),
      source_line: 95,
    });
    expect(b.values).toEqual({ bucket: "kr-train-personal", tags: { DataClassification: "personal" } });
    expect(res(training, "data.aws_iam_policy_document.read")).toMatchObject({
      mode: "data",
      source_line: 16,
      construct_path: "training/read",
    });
  });

  it("resolves the region through the provider's variable default and aliases", () => {
    expect(res(training, "aws_s3_bucket.dataset_bucket_E90436DF").location).toEqual({
      cloud: "aws",
      region: "ap-northeast-2",
      source: "variable",
      detail: 'provider "aws" (region = var.region (default) = "ap-northeast-2")',
    });
    expect(res(training, "aws_s3_bucket.replica")).toMatchObject({
      provider_config: "aws.us",
      location: { region: "us-east-1", source: "provider-config" },
    });
    expect(res(training, "aws_sagemaker_notebook_instance.notebook").location).toMatchObject({
      region: "us-west-2",
      source: "resource-region",
    });
  });

  it("extracts references from ${...} expressions, stripped to resource addresses", () => {
    expect(refs(training, "aws_s3_bucket_replication_configuration.replication")).toEqual([
      "bucket -> aws_s3_bucket.dataset_bucket_E90436DF",
      "role -> aws_iam_role.trainer_role",
      "rule.destination.bucket -> aws_s3_bucket.replica",
    ]);
    expect(refs(training, "aws_iam_role.trainer_role")).toEqual([
      "inline_policy.policy -> data.aws_iam_policy_document.read",
    ]);
    expect(refs(training, "data.aws_iam_policy_document.read")).toEqual([
      "statement.resources -> aws_s3_bucket.dataset_bucket_E90436DF",
    ]);
    expect(refs(training, "aws_s3_bucket.features_copy")).toEqual(["tags.Source -> module.features"]);
  });

  it("marks interpolated values unknown and merges default tags", () => {
    expect(res(training, "aws_s3_bucket_replication_configuration.replication").unknown).toEqual([
      "bucket",
      "role",
      "rule.0.destination.bucket",
    ]);
    expect(res(training, "aws_s3_bucket.dataset_bucket_E90436DF").tags).toEqual({
      Owner: "ml-platform",
      DataClassification: "personal",
    });
    expect(res(training, "data.aws_iam_policy_document.read").tags).toEqual({});
  });

  it("lists module calls whose resources the document cannot show", () => {
    expect(training.opaque_modules).toEqual([
      {
        address: "module.features",
        source: "terraform-aws-modules/s3-bucket/aws",
        construct_path: "training/features",
      },
    ]);
    expect(docs.find((d) => d.source.stack === "serving")!.opaque_modules).toEqual([]);
  });

  it("fails closed when a listed stack file is missing", () => {
    const dir = path.join(OWN_FIXTURES, "errors/missing-stack");
    const err = thrown(() => readInputPath(dir));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(
      `${path.join(dir, "manifest.json")}: stacks.training: stack "training" is listed in the manifest but its file stacks/training/cdk.tf.json is missing (run cdktf synth again)`,
    );
  });

  it("reads a single cdk.tf.json as a cdktf stack", () => {
    const [doc] = readInputPath(path.join(CDKTF_OUT, "stacks/serving/cdk.tf.json"));
    expect(doc.source).toMatchObject({ kind: "cdktf-synth", stack: "serving" });
    expect(res(doc, "aws_s3_bucket.models").location).toMatchObject({
      region: "ap-northeast-2",
      source: "provider-config",
    });
  });
});

describe("hand-written Terraform JSON configuration", () => {
  const file = path.join(OWN_FIXTURES, "config/multi-cloud.tf.json");
  const [doc] = readInputPath(file);
  const loc = (a: string) => res(doc, a).location;

  it("is a terraform-json document", () => {
    expect(doc.source).toEqual({
      kind: "terraform-json",
      file,
      stack: null,
      terraform_version: null,
      format_version: null,
    });
    expect(res(doc, "aws_s3_bucket.train")).toMatchObject({ construct_path: null, source_line: 33 });
  });

  it("resolves provider arrays with alias, `${aws.dr}` style provider references and variables", () => {
    expect(loc("aws_s3_bucket.train")).toMatchObject({ region: "ap-northeast-2", source: "variable" });
    expect(loc("aws_s3_bucket.replica")).toMatchObject({ region: "us-east-1", source: "provider-config" });
    expect(res(doc, "aws_s3_bucket.dr").provider_config).toBe("aws.dr");
    expect(loc("aws_s3_bucket.dr")).toEqual({
      cloud: "aws",
      region: null,
      source: "unresolved",
      detail: 'provider "aws.dr" region: var.dr_region has no default; its value is given at plan time',
    });
  });

  it("per-resource region, also through a local", () => {
    expect(loc("aws_s3_bucket.logs")).toEqual({
      cloud: "aws",
      region: "eu-west-1",
      source: "resource-region",
      detail: 'resource argument region = "eu-west-1"',
    });
    expect(loc("aws_s3_bucket.local_region")).toMatchObject({ region: "ap-northeast-2", source: "variable" });
    expect(loc("aws_s3_bucket.local_region").detail).toBe(
      'resource argument region = local.bucket_region = var.region (default) = "ap-northeast-2"',
    );
  });

  it("Azure location, also taken from the referenced resource group", () => {
    expect(loc("azurerm_resource_group.rg")).toMatchObject({
      cloud: "azure",
      region: "koreacentral",
      source: "resource-region",
    });
    expect(loc("azurerm_storage_account.sa")).toMatchObject({
      cloud: "azure",
      region: "koreacentral",
      source: "resource-region",
    });
    expect(loc("azurerm_storage_account.sa").detail).toContain("azurerm_resource_group.rg.location");
  });

  it("Google location, provider region and provider zone (google-beta under another local name)", () => {
    expect(loc("google_storage_bucket.b")).toMatchObject({
      cloud: "google",
      region: "asia-northeast3",
      source: "resource-region",
    });
    expect(loc("google_vertex_ai_dataset.ds")).toMatchObject({ region: "asia-northeast3", source: "provider-config" });
    expect(loc("google_compute_instance.beta_vm")).toMatchObject({
      cloud: "google",
      region: "us-central1",
      source: "provider-config",
    });
  });

  it("default tags with a local, merged under resource tags", () => {
    expect(res(doc, "aws_s3_bucket.train").tags).toEqual({
      Owner: "ml-platform",
      DataClassification: "personal",
      Dataset: "customers",
    });
  });

  it("lists the module call as opaque", () => {
    expect(doc.opaque_modules).toEqual([{ address: "module.roles", source: "./modules/roles", construct_path: null }]);
  });

  it("references: module calls, for expressions, escapes, meta-arguments", () => {
    expect(refs(doc, "aws_sagemaker_notebook_instance.nb")).toEqual([
      "role_arn -> module.roles",
      "lifecycle_config_name -> aws_s3_bucket.train",
    ]);
    // depends_on is ordering, not data flow; `$${aws:username}` is an escaped literal.
    expect(refs(doc, "aws_s3_bucket_replication_configuration.train")).toEqual([
      "bucket -> aws_s3_bucket.train",
      "rule.destination.bucket -> aws_s3_bucket.replica",
    ]);
    expect(res(doc, "data.aws_iam_policy_document.read").unknown).toEqual(["statement.0.resources.0"]);
    expect(res(doc, "aws_sagemaker_notebook_instance.nb").values).not.toHaveProperty("count");
  });
});

describe("JSON configuration edge cases", () => {
  it("no provider block: unresolved with the reason", () => {
    const [doc] = readInputText(
      JSON.stringify({ resource: { aws_s3_bucket: { b: { bucket: "x" } } } }),
      "main.tf.json",
    );
    expect(res(doc, "aws_s3_bucket.b").location).toEqual({
      cloud: "aws",
      region: null,
      source: "unresolved",
      detail: 'no provider "aws" block in this document (Terraform would take the region from the environment)',
    });
  });

  it("a provider region computed from a data source is left to the plan", () => {
    const doc = fromTerraformJson(
      {
        provider: { aws: { region: "${data.aws_region.current.name}" } },
        data: { aws_region: { current: {} } },
        resource: { aws_s3_bucket: { b: {} } },
      },
      { file: "x.tf.json" },
    );
    expect(res(doc, "aws_s3_bucket.b").location).toMatchObject({ source: "unresolved" });
    expect(res(doc, "aws_s3_bucket.b").location.detail).toContain("computed by Terraform at plan time");
  });

  it("an aliased provider that is not declared", () => {
    const doc = fromTerraformJson(
      { resource: { aws_s3_bucket: { b: { provider: "aws.kr" } } } },
      { file: "x.tf.json" },
    );
    expect(res(doc, "aws_s3_bucket.b").location.detail).toBe('provider "aws.kr" is not configured in this document');
  });

  it("a configuration with no resources is a valid empty document", () => {
    const doc = fromTerraformJson(
      { terraform: { required_providers: { aws: { source: "hashicorp/aws" } } } },
      { file: "versions.tf.json" },
    );
    expect(doc.resources).toEqual({});
  });

  it("resource blocks written as arrays are read", () => {
    const doc = fromTerraformJson(
      {
        provider: [{ aws: [{ region: "ap-northeast-2" }] }],
        resource: [{ aws_s3_bucket: [{ a: [{ bucket: "a" }] }] }],
      },
      { file: "arrays.tf.json" },
    );
    expect(res(doc, "aws_s3_bucket.a").location).toMatchObject({ region: "ap-northeast-2", source: "provider-config" });
  });
});

describe("stdin", () => {
  it("reads `-` through the injected stdin and names it <stdin>", () => {
    const [doc] = readInputPath("-", { stdin: () => JSON.stringify({ resource: { null_resource: { n: {} } } }) });
    expect(doc.source.file).toBe("<stdin>");
    expect(Object.keys(doc.resources)).toEqual(["null_resource.n"]);
  });

  it("rejects stack selection on stdin", () => {
    expect(() => readInputPath("-", { stacks: ["a"], stdin: () => "{}" })).toThrow(
      "<stdin>: stack selection needs a cdktf output folder, not stdin",
    );
  });
});

describe("plan made in a cdktf stack folder", () => {
  const dir = path.join(OWN_FIXTURES, "cdktf-plan");
  const [doc] = readInputPath(path.join(dir, "plan.json"));

  it("takes stack name, construct paths and source lines from the cdk.tf.json beside it", () => {
    expect(doc.source).toMatchObject({ kind: "terraform-plan", stack: "serving" });
    expect(res(doc, "aws_s3_bucket.models")).toMatchObject({
      action: "create",
      construct_path: "serving/models",
      source_file: path.join(dir, "cdk.tf.json"),
      source_line: 20,
      location: { region: "ap-northeast-2", source: "provider-config" },
    });
  });

  it("a plan read as text gets nothing added", () => {
    const [plain] = readInputText(fs.readFileSync(path.join(dir, "plan.json"), "utf8"), "plan.json");
    expect(plain.source.stack).toBeNull();
    expect(res(plain, "aws_s3_bucket.models")).toMatchObject({
      construct_path: null,
      source_file: null,
      source_line: null,
    });
  });
});
