import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  BatchGpuTraining,
  BedrockFineTuning,
  EksGpuNodeGroup,
  GpuTrainingFleet,
  InternetFacingNetwork,
  PersonalDataset,
  PrivateTrainingNetwork,
  SageMakerNotebook,
  SageMakerStudioDomain,
} from "../../stacks/constructs";
import { only, resourcesOf, synthStack, type TfDoc } from "./helpers";

function build(fn: (stack: TerraformStack) => void): TfDoc {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "ap-northeast-2" });
  fn(stack);
  return synthStack(stack, true);
}

function policyOf(doc: TfDoc, type: string, id: string): { Statement: Array<Record<string, unknown>> } {
  return JSON.parse(doc.resource![type][id].policy as string);
}

describe("PersonalDataset", () => {
  const doc = build((s) => new PersonalDataset(s, "ds", { bucketName: "acme-train", purpose: "llm" }));
  const [bucketId, bucket] = resourcesOf(doc, "aws_s3_bucket").find(([, b]) => b.bucket === "acme-train")!;
  const ref = (attr: string) => `\${aws_s3_bucket.${bucketId}.${attr}}`;

  test("bucket carries the classification and purpose tags", () => {
    expect(bucket.tags).toEqual({ DataClassification: "personal", Purpose: "llm" });
  });

  test("SSE-KMS with the construct's customer-managed key", () => {
    const [keyId, key] = only(doc, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    const [, sse] = only(doc, "aws_s3_bucket_server_side_encryption_configuration");
    expect(sse.bucket).toBe(ref("id"));
    expect(sse.rule).toEqual([
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: "aws:kms",
          kms_master_key_id: `\${aws_kms_key.${keyId}.arn}`,
        },
        bucket_key_enabled: true,
      },
    ]);
  });

  test("public access fully blocked, versioning on, access logging to a separate bucket", () => {
    const [, pab] = resourcesOf(doc, "aws_s3_bucket_public_access_block").find(([, p]) => p.bucket === ref("id"))!;
    expect(pab).toMatchObject({
      bucket: ref("id"),
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(only(doc, "aws_s3_bucket_versioning")[1]).toMatchObject({
      bucket: ref("id"),
      versioning_configuration: { status: "Enabled" },
    });
    const [, logging] = only(doc, "aws_s3_bucket_logging");
    expect(logging.bucket).toBe(ref("id"));
    const logBucket = resourcesOf(doc, "aws_s3_bucket").find(([, b]) => b.bucket === "acme-train-access-logs");
    expect(logging.target_bucket).toBe(`\${aws_s3_bucket.${logBucket![0]}.id}`);
  });

  test("the log bucket is private and lets only the S3 logging service write this bucket's logs", () => {
    const [logId] = resourcesOf(doc, "aws_s3_bucket").find(([, b]) => b.bucket === "acme-train-access-logs")!;
    const logRef = (attr: string) => `\${aws_s3_bucket.${logId}.${attr}}`;
    const pabs = resourcesOf(doc, "aws_s3_bucket_public_access_block").map(([, p]) => p.bucket);
    expect(pabs).toEqual(expect.arrayContaining([ref("id"), logRef("id")]));
    const [policyId] = resourcesOf(doc, "aws_s3_bucket_policy").find(([, p]) => p.bucket === logRef("id"))!;
    const [delivery, tls] = policyOf(doc, "aws_s3_bucket_policy", policyId).Statement;
    expect(delivery).toMatchObject({
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Resource: `${logRef("arn")}/acme-train/*`,
      Condition: { ArnLike: { "aws:SourceArn": ref("arn") } },
    });
    expect(tls).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  test("bucket policy denies non-TLS access on the bucket ARN", () => {
    const [policyId] = resourcesOf(doc, "aws_s3_bucket_policy").find(([, p]) => p.bucket === ref("id"))!;
    const stmt = policyOf(doc, "aws_s3_bucket_policy", policyId).Statement[0];
    expect(stmt).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    expect(stmt.Resource).toEqual([ref("arn"), `${ref("arn")}/*`]);
  });

  test("classification can be changed and an existing log bucket reused", () => {
    const d = build((s) => {
      const a = new PersonalDataset(s, "a", { bucketName: "a-bucket", classification: "pseudonymized" });
      new PersonalDataset(s, "b", { bucketName: "b-bucket", logBucket: a.logBucket });
    });
    expect(
      resourcesOf(d, "aws_s3_bucket")
        .map(([, b]) => b.bucket)
        .sort(),
    ).toEqual(["a-bucket", "a-bucket-access-logs", "b-bucket"]);
    expect(resourcesOf(d, "aws_s3_bucket").find(([, b]) => b.bucket === "a-bucket")![1].tags).toEqual({
      DataClassification: "pseudonymized",
    });
  });
});

describe("Testing.synthScope", () => {
  test("a dataset synthesized in a bare scope keeps its safeguards", () => {
    const json = Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region: "ap-northeast-2" });
      new PersonalDataset(scope, "ds", { bucketName: "scoped" });
    });
    expect(
      Testing.toHaveResourceWithProperties(json, "aws_s3_bucket", {
        bucket: "scoped",
        tags: { DataClassification: "personal" },
      }),
    ).toBe(true);
    expect(Testing.toHaveResource(json, "aws_s3_bucket_public_access_block")).toBe(true);
    expect(Testing.toHaveResource(json, "aws_s3_bucket_policy")).toBe(true);
    expect(Testing.toHaveResource(json, "aws_internet_gateway")).toBe(false);
  });
});

