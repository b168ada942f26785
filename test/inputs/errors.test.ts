// Fail closed: every input the reader cannot trust is an InputError naming the file and place.

import * as path from "node:path";
import { InputError } from "../../src/core/errors";
import { fromTerraformJson, readInputPath, readInputText } from "../../src/inputs";
import { OWN_FIXTURES, thrown } from "./helpers";

/** The InputError thrown by `fn`, checked to be one. */
function inputError(fn: () => unknown): InputError {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

const plan = (extra: Record<string, unknown>) =>
  JSON.stringify({ format_version: "1.2", planned_values: { root_module: {} }, resource_changes: [], ...extra });

const change = (address: string, actions: unknown, more: Record<string, unknown> = {}) => ({
  address,
  mode: "managed",
  type: "aws_s3_bucket",
  name: "b",
  provider_name: "registry.terraform.io/hashicorp/aws",
  change: { actions, before: null, after: {}, after_unknown: {} },
  ...more,
});

describe("unreadable input", () => {
  it("missing file", () => {
    const e = inputError(() => readInputPath("/nonexistent/plan.json"));
    expect(e.file).toBe("/nonexistent/plan.json");
    expect(e.message).toMatch(/^\/nonexistent\/plan\.json: cannot read input: ENOENT/);
  });

  it("folder that is not a cdktf output", () => {
    const dir = path.join(OWN_FIXTURES, "plans");
    expect(inputError(() => readInputPath(dir)).message).toBe(
      `${dir}: folder is not a cdktf output: it has no manifest.json, cdktf.out/manifest.json or cdk.tf.json (give a plan JSON or .tf.json file instead)`,
    );
  });

  it("empty input", () => {
    expect(inputError(() => readInputText("  \n", "empty.json")).message).toBe(
      "empty.json: input is empty (expected a JSON document)",
    );
  });
});

describe("invalid JSON reports line:col", () => {
  it("syntax error", () => {
    const e = inputError(() => readInputText('{\n  "resource": {\n    "a": 1,\n  }\n}', "main.tf.json"));
    expect(e.where).toBe("4:3");
    expect(e.message).toMatch(/^main\.tf\.json: 4:3: invalid JSON: /);
  });

  it("truncated plan file", () => {
    const file = path.join(OWN_FIXTURES, "errors/truncated-plan.json");
    const e = inputError(() => readInputPath(file));
    expect(e.file).toBe(file);
    expect(e.where).toMatch(/^7[45]:\d+$/);
    expect(e.message).toContain("truncated JSON (the document ends early)");
  });
});

describe("unknown or unsupported shapes", () => {
  it("not an object", () => {
    expect(inputError(() => readInputText("[1,2]", "x.json")).message).toBe(
      "x.json: 1:1: expected a JSON object at the top level, found an array",
    );
  });

  it("empty object", () => {
    expect(inputError(() => readInputText("{}", "x.json")).message).toBe(
      "x.json: empty JSON object: neither a plan nor a Terraform JSON configuration",
    );
  });

  it("unknown top-level keys", () => {
    expect(inputError(() => readInputText('{"Resources": {}}', "template.json")).message).toContain(
      "unknown document shape (top-level keys: Resources)",
    );
    const e = inputError(() => readInputText('{"resource": {}, "resorce": {}}', "main.tf.json"));
    expect(e.where).toBe("resorce");
    expect(e.message).toBe(
      'main.tf.json: resorce: unknown top-level key "resorce" (not a Terraform JSON configuration block)',
    );
  });

  it("unsupported plan format_version major", () => {
    const e = inputError(() => readInputText(plan({ format_version: "2.0" }), "plan.json"));
    expect(e.message).toBe(
      'plan.json: format_version: unsupported plan format_version "2.0" (this reader understands 0.x and 1.x)',
    );
  });

  it("format_version that is not MAJOR.MINOR", () => {
    expect(inputError(() => readInputText(plan({ format_version: "one" }), "plan.json")).where).toBe("format_version");
  });

  it("errored plan", () => {
    const file = path.join(OWN_FIXTURES, "errors/errored-plan.json");
    expect(inputError(() => readInputPath(file)).message).toBe(
      `${file}: errored: the plan errored (errored = true): Terraform could not finish planning, so it cannot be judged`,
    );
  });

  it("incomplete plan (deferred changes)", () => {
    expect(inputError(() => readInputText(plan({ complete: false }), "plan.json")).where).toBe("complete");
  });

  it("plan with only configuration (no planned values or changes)", () => {
    const text = JSON.stringify({ format_version: "1.2", configuration: { root_module: {} } });
    expect(inputError(() => readInputText(text, "plan.json")).message).toContain(
      "not a plan: it has neither planned_values nor resource_changes",
    );
  });

  it("kind forced to plan on a configuration", () => {
    expect(() => fromTerraformJson({ resource: {} }, { file: "x.json", kind: "terraform-plan" })).toThrow(
      "x.json: not a Terraform plan",
    );
  });
});

describe("malformed plan contents name the place", () => {
  it("resource_changes not an array", () => {
    expect(inputError(() => readInputText(plan({ resource_changes: {} }), "p.json")).where).toBe("resource_changes");
  });

  it("unknown change action", () => {
    const e = inputError(() =>
      readInputText(plan({ resource_changes: [change("aws_s3_bucket.b", ["explode"])] }), "p.json"),
    );
    expect(e.message).toBe("p.json: resource_changes[0].change.actions: unknown change actions [explode]");
  });

  it("actions not an array", () => {
    expect(
      inputError(() => readInputText(plan({ resource_changes: [change("aws_s3_bucket.b", "create")] }), "p.json"))
        .where,
    ).toBe("resource_changes[0].change.actions");
  });

  it("unreadable address", () => {
    const e = inputError(() =>
      readInputText(plan({ resource_changes: [change('aws_s3_bucket.b["x', ["create"])] }), "p.json"),
    );
    expect(e.where).toBe("resource_changes[0].address");
  });

  it("type that contradicts the address", () => {
    const e = inputError(() =>
      readInputText(plan({ resource_changes: [change("aws_s3_object.b", ["create"])] }), "p.json"),
    );
    expect(e.message).toBe(
      'p.json: resource_changes[0].type: type "aws_s3_bucket" does not match address aws_s3_object.b',
    );
  });

  it("name that contradicts the address", () => {
    const e = inputError(() =>
      readInputText(plan({ resource_changes: [change("aws_s3_bucket.c", ["create"])] }), "p.json"),
    );
    expect(e.message).toBe('p.json: resource_changes[0].name: name "b" does not match address aws_s3_bucket.c');
  });

  it("duplicate address", () => {
    const rc = change("aws_s3_bucket.b", ["create"]);
    expect(inputError(() => readInputText(plan({ resource_changes: [rc, rc] }), "p.json")).message).toBe(
      "p.json: resource_changes[1].address: duplicate resource address aws_s3_bucket.b",
    );
  });

  // Places are built only on failure (reader performance): each still names the exact field.
  it("places in planned_values and prior_state", () => {
    const res = (address: string, more: Record<string, unknown> = {}) => ({
      address,
      mode: "managed",
      type: "aws_s3_bucket",
      name: "b",
      values: {},
      ...more,
    });
    const pv = (resources: unknown[]) => plan({ resource_changes: [], planned_values: { root_module: { resources } } });
    expect(inputError(() => readInputText(pv([res("aws_s3_bucket.b"), 7]), "p.json")).where).toBe(
      "planned_values.root_module.resources[1]",
    );
    expect(inputError(() => readInputText(pv([res("aws_s3_bucket.b", { address: "" })]), "p.json")).where).toBe(
      "planned_values.root_module.resources[0].address",
    );
    expect(inputError(() => readInputText(pv([res("aws_s3_bucket.c")]), "p.json")).where).toBe(
      "planned_values.root_module.resources[0].name",
    );
    expect(inputError(() => readInputText(pv([res('aws_s3_bucket.b["x')]), "p.json")).where).toBe(
      "planned_values.root_module.resources[0].address",
    );
    const data = { address: 'data.aws_s3_bucket.b["x', mode: "data", type: "aws_s3_bucket", name: "b", values: {} };
    const prior = { values: { root_module: { resources: [data] } } };
    expect(inputError(() => readInputText(plan({ prior_state: prior }), "p.json")).where).toBe(
      "prior_state.values.root_module.resources[0].address",
    );
  });

  it("resource change that is not an object, address missing", () => {
    expect(inputError(() => readInputText(plan({ resource_changes: [null] }), "p.json")).where).toBe(
      "resource_changes[0]",
    );
    const rc = { ...change("aws_s3_bucket.b", ["create"]), address: 3 };
    expect(inputError(() => readInputText(plan({ resource_changes: [rc] }), "p.json")).where).toBe(
      "resource_changes[0].address",
    );
  });

  it("change missing", () => {
    const rc = { ...change("aws_s3_bucket.b", ["create"]), change: undefined };
    expect(inputError(() => readInputText(plan({ resource_changes: [rc] }), "p.json")).where).toBe(
      "resource_changes[0].change",
    );
  });

  it("configuration module resources not an array", () => {
    const text = plan({ configuration: { root_module: { module_calls: { m: { module: { resources: {} } } } } } });
    expect(inputError(() => readInputText(text, "p.json")).where).toBe(
      "configuration.root_module.module_calls.m.module.resources",
    );
  });
});

describe("malformed configuration contents name the place", () => {
  it("resource body not an object", () => {
    const e = inputError(() => readInputText('{"resource": {"aws_s3_bucket": {"b": "oops"}}}', "main.tf.json"));
    expect(e.where).toBe("resource.aws_s3_bucket.b");
    expect(e.message).toContain("must be a JSON object, found string");
  });

  it("provider meta-argument not a string", () => {
    const e = inputError(() =>
      readInputText('{"resource": {"aws_s3_bucket": {"b": {"provider": 1}}}}', "main.tf.json"),
    );
    expect(e.where).toBe("resource.aws_s3_bucket.b.provider");
  });

  it("duplicate provider configuration", () => {
    const e = inputError(() =>
      readInputText('{"provider": {"aws": [{"alias": "us"}, {"alias": "us"}]}}', "main.tf.json"),
    );
    expect(e.message).toBe('main.tf.json: provider.aws[1]: duplicate provider configuration "aws.us"');
  });

  it("manifest without stacks", () => {
    const e = inputError(() => readInputText('{"stacks": {}}', "manifest.json"));
    expect(e.message).toContain("unknown document shape");
  });
});

describe("binary plan file", () => {
  it("is recognised and the conversion command is named", () => {
    const e = inputError(() => readInputText("PK\u0003\u0004\u0014\u0000binary", "tfplan"));
    expect(e.message).toBe(
      "tfplan: 1:1: this is a binary plan file; convert it with `terraform show -json <planfile> > plan.json`",
    );
  });
});
