// A small cdktf app of its own (no provider bindings): a personal-data bucket read by a GPU
// instance. TRAIN_REGION / TRAIN_TENANCY choose where and on what it trains; GUARD=off synthesizes
// without the guard; SKIP_VALIDATION=1 builds the App with skipValidation.
const { App, TerraformStack, TerraformProvider, TerraformResource } = require("cdktf");
const { ResidencyGuard } = require("residency-guard/synth");

class Aws extends TerraformProvider {
  constructor(scope, id, config) {
    super(scope, id, { terraformResourceType: "aws", terraformProviderSource: "hashicorp/aws" });
    this.config = config;
  }
  synthesizeAttributes() {
    return this.config;
  }
}

class Resource extends TerraformResource {
  constructor(scope, id, type, attributes) {
    super(scope, id, { terraformResourceType: type });
    this.attributes = attributes;
  }
  synthesizeAttributes() {
    return this.attributes;
  }
  ref(attribute) {
    return this.getStringAttribute(attribute);
  }
}

const region = process.env.TRAIN_REGION || "ap-northeast-2";
const tenancy = process.env.TRAIN_TENANCY || "dedicated";
const app = new App({ skipValidation: process.env.SKIP_VALIDATION === "1" });
const stack = new TerraformStack(app, "training");
new Aws(stack, "aws", { region });

const key = new Resource(stack, "key", "aws_kms_key", { enable_key_rotation: true });
const bucket = new Resource(stack, "dataset", "aws_s3_bucket", {
  bucket: "pkg-test-personal-dataset",
  tags: { DataClassification: "personal" },
});
new Resource(stack, "dataset-sse", "aws_s3_bucket_server_side_encryption_configuration", {
  bucket: bucket.ref("id"),
  rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: key.ref("arn") } }],
});
new Resource(stack, "dataset-pab", "aws_s3_bucket_public_access_block", {
  bucket: bucket.ref("id"),
  block_public_acls: true,
  block_public_policy: true,
  ignore_public_acls: true,
  restrict_public_buckets: true,
});
new Resource(stack, "dataset-tls", "aws_s3_bucket_policy", {
  bucket: bucket.ref("id"),
  policy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "TlsOnly",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucket.ref("arn"), `${bucket.ref("arn")}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  }),
});
const role = new Resource(stack, "role", "aws_iam_role", {
  name: "pkg-test-training",
  assume_role_policy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
  }),
});
new Resource(stack, "role-read", "aws_iam_role_policy", {
  role: role.ref("id"),
  policy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:ListBucket"],
        Resource: [bucket.ref("arn"), `${bucket.ref("arn")}/*`],
      },
    ],
  }),
});
const profile = new Resource(stack, "profile", "aws_iam_instance_profile", { role: role.ref("name") });
const vpc = new Resource(stack, "vpc", "aws_vpc", { cidr_block: "10.0.0.0/16", instance_tenancy: tenancy });
const subnet = new Resource(stack, "subnet", "aws_subnet", {
  vpc_id: vpc.ref("id"),
  cidr_block: "10.0.1.0/24",
  map_public_ip_on_launch: false,
});
new Resource(stack, "gpu", "aws_instance", {
  ami: "ami-0123456789abcdef0",
  instance_type: "g5.xlarge",
  tenancy,
  subnet_id: subnet.ref("id"),
  iam_instance_profile: profile.ref("name"),
  associate_public_ip_address: false,
  root_block_device: { encrypted: true, kms_key_id: key.ref("arn") },
});

if (process.env.GUARD !== "off") ResidencyGuard.attach(app, { profile: "kr-localization" });
app.synth();
