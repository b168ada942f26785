import { Testing } from "cdktf";
import {
  AliasAndRegionStack,
  EXAMPLE_STACKS,
  GlobalBurstStack,
  KrSharedInternetStack,
  KrSovereignTrainingStack,
  RiskBasedStack,
} from "../../stacks/examples";
import { only, resourceCount, resourcesOf, synthStack, type TfDoc } from "./helpers";

const KOREA = "ap-northeast-2";

function providers(doc: TfDoc): Array<Record<string, unknown>> {
  return doc.provider?.aws ?? [];
}

/** Every resource with the provider key it uses and its own region argument. */
function placements(doc: TfDoc): Array<{ type: string; id: string; provider: string; region: unknown }> {
  const out: Array<{ type: string; id: string; provider: string; region: unknown }> = [];
  for (const [type, byId] of Object.entries(doc.resource ?? {})) {
    for (const [id, r] of Object.entries(byId))
      out.push({ type, id, provider: (r.provider as string) ?? "aws", region: r.region });
  }
  return out;
}

describe("example 1: Seoul sovereign training (compliant)", () => {
  const doc = synthStack(new KrSovereignTrainingStack(Testing.app()), true);

  test("single provider in Seoul, no per-resource region overrides", () => {
    expect(providers(doc)).toEqual([expect.objectContaining({ region: KOREA })]);
    expect(placements(doc).every((p) => p.provider === "aws" && p.region === undefined)).toBe(true);
  });

  test("dedicated tenancy everywhere compute runs, no internet gateway, no public IPs", () => {
    expect(only(doc, "aws_vpc")[1].instance_tenancy).toBe("dedicated");
    expect(resourcesOf(doc, "aws_internet_gateway")).toHaveLength(0);
    const instances = resourcesOf(doc, "aws_instance").map(([, i]) => i);
    expect(instances).toHaveLength(2);
    expect(instances.every((i) => i.tenancy === "dedicated" && i.associate_public_ip_address === false)).toBe(true);
  });

  test("personal dataset encrypted with a CMK; no Bedrock customization or SageMaker in Seoul", () => {
    expect(
      resourcesOf(doc, "aws_s3_bucket").some(
        ([, b]) => (b.tags as Record<string, string>).DataClassification === "personal",
      ),
    ).toBe(true);
    expect(resourcesOf(doc, "aws_kms_key")).toHaveLength(2); // dataset CMK + root-volume CMK
    expect(resourcesOf(doc, "aws_bedrock_custom_model")).toHaveLength(0);
    expect(resourcesOf(doc, "aws_sagemaker_notebook_instance")).toHaveLength(0);
  });
});

describe("example 2: global burst", () => {
  const doc = synthStack(new GlobalBurstStack(Testing.app()), true);
  const bucketId = (name: string) => resourcesOf(doc, "aws_s3_bucket").find(([, b]) => b.bucket === name)![0];

  test("a us-east-1 provider alias next to the Seoul default", () => {
    expect(providers(doc).map((p) => [p.alias ?? null, p.region])).toEqual([
      [null, KOREA],
      ["us_east_1", "us-east-1"],
    ]);
  });

  test("the Seoul dataset replicates to a personal bucket in us-east-1", () => {
    const [, repl] = only(doc, "aws_s3_bucket_replication_configuration");
    const src = bucketId("acme-kr-customer-chats");
    const dst = bucketId("acme-us-customer-chats-replica");
    expect(repl.bucket).toBe(`\${aws_s3_bucket.${src}.id}`);
    expect(repl.depends_on).toHaveLength(2);
    expect((repl.depends_on as string[]).every((d) => d.startsWith("aws_s3_bucket_versioning."))).toBe(true);
    expect((repl.rule as Array<{ destination: { bucket: string } }>)[0].destination.bucket).toBe(
      `\${aws_s3_bucket.${dst}.arn}`,
    );
    const replica = doc.resource!.aws_s3_bucket[dst];
    expect(replica.provider).toBe("aws.us_east_1");
    expect((replica.tags as Record<string, string>).DataClassification).toBe("personal");
  });

  test("Bedrock fine-tuning of a model offered in us-east-1 reads the replica", () => {
    const [, model] = only(doc, "aws_bedrock_custom_model");
    expect(model.provider).toBe("aws.us_east_1");
    expect(model.base_model_identifier).toBe("amazon.nova-micro-v1:0:128k");
    expect(model.training_data_config).toEqual([
      { s3_uri: `s3://\${aws_s3_bucket.${bucketId("acme-us-customer-chats-replica")}.bucket}/train/data.jsonl` },
    ]);
  });

  test("GPU hosts in us-east-1 read the Seoul bucket directly", () => {
    const instances = resourcesOf(doc, "aws_instance").map(([, i]) => i);
    expect(instances.length).toBeGreaterThan(0);
    expect(instances.every((i) => i.provider === "aws.us_east_1")).toBe(true);
    expect((instances[0].tags as Record<string, string>).TrainingData).toContain(bucketId("acme-kr-customer-chats"));
  });
});

