// Custom policies from the CLI: --policies <dir> compiles the user's Rego in-process (cached by
// content hash), rule metadata comes from their METADATA blocks, --entrypoint picks where the
// findings are, and a result that is not a set of findings is an error exit, never a pass.

import * as fs from "node:fs";
import * as path from "node:path";
import { sarifErrors } from "../reporters/sarif-validator";
import { hasStackTrace, runCli, tempDir } from "./helpers";

const plan = path.join(__dirname, "fixtures", "personal-training-us.plan.json");
let dir: string;

// The first compile in a worker loads the compiler (seconds on a loaded machine).
jest.setTimeout(120_000);

beforeEach(() => {
  dir = tempDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const BUCKETS = `package acme.buckets

# METADATA
# title: Buckets need an owner tag
# description: Every S3 bucket names the team that owns it.
# custom:
#   id: acme/bucket-owner
#   level: mandatory
#   remediation: Add an Owner tag to the bucket.
findings contains f if {
	some address, r in input.resources
	r.type == "aws_s3_bucket"
	not r.tags.Owner
	f := {"rule": "acme/bucket-owner", "address": address, "message": sprintf("%s has no Owner tag", [address])}
}

# METADATA
# title: Notebooks are noted
# custom:
#   id: acme/notebook-seen
#   level: advisory
findings contains f if {
	some address, r in input.resources
	r.type == "aws_sagemaker_notebook_instance"
	f := {
		"rule": "acme/notebook-seen",
		"address": address,
		"message": "a notebook",
		"lineage": [{"address": address, "reason": "judged workload"}],
	}
}
`;

function writePolicies(files: Record<string, string>, folder = "rego"): string {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, folder, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return folder;
}

const env = () => ({ RESIDENCY_GUARD_CACHE_DIR: path.join(dir, "cache") });

describe("--policies <dir>", () => {
  it("compiles the user's Rego, takes titles and levels from their METADATA and gates on it", async () => {
    writePolicies({ "buckets.rego": BUCKETS });
    const argv = ["check", plan, "--policies", "rego", "--entrypoint", "acme/buckets/findings", "-f", "json"];
    const r = await runCli([...argv, "-f", "sarif", "-o", "gate.sarif"], { cwd: dir, env: env() });
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(r.stderr).toMatch(/^residency-guard: policies .*rego compiled to .*\.wasm sha256 [0-9a-f]{64}\n$/);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const owner = report.findings.filter((f: { rule: string }) => f.rule === "acme/bucket-owner");
    expect(owner.length).toBeGreaterThan(0);
    expect(owner[0]).toMatchObject({
      title: "Buckets need an owner tag",
      level: "mandatory",
      status: "violation",
      remediation: "Add an Owner tag to the bucket.",
      lineage: [],
    });
    const notebook = report.findings.find((f: { rule: string }) => f.rule === "acme/notebook-seen");
    expect(notebook).toMatchObject({ level: "advisory", title: "Notebooks are noted", remediation: "" });
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, "gate.sarif"), "utf8"));
    expect(sarifErrors(sarif)).toBeNull();
    const rules = sarif.runs[0].tool.driver.rules.map((x: { id: string; shortDescription: { text: string } }) => [
      x.id,
      x.shortDescription.text,
    ]);
    expect(rules).toEqual([
      ["acme/bucket-owner", "Buckets need an owner tag"],
      ["acme/notebook-seen", "Notebooks are noted"],
    ]);

    // Same sources: the cached Wasm is used; a changed source compiles again.
    const again = await runCli(argv, { cwd: dir, env: env() });
    expect(again.stderr).toContain("compiled (cached)");
    expect(again.stdout).toBe(r.stdout);
    writePolicies({ "buckets.rego": BUCKETS.replace("has no Owner tag", "lacks an Owner tag") });
    const changed = await runCli(argv, { cwd: dir, env: env() });
    expect(changed.stderr).not.toContain("(cached)");
    expect(changed.stdout).toContain("lacks an Owner tag");
    expect(fs.readdirSync(path.join(dir, "cache")).filter((f) => f.endsWith(".wasm"))).toHaveLength(2);
  });

  it("reads policies and entrypoint from the configuration file", async () => {
    writePolicies({ "buckets.rego": BUCKETS });
    fs.writeFileSync(
      path.join(dir, "residency-guard.config.json"),
      JSON.stringify({ policies: "rego", entrypoint: "acme/buckets/findings", outputs: [{ format: "json" }] }),
    );
    const r = await runCli(["check", plan], { cwd: dir, env: env() });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toContain("acme/bucket-owner");
  });

  it("fails closed (exit 2) when the entrypoint does not return findings of the documented shape", async () => {
    const cases: Array<[string, RegExp]> = [
      // OPA's usual `deny` set of strings.
      [
        'package acme.buckets\n\nfindings contains msg if {\n\tsome address, r in input.resources\n\tr.type == "aws_s3_bucket"\n\tmsg := sprintf("%s", [address])\n}\n',
        /finding 0 from acme\/buckets\/findings is malformed: not an object/,
      ],
      ["package acme.buckets\n\nfindings := 3\n", /acme\/buckets\/findings must be a set of findings, got number/],
      [
        'package acme.buckets\n\nfindings contains {"rule": "acme/x", "address": "aws_s3_bucket.dataset", "message": "m"}\n',
        /unknown rule acme\/x \(give it a METADATA block with custom.id, or put title and level in the finding\)/,
      ],
      [
        'package acme.buckets\n\nfindings contains {"rule": 1, "address": "aws_s3_bucket.dataset", "message": "m"}\n',
        /rule is not a string/,
      ],
      [
        'package acme.buckets\n\nfindings contains {"rule": "acme/x", "title": "X", "level": "mandatory", "address": "nope.nope", "message": "m"}\n',
        /address nope.nope is not in the input/,
      ],
    ];
    for (const [text, message] of cases) {
      writePolicies({ "buckets.rego": text });
      const r = await runCli(["check", plan, "--policies", "rego", "--entrypoint", "acme/buckets/findings"], {
        cwd: dir,
        env: env(),
      });
      expect([text, r.code]).toEqual([text, 2]);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.split("\n").filter((l) => l && !l.includes(" compiled "))).toHaveLength(1);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
  });

  it("accepts a finding that carries its own title and level when the rule has no METADATA", async () => {
    writePolicies({
      "p.rego":
        'package acme\n\nfindings contains {"rule": "acme/x", "title": "X rule", "level": "advisory", "address": "aws_s3_bucket.dataset", "message": "m"}\n',
    });
    const r = await runCli(["check", plan, "--policies", "rego", "--entrypoint", "acme/findings", "-f", "json"], {
      cwd: dir,
      env: env(),
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings[0]).toMatchObject({ rule: "acme/x", title: "X rule", level: "advisory" });
  });

  it("reports compile errors and bad METADATA as file:line:col", async () => {
    writePolicies({ "bad.rego": "package acme\n\nfindings contains x if {\n\tx := \n}\n" });
    const r = await runCli(["check", plan, "--policies", "rego", "--entrypoint", "acme/findings"], {
      cwd: dir,
      env: env(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^residency-guard: \S*rego\/bad\.rego:5:1: rego_parse_error: .*\n$/);

    writePolicies({
      "bad.rego":
        "package acme\n\n# METADATA\n# title: T\n# custom:\n#   id: acme/x\n#   level: fatal\nfindings := []\n",
    });
    const meta = await runCli(["check", plan, "--policies", "rego", "--entrypoint", "acme/findings"], {
      cwd: dir,
      env: env(),
    });
    expect(meta.code).toBe(2);
    expect(meta.stderr).toMatch(
      /^residency-guard: \S*rego\/bad\.rego:3:1: invalid rule METADATA: custom.level must be equal to one of the allowed values\n$/,
    );
  });

  it("names an entrypoint the policy does not define", async () => {
    writePolicies({ "buckets.rego": BUCKETS });
    const r = await runCli(["check", plan, "--policies", "rego"], { cwd: dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/residency_guard\/findings/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it("takes rules of the user's own --policy wasm from its findings, at the default entrypoint too", async () => {
    const { compile } = require("../../compiler") as typeof import("../../compiler");
    const { wasm } = compile(
      [
        {
          file: "own.rego",
          text: 'package residency_guard\n\nfindings contains {"rule": "acme/x", "title": "X rule", "level": "mandatory", "address": "aws_s3_bucket.dataset", "message": "m"}\n',
        },
      ],
      { entrypoints: ["residency_guard/findings"] },
    );
    fs.writeFileSync(path.join(dir, "own.wasm"), wasm);
    const r = await runCli(["check", plan, "--policy", "own.wasm", "-f", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings).toMatchObject([{ rule: "acme/x", title: "X rule", status: "violation" }]);
  });

  it("refuses --policy and --policies together", async () => {
    const r = await runCli(["check", plan, "--policy", "p.wasm", "--policies", "rego"], { cwd: dir });
    expect(r).toMatchObject({
      code: 2,
      stderr: "residency-guard: give either --policy <wasm> or --policies <dir>, not both\n",
    });
  });
});
