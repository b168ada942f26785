// Bedrock: model customization jobs (fine-tuning, continued pre-training), knowledge bases and
// agents with in-Region or cross-Region (geographic prefix) inference.

import { cat, fn, ref, U, type PlanSpec, type Provider, type Res } from "../builder";
import {
  assume,
  aws,
  callerData,
  kmsKey,
  policyAttached,
  policyDoc,
  privateNetwork,
  R,
  role,
  s3Bucket,
  SEOUL,
  subnetIds,
} from "../kit";
import { fail, PASS, type Scenario } from "../scenario";

const ACCOUNT = "330127845519";

/** A Bedrock fine-tuning job reading a JSONL training set from a Seoul bucket. */
function customModel(o: {
  jobRegion: string;
  classification?: string;
  baseModel?: string;
  existingBucket?: boolean;
  jobTag?: string;
  vpc?: boolean;
  kms?: boolean;
}): PlanSpec {
  const remote = o.jobRegion !== SEOUL;
  const jp = remote ? "aws.bedrock" : undefined;
  const resources: Res[] = [...callerData(ACCOUNT)];
  let dataBucket: string;
  if (o.existingBucket) {
    resources.push({
      type: "aws_s3_bucket",
      name: "voc",
      data: true,
      cfg: { bucket: "acme-voc-finetune-kr" },
      known: {
        arn: "arn:aws:s3:::acme-voc-finetune-kr",
        id: "acme-voc-finetune-kr",
        bucket_region: SEOUL,
        bucket_domain_name: "acme-voc-finetune-kr.s3.amazonaws.com",
        bucket_regional_domain_name: "acme-voc-finetune-kr.s3.ap-northeast-2.amazonaws.com",
        hosted_zone_id: "Z3W03O7B5YMIYP",
      },
    });
    dataBucket = "data.aws_s3_bucket.voc";
  } else {
    resources.push(
      ...kmsKey("voc", { alias: "alias/voc-dataset" }),
      ...s3Bucket("voc", {
        bucket: "acme-voc-finetune-kr",
        tags: { DataClassification: o.classification ?? "personal", Source: "call-center" },
        kms: "aws_kms_key.voc.arn",
        tls: "doc",
        logTo: "aws_s3_bucket.audit.id",
      }),
      ...s3Bucket("audit", {
        bucket: "acme-bedrock-audit-logs",
        tags: { DataClassification: "internal" },
        kms: "AES256",
        versioning: false,
      }),
    );
    dataBucket = "aws_s3_bucket.voc";
  }
  resources.push(
    ...kmsKey("model", { provider: jp, alias: "alias/bedrock-custom-models" }),
    ...s3Bucket("output", {
      provider: jp,
      bucket: `acme-bedrock-customization-output-${o.jobRegion}`,
      tags: { DataClassification: "internal" },
      kms: "aws_kms_key.model.arn",
      versioning: false,
    }),
    role("customization", "bedrock-voc-customization", assume("bedrock.amazonaws.com")),
    policyDoc("customization", [
      {
        sid: "TrainingData",
        actions: ["s3:GetObject", "s3:ListBucket"],
        resources: [ref(`${dataBucket}.arn`), cat(ref(`${dataBucket}.arn`), "/*")],
      },
      {
        sid: "Output",
        actions: ["s3:PutObject", "s3:GetObject", "s3:ListBucket"],
        resources: [ref("aws_s3_bucket.output.arn"), cat(ref("aws_s3_bucket.output.arn"), "/*")],
      },
    ]),
    ...policyAttached("customization", "bedrock-voc-customization", "customization", "customization"),
  );
  if (o.vpc !== false)
    resources.push(...privateNetwork("bedrock", { provider: jp, region: o.jobRegion, cidr: "10.70.0.0/16" }));
  const model: Res = {
    type: "aws_bedrock_custom_model",
    name: "voc_assistant",
    provider: jp,
    cfg: {
      custom_model_name: "voc-assistant-v3",
      job_name: "voc-assistant-v3-ft",
      base_model_identifier:
        o.baseModel ?? `arn:aws:bedrock:${o.jobRegion}::foundation-model/amazon.nova-lite-v1:0:300k`,
      customization_type: "FINE_TUNING",
      role_arn: ref("aws_iam_role.customization.arn"),
      hyperparameters: { epochCount: "2", batchSize: "1", learningRate: "0.00001", learningRateWarmupSteps: "10" },
      training_data_config: [{ s3_uri: cat("s3://", ref(`${dataBucket}.id`), "/train/voc-2026q3.jsonl") }],
      validation_data_config: [
        { validator: [{ s3_uri: cat("s3://", ref(`${dataBucket}.id`), "/validation/voc-2026q3.jsonl") }] },
      ],
      output_data_config: [{ s3_uri: cat("s3://", ref("aws_s3_bucket.output.id"), "/voc-assistant/") }],
      ...(o.kms !== false ? { custom_model_kms_key_id: ref("aws_kms_key.model.arn") } : {}),
      ...(o.vpc !== false
        ? {
            vpc_config: [
              { subnet_ids: subnetIds("bedrock"), security_group_ids: [ref("aws_security_group.bedrock_training.id")] },
            ],
          }
        : {}),
      ...(o.jobTag ? { tags: { DataClassification: o.jobTag } } : {}),
    },
  };
  resources.push(model);
  const providers: Provider[] = [aws(SEOUL, { defaultTags: { Team: "cx-ai" } })];
  if (remote) providers.push(aws(o.jobRegion, { alias: "bedrock", defaultTags: { Team: "cx-ai" } }));
  return { providers, resources };
}