describe("example 3: shared tenancy, internet-facing, in Seoul", () => {
  const doc = synthStack(new KrSharedInternetStack(Testing.app()), true);

  test("default tenancy, internet gateway, public subnets and public IPs", () => {
    expect(only(doc, "aws_vpc")[1].instance_tenancy).toBe("default");
    expect(resourcesOf(doc, "aws_internet_gateway")).toHaveLength(1);
    expect(resourcesOf(doc, "aws_subnet").every(([, s]) => s.map_public_ip_on_launch === true)).toBe(true);
    expect(only(doc, "aws_instance")[1]).toMatchObject({ tenancy: "default", associate_public_ip_address: true });
  });

  test("notebook with direct internet, public EKS endpoint, Batch GPU jobs, all in Seoul", () => {
    expect(only(doc, "aws_sagemaker_notebook_instance")[1].direct_internet_access).toBe("Enabled");
    expect(only(doc, "aws_eks_cluster")[1].vpc_config).toMatchObject({ endpoint_public_access: true });
    expect(resourcesOf(doc, "aws_batch_job_definition")).toHaveLength(1);
    expect(providers(doc)).toEqual([expect.objectContaining({ region: KOREA })]);
  });
});

describe("example 4: risk-based (us-west-2, safeguarded)", () => {
  const doc = synthStack(new RiskBasedStack(Testing.app()), true);
  test("outside Korea but dedicated, private and CMK-encrypted", () => {
    expect(providers(doc)).toEqual([expect.objectContaining({ region: "us-west-2" })]);
    expect(only(doc, "aws_vpc")[1].instance_tenancy).toBe("dedicated");
    expect(resourcesOf(doc, "aws_internet_gateway")).toHaveLength(0);
    expect(only(doc, "aws_instance")[1].tenancy).toBe("dedicated");
    expect(resourcesOf(doc, "aws_vpc_endpoint").map(([, e]) => e.service_name)).toContain("com.amazonaws.us-west-2.s3");
  });
});

describe("example 5: provider alias and per-resource region", () => {
  const doc = synthStack(new AliasAndRegionStack(Testing.app()), true);

  test("Tokyo backup bucket uses the aliased provider", () => {
    const [, b] = resourcesOf(doc, "aws_s3_bucket").find(([, x]) => x.bucket === "acme-jp-voice-samples-backup")!;
    expect(b.provider).toBe("aws.tokyo");
    expect(providers(doc).find((p) => p.alias === "tokyo")!.region).toBe("ap-northeast-1");
  });

  test("the notebook and its network carry region = us-east-1 while the provider is Seoul", () => {
    const [, nb] = only(doc, "aws_sagemaker_notebook_instance");
    expect(nb.region).toBe("us-east-1");
    expect(nb.provider).toBeUndefined();
    const usSubnets = resourcesOf(doc, "aws_subnet").filter(([id]) => id.startsWith("us-network"));
    expect(usSubnets.map(([, s]) => [s.region, s.availability_zone])).toEqual([
      ["us-east-1", "us-east-1a"],
      ["us-east-1", "us-east-1c"],
    ]);
    // The notebook's volume key must live in the notebook's Region.
    const keyId = /aws_kms_key\.([^.]+)\.id/.exec(nb.kms_key_id as string)![1];
    expect(doc.resource!.aws_kms_key[keyId].region).toBe("us-east-1");
  });

  test("the Seoul fleet stays on the default provider with no region override", () => {
    const fleet = resourcesOf(doc, "aws_instance").map(([, i]) => i);
    expect(fleet.every((i) => i.provider === undefined && i.region === undefined && i.tenancy === "dedicated")).toBe(
      true,
    );
  });
});

describe("example registry", () => {
  test("every key builds a distinct, non-trivial stack", () => {
    const ids = Object.entries(EXAMPLE_STACKS).map(([, make]) => {
      const stack = make(Testing.app());
      expect(resourceCount(synthStack(stack))).toBeGreaterThan(20);
      return stack.node.id;
    });
    expect(new Set(ids).size).toBe(Object.keys(EXAMPLE_STACKS).length);
  });
});
