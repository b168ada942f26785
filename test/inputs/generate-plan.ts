// Generates a synthetic plan with n resources for scale checks: counted root buckets and
// objects paired by count.index, and a for_each module whose instances reference one bucket
// through a module variable (Terraform lists `aws_s3_bucket.data[0]` with its containers).

/** A plan JSON document with `n` resource instances. */
export function generatePlan(n: number): Record<string, unknown> {
  const AWS = "registry.terraform.io/hashicorp/aws";
  const rcs: unknown[] = [];
  const pvRoot: unknown[] = [];
  const children: Record<string, unknown[]> = {};
  const third = Math.floor(n / 3);
  const modInstances = Math.max(1, Math.floor(third / 50));
  for (let i = 0; i < third; i++) {
    const b = {
      address: `aws_s3_bucket.data[${i}]`,
      mode: "managed",
      type: "aws_s3_bucket",
      name: "data",
      index: i,
      provider_name: AWS,
      change: {
        actions: ["create"],
        before: null,
        after: {
          bucket: `b-${i}`,
          tags: { DataClassification: "personal" },
          tags_all: { DataClassification: "personal", Owner: "ml" },
        },
        after_unknown: { arn: true, id: true },
      },
    };
    const o = {
      address: `aws_s3_object.obj[${i}]`,
      mode: "managed",
      type: "aws_s3_object",
      name: "obj",
      index: i,
      provider_name: AWS,
      change: {
        actions: ["create"],
        before: null,
        after: { key: `k-${i}` },
        after_unknown: { bucket: true, id: true, tags_all: true },
      },
    };
    rcs.push(b, o);
    pvRoot.push({
      address: b.address,
      mode: "managed",
      type: b.type,
      name: b.name,
      index: i,
      provider_name: AWS,
      schema_version: 0,
      values: b.change.after,
    });
    pvRoot.push({
      address: o.address,
      mode: "managed",
      type: o.type,
      name: o.name,
      index: i,
      provider_name: AWS,
      schema_version: 0,
      values: o.change.after,
    });
  }
  const rest = n - 2 * third;
  for (let i = 0; i < rest; i++) {
    const m = `module.train["m${i % modInstances}"]`;
    const r = {
      address: `${m}.aws_instance.gpu[${Math.floor(i / modInstances)}]`,
      module_address: m,
      mode: "managed",
      type: "aws_instance",
      name: "gpu",
      index: Math.floor(i / modInstances),
      provider_name: AWS,
      change: {
        actions: ["create"],
        before: null,
        after: { instance_type: "p4d.24xlarge" },
        after_unknown: { id: true, arn: true },
      },
    };
    rcs.push(r);
    (children[m] ??= []).push({
      address: r.address,
      mode: "managed",
      type: r.type,
      name: r.name,
      index: r.index,
      provider_name: AWS,
      schema_version: 0,
      values: r.change.after,
    });
  }
  return {
    format_version: "1.2",
    terraform_version: "1.9.8",
    variables: { region: { value: "ap-northeast-2" } },
    planned_values: {
      root_module: {
        resources: pvRoot,
        child_modules: Object.entries(children).map(([address, resources]) => ({ address, resources })),
      },
    },
    resource_changes: rcs,
    configuration: {
      provider_config: {
        aws: { name: "aws", full_name: AWS, expressions: { region: { references: ["var.region"] } } },
      },
      root_module: {
        resources: [
          {
            address: "aws_s3_bucket.data",
            mode: "managed",
            type: "aws_s3_bucket",
            name: "data",
            provider_config_key: "aws",
            expressions: { bucket: { references: ["count.index"] } },
            count_expression: { constant_value: third },
          },
          {
            address: "aws_s3_object.obj",
            mode: "managed",
            type: "aws_s3_object",
            name: "obj",
            provider_config_key: "aws",
            expressions: { bucket: { references: ["aws_s3_bucket.data", "count.index"] } },
            count_expression: { constant_value: third },
          },
        ],
        module_calls: {
          train: {
            source: "./train",
            for_each_expression: { references: ["var.names"] },
            expressions: {
              bucket_arn: { references: ["aws_s3_bucket.data[0].arn", "aws_s3_bucket.data[0]", "aws_s3_bucket.data"] },
            },
            module: {
              resources: [
                {
                  address: "aws_instance.gpu",
                  mode: "managed",
                  type: "aws_instance",
                  name: "gpu",
                  provider_config_key: "aws",
                  expressions: { iam_instance_profile: { references: ["var.bucket_arn"] } },
                  count_expression: { constant_value: 50 },
                },
              ],
              variables: { bucket_arn: {} },
            },
          },
        },
        variables: { region: {} },
      },
    },
  };
}