/** A knowledge base over a personal document bucket, with an agent using `model`. */
function knowledgeAgent(o: { model: string; classification?: string }): PlanSpec {
  const resources: Res[] = [
    ...callerData(ACCOUNT),
    ...kmsKey("kb", { alias: "alias/hr-kb" }),
    ...s3Bucket("hr_docs", {
      bucket: "acme-hr-policies-and-cases",
      tags: { DataClassification: o.classification ?? "personal" },
      kms: "aws_kms_key.kb.arn",
      tls: "jsonencode",
      logTo: "aws_s3_bucket.kb_logs.id",
    }),
    ...s3Bucket("kb_logs", {
      bucket: "acme-hr-kb-access-logs",
      tags: { DataClassification: "internal" },
      kms: "AES256",
      versioning: false,
    }),
    {
      type: "aws_opensearchserverless_collection",
      name: "kb",
      cfg: { name: "hr-kb-vectors", type: "VECTORSEARCH", standby_replicas: "DISABLED" },
    },
    role("kb", "bedrock-hr-kb", assume("bedrock.amazonaws.com")),
    {
      type: "aws_iam_role_policy",
      name: "kb",
      cfg: {
        name: "kb-sources",
        role: ref("aws_iam_role.kb.id"),
        policy: fn(
          U,
          "aws_s3_bucket.hr_docs.arn",
          "aws_s3_bucket.hr_docs.arn",
          "aws_opensearchserverless_collection.kb.arn",
          "aws_kms_key.kb.arn",
        ),
      },
    },
    {
      type: "aws_bedrockagent_knowledge_base",
      name: "hr",
      cfg: {
        name: "hr-cases",
        role_arn: ref("aws_iam_role.kb.arn"),
        knowledge_base_configuration: [
          {
            type: "VECTOR",
            vector_knowledge_base_configuration: [
              { embedding_model_arn: `arn:aws:bedrock:${SEOUL}::foundation-model/amazon.titan-embed-text-v2:0` },
            ],
          },
        ],
        storage_configuration: [
          {
            type: "OPENSEARCH_SERVERLESS",
            opensearch_serverless_configuration: [
              {
                collection_arn: ref("aws_opensearchserverless_collection.kb.arn"),
                vector_index_name: "hr-cases-index",
                field_mapping: [{ vector_field: "embedding", text_field: "chunk", metadata_field: "metadata" }],
              },
            ],
          },
        ],
      },
    },
    {
      type: "aws_bedrockagent_data_source",
      name: "hr_docs",
      cfg: {
        name: "hr-docs",
        knowledge_base_id: ref("aws_bedrockagent_knowledge_base.hr.id"),
        data_source_configuration: [
          {
            type: "S3",
            s3_configuration: [{ bucket_arn: ref("aws_s3_bucket.hr_docs.arn"), inclusion_prefixes: ["cases/"] }],
          },
        ],
        server_side_encryption_configuration: [{ kms_key_arn: ref("aws_kms_key.kb.arn") }],
      },
    },
    role("agent", "bedrock-hr-agent", assume("bedrock.amazonaws.com")),
    {
      type: "aws_bedrockagent_agent",
      name: "hr_helpdesk",
      cfg: {
        agent_name: "hr-helpdesk",
        agent_resource_role_arn: ref("aws_iam_role.agent.arn"),
        foundation_model: o.model,
        instruction:
          "Answer employee questions about HR policies using the case knowledge base. Never reveal other employees' data.",
        customer_encryption_key_arn: ref("aws_kms_key.kb.arn"),
        idle_session_ttl_in_seconds: 600,
      },
    },
    {
      type: "aws_bedrockagent_agent_knowledge_base_association",
      name: "hr",
      cfg: {
        agent_id: ref("aws_bedrockagent_agent.hr_helpdesk.agent_id"),
        knowledge_base_id: ref("aws_bedrockagent_knowledge_base.hr.id"),
        description: "HR case knowledge base",
        knowledge_base_state: "ENABLED",
      },
    },
  ];
  return { providers: [aws(SEOUL, { defaultTags: { Team: "people-analytics" } })], resources };
}

