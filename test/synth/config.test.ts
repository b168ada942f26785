// The synth guard and the CLI read one configuration file: waivers and policy set there apply
// at `cdktf synth` and at the gate alike, and `synth: "report"` (or RESIDENCY_GUARD_SYNTH=report)
// lets synthesis write cdktf.out with the violations reported, so `check cdktf.out` writes SARIF.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import type { Construct } from "constructs";
import { ResidencyGuard } from "../../src/synth";
import { EXAMPLE_STACKS } from "../../stacks/examples";
import { runCli } from "../cli/helpers";
import { compiledPolicyPath } from "../helpers/policy";
import { sarifErrors } from "../reporters/sarif-validator";

jest.setTimeout(120_000);

let dir: string;
let policy: string;
beforeAll(() => {
  policy = compiledPolicyPath();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rg-synth-config-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeConfig(doc: Record<string, unknown>): string {
  const file = path.join(dir, "residency-guard.config.json");
  fs.writeFileSync(file, JSON.stringify({ policy, ...doc }, null, 2));
  return file;
}

/** Synthesizes the violating example stack into dir/cdktf.out; returns the error message or "". */
function synth(configFile: string, options: { mode?: "stop" | "report" } = {}): { error: string; log: string[] } {
  const log: string[] = [];
  const app = new App({ outdir: path.join(dir, "cdktf.out") });
  EXAMPLE_STACKS["global-burst"]!(app as Construct);
  ResidencyGuard.attach(app, { configFile, log: (l) => log.push(l), ...options });
  try {
    app.synth();
    return { error: "", log };
  } catch (err) {
    return { error: (err as Error).message, log };
  }
}

describe("one configuration for the synth guard and the gate", () => {
  it("stops synthesis by default and writes no stack", () => {
    const r = synth(writeConfig({}));
    expect(r.error).toContain("residency/personal-training-outside-korea");
    expect(fs.existsSync(path.join(dir, "cdktf.out", "stacks", "global-burst", "cdk.tf.json"))).toBe(false);
  });

  it('with synth: "report" writes cdktf.out, and check on it fails with valid SARIF', async () => {
    const config = writeConfig({ synth: "report" });
    const r = synth(config);
    expect(r.error).toBe("");
    expect(r.log.join("\n")).toMatch(/residency-guard violation \(report mode\): MANDATORY residency\//);
    expect(r.log.join("\n")).toMatch(/report mode \(RESIDENCY_GUARD_SYNTH=report\): \d+ violation\(s\) not stopping/);
    const gate = await runCli(["check", "cdktf.out", "--format", "sarif", "--output", "gate.sarif"], {
      cwd: dir,
      env: {},
    });
    expect(gate.code).toBe(1);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, "gate.sarif"), "utf8"));
    expect(sarifErrors(sarif)).toBeNull();
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
  });

  it("the attach option and the environment variable choose the mode too; the variable wins", () => {
    const config = writeConfig({});
    expect(synth(config, { mode: "report" }).error).toBe("");
    process.env.RESIDENCY_GUARD_SYNTH = "stop";
    try {
      expect(synth(config, { mode: "report" }).error).toContain("MANDATORY");
    } finally {
      delete process.env.RESIDENCY_GUARD_SYNTH;
    }
  });

  it("waivers in the configuration pass synthesis and the gate alike", async () => {
    // The mandatory findings, from a report-mode synthesis and the gate's JSON report.
    synth(writeConfig({ synth: "report" }));
    const first = await runCli(["check", "cdktf.out", "-f", "json"], { cwd: dir, env: {} });
    const failing = (JSON.parse(first.stdout).findings as Array<Record<string, string>>).filter(
      (f) => f.status === "violation" && f.level === "mandatory",
    );
    expect(failing.length).toBeGreaterThan(0);
    const waivers = failing.map((f) => ({
      rule: f.rule,
      address: f.address,
      stack: "global-burst",
      reason: "pilot approved by the privacy office",
      approver: "dpo@example.com",
      expires: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    }));
    fs.writeFileSync(path.join(dir, "waivers.json"), JSON.stringify({ waivers }));
    fs.rmSync(path.join(dir, "cdktf.out"), { recursive: true });
    const config = writeConfig({ waivers: "waivers.json", waiverLimits: { maxDays: 60 } });
    const r = synth(config);
    expect(r.error).toBe("");
    const gate = await runCli(["check", "cdktf.out", "-f", "json"], { cwd: dir, env: {} });
    expect(gate.code).toBe(0);
    expect(JSON.parse(gate.stdout).summary).toMatchObject({ mandatory: 0, waived: failing.length });
  });

  it("a waiver breaking the configuration's limits stops synthesis and the gate, naming the file", async () => {
    fs.writeFileSync(
      path.join(dir, "waivers.yaml"),
      "waivers:\n  - rule: residency/personal-training-outside-korea\n    address: '*'\n    reason: everything\n    approver: me\n    expires: 2099-12-31\n",
    );
    const config = writeConfig({ waivers: "waivers.yaml", synth: "report" });
    const r = synth(config);
    expect(r.error).toMatch(/waivers\.yaml: waivers\[0\]: address "\*" waives .* on every resource/);
    // synthesis wrote nothing: the gate judges a plan with the same configuration.
    const plan = path.resolve(__dirname, "../cli/fixtures/personal-training-us.plan.json");
    const gate = await runCli(["check", plan], { cwd: dir, env: {} });
    expect(gate.code).toBe(2);
    expect(gate.stderr).toMatch(/^residency-guard: \S*waivers\.yaml:3:14: waivers\[0\]: address "\*" waives/);
  });

  it("compiles the configuration's own Rego folder for synthesis, with its METADATA titles", () => {
    fs.mkdirSync(path.join(dir, "rego"));
    fs.writeFileSync(
      path.join(dir, "rego", "owner.rego"),
      [
        "package acme",
        "",
        "# METADATA",
        "# title: Buckets need an Owner tag",
        "# custom:",
        "#   id: acme/bucket-owner",
        "#   level: mandatory",
        "findings contains f if {",
        "\tsome address, r in input.resources",
        '\tr.type == "aws_s3_bucket"',
        "\tnot r.tags.CostCenter",
        '\tf := {"rule": "acme/bucket-owner", "address": address, "message": "no Owner tag"}',
        "}",
        "",
      ].join("\n"),
    );
    const file = path.join(dir, "residency-guard.config.json");
    fs.writeFileSync(file, JSON.stringify({ policies: "rego", entrypoint: "acme/findings" }));
    process.env.RESIDENCY_GUARD_CACHE_DIR = path.join(dir, "cache");
    try {
      const r = synth(file);
      expect(r.error).toContain("MANDATORY acme/bucket-owner: Buckets need an Owner tag");
      expect(r.error).not.toContain("residency/");
    } finally {
      delete process.env.RESIDENCY_GUARD_CACHE_DIR;
    }
  });
});
