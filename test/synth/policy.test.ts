// The example stacks judged by the real compiled policy through the synth guard: which stacks
// fail `app.synth()` under which profile, and that findings carry construct paths, resolved
// locations and lineage back to the personal dataset.

import * as fs from "node:fs";
import * as path from "node:path";
import { Testing, type TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { Finding, ProfileName } from "../../src/core/findings";
import { ResidencyGuard, type StackGuardResult } from "../../src/synth";
import { EXAMPLE_STACKS } from "../../stacks/examples";
import { compiledPolicyPath } from "../helpers/policy";

let policyFile: string | undefined;
let compileError = "";
try {
  policyFile = compiledPolicyPath();
} catch (err) {
  compileError = (err as Error).message.split("\n")[0];
}
const suite = policyFile ? describe : describe.skip;
const title = policyFile
  ? "example stacks under the compiled policy"
  : `example stacks under the compiled policy SKIPPED: policies/ does not compile (${compileError})`;

interface Outcome {
  failed: boolean;
  message: string;
  result: StackGuardResult;
  findings: Finding[];
}

function judge(key: string, profile: ProfileName, extra: { waiversFile?: string; now?: Date } = {}): Outcome {
  const app = Testing.app();
  const stack: TerraformStack = EXAMPLE_STACKS[key](app as Construct);
  ResidencyGuard.attach(app, { profile, policyFile, log: () => undefined, ...extra });
  let failed = false;
  let message = "";
  try {
    app.synth();
  } catch (err) {
    failed = true;
    message = (err as Error).message;
  }
  const result = ResidencyGuard.resultsOf(stack)!;
  return { failed, message, result, findings: result.results.flatMap((r) => r.findings) };
}

const mandatory = (o: Outcome) => o.findings.filter((f) => f.level === "mandatory" && f.status === "violation");
const byRule = (o: Outcome, rule: string) => o.findings.filter((f) => f.rule === rule);
const lastStep = (f: Finding) => f.lineage[f.lineage.length - 1]?.address ?? "";

suite(title, () => {
  test.each(["kr-localization", "risk-based"] as const)("compliant Seoul stack passes %s", (profile) => {
    const o = judge("compliant", profile);
    expect(o.result.errors).toEqual([]);
    expect(o.failed).toBe(false);
    expect(mandatory(o)).toEqual([]);
    expect(o.result.results[0].summary.resources).toBeGreaterThan(20);
  });

  test("Testing.fullSynth runs the guard: the compliant stack is written, a violating one is not", () => {
    const ok = EXAMPLE_STACKS.compliant(Testing.app() as Construct);
    ResidencyGuard.attach(ok, { profile: "kr-localization", policyFile, log: () => undefined });
    const outdir = Testing.fullSynth(ok);
    expect(fs.existsSync(path.join(outdir, "stacks", "kr-sovereign-training", "cdk.tf.json"))).toBe(true);
    const bad = EXAMPLE_STACKS["global-burst"](Testing.app() as Construct);
    ResidencyGuard.attach(bad, { profile: "kr-localization", policyFile, log: () => undefined });
    expect(() => Testing.fullSynth(bad)).toThrow(/MANDATORY residency\/personal-training-outside-korea/);
  });

  test("global burst fails kr-localization: training in us-east-1 traced to the personal data", () => {
    const o = judge("global-burst", "kr-localization");
    expect(o.failed).toBe(true);
    const outside = byRule(o, "residency/personal-training-outside-korea");
    const bedrock = outside.find((f) => f.address.startsWith("aws_bedrock_custom_model."))!;
    expect(bedrock.constructPath).toBe("global-burst/nova-fine-tune/model");
    expect(bedrock.location).toMatchObject({ cloud: "aws", region: "us-east-1", source: "provider-config" });
    expect(lastStep(bedrock)).toMatch(/^aws_s3_bucket\.customer-chats-us_bucket_/);
    const host = outside.find((f) => f.constructPath === "global-burst/us-gpu-burst/host-0")!;
    expect(host.location.region).toBe("us-east-1");
    // The host reads the Seoul bucket (its user data syncs the dataset URI).
    expect(host.lineage[0].address).toBe(host.address);
    expect(lastStep(host)).toMatch(/^aws_s3_bucket\.customer-chats_bucket_/);
    const replicated = byRule(o, "cross-border/personal-data-replicated-abroad");
    expect(replicated.map((f) => f.address)).toContain("aws_s3_bucket_replication_configuration.replicate-abroad");
    const replica = byRule(o, "residency/personal-store-outside-korea").map((f) => f.constructPath);
    expect(replica).toContain("global-burst/customer-chats-us/bucket");
    // IAM roles, keys and networks are not training workloads: no finding on them.
    expect(o.findings.filter((f) => /^aws_(iam_|kms_|vpc|subnet)/.test(f.address))).toEqual([]);
    expect(o.message).toContain("MANDATORY residency/personal-training-outside-korea");
    expect(o.message).toContain("(construct global-burst/nova-fine-tune/model)");
  });

  test("shared-tenancy Seoul stack fails kr-localization on private cloud, not on location", () => {
    const o = judge("shared-tenancy", "kr-localization");
    expect(o.failed).toBe(true);
    expect(byRule(o, "residency/personal-training-outside-korea")).toEqual([]);
    const shared = byRule(o, "private-cloud/personal-training-shared-infrastructure").map((f) => f.constructPath);
    expect(shared).toEqual(
      expect.arrayContaining([
        "kr-shared-internet/notebook/notebook",
        "kr-shared-internet/gpu-hosts/host-0",
        "kr-shared-internet/eks/gpu-nodes",
      ]),
    );
  });

  test("shared-tenancy stack also fails risk-based: public IPs and direct internet on personal-data compute", () => {
    const o = judge("shared-tenancy", "risk-based");
    expect(o.failed).toBe(true);
    expect(byRule(o, "private-cloud/personal-training-shared-infrastructure")).toEqual([]);
    expect(byRule(o, "safeguards/public-access").map((f) => f.constructPath)).toEqual(
      expect.arrayContaining(["kr-shared-internet/notebook/notebook", "kr-shared-internet/gpu-hosts/host-0"]),
    );
  });

  test("risk-based stack: fails kr-localization for location, passes risk-based", () => {
    const kr = judge("risk-based", "kr-localization");
    expect(kr.failed).toBe(true);
    const outside = byRule(kr, "residency/personal-training-outside-korea");
    expect(outside.map((f) => f.location.region)).toContain("us-west-2");
    const rb = judge("risk-based", "risk-based");
    expect(rb.result.errors).toEqual([]);
    expect(mandatory(rb)).toEqual([]);
  });

  test("waivers: the us-west-2 pilot passes kr-localization while the waiver lasts; an expired waiver stops synthesis", () => {
    const waiversFile = path.resolve(__dirname, "../../stacks/waivers/us-west-2-pilot.yaml");
    const during = judge("risk-based", "kr-localization", { waiversFile, now: new Date("2027-01-15T00:00:00Z") });
    expect(during.result.errors).toEqual([]);
    expect(during.failed).toBe(false);
    const waived = during.findings.filter((f) => f.status === "waived");
    expect(waived.map((f) => f.rule).sort()).toEqual([
      "residency/personal-store-outside-korea",
      "residency/personal-training-outside-korea",
    ]);
    expect(waived.every((f) => f.waiver?.approver === "dpo@acme.example")).toBe(true);
    const after = judge("risk-based", "kr-localization", { waiversFile, now: new Date("2027-07-01T00:00:00Z") });
    expect(after.failed).toBe(true);
    // An expired waiver is a configuration error: synthesis stops and names the waiver.
    expect(after.message).toContain(
      "waiver for residency/personal-training-outside-korea on aws_instance.gpu-fleet_host-* expired on 2027-06-30",
    );
  });

  test("aliases stack: per-resource region and provider alias both resolve; Seoul fleet passes", () => {
    const o = judge("aliases", "kr-localization");
    expect(o.failed).toBe(true);
    const notebook = byRule(o, "residency/personal-training-outside-korea").find(
      (f) => f.constructPath === "alias-and-region/us-notebook/notebook",
    )!;
    expect(notebook.location).toMatchObject({ region: "us-east-1", source: "resource-region" });
    const store = byRule(o, "residency/personal-store-outside-korea").find((f) =>
      f.address.startsWith("aws_s3_bucket.voice-samples-tokyo_bucket_"),
    )!;
    expect(store.location).toMatchObject({ region: "ap-northeast-1", source: "provider-config" });
    expect(mandatory(o).filter((f) => (f.constructPath ?? "").startsWith("alias-and-region/seoul-gpu"))).toEqual([]);
  });
});
