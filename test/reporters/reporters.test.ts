import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { XMLParser } from "fast-xml-parser";
import type { Finding } from "../../src/core/findings";
import { loadRuleMetadata } from "../../src/core/rules";
import {
  buildJsonReport,
  buildSarif,
  FORMATS,
  REPORTERS,
  renderCompareJson,
  renderCompareMarkdown,
  renderGithub,
  renderJson,
  renderJunit,
  renderMarkdown,
  renderText,
  summarize,
} from "../../src/reporters";
import { escapeData, escapeProperty } from "../../src/reporters/github";
import { ruleAnchor } from "../../src/reporters/sarif";
import { context, finding, result, SHA } from "./fixtures";
import { sarifErrors } from "./sarif-validator";

// Parsed SARIF and XML are checked field by field; a full typing would add nothing.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: (name) => ["testsuite", "testcase"].includes(name),
});

describe("summary", () => {
  it("counts by status and level and fails only at or above the threshold", () => {
    const ctx = context();
    expect(summarize(ctx)).toMatchObject({
      resources: 5,
      mandatory: 1,
      advisory: 1,
      waived: 1,
      failing: 1,
      verdict: "fail",
    });
    expect(summarize({ ...ctx, threshold: "advisory" })).toMatchObject({ failing: 2, verdict: "fail" });
    const onlyAdvisory = context([finding({ level: "advisory" })]);
    expect(summarize(onlyAdvisory)).toMatchObject({ failing: 0, verdict: "pass" });
  });
});

