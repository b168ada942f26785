// The HTML report of the five example stacks, rendered in headless Chromium: it loads offline
// without errors, draws the known nodes and violating paths, filters, and is screenshotted into
// .tmp/artifacts/. Skips (and says why) when Chromium is not installed.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { App } from "cdktf";
import { EXAMPLE_STACKS } from "../../stacks/examples";
import { renderHtml } from "../../src/reporters/html";
import { runCli } from "../cli/helpers";
import { compiledPolicyPath } from "../helpers/policy";
import { ARTIFACTS, describeWithChromium, launch, openReport, type PageLog } from "./browser";
import { finding, result, RULES, SHA } from "./fixtures";
import { resource, trainingDoc } from "./html-fixtures";

let dir: string;
let browser: Browser;

function clean(log: PageLog): void {
  expect(log.errors).toEqual([]);
  expect(log.requests).toEqual([]);
  expect(log.dialogs).toEqual([]);
}

describeWithChromium("html report in Chromium", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rg-html-"));
    const app = new App({ outdir: path.join(dir, "cdktf.out") });
    for (const make of Object.values(EXAMPLE_STACKS)) make(app);
    app.synth();
    const policy = compiledPolicyPath();
    const check = await runCli(
      ["check", "cdktf.out", "--policy", policy, "--no-config", "-f", "html", "-o", "report.html"],
      { cwd: dir },
    );
    expect(check.stderr).not.toMatch(/error/);
    expect(check.code).toBe(1);
    const compare = await runCli(
      ["compare", "cdktf.out", "--policy", policy, "--no-config", "-f", "html", "-o", "compare.html"],
      { cwd: dir },
    );
    expect(compare.code).toBe(0);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launch();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  let page: Page;
  let log: PageLog;
  beforeEach(async () => {
    ({ page, log } = await openReport(browser, path.join(dir, "report.html")));
  });
  afterEach(async () => page?.close());

  it("loads with no console error and no request, and is screenshotted", async () => {
    await page.locator("#stack-1").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, "residency-map.png"), fullPage: true });
    clean(log);
    expect(await page.locator("section.stack").count()).toBe(5);
  }, 60_000);

  it("draws global-burst's nodes by location and highlights its violating paths with their rules", async () => {
    const stack = page.locator('section.stack[data-stack="global-burst"]');
    const locations = await stack
      .locator("svg.map .loc")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-location")));
    expect(locations[0]).toBe("aws ap-northeast-2");
    expect(locations).toContain("aws us-east-1");
    const host = stack.locator('.node[data-address="aws_instance.us-gpu-burst_host-0_9E7CB3A9"]');
    await expect(host.getAttribute("class")).resolves.toMatch(/\btraining\b.*\bviolation\b/);
    const bucket = stack.locator('.node[data-address="aws_s3_bucket.customer-chats_bucket_BEDECDB8"]');
    await expect(bucket.getAttribute("class")).resolves.toMatch(/\bstore\b/);
    const hop = stack.locator(
      '.edge.violation[data-from="aws_instance.us-gpu-burst_host-0_9E7CB3A9"][data-to="aws_s3_bucket.customer-chats_bucket_BEDECDB8"]',
    );
    await expect(hop.getAttribute("data-rules")).resolves.toContain("residency/personal-training-outside-korea");
    await expect(hop.locator("path").isVisible()).resolves.toBe(true);
    const copy = stack.locator('.edge.copy[data-from="aws_s3_bucket_replication_configuration.replicate-abroad"]');
    await expect(copy.getAttribute("data-rules")).resolves.toContain("cross-border/personal-data-replicated-abroad");
    // The compliant stack draws its workload and store without any violation.
    const compliant = page.locator('section.stack[data-stack="kr-sovereign-training"]');
    await expect(compliant.locator(".node").count()).resolves.toBeGreaterThanOrEqual(3);
    await expect(compliant.locator(".node.violation, .edge.violation").count()).resolves.toBe(0);
    clean(log);
  }, 60_000);

  it("filters the findings table by rule, level, status and stack, and dims the rest of the map", async () => {
    const rows = page.locator("#findings tbody tr");
    const total = await rows.count();
    expect(total).toBeGreaterThan(10);
    const rule = "cross-border/personal-data-replicated-abroad";
    await page.selectOption('select[data-filter="rule"]', rule);
    const visible = page.locator("#findings tbody tr:visible");
    const shown = await visible.count();
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(total);
    expect(new Set(await visible.evaluateAll((els) => els.map((e) => e.getAttribute("data-rule"))))).toEqual(
      new Set([rule]),
    );
    await expect(page.locator("#shown").textContent()).resolves.toBe(String(shown));
    await expect(
      page
        .locator('.edge.copy[data-rules~="' + rule + '"]')
        .first()
        .getAttribute("class"),
    ).resolves.not.toMatch(/\bdim\b/);
    await expect(
      page.locator('.node[data-address^="aws_instance.us-gpu-burst"]').first().getAttribute("class"),
    ).resolves.toMatch(/\bdim\b/);
    await page.selectOption('select[data-filter="rule"]', "");
    await page.selectOption('select[data-filter="stack"]', "kr-shared-internet");
    await page.selectOption('select[data-filter="status"]', "violation");
    await page.selectOption('select[data-filter="level"]', "mandatory");
    const stacks = await page
      .locator("#findings tbody tr:visible")
      .evaluateAll((els) => els.map((e) => [e.getAttribute("data-stack"), e.getAttribute("data-level")].join(" ")));
    expect(stacks.length).toBeGreaterThan(0);
    expect(new Set(stacks)).toEqual(new Set(["kr-shared-internet mandatory"]));
    clean(log);
  }, 60_000);

  it("compare --format html shows both profiles on the same map", async () => {
    const opened = await openReport(browser, path.join(dir, "compare.html"));
    try {
      const stack = opened.page.locator('section.stack[data-stack="us-west-2-risk-based"]');
      const figures = stack.locator("figure");
      await expect(figures.count()).resolves.toBe(2);
      const kr = stack.locator('figure[data-profile="kr-localization"]');
      const rb = stack.locator('figure[data-profile="risk-based"]');
      await expect(kr.locator(".node.violation").count()).resolves.toBeGreaterThan(0);
      await expect(rb.locator(".node.violation").count()).resolves.toBe(0);
      // Same layout: the same nodes at the same places.
      const places = (f: typeof kr) =>
        f
          .locator(".node")
          .evaluateAll((els) =>
            els.map((e) => `${e.getAttribute("data-address")} ${e.querySelector(".shape")?.getAttribute("x") ?? ""}`),
          );
      expect(await places(rb)).toEqual(await places(kr));
      await stack.scrollIntoViewIfNeeded();
      await opened.page.screenshot({ path: path.join(ARTIFACTS, "residency-compare.png") });
      clean(opened.log);
    } finally {
      await opened.page.close();
    }
  }, 60_000);

  it("builds a large findings table a page at a time", async () => {
    const { document: input } = trainingDoc();
    const many = Array.from({ length: 1200 }, (_, i) =>
      finding({ address: `aws_instance.gpu${i}`, status: i % 3 === 0 ? "waived" : "violation" }),
    );
    const file = path.join(dir, "many.html");
    fs.writeFileSync(
      file,
      renderHtml({
        results: [result(many)],
        inputs: [{ file: "plan.json", stack: null, kind: "terraform-plan" }],
        profile: "kr-localization",
        threshold: "mandatory",
        policy: { sha256: SHA, file: null },
        rules: RULES,
        tool: { name: "residency-guard", version: "test" },
        rulesDocUri: "https://example.test/rules.md",
        maps: [{ document: input, comparison: null }],
      }),
    );
    const opened = await openReport(browser, file);
    try {
      const rows = opened.page.locator("#findings tbody tr");
      await expect(rows.count()).resolves.toBe(500);
      await expect(opened.page.locator("#shown").textContent()).resolves.toBe("1200");
      await opened.page.click("#more");
      await expect(rows.count()).resolves.toBe(1000);
      await opened.page.selectOption('select[data-filter="status"]', "waived");
      await expect(opened.page.locator("#shown").textContent()).resolves.toBe("400");
      await expect(rows.count()).resolves.toBe(400);
      await expect(opened.page.locator("#more").isHidden()).resolves.toBe(true);
      clean(opened.log);
    } finally {
      await opened.page.close();
    }
  }, 60_000);

  it("shows hostile plan strings as text and runs none of them", async () => {
    const hostile = `aws_s3_bucket.x"><script>alert(1)</script><img src=x onerror=alert(2)>`;
    const { document: input, findings } = trainingDoc();
    input.resources[hostile] = resource(hostile, "ap-northeast-2", {
      tags: { Name: "<svg onload=alert(3)>" },
    });
    const evil = finding({
      address: hostile,
      rule: "residency/personal-store-outside-korea",
      message: "</details></td></tr></table><script>alert(4)</script>",
      lineage: [],
    });
    const html = renderHtml({
      results: [result([...findings, evil])],
      inputs: [{ file: `</title><script>alert(5)</script>`, stack: `"'><svg/onload=alert(6)>`, kind: "cdktf-synth" }],
      profile: "kr-localization",
      threshold: "mandatory",
      policy: { sha256: SHA, file: null },
      rules: RULES,
      tool: { name: "residency-guard", version: "test" },
      rulesDocUri: "https://example.test/rules.md",
      maps: [{ document: input, comparison: null }],
    });
    const file = path.join(dir, "hostile.html");
    fs.writeFileSync(file, html);
    const opened = await openReport(browser, file);
    try {
      // The filter script and the findings data block, nothing injected.
      await expect(opened.page.evaluate(() => document.scripts.length)).resolves.toBe(2);
      await expect(opened.page.locator("img, iframe").count()).resolves.toBe(0);
      await expect(opened.page.locator(`.node[data-address="${hostile.replace(/"/g, '\\"')}"]`).count()).resolves.toBe(
        1,
      );
      await expect(opened.page.locator("#findings").textContent()).resolves.toContain("<script>alert(4)</script>");
      clean(opened.log);
    } finally {
      await opened.page.close();
    }
  }, 60_000);
});
