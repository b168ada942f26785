// HTML report benchmark: 10k-resource plans through the real reader and policy, then the HTML
// report (map model, dagre layout, page), its size, and how long headless Chromium takes to load
// and paint it. Prints figures; asserts nothing about time.
//   sparse: 10k resources, a few dozen on personal-data paths, the rest unrelated (grouped).
//   dense:  10k resources in groups of four, half of them on personal-data paths (the map caps).
// Usage: npm run bench:report-html [-- --sizes 10000 --samples 3]

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generatePlan } from "./gate";
import { loadGuard } from "../src/engine";
import { readInputText } from "../src/inputs";
import type { GuardInput } from "../src/inputs/types";
import { renderHtml } from "../src/reporters/html";
import type { ReportContext } from "../src/reporters/types";

const FILLER_TYPES = ["aws_cloudwatch_log_group", "aws_security_group", "aws_sns_topic", "aws_ecr_repository"];

/** `n` resources: generatePlan(`onPath`) plus unrelated resources in Seoul and us-east-1. */
export function sparsePlan(n: number, onPath: number): string {
  const plan = JSON.parse(generatePlan(onPath));
  const planned = plan.planned_values.root_module.resources as unknown[];
  const config = plan.configuration.root_module.resources as unknown[];
  for (let i = 0; planned.length < n; i++) {
    const type = FILLER_TYPES[i % FILLER_TYPES.length]!;
    const name = `filler_${i}`;
    const values = { name: `filler-${i}`, tags: { Team: `team-${i % 17}` } };
    const address = `${type}.${name}`;
    const provider = i % 5 === 0 ? "aws.us" : "aws";
    const base = { address, mode: "managed", type, name, provider_name: "registry.terraform.io/hashicorp/aws" };
    planned.push({ ...base, schema_version: 0, values, sensitive_values: {} });
    plan.resource_changes.push({
      ...base,
      change: {
        actions: ["create"],
        before: null,
        after: values,
        after_unknown: { arn: true, id: true, tags_all: true },
        before_sensitive: false,
        after_sensitive: {},
      },
    });
    config.push({ address, mode: "managed", type, name, provider_config_key: provider, expressions: {} });
  }
  return JSON.stringify(plan);
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function ms(t: number): string {
  return `${Math.round(t)} ms`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function browserLoad(file: string, samples: number): Promise<{ load: number; paint: number } | string> {
  const chromium = process.env.RESIDENCY_GUARD_CHROMIUM || "/usr/bin/chromium";
  if (!fs.existsSync(chromium)) return `Chromium not found at ${chromium}: browser timing skipped`;
  const { chromium: pw } = require("playwright-core") as typeof import("playwright-core");
  const browser = await pw.launch({
    executablePath: chromium,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
  });
  const loads: number[] = [];
  const paints: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const t0 = performance.now();
      await page.goto(`file://${file}`, { waitUntil: "load" });
      loads.push(performance.now() - t0);
      // Two animation frames after load: layout and the first paint of the page are done.
      await page.evaluate(
        () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
      );
      paints.push(performance.now() - t0);
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return { load: median(loads), paint: median(paints) };
}

async function main(): Promise<void> {
  const sizes = arg("sizes", "10000").split(",").map(Number);
  const samples = Number(arg("samples", "3"));
  const guard = await loadGuard({});
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "rg-bench-html-"));
  console.log(`html report benchmark (samples ${samples}, median; Chromium load = navigation to load event)`);
  for (const n of sizes) {
    for (const [kind, text] of [
      ["sparse", sparsePlan(n, 200)],
      ["dense", generatePlan(n)],
    ] as const) {
      const docs = await readInputText(text, `${kind}-${n}.plan.json`);
      const doc = (Array.isArray(docs) ? docs[0] : docs) as GuardInput;
      let t = performance.now();
      const result = guard.evaluate(doc);
      const evaluate = performance.now() - t;
      t = performance.now();
      const comparison = guard.compare(doc);
      const compare = performance.now() - t;
      const ctx: ReportContext = {
        results: [result],
        inputs: [{ file: doc.source.file, stack: null, kind: doc.source.kind }],
        profile: "kr-localization",
        threshold: "mandatory",
        policy: { sha256: guard.policySha256, file: guard.policyFile },
        rules: guard.rules(),
        tool: { name: "residency-guard", version: "bench" },
        rulesDocUri: "https://example.test/rules.md",
        maps: [{ document: doc, comparison }],
      };
      const renders: number[] = [];
      let html = "";
      for (let i = 0; i < samples; i++) {
        t = performance.now();
        html = renderHtml(ctx);
        renders.push(performance.now() - t);
      }
      const file = path.join(out, `${kind}-${n}.html`);
      fs.writeFileSync(file, html);
      const nodes = (html.match(/<g class="node /g) ?? []).length;
      const edges = (html.match(/<g class="edge /g) ?? []).length;
      const browser = await browserLoad(file, samples);
      console.log(
        `${kind.padEnd(6)} ${String(Object.keys(doc.resources).length).padStart(6)} resources, ${result.findings.length} findings: ` +
          `evaluate ${ms(evaluate)}, compare (map subjects) ${ms(compare)}, render ${ms(median(renders))}; ` +
          `${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB, ${nodes} nodes, ${edges} edges drawn; ` +
          (typeof browser === "string" ? browser : `Chromium load ${ms(browser.load)}, painted ${ms(browser.paint)}`),
      );
    }
  }
  fs.rmSync(out, { recursive: true, force: true });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
