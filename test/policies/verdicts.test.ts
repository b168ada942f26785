// Verdicts of every rule on the fixture corpus, through the compiled Wasm and the engine: each
// rule fires on its case and not on its neighbours, under both profiles.

import type { EvaluationResult, ProfileName } from "../../src/core/findings";
import type { Guard } from "../../src/engine";
import { fixture, testGuard } from "../helpers/policy";

let guard: Guard;
let dedicated: Guard;

beforeAll(() => {
  guard = testGuard();
  dedicated = testGuard({ data: { residency_guard: { settings: { private_cloud: { reading: "dedicated" } } } } });
});

/** `rule address` of every violation, sorted. */
const violations = (r: EvaluationResult): string[] =>
  r.findings
    .filter((f) => f.status === "violation")
    .map((f) => `${f.rule} ${f.address}`)
    .sort();

interface Case {
  fixture: string;
  profile: ProfileName;
  reading?: "dedicated";
  expect: string[];
}

const TRAIN_OUT = "residency/personal-training-outside-korea";
const STORE_OUT = "residency/personal-store-outside-korea";
const UNRESOLVED = "residency/unresolved-location";
const BEDROCK_REGION = "residency/bedrock-customization-region";
const PRIVATE = "private-cloud/personal-training-shared-infrastructure";
const COPY = "cross-border/personal-data-replicated-abroad";
const CRIS = "cross-border/bedrock-cross-region-inference";
const CMK = "safeguards/customer-managed-key";
const PUBLIC = "safeguards/public-access";
const TRANSIT = "safeguards/in-transit-encryption";
const LOGGING = "safeguards/access-logging";
const SECTOR_ISO = "sector/regulated-network-isolation";
const SECTOR_LOG = "sector/regulated-access-logging";
const SECTOR_KEY = "sector/regulated-key-rotation";

