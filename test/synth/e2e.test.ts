// End to end: the real `cdktf synth` CLI (CHECKPOINT_DISABLE=1, offline) on a small temporary
// app that attaches the guard with the compiled policy. A violating stack must exit non-zero
// and print the findings; the compliant one must exit zero and write its JSON.

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { compiledPolicyPath } from "../helpers/policy";

const ROOT = path.resolve(__dirname, "../..");
const BUILT = path.join(ROOT, "dist/policies/residency-guard.wasm");

/**
 * The policy under test: $RESIDENCY_GUARD_POLICY, else policies/ compiled in-process (always
 * matches the sources), else the built dist/policies/residency-guard.wasm.
 */
function findPolicy(): { file?: string; why?: string } {
  if (process.env.RESIDENCY_GUARD_POLICY) {
    const file = process.env.RESIDENCY_GUARD_POLICY;
    return fs.existsSync(file) ? { file } : { why: `RESIDENCY_GUARD_POLICY=${file} does not exist` };
  }
  let compileError: string;
  try {
    return { file: compiledPolicyPath() };
  } catch (err) {
    compileError = (err as Error).message.split("\n")[0];
  }
  if (fs.existsSync(BUILT)) return { file: BUILT };
  return { why: `policies/ does not compile (${compileError}) and ${path.relative(ROOT, BUILT)} does not exist` };
}
const found = findPolicy();
const POLICY = found.file ?? "";
const CDKTF = path.join(ROOT, "node_modules/.bin/cdktf");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

const APP = `
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { GpuTrainingFleet, PersonalDataset, PrivateTrainingNetwork } from "${ROOT}/stacks/constructs";
import { ResidencyGuard } from "${ROOT}/src/synth";

const app = new App();
const stack = new TerraformStack(app, process.env.E2E_STACK!);
new AwsProvider(stack, "aws", { region: "ap-northeast-2" });
const dataset = new PersonalDataset(stack, "dataset", { bucketName: "e2e-personal-dataset" });
if (process.env.E2E_STACK === "violating") {
  // Training abroad on shared tenancy, reading the Korean personal dataset.
  const us = new AwsProvider(stack, "aws-us", { region: "us-east-1", alias: "us" });
  const network = new PrivateTrainingNetwork(stack, "network", { provider: us, regionName: "us-east-1", instanceTenancy: "default" });
  new GpuTrainingFleet(stack, "fleet", { provider: us, dataset, network, tenancy: "default" });
} else {
  const network = new PrivateTrainingNetwork(stack, "network", { regionName: "ap-northeast-2" });
  new GpuTrainingFleet(stack, "fleet", { dataset, network, tenancy: "dedicated" });
}
ResidencyGuard.attach(app, { profile: "kr-localization", policyFile: process.env.E2E_POLICY });
app.synth();
`;

function synth(dir: string, stack: string): { status: number | null; output: string } {
  const r = spawnSync(CDKTF, ["synth"], {
    cwd: dir,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1", FORCE_COLOR: "0", E2E_STACK: stack, E2E_POLICY: POLICY },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

const haveCli = fs.existsSync(CDKTF) && fs.existsSync(TSX);
const havePolicy = found.file !== undefined;
const reason = !haveCli ? "cdktf CLI or tsx missing under node_modules/.bin" : `compiled policy missing: ${found.why}`;
const suite = haveCli && havePolicy ? describe : describe.skip;

suite(haveCli && havePolicy ? "cdktf synth with the guard (e2e)" : `cdktf synth e2e SKIPPED: ${reason}`, () => {
  let dir: string;
  beforeAll(() => {
    // Inside the repo (.tmp is gitignored) so `cdktf` and the provider resolve from node_modules.
    fs.mkdirSync(path.join(ROOT, ".tmp"), { recursive: true });
    dir = fs.mkdtempSync(path.join(ROOT, ".tmp", "e2e-synth-"));
    fs.writeFileSync(path.join(dir, "app.ts"), APP);
    fs.writeFileSync(
      path.join(dir, "cdktf.json"),
      JSON.stringify({ language: "typescript", app: `${TSX} app.ts`, output: "cdktf.out", sendCrashReports: "false" }),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("violating stack: non-zero exit listing mandatory findings with construct path and remediation", () => {
    const r = synth(dir, "violating");
    expect(r.status).not.toBe(0);
    expect(r.output).toContain("MANDATORY residency/");
    expect(r.output).toMatch(/construct violating\/fleet\/host-0/);
    expect(r.output).toContain("location:    aws us-east-1");
    expect(r.output).toContain("remediation:");
    expect(r.output).toContain('residency-guard: stack "violating" profile kr-localization');
    expect(fs.existsSync(path.join(dir, "cdktf.out/stacks/violating/cdk.tf.json"))).toBe(false);
  }, 150_000);

  test("compliant stack: zero exit and the stack JSON is written", () => {
    const r = synth(dir, "compliant");
    expect(r.output).not.toContain("MANDATORY");
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(dir, "cdktf.out/stacks/compliant/cdk.tf.json"))).toBe(true);
  }, 150_000);
});
