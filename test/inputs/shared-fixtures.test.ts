// Every real `terraform show -json` plan in the shared fixtures folder is read, with concrete
// expectations; invalid/plan.json and the state-only show.json are rejected.

import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../../src/core/errors";
import { readInputPath, type GuardInput } from "../../src/inputs";
import { describeIfShared } from "../helpers/shared";
import { jsonFilesUnder, refs, res, SHARED_FIXTURES, SHARED_FIXTURES_WHAT, thrown } from "./helpers";

const read = (rel: string): GuardInput => {
  const docs = readInputPath(path.join(SHARED_FIXTURES, rel));
  expect(docs).toHaveLength(1);
  expect(docs[0].source.kind).toBe("terraform-plan");
  expect(docs[0].source.file).toBe(path.join(SHARED_FIXTURES, rel));
  return docs[0];
};
const addresses = (doc: GuardInput): string[] => Object.keys(doc.resources).sort();
const actions = (doc: GuardInput): Record<string, string> =>
  Object.fromEntries(Object.values(doc.resources).map((r) => [r.address, r.action]));

// Each shared fixture must be listed here, so a new one cannot go unchecked.
const checks: Record<string, () => void> = {
  "013_module_depends_on/plan.json": () => {
    const doc = read("013_module_depends_on/plan.json");
    expect(doc.source.terraform_version).toBe("0.13.1");
    expect(actions(doc)).toEqual({
      "module.foo.data.null_data_source.data": "read",
      "module.foo.null_resource.resource": "create",
      "null_resource.bar": "create",
    });
    const data = res(doc, "module.foo.data.null_data_source.data");
    expect(data).toMatchObject({
      mode: "data",
      type: "null_data_source",
      name: "data",
      module: "module.foo",
      provider_config: "module.foo:null",
    });
    expect(data.values).toEqual({ inputs: { key: "foo" } });
    expect(data.unknown).toEqual(["has_computed_default", "id", "outputs", "random"]);
    // Module inputs are constants (variable defaults): no resource is referenced.
    expect(res(doc, "module.foo.null_resource.resource").references).toEqual([]);
    expect(res(doc, "null_resource.bar").location).toMatchObject({
      cloud: "other",
      region: null,
      source: "unresolved",
    });
  },
  "110_basic/plan.json": () => check110("110_basic/plan.json"),
  "110_sensitive_values/plan.json": () => check110("110_sensitive_values/plan.json"),
  "120_basic/plan.json": () => {
    const doc = read("120_basic/plan.json");
    expect(doc.source.format_version).toBe("1.1");
    // Terraform 1.2 points module resources at the root provider they inherit.
    expect(res(doc, "module.foo.null_resource.aliased").provider_config).toBe("null");
    expect(res(doc, "module.foo.null_resource.foo").provider_config).toBe("null");
    expect(res(doc, "module.foo.null_resource.foo").location.detail).toBe(
      'provider "null" has no region argument (not a cloud placement)',
    );
    expect(refs(doc, "null_resource.baz[2]")).toEqual(["triggers -> null_resource.foo"]);
  },
  "action_reason/plan.json": () => {
    const doc = read("action_reason/plan.json");
    expect(doc.source.terraform_version).toBe("1.15.0");
    const r = res(doc, "null_resource.example");
    expect(r.action).toBe("replace");
    expect(r.values).toEqual({ triggers: { name: "demo" } });
    expect(r.unknown).toEqual(["id"]);
  },
  "actions/plan.json": () => {
    // Well-formed plan with only an action invocation: zero resources is a valid, empty document.
    const doc = read("actions/plan.json");
    expect(doc.resources).toEqual({});
    expect(doc.source.format_version).toBe("1.2");
  },
  "basic/plan-0.15.json": () => {
    const doc = read("basic/plan-0.15.json");
    expect(doc.source.terraform_version).toBeNull();
    const r = res(doc, "test_instance.test");
    expect(r).toMatchObject({ action: "create", values: { ami: "boop" }, unknown: ["id"], provider_config: "test" });
    expect(r.location).toMatchObject({
      source: "unresolved",
      detail: 'provider configuration "test" is not in the plan\'s configuration',
    });
  },
  "basic/plan.json": () => {
    const doc = read("basic/plan.json");
    expect(addresses(doc)).toEqual([
      "data.null_data_source.baz",
      "module.foo.null_resource.aliased",
      "module.foo.null_resource.foo",
      "null_resource.bar",
      "null_resource.baz[0]",
      "null_resource.baz[1]",
      "null_resource.baz[2]",
      "null_resource.foo",
    ]);
    const data = res(doc, "data.null_data_source.baz");
    expect(data.action).toBe("read");
    expect(refs(doc, "data.null_data_source.baz")).toEqual([
      "inputs -> null_resource.foo",
      "inputs -> null_resource.bar",
    ]);
    expect(data.unknown).toContain("inputs.bar_id");
    // Terraform 0.12 keys module providers by module name (`foo:null.aliased`).
    expect(res(doc, "module.foo.null_resource.aliased").provider_config).toBe("module.foo:null.aliased");
    expect(res(doc, "module.foo.null_resource.aliased").location.detail).toBe(
      'provider "module.foo:null.aliased" has no region argument (not a cloud placement)',
    );
    expect(res(doc, "null_resource.baz[1]")).toMatchObject({ index: 1, name: "baz", module: "" });
  },
  "config_resource_depends_on/plan.json": () => {
    const doc = read("config_resource_depends_on/plan.json");
    expect(actions(doc)).toEqual({ "null_resource.bar": "replace", "null_resource.foo": "no-op" });
    // depends_on orders operations; it is not a data reference.
    expect(res(doc, "null_resource.bar").references).toEqual([]);
    expect(res(doc, "null_resource.foo").values).toEqual({ id: "4379128789376396166", triggers: null });
  },
  "deep_module/plan.json": () => {
    const doc = read("deep_module/plan.json");
    const r = res(doc, "module.foo.module.bar.null_resource.baz");
    expect(r).toMatchObject({
      module: "module.foo.module.bar",
      provider_config: "module.foo.module.bar:null",
      action: "create",
      index: null,
    });
  },
  "explicit_null/plan.json": () => {
    const doc = read("explicit_null/plan.json");
    expect(res(doc, "null_resource.foo").values).toEqual({ triggers: null });
    expect(res(doc, "null_resource.bar").values).toEqual({ triggers: { foo: "two" } });
    expect(res(doc, "null_resource.bar").references).toEqual([]);
  },
  "has_changes/plan.json": () => checkNoOp("has_changes/plan.json"),
  "no_changes/plan.json": () => checkNoOp("no_changes/plan.json"),
  "has_checks/plan.json": () => {
    const doc = read("has_checks/plan.json");
    expect(addresses(doc)).toEqual([
      'module.files.local_file.foo["file1.txt"]',
      'module.files.local_file.foo["file2.txt"]',
    ]);
    const r = res(doc, 'module.files.local_file.foo["file1.txt"]');
    expect(r).toMatchObject({
      index: "file1.txt",
      module: "module.files",
      provider_config: "module.files:local",
      action: "create",
    });
    expect(r.values.filename).toBe("file1.txt");
    expect(r.unknown).toContain("content_sha256");
  },
  "identity/plan.json": () => {
    const doc = read("identity/plan.json");
    expect(res(doc, "corner_user_identity.user")).toMatchObject({
      action: "update",
      values: { age: 999, name: "test" },
    });
  },
  "invalid/plan.json": () => {
    const err = thrown(() => readInputPath(path.join(SHARED_FIXTURES, "invalid/plan.json")));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).where).toBe("676:29");
    expect(err.message).toBe(
      `${path.join(SHARED_FIXTURES, "invalid/plan.json")}: 676:29: invalid JSON: Unexpected non-whitespace character after JSON at position 15543`,
    );
  },
  "moved_block/plan.json": () => {
    const doc = read("moved_block/plan.json");
    expect(addresses(doc)).toEqual(["random_id.test2"]);
    expect(res(doc, "random_id.test2")).toMatchObject({
      action: "no-op",
      previous_address: "random_id.test",
      provider_config: "random",
    });
    expect(res(doc, "random_id.test2").values.byte_length).toBe(10);
  },
  "moved_block/show.json": () => {
    const err = thrown(() => readInputPath(path.join(SHARED_FIXTURES, "moved_block/show.json")));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain("this is a Terraform state");
  },
  "nested_config_keys/plan.json": () => {
    const doc = read("nested_config_keys/plan.json");
    const r = res(doc, "aws_instance.foo");
    expect(r.location).toEqual({
      cloud: "aws",
      region: "us-east-1",
      source: "provider-config",
      detail: 'provider "aws" (region = "us-east-1")',
    });
    expect(r.unknown).toEqual(expect.arrayContaining(["ebs_block_device.0.volume_id", "arn"]));
    expect(r.values.ebs_block_device).toEqual([{ delete_on_termination: true, device_name: "/dev/sda1" }]);
    // tags is null and tags_all is not in the schema of this old provider: no tags.
    expect(r.tags).toEqual({});
  },
  "numerics/plan.json": () => {
    const doc = read("numerics/plan.json");
    expect(res(doc, "example_resource.test").values).toEqual({ configurable_attribute: 1.23, id: "one" });
  },
  "output_depends_on/plan.json": () => {
    const doc = read("output_depends_on/plan.json");
    expect(actions(doc)).toEqual({ "null_resource.bar": "create", "null_resource.foo": "create" });
  },
  "provider_version/plan.json": () => {
    const doc = read("provider_version/plan.json");
    expect(res(doc, "null_resource.foo")).toMatchObject({ action: "create", provider_config: "null" });
  },
  "registry_module/plan.json": () => {
    const doc = read("registry_module/plan.json");
    // The data source was read during planning: it is only in prior_state, written without its module prefix.
    expect(actions(doc)).toEqual({
      "module.module.null_resource.resource": "create",
      "module.module.data.null_data_source.data": "read",
    });
    expect(res(doc, "module.module.data.null_data_source.data").values.random).toBe("7083402041033367103");
  },
};