describe("text", () => {
  it("groups by resource and shows rule, level, location, lineage, remediation and a summary", () => {
    const out = renderText(context());
    expect(out).not.toMatch(/\u001b\[/);
    const lines = out.split("\n");
    const header = lines.findIndex((l) => l.startsWith("aws_sagemaker_training_job.train"));
    expect(header).toBeGreaterThan(0);
    expect(lines[header]).toContain("[train/job]");
    expect(lines.slice(header + 1, header + 4).map((l) => l.trim().split(":")[0])).toEqual([
      "location",
      "lineage",
      "declared",
    ]);
    expect(lines[header + 4]).toContain("x mandatory residency/personal-training-outside-korea");
    expect(out).toContain(
      "  lineage:   aws_sagemaker_training_job.train -> aws_iam_role.trainer -> aws_s3_bucket.dataset (tagged DataClassification=personal)",
    );
    expect(out).toContain('location:  aws us-east-1 (provider-config: provider "aws.us" (region = "us-east-1"))');
    expect(out).toContain("declared:  stacks/train.ts:42");
    expect(out).toContain("fix:       Use a Korean region.");
    expect(out).toContain("~ waived");
    expect(out).toContain("waiver:    migration ticket OPS-12 (approved by dpo@example.com");
    expect(out).toContain("! advisory  safeguards/encryption-at-rest");
    expect(out).toContain(`policy sha256:${SHA}`);
    expect(lines.filter(Boolean).at(-1)).toBe(
      "FAIL (1 at or above mandatory)  5 resources in 1 input: 1 mandatory, 1 advisory, 1 waived",
    );
  });

  it("prints location and lineage per finding when they differ on one resource", () => {
    const other = finding({
      rule: "safeguards/public-access",
      lineage: [],
      location: { ...finding().location, region: "us-west-2" },
    });
    const out = renderText(context([finding(), other]));
    expect(out.match(/location:/g)).toHaveLength(2);
    expect(out).toContain("      location:  aws us-west-2");
    expect(out).toContain("      lineage:   aws_sagemaker_training_job.train -> aws_iam_role.trainer");
  });

  it("says PASS when nothing is at the threshold, and colours only when asked", () => {
    const out = renderText(context([]));
    expect(out.trimEnd().split("\n").at(-1)).toMatch(/^PASS /);
    expect(renderText(context(), { color: true })).toMatch(/\u001b\[31m/);
  });
});

describe("json", () => {
  it("follows residency-guard/report/v1", () => {
    const report = JSON.parse(renderJson(context()));
    expect(report).toEqual(buildJsonReport(context()));
    expect(report.schema).toBe("residency-guard/report/v1");
    expect(report.policy).toEqual({ sha256: SHA, file: "dist/policies/residency-guard.wasm" });
    expect(report.profile).toBe("kr-localization");
    expect(report.summary).toMatchObject({ mandatory: 1, advisory: 1, waived: 1, verdict: "fail" });
    expect(report.inputs).toEqual([
      { file: "cdktf.out/stacks/train/cdk.tf.json", stack: "train", kind: "cdktf-synth", resources: 5 },
    ]);
    expect(report.findings).toHaveLength(3);
    const [first, advisory, waived] = report.findings;
    expect(Object.keys(first).sort()).toEqual(
      [
        "address",
        "constructPath",
        "failing",
        "file",
        "level",
        "lineage",
        "location",
        "message",
        "profile",
        "remediation",
        "rule",
        "sourceFile",
        "sourceLine",
        "status",
        "title",
        "waiver",
      ].sort(),
    );
    expect(first).toMatchObject({ failing: true, waiver: null, sourceLine: 42 });
    expect(advisory.failing).toBe(false);
    expect(waived).toMatchObject({ status: "waived", failing: false, waiver: { approver: "dpo@example.com" } });
  });
});

describe("sarif", () => {
  it("is valid SARIF 2.1.0 with rules, levels, locations and suppressions", () => {
    const log = buildSarif(context()) as Loose;
    expect(sarifErrors(log)).toBeNull();
    const run = log.runs[0];
    const ids = run.tool.driver.rules.map((r: Loose) => r.id);
    expect(ids).toEqual(["residency/personal-training-outside-korea", "safeguards/encryption-at-rest"]);
    const rule = run.tool.driver.rules[0];
    expect(rule.helpUri).toBe(
      "https://github.com/residency-guard/residency-guard/blob/main/docs/rules.md#residencypersonal-training-outside-korea",
    );
    expect(rule.help.text).toContain("Remediation:");
    expect(rule.defaultConfiguration.level).toBe("error");
    const [v, a, w] = run.results;
    expect(v.level).toBe("error");
    expect(a.level).toBe("warning");
    expect(v.ruleIndex).toBe(0);
    expect(a.ruleIndex).toBe(1);
    expect(v.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "stacks/train.ts" },
      region: { startLine: 42 },
    });
    expect(v.locations[0].logicalLocations[0]).toMatchObject({
      fullyQualifiedName: "aws_sagemaker_training_job.train",
      kind: "resource",
    });
    // Without a declaring source file the input file is the artifact, with no invented line.
    expect(a.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "cdktf.out/stacks/train/cdk.tf.json" },
    });
    expect(v.suppressions).toBeUndefined();
    expect(w.suppressions).toEqual([
      expect.objectContaining({
        kind: "external",
        status: "accepted",
        justification: expect.stringContaining("OPS-12"),
      }),
    ]);
    expect(run.invocations[0].properties.policySha256).toBe(SHA);
  });

  it("describes rules that only findings mention", () => {
    const log = buildSarif(
      context([finding({ rule: "sector/health-data", title: "Health data" })], { rules: [] }),
    ) as Loose;
    expect(sarifErrors(log)).toBeNull();
    expect(log.runs[0].tool.driver.rules[0]).toMatchObject({
      id: "sector/health-data",
      shortDescription: { text: "Health data" },
    });
  });

  it("catches invalid logs (the validator is not vacuous)", () => {
    const log = buildSarif(context()) as Loose;
    log.runs[0].results[0].level = "fatal";
    expect(sarifErrors(log)).not.toBeNull();
  });

  it("anchors follow GitHub's heading slugs", () => {
    expect(ruleAnchor("cross-border/Replication To_Foreign")).toBe("cross-borderreplication-to_foreign");
  });
});

