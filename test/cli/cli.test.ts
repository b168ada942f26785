import * as fs from "node:fs";
import * as path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { PolicyError } from "../../src/core/errors";
import { formatFromFileName } from "../../src/cli/args";
import { PROFILES } from "../../src/core/rules";
import { FORMATS } from "../../src/reporters";
import { useColor } from "../../src/cli/run";
import { sarifErrors } from "../reporters/sarif-validator";
import { fakeEngine, finding, guardInput, hasStackTrace, runCli, SHA, tempDir } from "./helpers";

let dir: string;
let plan: string;
beforeEach(() => {
  dir = tempDir();
  plan = path.join(dir, "plan.json");
  fs.writeFileSync(plan, JSON.stringify({ addresses: ["aws_sagemaker_training_job.train", "aws_s3_bucket.data"] }));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const violating = () =>
  fakeEngine((input, profile) =>
    profile === "kr-localization" && input.resources["aws_sagemaker_training_job.train"]
      ? [finding("aws_sagemaker_training_job.train", { file: input.source.file })]
      : [],
  );

describe("exit codes", () => {
  it("0 when nothing is found, with a PASS summary on stdout", async () => {
    const r = await runCli(["check", plan], { deps: fakeEngine().deps });
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/PASS {2}2 resources in 1 input/);
  });

  it("1 on a mandatory violation", async () => {
    const r = await runCli(["check", plan], { deps: violating().deps });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("x mandatory residency/personal-training-outside-korea");
  });

  it("applies the --level threshold to advisory violations", async () => {
    const advisory = () => fakeEngine(() => [finding("aws_s3_bucket.data", { level: "advisory" })]);
    expect((await runCli(["check", plan], { deps: advisory().deps })).code).toBe(0);
    expect((await runCli(["check", plan, "--level", "advisory"], { deps: advisory().deps })).code).toBe(1);
  });

  it("0 when the only violation is waived, and passes the waivers file to the engine", async () => {
    const engine = fakeEngine(() => [
      finding("aws_sagemaker_training_job.train", {
        status: "waived",
        waiver: { reason: "OPS-1", approver: "dpo", expires: "2030-01-01", pattern: "*" },
      }),
    ]);
    const r = await runCli(["check", plan, "--waivers", "waivers.yaml", "--format", "json"], {
      deps: engine.deps,
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(engine.loads[0]!.waiversFile).toBe(path.join(dir, "waivers.yaml"));
    const report = JSON.parse(r.stdout);
    expect(report.summary).toMatchObject({ waived: 1, mandatory: 0, verdict: "pass" });
    expect(report.findings[0].waiver.reason).toBe("OPS-1");
  });

  it("2 for usage errors, with a message and no stack trace", async () => {
    for (const argv of [
      [],
      ["check"],
      ["frobnicate"],
      ["check", plan, "--bogus"],
      ["check", plan, "--profile", "eu"],
    ]) {
      const r = await runCli(argv, { deps: fakeEngine().deps });
      expect(r.code).toBe(2);
      // One line in the shared style, without the word "error: " commander adds.
      expect(r.stderr).toMatch(/^residency-guard: (?!error: )\S.*\n$/);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
    const r = await runCli(["check", plan, "--profile", "eu"], { deps: fakeEngine().deps });
    expect(r.stderr).toContain("kr-localization, risk-based");
  });

  it("0 for --help and --version", async () => {
    const help = await runCli(["check", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--format <format>");
    const version = await runCli(["--version"]);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it("2 when the reader fails, naming the file", async () => {
    fs.writeFileSync(plan, '{"addresses": [');
    const r = await runCli(["check", plan], { deps: fakeEngine().deps });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^residency-guard: ${escapeRe(plan)}: not JSON: .*\n$`));
    const missing = await runCli(["check", path.join(dir, "nope.json")], { deps: fakeEngine().deps });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.json");
  });

  it("2 when the engine fails, with or without an error class", async () => {
    const policyFails = fakeEngine(() => [], {
      onLoad: () => {
        throw new PolicyError("bad magic number", "x.wasm");
      },
    });
    const r1 = await runCli(["check", plan], { deps: policyFails.deps });
    expect(r1).toMatchObject({ code: 2, stderr: "residency-guard: x.wasm: bad magic number\n" });
    const crashes = fakeEngine(() => [], {
      onEvaluate: () => {
        throw new TypeError("x is undefined");
      },
    });
    const r2 = await runCli(["check", plan], { deps: crashes.deps });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toBe("residency-guard: internal error: TypeError: x is undefined\n");
    expect(r2.stdout).toBe("");
  });

  it("2 when --stack selects nothing", async () => {
    fs.writeFileSync(plan, JSON.stringify([{ addresses: ["aws_x.a"], stack: "train" }]));
    const r = await runCli(["check", plan, "--stack", "serve"], { deps: fakeEngine().deps });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no input document found for stack serve");
  });
});

describe("formats and outputs", () => {
  it("writes several reports in one run, pairing each --output with the --format before it", async () => {
    const r = await runCli(
      [
        "check",
        plan,
        "--format",
        "sarif",
        "--output",
        "out/gate.sarif",
        "-f",
        "junit",
        "-o",
        "out/gate.xml",
        "--format",
        "json",
      ],
      { deps: violating().deps, cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).schema).toBe("residency-guard/report/v1");
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, "out/gate.sarif"), "utf8"));
    expect(sarifErrors(sarif)).toBeNull();
    expect(sarif.runs[0].results).toHaveLength(1);
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" }).parse(
      fs.readFileSync(path.join(dir, "out/gate.xml"), "utf8"),
    );
    expect(junit.testsuites["@failures"]).toBe("1");
  });

  it("infers the format of a lone --output from its extension", async () => {
    expect(formatFromFileName("gate.sarif")).toBe("sarif");
    expect(formatFromFileName("gate.sarif.json")).toBe("sarif");
    expect(formatFromFileName("report.md")).toBe("markdown");
    const r = await runCli(["check", plan, "-o", "gate.sarif"], { deps: violating().deps, cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(JSON.parse(fs.readFileSync(path.join(dir, "gate.sarif"), "utf8")).version).toBe("2.1.0");
    const bad = await runCli(["check", plan, "-o", "gate.bin"], { deps: violating().deps, cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--output gate.bin");
  });

  it("refuses two formats on stdout and two formats into one file", async () => {
    const r = await runCli(["check", plan, "-f", "json", "-f", "text"], { deps: violating().deps });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("json, text all go to stdout");
    const r2 = await runCli(["check", plan, "-f", "json", "-o", "a", "-f", "sarif", "-o", "a"], {
      deps: violating().deps,
      cwd: dir,
    });
    expect(r2.code).toBe(2);
  });

  it("lists clean resources as passing JUnit cases, except resources being deleted", async () => {
    const engine = fakeEngine();
    const deps = {
      ...engine.deps,
      readInputPath: () => {
        const doc = guardInput("plan.json", ["aws_s3_bucket.kept", "aws_s3_bucket.gone"]);
        doc.resources["aws_s3_bucket.gone"]!.action = "delete" as const;
        return [doc];
      },
    };
    const r = await runCli(["check", plan, "-f", "junit"], { deps });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('classname="aws_s3_bucket.kept" name="all rules"');
    expect(r.stdout).not.toContain("aws_s3_bucket.gone");
  });

  it("prints github annotations and markdown", async () => {
    const gh = await runCli(["check", plan, "--format", "github"], { deps: violating().deps });
    expect(gh.stdout).toMatch(/^::error file=.*plan.json,title=residency\/personal-training-outside-korea on /);
    const md = await runCli(["check", plan, "--format", "markdown"], { deps: violating().deps });
    expect(md.stdout).toMatch(/^## :x: residency-guard/);
  });

  it("colours stdout text only on a TTY or when forced, and honours NO_COLOR", async () => {
    expect(useColor({ env: {}, stdout: { write: () => 0, isTTY: true } })).toBe(true);
    expect(useColor({ env: { NO_COLOR: "1" }, stdout: { write: () => 0, isTTY: true } })).toBe(false);
    expect(useColor({ env: { FORCE_COLOR: "1", NO_COLOR: "1" }, stdout: { write: () => 0 } })).toBe(true);
    expect(useColor({ env: { FORCE_COLOR: "0" }, stdout: { write: () => 0, isTTY: true } })).toBe(false);
    const forced = await runCli(["check", plan, "-f", "text", "-f", "text", "-o", "t.txt"], {
      deps: violating().deps,
      env: { FORCE_COLOR: "1" },
      cwd: dir,
    });
    expect(forced.stdout).toMatch(/\u001b\[/);
    expect(fs.readFileSync(path.join(dir, "t.txt"), "utf8")).not.toMatch(/\u001b\[/);
  });

  it("prints the SHA-256 of a --policy file and passes data files to the engine", async () => {
    const engine = violating();
    const r = await runCli(["check", plan, "--policy", "custom.wasm", "-d", "a.json", "--data", "b.yaml"], {
      deps: engine.deps,
      cwd: dir,
    });
    expect(r.stderr).toBe(`residency-guard: policy ${path.join(dir, "custom.wasm")} sha256 ${SHA}\n`);
    expect(engine.loads[0]).toEqual({
      profile: "kr-localization",
      policyFile: path.join(dir, "custom.wasm"),
      customFindings: true,
      dataFiles: [path.join(dir, "a.json"), path.join(dir, "b.yaml")],
    });
  });
});

describe("stdin", () => {
  it("reads `-` from standard input", async () => {
    const engine = violating();
    const r = await runCli(["check", "-", "-f", "json"], {
      deps: engine.deps,
      stdin: JSON.stringify({ addresses: ["aws_sagemaker_training_job.train"] }),
    });
    expect(r.code).toBe(1);
    expect(engine.reads[0]).toMatchObject({ file: "<stdin>" });
    expect(JSON.parse(r.stdout).inputs[0].file).toBe("<stdin>");
  });

  it("fails closed on empty or truncated standard input", async () => {
    const empty = await runCli(["check", "-"], { deps: fakeEngine().deps, stdin: "" });
    expect(empty).toMatchObject({
      code: 2,
      stderr: "residency-guard: <stdin>: standard input is empty\n",
    });
    const cut = await runCli(["check", "-"], { deps: fakeEngine().deps, stdin: '{"addresses": ["a' });
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/^residency-guard: <stdin>: not JSON: .*\n$/);
  });
});

describe("configuration", () => {
  const writeConfig = (doc: unknown, name = "residency-guard.config.json") =>
    fs.writeFileSync(path.join(dir, name), typeof doc === "string" ? doc : JSON.stringify(doc));

  it("is read from the working directory; flags override it; paths are relative to it", async () => {
    fs.mkdirSync(path.join(dir, "cfg"));
    writeConfig(
      { profile: "risk-based", level: "advisory", waivers: "w.yaml", outputs: [{ format: "json" }] },
      "cfg/rg.json",
    );
    writeConfig({ profile: "risk-based", level: "advisory", data: ["d.json"], outputs: [{ format: "json" }] });
    const engine = fakeEngine(() => [finding("aws_s3_bucket.data", { level: "advisory", profile: "risk-based" })]);
    const r = await runCli(["check", plan], { deps: engine.deps, cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ profile: "risk-based", threshold: "advisory" });
    expect(engine.loads[0]).toMatchObject({ profile: "risk-based", dataFiles: [path.join(dir, "d.json")] });

    const flags = await runCli(["check", plan, "--level", "mandatory", "-p", "kr-localization", "-f", "text"], {
      deps: engine.deps,
      cwd: dir,
    });
    expect(flags.code).toBe(0);
    expect(flags.stdout).toContain("profile kr-localization  threshold mandatory");

    const explicit = await runCli(["check", plan, "--config", "cfg/rg.json"], { deps: engine.deps, cwd: dir });
    expect(engine.loads[2]).toMatchObject({ waiversFile: path.join(dir, "cfg", "w.yaml") });
    expect(explicit.code).toBe(1);

    const ignored = await runCli(["check", plan, "--no-config"], { deps: engine.deps, cwd: dir });
    expect(ignored.code).toBe(0);
    expect(ignored.stdout).toContain("profile kr-localization");
  });

  it.each([
    [{ profile: "eu-gdpr" }, "1:12", 'profile: must be one of "kr-localization", "risk-based"'],
    [{ levle: "advisory" }, "1:2", "levle: unknown field"],
    [{ stacks: "train" }, "1:11", "stacks: must be array"],
    [{ outputs: [{ format: "json" }, { format: "pdf" }] }, "1:41", "outputs[1].format: must be one of"],
    [{ outputs: [{ output: "x.json" }] }, "1:13", "outputs[0].format: is required"],
    [{ waivers: 3 }, "1:12", "waivers: must be string"],
    [{ waiverLimits: { maxDays: 0 } }, "1:28", "waiverLimits.maxDays: must be >= 1"],
    [{ synth: "warn" }, "1:10", 'synth: must be one of "stop", "report"'],
    [{ policy: "p.wasm", policies: "rego" }, "1:20", "policies: give either policy"],
    [{ entrypoint: "acme/findings" }, "1:2", "entrypoint: entrypoint applies to a custom policy"],
    [[], "1:1", "(root): must be object"],
  ])("rejects %j naming the file, line:col and field", async (doc, where, message) => {
    writeConfig(doc);
    const r = await runCli(["check", plan], { deps: fakeEngine().deps, cwd: dir });
    expect(r.code).toBe(2);
    const file = path.join(dir, "residency-guard.config.json");
    expect(r.stderr).toContain(`residency-guard: ${file}:${where}: ${message}`);
    expect(
      r.stderr
        .split("\n")
        .filter(Boolean)
        .every((l) => l.startsWith(`residency-guard: ${file}:`)),
    ).toBe(true);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it("reports every schema problem, one line each", async () => {
    writeConfig('{\n  "profile": "eu",\n  "levle": 1\n}');
    const r = await runCli(["check", plan], { deps: fakeEngine().deps, cwd: dir });
    const file = path.join(dir, "residency-guard.config.json");
    expect(r.stderr.split("\n").sort()).toEqual([
      "",
      `residency-guard: ${file}:2:14: profile: must be one of "kr-localization", "risk-based"`,
      `residency-guard: ${file}:3:3: levle: unknown field`,
    ]);
  });

  it("reports where invalid JSON breaks, and a missing --config file", async () => {
    writeConfig('{\n  "profile": "risk-based",\n  "level": \n}');
    const r = await runCli(["check", plan], { deps: fakeEngine().deps, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/residency-guard.config.json:4:1: invalid JSON/);
    const missing = await runCli(["check", plan, "--config", "none.json"], { deps: fakeEngine().deps, cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`residency-guard: ${path.join(dir, "none.json")}: cannot read configuration: ENOENT\n`);
  });

  it("keeps the schema's enums in step with the code", () => {
    const schema = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, "../../schemas/residency-guard.config.schema.json"), "utf8"),
    );
    expect(schema.properties.outputs.items.properties.format.enum).toEqual([...FORMATS]);
    expect(schema.properties.profile.enum).toEqual([...PROFILES]);
  });

  it("ships a schema that ajv accepts and that documents every field", () => {
    const schema = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, "../../schemas/residency-guard.config.schema.json"), "utf8"),
    );
    for (const [name, prop] of Object.entries(schema.properties)) {
      expect([name, typeof (prop as { description?: string }).description]).toEqual([name, "string"]);
    }
  });
});

describe("compare", () => {
  it("shows each workload under each profile", async () => {
    const r = await runCli(["compare", plan], { deps: violating().deps });
    expect(r.code).toBe(0);
    const row = r.stdout.split("\n").find((l) => l.includes("aws_sagemaker_training_job.train"))!;
    expect(row).toMatch(/^ \* +aws_sagemaker_training_job.train +us-east-1 \(provider-config\) +fail \(1\) +pass$/);
    expect(r.stdout).toContain(
      "aws_sagemaker_training_job.train [kr-localization]: residency/personal-training-outside-korea",
    );
    expect(r.stdout.split("\n").find((l) => l.includes("aws_s3_bucket.data"))).toMatch(
      /^ {2,}aws_s3_bucket.data +.* pass +pass$/,
    );
    const json = await runCli(["compare", plan, "-f", "json"], { deps: violating().deps });
    expect(JSON.parse(json.stdout).inputs[0].profiles).toEqual(["kr-localization", "risk-based"]);
  });

  it("rejects formats that only make sense for findings", async () => {
    const r = await runCli(["compare", plan, "-f", "sarif"], { deps: violating().deps });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "residency-guard: option '-f, --format <format>' argument 'sarif' is invalid. Allowed choices are text, json, markdown, html.\n",
    );
  });
});

describe("JSON error positions", () => {
  const { jsonErrorOffset } = jest.requireActual("../../src/core/config") as typeof import("../../src/core/config");
  it("agrees with JSON.parse on validity and points into the text", () => {
    for (const [text, pos] of [
      ['{"a": 1}', -1],
      ['{"a": }', 6],
      ["[1, 2", 5],
      ['{"a": tru}', 6],
      ['"\\x"', 2],
      ["01", 1],
      ["", 0],
    ] as const) {
      expect([text, jsonErrorOffset(text)]).toEqual([text, pos]);
    }
  });
});

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