const cases: Case[] = [
  { fixture: "seoul-compliant.json", profile: "kr-localization", expect: [] },
  { fixture: "seoul-compliant.json", profile: "risk-based", expect: [] },
  {
    fixture: "training-outside-korea.json",
    profile: "kr-localization",
    expect: [`${TRAIN_OUT} aws_sagemaker_notebook_instance.us_copy`, `${TRAIN_OUT} module.fleet.aws_instance.gpu[0]`],
  },
  { fixture: "training-outside-korea.json", profile: "risk-based", expect: [] },
  {
    fixture: "store-outside-korea.json",
    profile: "kr-localization",
    expect: [`${STORE_OUT} aws_s3_bucket.b_abroad`, `${STORE_OUT} module.data.aws_s3_bucket.raw`],
  },
  { fixture: "store-outside-korea.json", profile: "risk-based", expect: [] },
  {
    fixture: "unresolved-location.json",
    profile: "kr-localization",
    expect: [`${UNRESOLVED} aws_s3_bucket.dataset`, `${UNRESOLVED} aws_sagemaker_notebook_instance.research`],
  },
  { fixture: "unresolved-location.json", profile: "risk-based", expect: [] },
  {
    fixture: "shared-infrastructure.json",
    profile: "kr-localization",
    expect: [
      `${PRIVATE} aws_eks_node_group.gpu_public`,
      `${PRIVATE} aws_instance.public`,
      `${PRIVATE} aws_sagemaker_domain.open`,
      `${PRIVATE} aws_sagemaker_notebook_instance.research`,
      `${PRIVATE} aws_sagemaker_pipeline.finetune`,
      `${PUBLIC} aws_eks_node_group.gpu_public`,
      `${PUBLIC} aws_instance.public`,
      `${PUBLIC} aws_sagemaker_domain.open`,
      `${PUBLIC} aws_sagemaker_notebook_instance.research`,
    ].sort(),
  },
  {
    fixture: "shared-infrastructure.json",
    profile: "kr-localization",
    reading: "dedicated",
    expect: [
      `${PRIVATE} aws_eks_node_group.gpu_private`,
      `${PRIVATE} aws_eks_node_group.gpu_public`,
      `${PRIVATE} aws_instance.private_shared`,
      `${PRIVATE} aws_instance.public`,
      `${PRIVATE} aws_sagemaker_domain.open`,
      `${PRIVATE} aws_sagemaker_domain.private`,
      `${PRIVATE} aws_sagemaker_notebook_instance.research`,
      `${PRIVATE} aws_sagemaker_pipeline.finetune`,
      `${PUBLIC} aws_eks_node_group.gpu_public`,
      `${PUBLIC} aws_instance.public`,
      `${PUBLIC} aws_sagemaker_domain.open`,
      `${PUBLIC} aws_sagemaker_notebook_instance.research`,
    ].sort(),
  },
  {
    fixture: "shared-infrastructure.json",
    profile: "risk-based",
    expect: [
      `${PUBLIC} aws_eks_node_group.gpu_public`,
      `${PUBLIC} aws_instance.public`,
      `${PUBLIC} aws_sagemaker_domain.open`,
      `${PUBLIC} aws_sagemaker_notebook_instance.research`,
    ],
  },
  {
    fixture: "cross-border.json",
    profile: "kr-localization",
    expect: [
      `${COPY} aws_backup_plan.daily`,
      `${COPY} aws_db_instance.members_dr`,
      `${COPY} aws_dynamodb_table.profiles`,
      `${COPY} aws_ecr_replication_configuration.registry`,
      `${COPY} aws_kms_replica_key.dr`,
      `${COPY} aws_s3_bucket_replication_configuration.dataset`,
      `${COPY} aws_s3_bucket_replication_configuration.features`,
      `${CRIS} aws_bedrock_inference_profile.members_app`,
      `${CRIS} aws_bedrockagent_agent.support`,
      // The replication destination holds copies of personal data (settings.graph.copies), so its
      // safeguards are judged too; the 4-hop lineage never looked at it.
      `${CMK} aws_s3_bucket.replica`,
      `${LOGGING} aws_s3_bucket.replica`,
      `${PUBLIC} aws_s3_bucket.replica`,
      `${TRANSIT} aws_s3_bucket.replica`,
    ].sort(),
  },
  {
    fixture: "cross-border.json",
    profile: "risk-based",
    expect: [
      `${CMK} aws_s3_bucket.replica`,
      `${LOGGING} aws_s3_bucket.replica`,
      `${PUBLIC} aws_s3_bucket.replica`,
      `${TRANSIT} aws_s3_bucket.replica`,
    ].sort(),
  },
  {
    fixture: "safeguards.json",
    profile: "kr-localization",
    expect: [
      `${CMK} aws_db_instance.members`,
      `${CMK} aws_s3_bucket.raw`,
      `${LOGGING} aws_db_instance.members`,
      `${LOGGING} aws_s3_bucket.raw`,
      `${PUBLIC} aws_db_instance.members`,
      `${PUBLIC} aws_s3_bucket.raw`,
      `${TRANSIT} aws_s3_bucket.raw`,
    ].sort(),
  },
  {
    fixture: "safeguards.json",
    profile: "risk-based",
    expect: [
      `${CMK} aws_db_instance.members`,
      `${CMK} aws_s3_bucket.raw`,
      `${LOGGING} aws_db_instance.members`,
      `${LOGGING} aws_s3_bucket.raw`,
      `${PUBLIC} aws_db_instance.members`,
      `${PUBLIC} aws_s3_bucket.raw`,
      `${TRANSIT} aws_s3_bucket.raw`,
    ].sort(),
  },
  {
    fixture: "sector.json",
    profile: "kr-localization",
    expect: [
      `${LOGGING} aws_s3_bucket.ehr`,
      `${PRIVATE} aws_instance.trainer`,
      `${PUBLIC} aws_instance.trainer`,
      `${TRAIN_OUT} aws_instance.trainer`,
    ].sort(),
  },
  {
    fixture: "sector.json",
    profile: "risk-based",
    expect: [
      `${LOGGING} aws_s3_bucket.ehr`,
      `${PUBLIC} aws_instance.trainer`,
      `${SECTOR_ISO} aws_instance.trainer`,
      `${SECTOR_LOG} aws_s3_bucket.ehr`,
      `${SECTOR_KEY} aws_s3_bucket.payments`,
    ].sort(),
  },
  {
    fixture: "lifecycle.json",
    profile: "kr-localization",
    expect: [
      `${TRAIN_OUT} aws_instance.pool["singapore"]`,
      `${TRAIN_OUT} aws_instance.rebuild`,
      `${TRAIN_OUT} aws_launch_template.batch`,
    ].sort(),
  },
  { fixture: "lifecycle.json", profile: "risk-based", expect: [] },
  {
    fixture: "bedrock-customization.json",
    profile: "kr-localization",
    expect: [
      `${BEDROCK_REGION} aws_bedrock_custom_model.seoul`,
      `${PRIVATE} aws_bedrock_custom_model.virginia`,
      `${TRAIN_OUT} aws_bedrock_custom_model.virginia`,
    ].sort(),
  },
  { fixture: "bedrock-customization.json", profile: "risk-based", expect: [] },
  {
    fixture: "multi-cloud.json",
    profile: "kr-localization",
    expect: [
      `${PRIVATE} azurerm_machine_learning_compute_cluster.train`,
      `${PRIVATE} google_vertex_ai_custom_job.finetune`,
      `${PRIVATE} ncloud_server.gpu`,
      `${PRIVATE} oci_datascience_job.train`,
      `${TRAIN_OUT} google_vertex_ai_custom_job.finetune`,
      `${TRAIN_OUT} ncloud_server.gpu`,
      `${CMK} google_storage_bucket.google_managed`,
    ].sort(),
  },
  { fixture: "multi-cloud.json", profile: "risk-based", expect: [`${CMK} google_storage_bucket.google_managed`] },
];