describe("junit", () => {
  it("has one case per resource and rule, failures for violations and skipped for waived", () => {
    const doc = xml.parse(renderJunit(context()));
    const suites = doc.testsuites;
    expect(suites["@tests"]).toBe("5");
    expect(suites["@failures"]).toBe("1");
    expect(suites["@skipped"]).toBe("1");
    const cases = suites.testsuite[0].testcase;
    expect(cases).toHaveLength(5);
    const byKey = Object.fromEntries(cases.map((c: Loose) => [`${c["@classname"]} ${c["@name"]}`, c]));
    const failing = byKey["aws_sagemaker_training_job.train residency/personal-training-outside-korea"];
    expect(failing.failure["@type"]).toBe("mandatory");
    expect(failing.failure["#text"]).toContain("lineage: aws_sagemaker_training_job.train -> aws_iam_role.trainer");
    expect(
      byKey["aws_sagemaker_training_job.legacy residency/personal-training-outside-korea"].skipped["@message"],
    ).toContain("OPS-12");
    expect(byKey["aws_s3_bucket.dataset safeguards/encryption-at-rest"].failure).toBeUndefined();
    expect(byKey["aws_iam_role.trainer all rules"]).toBeDefined();
    expect(byKey["aws_kms_key.k all rules"]).toBeDefined();
  });

  it("counts advisory violations as failures at the advisory threshold", () => {
    const doc = xml.parse(renderJunit(context(undefined, { threshold: "advisory" })));
    expect(doc.testsuites["@failures"]).toBe("2");
  });
});

