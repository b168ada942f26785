// The CLI side of the map: `--format html` / `.html` outputs, compare's html, the GitHub job
// summary with its Mermaid chart, and that an engine failure while drawing fails closed.

import * as fs from "node:fs";
import * as path from "node:path";
import { fakeEngine, finding, runCli, tempDir } from "../cli/helpers";

let dir: string;
beforeEach(() => {
  dir = tempDir();
  fs.writeFileSync(
    path.join(dir, "plan.json"),
    JSON.stringify({ addresses: ["aws_instance.gpu", "aws_s3_bucket.data"] }),
  );
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const lineage = [
  { address: "aws_instance.gpu", reason: "references aws_s3_bucket.data via tags.TrainingData" },
  { address: "aws_s3_bucket.data", reason: "tagged DataClassification=personal" },
];

describe("html from the CLI", () => {
  it("writes a check report by extension and a compare report by format", async () => {
    const engine = fakeEngine((input, profile) =>
      profile === "kr-localization" ? [finding("aws_instance.gpu", { lineage, file: input.source.file })] : [],
    );
    const check = await runCli(["check", "plan.json", "--no-config", "-o", "map.html"], {
      cwd: dir,
      deps: engine.deps,
    });
    expect(check.code).toBe(1);
    const html = fs.readFileSync(path.join(dir, "map.html"), "utf8");
    expect(html).toContain('data-address="aws_instance.gpu"');
    expect(html).toMatch(/class="edge lineage violation" data-from="aws_instance.gpu" data-to="aws_s3_bucket.data"/);
    const compare = await runCli(["compare", "plan.json", "--no-config", "-f", "html", "-o", "cmp.html"], {
      cwd: dir,
      deps: engine.deps,
    });
    expect(compare.code).toBe(0);
    const cmp = fs.readFileSync(path.join(dir, "cmp.html"), "utf8");
    expect(cmp.match(/<svg class="map"/g)).toHaveLength(2);
  });

  it("fails closed when the comparison the map needs cannot be had", async () => {
    const engine = fakeEngine(() => []);
    const loadGuard = engine.deps.loadGuard;
    engine.deps.loadGuard = async (o) => ({
      ...(await loadGuard(o)),
      compare: () => undefined as never,
    });
    const r = await runCli(["check", "plan.json", "--no-config", "-f", "html", "-o", "map.html"], {
      cwd: dir,
      deps: engine.deps,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no comparison/);
    expect(fs.existsSync(path.join(dir, "map.html"))).toBe(false);
  });

  it("appends the job summary with the lineage chart when run with --format github in Actions", async () => {
    const engine = fakeEngine(() => [finding("aws_instance.gpu", { lineage })]);
    const summary = path.join(dir, "summary.md");
    fs.writeFileSync(summary, "earlier step\n");
    const r = await runCli(["check", "plan.json", "--no-config", "-f", "github"], {
      cwd: dir,
      deps: engine.deps,
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error /);
    const text = fs.readFileSync(summary, "utf8");
    expect(text).toMatch(/^earlier step\n## :x: residency-guard/);
    expect(text).toContain("```mermaid\nflowchart LR\n");
    // Outside Actions nothing is written.
    const quiet = await runCli(["check", "plan.json", "--no-config", "-f", "github"], { cwd: dir, deps: engine.deps });
    expect(quiet.code).toBe(1);
  });
});