export const scenarios: Scenario[] = [
  {
    name: "bedrock-finetune-us-east-1-seoul-data",
    description:
      "A Bedrock fine-tuning job on a us-east-1 provider alias reads call-center transcripts (personal) from a Seoul bucket via s3:// URIs built from the bucket id. The customization runs outside Korea; it has a VPC config and a CMK.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: customModel({ jobRegion: "us-east-1" }),
  },
  {
    name: "bedrock-finetune-seoul-advisory-only",
    description:
      "The same fine-tuning job written for ap-northeast-2 with VPC config and CMK: placement is allowed; Bedrock not offering customization in Seoul is only advisory, so the mandatory verdict is a pass.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: customModel({ jobRegion: SEOUL, baseModel: "amazon.titan-text-express-v1:0:8k" }),
  },
  {
    name: "bedrock-finetune-us-west-2-public-corpus",
    description:
      "Fine-tuning in us-west-2 on a bucket classified public (a licensed open corpus): no personal data involved.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: customModel({ jobRegion: "us-west-2", classification: "public" }),
  },
  {
    name: "bedrock-finetune-us-west-2-existing-bucket-tagged-job",
    description:
      "The training set lives in an existing bucket read through data.aws_s3_bucket (no tags visible); the team tags the customization job itself DataClassification=personal. The job runs in us-west-2: personal-data training outside Korea.",
    expect: { "kr-localization": fail(R.TRAIN_OUT), "risk-based": PASS },
    plan: customModel({ jobRegion: "us-west-2", existingBucket: true, jobTag: "personal" }),
  },
  {
    name: "bedrock-finetune-us-east-1-no-vpc-no-cmk",
    description:
      "Fine-tuning in us-east-1 on the personal transcripts without vpc_config and without custom_model_kms_key_id: outside Korea, not isolated, and the custom model is encrypted with an AWS-owned key.",
    expect: { "kr-localization": fail(R.TRAIN_OUT, R.PRIVATE, R.CMK), "risk-based": fail(R.CMK) },
    plan: customModel({ jobRegion: "us-east-1", vpc: false, kms: false }),
  },
  {
    name: "bedrock-agent-kb-apac-cross-region-profile",
    description:
      "An HR helpdesk agent in Seoul answers from a knowledge base over personal HR case files, using the system-defined cross-Region inference profile apac.anthropic.claude-3-5-sonnet: requests carrying personal data may be served outside Korea.",
    expect: { "kr-localization": fail(R.CRIS), "risk-based": PASS },
    plan: knowledgeAgent({ model: "apac.anthropic.claude-3-5-sonnet-20241022-v2:0" }),
  },
  {
    name: "bedrock-agent-kb-in-region-model",
    description:
      "The same agent and knowledge base with the in-Region model id anthropic.claude-3-5-sonnet-20240620-v1:0 in ap-northeast-2. Compliant.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: knowledgeAgent({ model: "anthropic.claude-3-5-sonnet-20240620-v1:0" }),
  },
  {
    name: "bedrock-agent-kb-global-profile-internal-docs",
    description:
      "The agent uses the global. cross-Region profile but its knowledge base holds internal (non-personal) policy documents only: no personal data crosses the border.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: knowledgeAgent({ model: "global.anthropic.claude-sonnet-4-20250514-v1:0", classification: "internal" }),
  },
  {
    name: "bedrock-agent-kb-us-cross-region-profile",
    description:
      "The HR agent over personal cases uses the us. cross-Region inference profile from Seoul: requests may be served in US Regions.",
    expect: { "kr-localization": fail(R.CRIS), "risk-based": PASS },
    plan: knowledgeAgent({ model: "us.anthropic.claude-3-7-sonnet-20250219-v1:0" }),
  },
  {
    name: "bedrock-finetune-us-west-2-existing-bucket-untagged",
    description:
      "Fine-tuning in us-west-2 on an existing bucket read through data.aws_s3_bucket with no classification anywhere: reported as unclassified (advisory), not judged personal.",
    expect: { "kr-localization": PASS, "risk-based": PASS },
    plan: customModel({ jobRegion: "us-west-2", existingBucket: true }),
  },
];