describe("PrivateTrainingNetwork", () => {
  const doc = build((s) => new PrivateTrainingNetwork(s, "net", { regionName: "ap-northeast-2" }));

  test("dedicated tenancy by default, private subnets in two Seoul AZs", () => {
    expect(only(doc, "aws_vpc")[1]).toMatchObject({ instance_tenancy: "dedicated", cidr_block: "10.20.0.0/16" });
    const subnets = resourcesOf(doc, "aws_subnet").map(([, s]) => s);
    expect(subnets.map((s) => s.availability_zone)).toEqual(["ap-northeast-2a", "ap-northeast-2c"]);
    expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
  });

  test("no internet gateway and no routes out", () => {
    expect(resourcesOf(doc, "aws_internet_gateway")).toHaveLength(0);
    expect(resourcesOf(doc, "aws_route")).toHaveLength(0);
    expect(resourcesOf(doc, "aws_nat_gateway")).toHaveLength(0);
  });

  test("S3 gateway endpoint plus SageMaker and ECR interface endpoints for the Region", () => {
    const services = resourcesOf(doc, "aws_vpc_endpoint").map(([, e]) => [e.service_name, e.vpc_endpoint_type]);
    expect(services).toEqual(
      expect.arrayContaining([
        ["com.amazonaws.ap-northeast-2.s3", "Gateway"],
        ["com.amazonaws.ap-northeast-2.sagemaker.api", "Interface"],
        ["com.amazonaws.ap-northeast-2.ecr.api", "Interface"],
        ["com.amazonaws.ap-northeast-2.ecr.dkr", "Interface"],
      ]),
    );
  });

  test("workload security group allows no inbound and egress only to the VPC", () => {
    const sg = resourcesOf(doc, "aws_security_group").find(([id]) => id.includes("workload"))![1];
    expect(sg.ingress).toEqual([]);
    expect((sg.egress as Array<{ cidr_blocks: string[] }>)[0].cidr_blocks).toEqual(["10.20.0.0/16"]);
  });

  test("per-resource region is written on every resource", () => {
    const d = build((s) => new PrivateTrainingNetwork(s, "net", { regionName: "us-east-1", region: "us-east-1" }));
    for (const byId of Object.values(d.resource!)) {
      for (const r of Object.values(byId)) expect(r.region).toBe("us-east-1");
    }
  });
});

describe("InternetFacingNetwork", () => {
  const doc = build((s) => new InternetFacingNetwork(s, "net", { regionName: "ap-northeast-2" }));
  test("default tenancy, public IPs, internet gateway and a default route to it", () => {
    expect(only(doc, "aws_vpc")[1].instance_tenancy).toBe("default");
    expect(resourcesOf(doc, "aws_subnet").every(([, s]) => s.map_public_ip_on_launch === true)).toBe(true);
    const [igwId] = only(doc, "aws_internet_gateway");
    expect(only(doc, "aws_route")[1]).toMatchObject({
      destination_cidr_block: "0.0.0.0/0",
      gateway_id: `\${aws_internet_gateway.${igwId}.id}`,
    });
  });
});

