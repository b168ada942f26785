// Mermaid flowcharts of violating lineages (Markdown report, GitHub job summary): shape and caps
// without a browser, then parsed by the mermaid package itself inside Chromium (its parser needs a
// DOM), loaded from node_modules with no network.

import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { lineageFlowchart, MAX_MERMAID_PATHS, mermaidText } from "../../src/reporters/mermaid";
import { renderMarkdown } from "../../src/reporters/markdown";
import type { Finding } from "../../src/core/findings";
import { describeWithChromium, launch } from "./browser";
import { context, finding, mixedFindings, result } from "./fixtures";

const HOSTILE = `aws_s3_bucket.x"]; click n0 call alert(1) --> |x| <script>alert(2)</script> %%{init:{}}%% \`md\` #1;`;

function manyPaths(n: number): Finding[] {
  return Array.from({ length: n }, (_, i) =>
    finding({
      address: `aws_instance.gpu${i}`,
      lineage: [
        { address: `aws_instance.gpu${i}`, reason: "references aws_s3_bucket.data via tags.TrainingData" },
        { address: "aws_s3_bucket.data", reason: "tagged DataClassification=personal" },
      ],
    }),
  );
}

/** A run over two inputs with the given findings. */
function twoInputs(a: Finding[], b: Finding[]) {
  const input = (stack: string) => ({
    file: `cdktf.out/stacks/${stack}/cdk.tf.json`,
    stack,
    kind: "cdktf-synth" as const,
  });
  return context(a, { results: [result(a), result(b)], inputs: [input("train"), input("burst")] });
}

function chartBody(markdown: string): string[] {
  const blocks: string[] = [];
  const re = /```mermaid\n([\s\S]*?)```/g;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) blocks.push(m[1]!);
  return blocks;
}

describe("lineage flowchart", () => {
  it("draws only failing paths, once each, with generated ids and escaped labels", () => {
    const chart = lineageFlowchart(mixedFindings(), "mandatory");
    expect(chart).toMatch(/^```mermaid\nflowchart LR\n/);
    expect(chart).toContain(
      'n0["aws_sagemaker_training_job.train<br/>us-east-1: residency/personal-training-outside-korea"]',
    );
    expect(chart).toContain('n2["aws_s3_bucket.dataset<br/>tagged DataClassification=personal"]');
    expect(chart).not.toContain("encryption-at-rest"); // advisory, below the threshold
    expect(lineageFlowchart([finding({ status: "waived" })], "mandatory")).toBe("");
    expect(mermaidText(`a"b<c>|d]`)).toBe("a#34;b#60;c#62;#124;d#93;");
  });

  it("caps the paths and says how many were left out", () => {
    const chart = lineageFlowchart(manyPaths(MAX_MERMAID_PATHS + 3), "mandatory");
    expect(chart.match(/-->/g)).toHaveLength(MAX_MERMAID_PATHS);
    expect(chart).toMatch(/… and 3 more violating paths/);
  });

  it("appears in the markdown report, one chart per input with violating paths", () => {
    const md = renderMarkdown(twoInputs(mixedFindings(), manyPaths(2)));
    expect(md).toContain("### Violating data paths");
    expect(chartBody(md)).toHaveLength(2);
    expect(renderMarkdown(context([]))).not.toContain("```mermaid");
  });
});

describeWithChromium("lineage flowchart parsed by mermaid in Chromium", () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  beforeAll(async () => {
    browser = await launch();
    page = await browser.newPage();
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => errors.push(`request ${r.url()}`));
    await page.addScriptTag({
      path: path.join(require.resolve("mermaid/package.json"), "..", "dist", "mermaid.min.js"),
    });
    await page.evaluate(() =>
      (window as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({ startOnLoad: false }),
    );
  }, 120_000);
  afterAll(async () => browser?.close());

  const parse = (text: string): Promise<string> =>
    page.evaluate(async (t) => {
      try {
        await (window as unknown as { mermaid: { parse(t: string): Promise<unknown> } }).mermaid.parse(t);
        return "ok";
      } catch (e) {
        return `error: ${String((e as Error).message ?? e)}`;
      }
    }, text);

  it("parses every chart of the markdown report, hostile names included", async () => {
    const hostile = finding({
      address: HOSTILE,
      lineage: [
        { address: HOSTILE, reason: `references ${HOSTILE} via "quoted" | pipe` },
        { address: `aws_s3_bucket.[x](y)`, reason: "tagged DataClassification=personal <b>" },
      ],
    });
    const md = renderMarkdown(twoInputs([...mixedFindings(), hostile], manyPaths(20)));
    const charts = chartBody(md);
    expect(charts).toHaveLength(2);
    for (const chart of charts) await expect(parse(chart)).resolves.toBe("ok");
    // The parser is not vacuous: an unescaped quote in a label is rejected.
    await expect(parse('flowchart LR\n  n0["a"b"] --> n1')).resolves.toMatch(/^error/);
    expect(errors).toEqual([]);
  }, 60_000);
});