describe.each(cases.map((c) => ({ ...c, reading: c.reading ?? "isolated" })))(
  "$fixture under $profile (reading $reading)",
  (c) => {
    it("reports exactly the expected violations", () => {
      const g = c.reading === "dedicated" ? dedicated : guard;
      expect(violations(g.evaluate(fixture(c.fixture), c.profile))).toEqual(c.expect);
    });
  },
);

describe("finding contents", () => {
  it("shows the lineage from the workload to the tagged data", () => {
    const r = guard.evaluate(fixture("training-outside-korea.json"), "kr-localization");
    const f = r.findings.find((x) => x.address === "aws_sagemaker_notebook_instance.us_copy")!;
    expect(f.lineage.map((s) => s.address)).toEqual([
      "aws_sagemaker_notebook_instance.us_copy",
      "aws_iam_role.trainer",
      "aws_iam_role_policy.trainer",
      "aws_s3_bucket.dataset",
    ]);
    expect(f.lineage[0].reason).toBe("references aws_iam_role.trainer via role_arn");
    expect(f.lineage[1].reason).toBe("is linked by aws_iam_role_policy.trainer via role");
    expect(f.lineage[3].reason).toBe("tagged DataClassification=personal");
    expect(f.level).toBe("mandatory");
    expect(f.title).toBe("Personal-data training outside Korea");
    expect(f.message).toContain("aws us-east-1");
    expect(f.message).toContain("ap-northeast-2");
    expect(f.remediation).toMatch(/Korean region/);
    expect(f.location).toEqual({
      cloud: "aws",
      region: "us-east-1",
      source: "provider-config",
      detail: 'provider "aws.us" (region = "us-east-1")',
    });
    expect(f.file).toBe("test/fixtures/policies/training-outside-korea.json");
    expect(f.profile).toBe("kr-localization");
  });

  it("follows four hops through an instance profile, and reports the store itself with an empty lineage", () => {
    const r = guard.evaluate(fixture("sector.json"), "risk-based");
    const iso = r.findings.find((x) => x.rule === "sector/regulated-network-isolation")!;
    expect(iso.lineage.map((s) => s.address)).toEqual([
      "aws_instance.trainer",
      "aws_iam_instance_profile.trainer",
      "aws_iam_role.trainer",
      "aws_iam_role_policy.trainer",
      "aws_s3_bucket.ehr",
    ]);
    expect(iso.message).toContain("healthcare");
    expect(iso.message).toContain("public IP");
    const log = r.findings.find((x) => x.rule === "sector/regulated-access-logging")!;
    expect(log.lineage).toEqual([]);
    expect(log.message).toContain("tagged DataClassification=personal");
  });

  it("finds a store abroad on a path other than the one the lineage shows", () => {
    const r = guard.evaluate(fixture("store-outside-korea.json"), "kr-localization");
    const f = r.findings.find((x) => x.address === "aws_s3_bucket.b_abroad")!;
    expect(f.message).toContain("aws_sagemaker_notebook_instance.multi");
    expect(f.lineage).toEqual([]);
    const multi = guard.evaluate(fixture("store-outside-korea.json"), "kr-localization");
    expect(multi.findings.some((x) => x.address === "aws_s3_bucket.a_seoul")).toBe(false);
  });

  it("names unknown locations and where they come from", () => {
    const r = guard.evaluate(fixture("unresolved-location.json"), "kr-localization");
    const f = r.findings.find((x) => x.address === "aws_sagemaker_notebook_instance.research")!;
    expect(f.message).toContain("unknown-at-plan");
    expect(f.message).toContain("var.region");
  });

  it("names every gap of a workload off private infrastructure", () => {
    const r = guard.evaluate(fixture("shared-infrastructure.json"), "kr-localization");
    const f = r.findings.find((x) => x.rule === PRIVATE && x.address === "aws_sagemaker_notebook_instance.research")!;
    expect(f.message).toContain("direct internet access");
    expect(f.message).toContain("subnet_id");
    expect(f.message).toContain("reading: isolated");
  });

  it("describes each cross-border copy", () => {
    const r = guard.evaluate(fixture("cross-border.json"), "kr-localization");
    const msg = (a: string) => r.findings.find((x) => x.address === a)!.message;
    expect(msg("aws_s3_bucket_replication_configuration.dataset")).toContain("aws_s3_bucket.replica in aws us-east-1");
    expect(msg("aws_s3_bucket_replication_configuration.features")).toContain("cannot be resolved");
    expect(msg("aws_dynamodb_table.profiles")).toContain("Region us-east-1");
    expect(msg("aws_backup_plan.daily")).toContain("us-west-2");
    expect(msg("aws_bedrockagent_agent.support")).toContain("foundation_model = apac.");
    const agent = r.findings.find((x) => x.address === "aws_bedrockagent_agent.support")!;
    expect(agent.lineage.map((s) => s.address)).toEqual([
      "aws_bedrockagent_agent.support",
      "aws_bedrockagent_agent_knowledge_base_association.support",
      "aws_bedrockagent_knowledge_base.members",
      "aws_bedrockagent_data_source.members",
      "aws_s3_bucket.dataset",
    ]);
  });

  it("counts judged resources without deletes and summarises by level", () => {
    const input = fixture("lifecycle.json");
    const r = guard.evaluate(input, "kr-localization");
    const live = Object.values(input.resources).filter((x) => x.action !== "delete").length;
    expect(r.summary).toEqual({ resources: live, mandatory: 3, advisory: 0, waived: 0 });
    expect(r.findings.some((f) => f.address === "aws_instance.legacy")).toBe(false);
  });
});