describe("training workloads", () => {
  function withDataset(fn: (s: TerraformStack, ds: PersonalDataset, net: PrivateTrainingNetwork) => void): TfDoc {
    return build((s) => {
      const ds = new PersonalDataset(s, "ds", { bucketName: "acme-train" });
      const net = new PrivateTrainingNetwork(s, "net", { regionName: "ap-northeast-2" });
      fn(s, ds, net);
    });
  }
  const bucketRef = (doc: TfDoc, attr: string) => {
    const [id] = resourcesOf(doc, "aws_s3_bucket").find(([, b]) => b.bucket === "acme-train")!;
    return `\${aws_s3_bucket.${id}.${attr}}`;
  };

  function rolePolicyFor(doc: TfDoc, roleRef: string): { Statement: Array<{ Resource: unknown }> } {
    const roleId = /aws_iam_role\.([^.]+)\.arn/.exec(roleRef)![1];
    const [policyId] = resourcesOf(doc, "aws_iam_role_policy").find(
      ([, p]) => p.role === `\${aws_iam_role.${roleId}.id}`,
    )!;
    return policyOf(doc, "aws_iam_role_policy", policyId) as never;
  }

  test("GpuTrainingFleet: dedicated private GPU instances, CMK root volumes, role policy on the bucket ARN", () => {
    const doc = withDataset(
      (s, ds, net) =>
        new GpuTrainingFleet(s, "fleet", { dataset: ds, network: net, tenancy: "dedicated", instanceCount: 2 }),
    );
    const instances = resourcesOf(doc, "aws_instance").map(([, i]) => i);
    expect(instances).toHaveLength(2);
    for (const i of instances) {
      expect(i).toMatchObject({
        tenancy: "dedicated",
        associate_public_ip_address: false,
        instance_type: "g5.12xlarge",
      });
      expect(String(i.user_data)).toContain(`s3://${bucketRef(doc, "bucket")}/train/`);
      expect(i.metadata_options).toMatchObject({ http_tokens: "required" });
    }
    // Spread over both private subnets.
    expect(new Set(instances.map((i) => i.subnet_id)).size).toBe(2);
    expect((instances[0].tags as Record<string, string>).TrainingData).toBe(`s3://${bucketRef(doc, "bucket")}/train/`);
    const [volumeKeyId] = resourcesOf(doc, "aws_kms_key").find(([id]) => id.startsWith("fleet_volume-key"))!;
    expect(instances[0].root_block_device).toMatchObject({
      encrypted: true,
      kms_key_id: `\${aws_kms_key.${volumeKeyId}.arn}`,
    });
    const [profileId] = only(doc, "aws_iam_instance_profile");
    expect(instances[0].iam_instance_profile).toBe(`\${aws_iam_instance_profile.${profileId}.name}`);
    const [roleId, role] = resourcesOf(doc, "aws_iam_role").find(([id]) => id.includes("fleet"))!;
    expect(JSON.parse(role.assume_role_policy as string).Statement[0].Principal.Service).toEqual(["ec2.amazonaws.com"]);
    expect(doc.resource!.aws_iam_instance_profile[profileId].role).toBe(`\${aws_iam_role.${roleId}.name}`);
    const policy = rolePolicyFor(doc, `\${aws_iam_role.${roleId}.arn}`);
    expect(policy.Statement[0].Resource).toEqual([bucketRef(doc, "arn"), `${bucketRef(doc, "arn")}/*`]);
    expect(Object.keys(doc.data!.aws_ssm_parameter)).toHaveLength(1);
  });

  test("BedrockFineTuning: training data S3 URI from the bucket, role reads it, VPC config when given", () => {
    const doc = withDataset(
      (s, ds, net) =>
        new BedrockFineTuning(s, "ft", {
          dataset: ds,
          network: net,
          baseModelIdentifier: "amazon.nova-micro-v1:0:128k",
          customModelName: "m",
        }),
    );
    const [, model] = only(doc, "aws_bedrock_custom_model");
    expect(model.training_data_config).toEqual([{ s3_uri: `s3://${bucketRef(doc, "bucket")}/train/data.jsonl` }]);
    expect(model.customization_type).toBe("FINE_TUNING");
    expect((model.vpc_config as Array<{ subnet_ids: string[] }>)[0].subnet_ids).toHaveLength(2);
    const policy = rolePolicyFor(doc, model.role_arn as string);
    expect(policy.Statement[0].Resource).toContain(bucketRef(doc, "arn"));
  });

  test("SageMakerNotebook: direct internet as configured, in the network subnet, role on the bucket", () => {
    const doc = withDataset(
      (s, ds, net) =>
        new SageMakerNotebook(s, "nb", { dataset: ds, network: net, name: "nb", directInternetAccess: "Disabled" }),
    );
    const [, nb] = only(doc, "aws_sagemaker_notebook_instance");
    expect(nb.direct_internet_access).toBe("Disabled");
    expect(nb.root_access).toBe("Disabled");
    expect(String(nb.subnet_id)).toMatch(/^\$\{aws_subnet\.net_private-a_/);
    expect(rolePolicyFor(doc, nb.role_arn as string).Statement[0].Resource).toContain(bucketRef(doc, "arn"));
  });

  test("SageMakerStudioDomain: VpcOnly with the execution role reading the dataset", () => {
    const doc = withDataset(
      (s, ds, net) =>
        new SageMakerStudioDomain(s, "studio", {
          dataset: ds,
          network: net,
          domainName: "d",
          appNetworkAccessType: "VpcOnly",
        }),
    );
    const [, domain] = only(doc, "aws_sagemaker_domain");
    expect(domain.app_network_access_type).toBe("VpcOnly");
    const exec = (domain.default_user_settings as { execution_role: string }).execution_role;
    expect(rolePolicyFor(doc, exec).Statement[0].Resource).toContain(bucketRef(doc, "arn"));
  });

  test("EksGpuNodeGroup: NVIDIA AMI, GPU instances, private endpoint, node role reads the dataset", () => {
    const doc = withDataset(
      (s, ds, net) => new EksGpuNodeGroup(s, "eks", { dataset: ds, network: net, clusterName: "c" }),
    );
    const [clusterId, cluster] = only(doc, "aws_eks_cluster");
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    const [, ng] = only(doc, "aws_eks_node_group");
    expect(ng).toMatchObject({
      ami_type: "AL2023_x86_64_NVIDIA",
      instance_types: ["g5.2xlarge"],
      cluster_name: `\${aws_eks_cluster.${clusterId}.name}`,
    });
    expect(rolePolicyFor(doc, ng.node_role_arn as string).Statement[0].Resource).toContain(bucketRef(doc, "arn"));
  });

  test("BatchGpuTraining: GPU compute environment, queue on it, job definition with GPU and the data URI", () => {
    const doc = withDataset((s, ds, net) => new BatchGpuTraining(s, "batch", { dataset: ds, network: net, name: "t" }));
    const [ceId, ce] = only(doc, "aws_batch_compute_environment");
    expect(ce.compute_resources).toMatchObject({
      type: "EC2",
      instance_type: ["g5.xlarge"],
      ec2_configuration: [{ image_type: "ECS_AL2_NVIDIA" }],
    });
    expect(only(doc, "aws_batch_job_queue")[1].compute_environment_order).toEqual([
      { order: 1, compute_environment: `\${aws_batch_compute_environment.${ceId}.arn}` },
    ]);
    const [, job] = only(doc, "aws_batch_job_definition");
    const props = JSON.parse(job.container_properties as string);
    expect(props.resourceRequirements).toContainEqual({ type: "GPU", value: "1" });
    expect(props.environment).toEqual([{ name: "TRAINING_DATA", value: `s3://${bucketRef(doc, "bucket")}/train/` }]);
    expect(rolePolicyFor(doc, props.jobRoleArn).Statement[0].Resource).toContain(bucketRef(doc, "arn"));
    // By default only the job role reads the dataset.
    expect(resourcesOf(doc, "aws_iam_role_policy")).toHaveLength(1);
  });

  test("BatchGpuTraining: instanceRoleReadsDataset gives the container instances' role the dataset policy", () => {
    const doc = withDataset(
      (s, ds, net) =>
        new BatchGpuTraining(s, "batch", { dataset: ds, network: net, name: "t", instanceRoleReadsDataset: true }),
    );
    const [, ce] = only(doc, "aws_batch_compute_environment");
    const profileId = /aws_iam_instance_profile\.([^.]+)\.arn/.exec(
      (ce.compute_resources as { instance_role: string }).instance_role,
    )![1];
    const roleRef = (doc.resource!.aws_iam_instance_profile[profileId].role as string).replace(".name}", ".arn}");
    expect(rolePolicyFor(doc, roleRef).Statement[0].Resource).toContain(bucketRef(doc, "arn"));
    expect(resourcesOf(doc, "aws_iam_role_policy")).toHaveLength(2);
  });
});
