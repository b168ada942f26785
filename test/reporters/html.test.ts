// The HTML report without a browser: the map model, escaping of plan strings, and that the page
// references nothing outside itself. test/reporters/html-browser.test.ts renders it in Chromium.

import { buildStackMap, esc, renderHtml } from "../../src/reporters/html";
import { renderCompareHtml } from "../../src/reporters/html";
import type { ReportContext } from "../../src/reporters/types";
import { finding, result, RULES, SHA } from "./fixtures";
import { doc, resource, trainingDoc } from "./html-fixtures";

function context(over: Partial<ReportContext> = {}): ReportContext {
  const { document, findings } = trainingDoc();
  return {
    results: [result(findings, 8)],
    inputs: [{ file: document.source.file, stack: "train", kind: "cdktf-synth" }],
    profile: "kr-localization",
    threshold: "mandatory",
    policy: { sha256: SHA, file: null },
    rules: RULES,
    tool: { name: "residency-guard", version: "0.0.0-test" },
    rulesDocUri: "https://example.test/rules.md",
    maps: [{ document, comparison: null }],
    ...over,
  };
}

describe("the map model", () => {
  it("groups nodes by location, Korea first and unresolved last, and counts resources on no path", () => {
    const { document, findings } = trainingDoc();
    const map = buildStackMap(document, [{ profile: "kr-localization", findings }], null);
    expect(map.groups.map((g) => g.key)).toEqual([
      "aws ap-northeast-2",
      "aws us-east-1",
      "aws us-west-2",
      "unresolved",
    ]);
    expect(map.groups[0]!.korea).toBe(true);
    const seoul = map.groups[0]!;
    expect(seoul.nodes.sort()).toEqual([
      "aws_iam_role.trainer",
      "aws_s3_bucket.dataset",
      "aws_s3_bucket_replication_configuration.copy",
    ]);
    expect(seoul.hidden).toEqual({
      count: 2,
      byType: [
        ["aws_s3_bucket", 1],
        ["aws_vpc", 1],
      ],
    });
    // The replica is drawn: the copy mechanism's link to it is a copy edge.
    expect(map.groups.find((g) => g.key === "unresolved")!.hidden.count).toBe(1);
    const role = (a: string) => map.nodes.find((n) => n.address === a)?.role;
    expect(role("aws_sagemaker_training_job.train")).toBe("training");
    expect(role("aws_s3_bucket.dataset")).toBe("store");
    expect(role("aws_iam_role.trainer")).toBe("path");
    expect(role("aws_s3_bucket_replication_configuration.copy")).toBe("copy");
  });

  it("highlights the violating lineage with its rule and keeps other links neutral", () => {
    const { document, findings } = trainingDoc();
    const map = buildStackMap(document, [{ profile: "kr-localization", findings }], {
      profiles: ["kr-localization", "risk-based"],
      rows: [
        {
          address: "aws_s3_bucket.replica",
          constructPath: null,
          location: document.resources["aws_s3_bucket.replica"]!.location,
          verdicts: {
            "kr-localization": { verdict: "pass", rules: [] },
            "risk-based": { verdict: "pass", rules: [] },
          },
        },
      ],
    });
    const edge = (from: string, to: string) => map.edges.find((e) => e.from === from && e.to === to);
    const hop = edge("aws_sagemaker_training_job.train", "aws_iam_role.trainer")!;
    expect(hop.kind).toBe("lineage");
    expect(hop.label).toBe("references via role_arn");
    expect(hop.views[0]).toEqual({ status: "violation", rules: ["residency/personal-training-outside-korea"] });
    const copy = edge("aws_s3_bucket_replication_configuration.copy", "aws_s3_bucket.replica")!;
    expect(copy.kind).toBe("copy");
    expect(copy.views[0]!.rules).toEqual(["cross-border/personal-data-replicated-abroad"]);
    const train = map.nodes.find((n) => n.address === "aws_sagemaker_training_job.train")!;
    expect(train.views[0]!.status).toBe("violation");
    expect(map.nodes.find((n) => n.address === "aws_s3_bucket.dataset")!.personal).toBe(
      "tagged DataClassification=personal",
    );
  });

  it("draws at most maxNodes, failing paths first, and says how many it left out", () => {
    const resources = [resource("aws_s3_bucket.data", "ap-northeast-2")];
    const findings = [];
    for (let i = 0; i < 30; i++) {
      resources.push(resource(`aws_instance.gpu${i}`, "us-east-1"));
      findings.push(
        finding({
          address: `aws_instance.gpu${i}`,
          status: i < 5 ? "violation" : "waived",
          lineage: [
            { address: `aws_instance.gpu${i}`, reason: "references aws_s3_bucket.data via tags.TrainingData" },
            { address: "aws_s3_bucket.data", reason: "tagged DataClassification=personal" },
          ],
        }),
      );
    }
    const map = buildStackMap(doc(resources), [{ profile: "kr-localization", findings }], null, { maxNodes: 8 });
    expect(map.nodes).toHaveLength(8);
    expect(map.omitted).toBe(23);
    const drawn = new Set(map.nodes.map((n) => n.address));
    for (let i = 0; i < 5; i++) expect(drawn.has(`aws_instance.gpu${i}`)).toBe(true);
    expect(map.edges.every((e) => drawn.has(e.from) && drawn.has(e.to))).toBe(true);
  });
});

