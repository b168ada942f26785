// The gate end to end: real reader, real engine and the policies compiled by the project's own
// compiler (test/helpers/policy.ts). Checks what a user sees, not how rules decide.

import * as fs from "node:fs";
import * as path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { compile } from "../../compiler";
import { compiledPolicyPath } from "../helpers/policy";
import { sarifErrors } from "../reporters/sarif-validator";
import { hasStackTrace, runCli, tempDir } from "./helpers";

const plan = path.join(__dirname, "fixtures", "personal-training-us.plan.json");
let policy: string;
let dir: string;

beforeAll(() => {
  policy = compiledPolicyPath();
}, 300_000);
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

interface ReportFinding {
  rule: string;
  address: string;
  level: string;
  status: string;
  lineage: Array<{ address: string; reason: string }>;
  location: { region: string | null; source: string };
}

describe("residency-guard check with the compiled policy", () => {
  it("fails a personal-data training notebook in us-east-1 and shows the data path", async () => {
    const r = await runCli(["check", plan, "--policy", policy, "-f", "json", "-f", "text", "-o", "out.txt"], {
      cwd: dir,
    });
    expect(r.stderr).toMatch(/^residency-guard: policy .* sha256 [0-9a-f]{64}\n$/);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.policy.sha256).toMatch(/^[0-9a-f]{64}$/);
    const us = (report.findings as ReportFinding[]).find(
      (f) =>
        f.rule === "residency/personal-training-outside-korea" && f.address === "aws_sagemaker_notebook_instance.train",
    );
    expect(us).toMatchObject({
      level: "mandatory",
      status: "violation",
      location: { region: "us-east-1", source: "provider-config" },
    });
    expect(us!.lineage.map((s) => s.address)).toContain("aws_s3_bucket.dataset");
    expect(us!.lineage.at(-1)!.reason).toContain("DataClassification=personal");
    // The Korean notebook may fail other rules (shared cloud), but not the residency rule.
    expect(
      (report.findings as ReportFinding[]).some(
        (f) =>
          f.rule === "residency/personal-training-outside-korea" &&
          f.address === "aws_sagemaker_notebook_instance.train_kr",
      ),
    ).toBe(false);
    const text = fs.readFileSync(path.join(dir, "out.txt"), "utf8");
    expect(text).toMatch(
      /aws_sagemaker_notebook_instance\.train -> .*aws_s3_bucket\.dataset \(tagged DataClassification=personal\)/,
    );
  });

  it("writes valid SARIF and JUnit with the policy's rules", async () => {
    const r = await runCli(["check", plan, "--policy", policy, "-o", "gate.sarif", "-f", "junit", "-o", "gate.xml"], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, "gate.sarif"), "utf8"));
    expect(sarifErrors(sarif)).toBeNull();
    const ruleIds = sarif.runs[0].tool.driver.rules.map((x: { id: string }) => x.id);
    expect(ruleIds).toContain("residency/personal-training-outside-korea");
    expect(ruleIds.length).toBeGreaterThan(5);
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" }).parse(
      fs.readFileSync(path.join(dir, "gate.xml"), "utf8"),
    );
    expect(Number(junit.testsuites["@failures"])).toBeGreaterThan(0);
  });

  it("passes once every failing finding is waived, and keeps them in the report as waived", async () => {
    const first = JSON.parse((await runCli(["check", plan, "--policy", policy, "-f", "json"], { cwd: dir })).stdout);
    const failing = (first.findings as ReportFinding[]).filter(
      (f) => f.status === "violation" && f.level === "mandatory",
    );
    expect(failing.length).toBeGreaterThan(0);
    const waivers = failing.map((f) => ({
      rule: f.rule,
      address: f.address,
      reason: "accepted for the test",
      approver: "dpo@example.com",
      expires: "2099-12-31",
    }));
    fs.writeFileSync(path.join(dir, "waivers.json"), JSON.stringify({ waivers }));
    const r = await runCli(["check", plan, "--policy", policy, "--waivers", "waivers.json", "-f", "json"], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.summary.waived).toBe(failing.length);
    expect(report.summary.mandatory).toBe(0);
  });

  it("compares profiles side by side", async () => {
    const r = await runCli(["compare", plan, "--policy", policy, "-f", "json"], { cwd: dir });
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout).inputs[0].rows;
    const us = rows.find((x: { address: string }) => x.address === "aws_sagemaker_notebook_instance.train");
    expect(us.verdicts["kr-localization"].verdict).toBe("fail");
    expect(Object.keys(us.verdicts).sort()).toEqual(["kr-localization", "risk-based"]);
  });

  it("exits 2 on a policy file that is not Wasm, without a stack trace", async () => {
    fs.writeFileSync(path.join(dir, "bad.wasm"), "not wasm");
    const r = await runCli(["check", plan, "--policy", "bad.wasm"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^residency-guard: .*bad\.wasm: cannot load policy Wasm: .*\n$/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it("exits 2 when the policy raises a builtin error (strict), never a pass", async () => {
    const { wasm } = compile(
      [
        {
          file: "strict.rego",
          text: "package residency_guard\n\nfindings := [] if {\n\tto_number(input.source.file)\n}\n\nsubjects := set()\n",
        },
      ],
      { entrypoints: ["residency_guard/findings", "residency_guard/subjects"] },
    );
    fs.writeFileSync(path.join(dir, "strict.wasm"), wasm);
    const r = await runCli(["check", plan, "--policy", "strict.wasm"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^residency-guard: \S*strict\.wasm: evaluation failed for .*: strict\.rego:4:2: eval_builtin_error: to_number: /m,
    );
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it("exits 2 on an expired waiver, naming the waivers file", async () => {
    fs.writeFileSync(
      path.join(dir, "w.json"),
      JSON.stringify([
        {
          rule: "residency/personal-training-outside-korea",
          address: "*",
          reason: "old",
          approver: "x",
          expires: "2001-01-01",
        },
      ]),
    );
    const r = await runCli(["check", plan, "--policy", policy, "--waivers", "w.json"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^residency-guard: ${path.join(dir, "w.json")}:1:\\d+: waivers\\[0\\]: `));
  });

  it("judges a plan saved as UTF-8, UTF-8 with a BOM and UTF-16LE/BE with a BOM exactly alike", async () => {
    const text = fs.readFileSync(plan, "utf8");
    const le = Buffer.from(text, "utf16le");
    const be = Buffer.from(le).swap16();
    const saved: Record<string, Buffer> = {
      utf8: Buffer.from(text),
      utf8bom: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      utf16le: Buffer.concat([Buffer.from([0xff, 0xfe]), le]),
      utf16be: Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
    };
    const reports: Record<string, string> = {};
    // One path for all (SARIF fingerprints include the input file), rewritten in each encoding.
    const file = path.join(dir, "plan.json");
    for (const [name, bytes] of Object.entries(saved)) {
      fs.writeFileSync(file, bytes);
      const r = await runCli(["check", file, "--policy", policy, "-f", "json", "-f", "sarif", "-o", `${name}.sarif`], {
        cwd: dir,
      });
      expect([name, r.code]).toEqual([name, 1]);
      const sarif = fs.readFileSync(path.join(dir, `${name}.sarif`), "utf8");
      reports[name] = r.stdout + sarif;
    }
    for (const name of ["utf8bom", "utf16le", "utf16be"]) expect([name, reports[name]]).toEqual([name, reports.utf8]);
  });
});