describe("markdown", () => {
  it("has a verdict, a summary table and escaped details", () => {
    const out = renderMarkdown(context([finding({ message: "a | b <script>" })]));
    expect(out).toMatch(/^## :x: residency-guard: 1 violation at or above mandatory/);
    expect(out).toContain("| Input | Stack | Resources | Mandatory | Advisory | Waived |");
    expect(out).toContain("| `cdktf.out/stacks/train/cdk.tf.json` | train | 5 | 1 | 0 | 0 |");
    expect(out).toContain("a \\| b &lt;script&gt;");
    expect(out).toContain(
      "**Lineage:** `aws_sagemaker_training_job.train -> aws_iam_role.trainer -> aws_s3_bucket.dataset (tagged DataClassification=personal)`",
    );
    expect(renderMarkdown(context([]))).toContain(":white_check_mark: residency-guard: no violations");
  });
});

describe("markdown size", () => {
  it("caps the tables and details of very large runs and says how many were left out", () => {
    const many = Array.from({ length: 260 }, (_, i) => finding({ address: `aws_instance.n${i}` }));
    const out = renderMarkdown(context(many));
    expect(out.match(/^\| \*\*mandatory\*\* \|/gm)).toHaveLength(200);
    expect(out.match(/^#### /gm)).toHaveLength(50);
    expect(out).toContain("… and 60 more findings");
    expect(out).toContain("Details of 210 more findings are left out");
    expect(out.length).toBeLessThan(65536);
  });
});

describe("github", () => {
  it("emits one escaped annotation per finding and a summary notice", () => {
    const lines = renderGithub(context()).trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^::error file=stacks\/train.ts,line=42,title=residency\/personal-training-outside-korea on aws_sagemaker_training_job.train::Training job/,
    );
    expect(lines[0]).toContain("%0ALineage: ");
    expect(lines[1]).toMatch(/^::warning file=cdktf.out\/stacks\/train\/cdk.tf.json,title=/);
    expect(lines[2]).toMatch(/^::notice .*title=waived /);
    expect(lines[3]).toMatch(/^::notice title=residency-guard::FAIL: 5 resources/);
  });

  it("escapes like the Actions toolkit", () => {
    expect(escapeData("50% done\r\nnext")).toBe("50%25 done%0D%0Anext");
    expect(escapeProperty("a:b,c%")).toBe("a%3Ab%2Cc%25");
  });
});

describe("every format over arbitrary findings", () => {
  const text = fc.string({ unit: "binary", maxLength: 40 });
  const arbFinding: fc.Arbitrary<Finding> = fc
    .record({
      address: text,
      message: text,
      remediation: text,
      file: text,
      rule: fc.constantFrom("residency/a-b", "safeguards/c", "sector/x"),
      level: fc.constantFrom("mandatory", "advisory") as fc.Arbitrary<"mandatory" | "advisory">,
      waived: fc.boolean(),
      sourceFile: fc.option(text),
      sourceLine: fc.option(fc.integer({ min: 1, max: 10000 })),
      region: fc.option(text),
    })
    .map((r) =>
      finding({
        address: r.address,
        message: r.message,
        remediation: r.remediation,
        file: r.file,
        rule: r.rule,
        level: r.level,
        status: r.waived ? "waived" : "violation",
        waiver: r.waived ? { reason: r.message, approver: r.address, expires: "2030-01-01", pattern: "*" } : undefined,
        sourceFile: r.sourceFile,
        sourceLine: r.sourceLine,
        location: { cloud: "aws", region: r.region, source: "resource-region", detail: r.file },
      }),
    );

  it("stay well-formed whatever the strings contain", () => {
    fc.assert(
      fc.property(fc.array(arbFinding, { maxLength: 4 }), (findings) => {
        const ctx = { ...context(findings), results: [result(findings)] };
        for (const format of FORMATS) expect(typeof REPORTERS[format](ctx)).toBe("string");
        expect(sarifErrors(buildSarif(ctx))).toBeNull();
        const doc = xml.parse(renderJunit(ctx));
        const cases = doc.testsuites.testsuite[0].testcase ?? [];
        expect(cases.length).toBeGreaterThanOrEqual(findings.length);
        // One workflow command per line: escaping keeps message newlines inside the command.
        expect(renderGithub(ctx).trimEnd().split("\n")).toHaveLength(findings.length + 1);
        expect(JSON.parse(renderJson(ctx)).findings).toHaveLength(findings.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe("compare", () => {
  const cmp = {
    comparisons: [
      {
        profiles: ["kr-localization", "risk-based"] as ("kr-localization" | "risk-based")[],
        rows: [
          {
            address: "aws_sagemaker_training_job.train",
            constructPath: null,
            location: finding().location,
            verdicts: {
              "kr-localization": { verdict: "fail" as const, rules: ["residency/personal-training-outside-korea"] },
              "risk-based": { verdict: "pass" as const, rules: [] },
            },
          },
        ],
      },
    ],
    inputs: [{ file: "plan.json", stack: null, kind: "terraform-plan" as const }],
    policy: { sha256: SHA, file: null },
    tool: { name: "residency-guard", version: "0.1.0" },
  };

  it("renders markdown with one column per profile", () => {
    const out = renderCompareMarkdown(cmp);
    expect(out).toContain("| Resource | Region | kr-localization | risk-based |");
    expect(out).toContain(
      "| `aws_sagemaker_training_job.train` | us-east-1 | fail (residency/personal-training-outside-korea) | pass |",
    );
  });

  it("renders json residency-guard/compare/v1", () => {
    const doc = JSON.parse(renderCompareJson(cmp));
    expect(doc.schema).toBe("residency-guard/compare/v1");
    expect(doc.inputs[0].rows[0].verdicts["risk-based"]).toEqual({ verdict: "pass", rules: [] });
  });
});

describe("SARIF help links", () => {
  it("point at a heading of docs/rules.md for every rule of the policy", () => {
    const root = path.resolve(__dirname, "../..");
    const rules = loadRuleMetadata(path.join(root, "policies"));
    const doc = fs.readFileSync(path.join(root, "docs", "rules.md"), "utf8");
    // GitHub's slug of each heading, as the rendered page anchors it.
    const anchors = new Set(
      [...doc.matchAll(/^#{1,6} +(.+?) *$/gm)].map((m) =>
        m[1]!
          .toLowerCase()
          .replace(/[^\p{L}\p{N} _-]+/gu, "")
          .replace(/ /g, "-"),
      ),
    );
    expect(rules.length).toBeGreaterThan(5);
    for (const rule of rules) expect([rule.id, anchors.has(ruleAnchor(rule.id))]).toEqual([rule.id, true]);
  });
});
