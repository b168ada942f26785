#!/usr/bin/env node
// `npm start`: the demo a newcomer runs first. After the build (npm's prestart), it
//  1. runs the real `cdktf synth` with the synth-time guard attached: on the compliant Seoul stack
//     (passes) and on the "global burst" stack (fails, listing its findings),
//  2. synthesizes all five example stacks without the guard, so the gate has something to judge,
//  3. runs the pre-deploy gate (`residency-guard check cdktf.out`), prints its report and writes the
//     HTML residency map of the five stacks,
//  4. prints the per-workload comparison of the two policy profiles.
// It exits 0 only when the outcome is the expected one: the compliant stack passes and every
// other example stack fails the kr-localization profile.
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
// CI=true keeps the cdktf CLI's spinner out of the output; an empty Terraform CLI config file
// stops Terraform warning that ~/.terraformrc is missing.
const terraformrc = path.join(root, ".tmp/terraformrc");
fs.mkdirSync(path.dirname(terraformrc), { recursive: true });
fs.writeFileSync(terraformrc, "");
const env = { ...process.env, CHECKPOINT_DISABLE: "1", CI: "true", TF_CLI_CONFIG_FILE: terraformrc };
const cli = path.join(root, "dist/src/cli/main.js");
const outdir = path.join(root, "cdktf.out");

function heading(text) {
  process.stdout.write(`\n== ${text}\n\n`);
}

function run(command, args, extraEnv = {}) {
  const result = spawnSync(command, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: "inherit" });
  if (result.error) throw result.error;
  return result.status;
}

function fail(message) {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(1);
}

const cdktf = path.join(root, "node_modules/.bin/cdktf");
const synthOut = path.join(root, ".tmp/cdktf.guarded");

heading("1/4 cdktf synth with the synth-time guard: the compliant Seoul stack (expected to pass)");
const synthStatus = run(cdktf, ["synth", "--output", synthOut], { RESIDENCY_GUARD_STACKS: "compliant" });
if (synthStatus !== 0) fail(`cdktf synth of the compliant stack exited ${synthStatus}; expected 0`);

heading('1/4 cdktf synth with the synth-time guard: the "global burst" stack (expected to fail)');
const burstStatus = run(cdktf, ["synth", "--output", synthOut], { RESIDENCY_GUARD_STACKS: "global-burst" });
if (burstStatus === 0) fail("cdktf synth of the global-burst stack passed; the guard should have failed it");
process.stdout.write(`\ncdktf synth exited ${burstStatus}, as expected: the guard stopped the global-burst stack.\n`);

heading("2/4 synthesizing all five example stacks (unguarded) into cdktf.out/");
fs.rmSync(outdir, { recursive: true, force: true });
const synthAll = run(process.execPath, [
  "-e",
  `const { App } = require("cdktf");
   const { EXAMPLE_STACKS } = require("./dist/stacks/examples");
   const app = new App({ outdir: ${JSON.stringify(outdir)} });
   for (const make of Object.values(EXAMPLE_STACKS)) make(app);
   app.synth();
   console.log("synthesized: " + Object.keys(EXAMPLE_STACKS).join(", "));`,
]);
if (synthAll !== 0) fail("synthesizing the example stacks failed");

heading("3/4 pre-deploy gate: residency-guard check cdktf.out (profile kr-localization)");
const reportFile = path.join(root, ".tmp/start-report.json");
const htmlFile = path.join(root, ".tmp/residency-map.html");
fs.mkdirSync(path.dirname(reportFile), { recursive: true });
fs.rmSync(htmlFile, { force: true });
const gateStatus = run(process.execPath, [
  cli,
  "check",
  outdir,
  "--format",
  "text",
  "--format",
  "json",
  "--output",
  reportFile,
  "--format",
  "html",
  "--output",
  htmlFile,
]);
if (gateStatus !== 1)
  fail(`the gate exited ${gateStatus}; expected 1 (four example stacks violate the rules on purpose)`);

heading("4/4 the same workloads under both profiles: residency-guard compare cdktf.out");
const compareStatus = run(process.execPath, [cli, "compare", outdir]);
if (compareStatus !== 0) fail(`compare exited ${compareStatus}`);

const report = JSON.parse(fs.readFileSync(reportFile, "utf8"));
const failing = new Set(report.findings.filter((f) => f.failing).map((f) => path.basename(path.dirname(f.file))));
const expected = ["alias-and-region", "global-burst", "kr-shared-internet", "us-west-2-risk-based"];
const missing = expected.filter((stack) => !failing.has(stack));
if (failing.has("kr-sovereign-training")) fail("the compliant stack kr-sovereign-training has mandatory findings");
if (missing.length > 0) fail(`expected mandatory findings in ${missing.join(", ")}`);
if (!fs.existsSync(htmlFile)) fail(`the gate wrote no HTML report to ${htmlFile}`);
heading("Result");
process.stdout.write(
  `As expected: the compliant Seoul stack (kr-sovereign-training) passed; ${[...failing].join(", ")} failed.\n` +
    `JSON report: ${path.relative(root, reportFile)}. Run \`npm test\` for the test suite.\n` +
    `HTML residency map of the five stacks (opens offline in any browser): ${path.relative(root, htmlFile)}\n` +
    `  file://${htmlFile}\n`,
);