describe("the html page", () => {
  it("is one file that references nothing outside itself", () => {
    const page = renderHtml(context());
    expect(page).toMatch(/^<!DOCTYPE html>/);
    // The filter script and the findings data block; the markup outside them loads nothing.
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(page.match(/<script type="application\/json" id="findings-data">/g)).toHaveLength(1);
    const html = page.replace(/<script[^>]*>[\s\S]*?<\/script>/g, "");
    // No external script, style, font, image or link target other than in-page anchors.
    expect(html).not.toMatch(/\s(src|srcset|poster|data)=/i);
    expect(html).not.toMatch(/href="(?!#)/);
    expect(html).not.toMatch(/url\((?!#)/);
    expect(html).not.toMatch(/@import|@font-face/);
    expect(html).toContain("Content-Security-Policy");
    expect(html).toContain(SHA);
  });

  it("escapes names, tags and messages from the plan", () => {
    const hostile = `aws_s3_bucket.x"><script>alert(1)</script><img src=x onerror=alert(2)>`;
    const { document, findings } = trainingDoc();
    document.resources[hostile] = resource(hostile, "ap-northeast-2", { type: "aws_s3_bucket" });
    const evil = finding({
      address: hostile,
      rule: "residency/personal-store-outside-korea",
      message: "</td></tr></table><iframe srcdoc='x'></iframe>",
      lineage: [],
      waiver: { reason: "<b>bold</b>", approver: "a&b", expires: "2027-01-01", pattern: "*'" },
      status: "waived",
    });
    const html = renderHtml(
      context({ results: [result([...findings, evil])], maps: [{ document, comparison: null }] }),
    );
    // Two script elements (filter, data); plan text in the data block has every `<` escaped.
    expect(html.match(/<script/g)).toHaveLength(2);
    const data = /<script type="application\/json" id="findings-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(data).not.toContain("<");
    expect(JSON.stringify(JSON.parse(data))).toContain("<iframe srcdoc='x'>");
    expect(html).not.toMatch(/<img|<iframe|<b>bold/);
    // Outside quoted attribute values (where `"` cannot occur unescaped) no handler attribute appears.
    expect(html.replace(/="[^"]*"/g, `=""`)).not.toMatch(/<[a-z][^<>]*\sonerror=/i);
    expect(html).toContain(esc(hostile));
    expect(esc("a\u0000b\u001bc")).toBe("a\ufffdb\ufffdc");
  });

  it("renders compare with one map per profile", () => {
    const { document, findings } = trainingDoc();
    const html = renderCompareHtml({
      comparisons: [{ profiles: ["kr-localization", "risk-based"], rows: [] }],
      inputs: [{ file: document.source.file, stack: "train", kind: "cdktf-synth" }],
      policy: { sha256: SHA, file: null },
      tool: { name: "residency-guard", version: "0.0.0-test" },
      maps: [{ document, findings: { "kr-localization": findings, "risk-based": [] } }],
    });
    expect(html.match(/<svg class="map"/g)).toHaveLength(2);
    expect(html).toMatch(/data-profile="risk-based"/);
  });
});