function check110(rel: string): void {
  const doc = read(rel);
  expect(doc.source).toMatchObject({ terraform_version: "1.1.0-dev" });
  expect(addresses(doc)).toEqual([
    "module.foo.null_resource.aliased",
    "module.foo.null_resource.foo",
    "null_resource.bar",
    "null_resource.baz[0]",
    "null_resource.baz[1]",
    "null_resource.baz[2]",
    "null_resource.foo",
  ]);
  expect(refs(doc, "null_resource.bar")).toEqual(["triggers -> null_resource.foo"]);
  expect(refs(doc, "null_resource.baz[0]")).toEqual(["triggers -> null_resource.foo"]);
  expect(res(doc, "null_resource.bar").unknown).toEqual(["id", "triggers"]);
  expect(res(doc, "null_resource.foo").values).toEqual({ triggers: { foo: "bar" } });
  expect(res(doc, "module.foo.null_resource.foo").provider_config).toBe("module.foo:null");
}

function checkNoOp(rel: string): void {
  const doc = read(rel);
  for (const r of Object.values(doc.resources))
    expect([r.address, r.action]).toEqual([r.address, r.mode === "data" ? "read" : "no-op"]);
  expect(refs(doc, "data.null_data_source.baz")).toEqual([
    "inputs -> null_resource.foo",
    "inputs -> null_resource.bar",
  ]);
  expect(res(doc, "null_resource.baz[2]").values).toMatchObject({ id: "8665755682221598193" });
}

describeIfShared(SHARED_FIXTURES, SHARED_FIXTURES_WHAT, "shared terraform-json fixtures", () => {
  it("the fixtures folder exists (set TERRAFORM_JSON_FIXTURES to move it)", () => {
    expect(fs.existsSync(SHARED_FIXTURES)).toBe(true);
  });

  it("every fixture file has a check", () => {
    expect(jsonFilesUnder(SHARED_FIXTURES)).toEqual(Object.keys(checks).sort());
  });

  for (const [rel, check] of Object.entries(checks)) it(rel, check);
});
