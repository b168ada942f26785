// The engine: loading, data merging, profile selection, compare, and failing closed on every
// unexpected policy behaviour (missing file, missing entrypoint, wrong shape, undefined, errors).

import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compile } from "../../compiler";
import { ConfigError, InputError, PolicyError } from "../../src/core/errors";
import { ENTRYPOINT, deepMerge, loadGuard, loadGuardSync, policyDataFiles } from "../../src/engine";
import type { GuardInput } from "../../src/inputs/types";
import { POLICIES_DIR, compiledPolicyPath, fixture, testGuard } from "../helpers/policy";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rg-engine-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Compiles a small policy to a file and loads it with the real rule metadata. */
function tinyGuard(text: string, entrypoint = ENTRYPOINT) {
  const { wasm } = compile([{ file: "tiny.rego", text }], { entrypoints: [entrypoint] });
  const file = path.join(dir, `tiny-${createHash("sha256").update(text).digest("hex").slice(0, 8)}.wasm`);
  fs.writeFileSync(file, wasm);
  return loadGuardSync({ policyFile: file, policiesDir: POLICIES_DIR });
}

const minimal = (): GuardInput => fixture("seoul-compliant.json");

describe("loading", () => {
  it("reports the policy's SHA-256, file and rule metadata", () => {
    const file = compiledPolicyPath();
    const guard = loadGuardSync({ policyFile: file, policiesDir: POLICIES_DIR });
    expect(guard.policyFile).toBe(file);
    expect(guard.policySha256).toBe(createHash("sha256").update(fs.readFileSync(file)).digest("hex"));
    const rules = guard.rules();
    expect(rules.map((r) => r.id)).toContain("residency/personal-training-outside-korea");
    expect(rules[0].category).toBe("residency");
    expect(rules.every((r) => r.title && r.remediation && r.profiles.length)).toBe(true);
  });

  it("fails with PolicyError naming a missing policy file", () => {
    const missing = path.join(dir, "nope.wasm");
    expect(() => loadGuardSync({ policyFile: missing, policiesDir: POLICIES_DIR })).toThrow(PolicyError);
    expect(() => loadGuardSync({ policyFile: missing, policiesDir: POLICIES_DIR })).toThrow(missing);
  });

  it("fails with PolicyError on bytes that are not Wasm", () => {
    const bad = path.join(dir, "bad.wasm");
    fs.writeFileSync(bad, "not wasm");
    expect(() => loadGuardSync({ policyFile: bad, policiesDir: POLICIES_DIR })).toThrow(/cannot load policy Wasm/);
  });

  it("fails with PolicyError when the policy lacks the findings entrypoint", () => {
    expect(() => tinyGuard("package test\n\np := 1\n", "test/p")).toThrow(
      /no entrypoint residency_guard\/findings \(has: test\/p\)/,
    );
  });

  it("loads asynchronously with the same verdicts", async () => {
    const guard = await loadGuard({ policyFile: compiledPolicyPath(), policiesDir: POLICIES_DIR });
    const sync = testGuard();
    const input = fixture("sector.json");
    expect(guard.evaluate(input).findings).toEqual(sync.evaluate(input).findings);
  });

  it("rejects an unknown profile and unreadable or malformed data files", () => {
    expect(() => testGuard({ profile: "gdpr" as never })).toThrow(ConfigError);
    expect(() => testGuard({ dataFiles: [path.join(dir, "missing.json")] })).toThrow(/cannot read policy data file/);
    const broken = path.join(dir, "broken.json");
    fs.writeFileSync(broken, "{");
    expect(() => testGuard({ dataFiles: [broken] })).toThrow(`${broken}: cannot parse policy data`);
    const shapeless = path.join(dir, "shapeless.json");
    fs.writeFileSync(shapeless, '{"locations": {}}');
    expect(() => testGuard({ dataFiles: [shapeless] })).toThrow(/must hold residency_guard.settings/);
  });
});

describe("policy data", () => {
  it("deep-merges data files over the defaults (objects merge, lists replace)", () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, e: 2 })).toEqual({
      a: { b: 1, c: [3] },
      d: 1,
      e: 2,
    });
    const extra = path.join(dir, "tokyo.yaml");
    fs.writeFileSync(
      extra,
      "residency_guard:\n  settings:\n    locations:\n      allowed:\n        aws: [ap-northeast-2, ap-northeast-1]\n",
    );
    const input = fixture("sector.json");
    const before = testGuard()
      .evaluate(input, "kr-localization")
      .findings.map((f) => f.rule);
    const after = testGuard({ dataFiles: [extra] })
      .evaluate(input, "kr-localization")
      .findings.map((f) => f.rule);
    expect(before).toContain("residency/personal-training-outside-korea");
    expect(after).not.toContain("residency/personal-training-outside-korea");
    expect(after).toContain("private-cloud/personal-training-shared-infrastructure");
  });

  it("loads every data file of policies/data: defaults.json first, then the others by name", () => {
    const policies = path.join(dir, "policies-multi");
    fs.mkdirSync(path.join(policies, "data"), { recursive: true });
    fs.symlinkSync(path.join(POLICIES_DIR, "rules"), path.join(policies, "rules"));
    fs.copyFileSync(path.join(POLICIES_DIR, "data", "defaults.json"), path.join(policies, "data", "defaults.json"));
    const allow = (regions: string[]) =>
      JSON.stringify({ residency_guard: { settings: { locations: { allowed: { aws: regions } } } } });
    fs.writeFileSync(path.join(policies, "data", "b-tokyo.yaml"), allow(["ap-northeast-2", "ap-northeast-1"]));
    fs.writeFileSync(path.join(policies, "data", "a-seoul.json"), allow(["ap-northeast-2"]));
    fs.writeFileSync(path.join(policies, "data", "README.md"), "not data");
    expect(policyDataFiles(policies).map((f) => path.basename(f))).toEqual([
      "defaults.json",
      "a-seoul.json",
      "b-tokyo.yaml",
    ]);
    const load = () => loadGuardSync({ policyFile: compiledPolicyPath(), policiesDir: policies });
    const rules = () =>
      load()
        .evaluate(fixture("sector.json"), "kr-localization")
        .findings.map((f) => f.rule);
    // b-tokyo.yaml is merged last, so Tokyo is allowed.
    expect(rules()).not.toContain("residency/personal-training-outside-korea");
    fs.renameSync(path.join(policies, "data", "a-seoul.json"), path.join(policies, "data", "c-seoul.json"));
    expect(rules()).toContain("residency/personal-training-outside-korea");
    // Every bundled data file needs the settings shape, and defaults.json must be there.
    fs.writeFileSync(path.join(policies, "data", "d-shapeless.json"), '{"locations": {}}');
    expect(load).toThrow(/d-shapeless.json: policy data must hold residency_guard.settings/);
    fs.rmSync(path.join(policies, "data", "d-shapeless.json"));
    fs.rmSync(path.join(policies, "data", "defaults.json"));
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/defaults.json: cannot read policy data file/);
  });

  it("selects the profile per evaluation, defaulting to the option", () => {
    const guard = testGuard({ profile: "risk-based" });
    const input = fixture("sector.json");
    expect(guard.evaluate(input).profile).toBe("risk-based");
    expect(guard.evaluate(input, "kr-localization").findings.every((f) => f.profile === "kr-localization")).toBe(true);
    expect(guard.evaluate(input).findings.map((f) => f.rule)).toContain("sector/regulated-access-logging");
  });

  it("fails closed when policy data the rules need is removed", () => {
    const guard = testGuard({ data: { residency_guard: { settings: { locations: null } } } });
    expect(() => guard.evaluate(minimal())).toThrow(/residency_guard\/findings is undefined/);
  });

  it("reports every personal training workload under an unknown private-cloud reading", () => {
    const guard = testGuard({ data: { residency_guard: { settings: { private_cloud: { reading: "sovereign" } } } } });
    const r = guard.evaluate(fixture("seoul-compliant.json"), "kr-localization");
    expect(r.findings.map((f) => f.address).sort()).toEqual([
      "aws_instance.trainer",
      "aws_sagemaker_notebook_instance.research",
    ]);
    expect(r.findings[0].message).toContain("unknown private-cloud reading");
  });
});

describe("failing closed", () => {
  const base = (body: string) => `package residency_guard\n\n${body}\n`;

  it("rejects a result that is not a set of findings", () => {
    expect(() => tinyGuard(base("findings := 5")).evaluate(minimal())).toThrow(/must be a set of findings, got number/);
  });

  it("rejects a finding with an unknown rule, level or address", () => {
    const finding = (o: Record<string, unknown>) =>
      JSON.stringify({
        rule: "safeguards/public-access",
        level: "mandatory",
        status: "violation",
        address: "aws_s3_bucket.dataset",
        lineage: [],
        message: "m",
        remediation: "r",
        ...o,
      });
    expect(() => tinyGuard(base(`findings := [${finding({ rule: "x/y" })}]`)).evaluate(minimal())).toThrow(
      /unknown rule x\/y/,
    );
    expect(() => tinyGuard(base(`findings := [${finding({ level: "low" })}]`)).evaluate(minimal())).toThrow(
      /level low/,
    );
    expect(() =>
      tinyGuard(base(`findings := [${finding({ address: "aws_s3_bucket.nope" })}]`)).evaluate(minimal()),
    ).toThrow(/not in the input/);
    expect(() => tinyGuard(base(`findings := [${finding({ status: "waived" })}]`)).evaluate(minimal())).toThrow(
      /waived finding without waiver/,
    );
    expect(() => tinyGuard(base(`findings := [${finding({ lineage: [1] })}]`)).evaluate(minimal())).toThrow(
      /lineage\[0\]/,
    );
    const ok = tinyGuard(base(`findings := [${finding({})}]`)).evaluate(minimal());
    expect(ok.findings[0].title).toBe("Personal data reachable from the public internet");
  });

  it("treats an undefined result as an error, never as a pass", () => {
    expect(() => tinyGuard(base("findings := [] if input.never_there")).evaluate(minimal())).toThrow(PolicyError);
  });

  it("turns runtime errors (conflicts) into PolicyError and recovers for the next evaluation", () => {
    const guard = tinyGuard(base('findings := x if {\n\tsome x in ["a", "b"]\n}'));
    expect(() => guard.evaluate(minimal())).toThrow(
      /evaluation failed for test\/fixtures\/policies\/seoul-compliant.json/,
    );
    expect(() => guard.evaluate(minimal())).toThrow(PolicyError);
  });

  it("turns OPA's strict builtin errors (type errors, divide by zero) into PolicyError, never a pass", () => {
    const typeErr = tinyGuard(base('findings := [] if {\n\tconcat(",", input.source)\n}'));
    expect(() => typeErr.evaluate(minimal())).toThrow(PolicyError);
    expect(() => typeErr.evaluate(minimal())).toThrow(
      /tiny\.rego:4:2: eval_type_error: concat: operand 2 must be one of \{array, set\} but got object/,
    );
    const divErr = tinyGuard(base("findings := [] if {\n\t1 / (count(input.resources) - count(input.resources))\n}"));
    expect(() => divErr.evaluate(minimal())).toThrow(/eval_builtin_error: div: divide by zero/);
  });

  it("runs custom builtins the host supplies, and a throwing one is a PolicyError", () => {
    const text = base('findings := [] if {\n\tcorp.approved(input.source.file) == "yes"\n}');
    const { wasm } = compile([{ file: "custom.rego", text }], {
      entrypoints: [ENTRYPOINT],
      customBuiltins: { "corp.approved": 1 },
    });
    const file = path.join(dir, "custom.wasm");
    fs.writeFileSync(file, wasm);
    const ok = loadGuardSync({
      policyFile: file,
      policiesDir: POLICIES_DIR,
      customBuiltins: { "corp.approved": () => "yes" },
    });
    expect(ok.evaluate(minimal()).findings).toEqual([]);
    const failing = loadGuardSync({
      policyFile: file,
      policiesDir: POLICIES_DIR,
      customBuiltins: {
        "corp.approved": () => {
          throw new Error("directory unreachable");
        },
      },
    });
    expect(() => failing.evaluate(minimal())).toThrow(/directory unreachable/);
    expect(() => failing.evaluate(minimal())).toThrow(PolicyError);
  });

  it("rejects documents that are not residency-guard input", () => {
    const guard = testGuard();
    expect(() => guard.evaluate({ resources: {} } as never)).toThrow(InputError);
    const input = { ...minimal(), resources: null } as never;
    expect(() => guard.evaluate(input)).toThrow(/no resources object/);
  });
});

describe("compare", () => {
  it("gives per-resource verdicts under both profiles", () => {
    const cmp = testGuard().compare(fixture("sector.json"));
    expect(cmp.profiles).toEqual(["kr-localization", "risk-based"]);
    const row = (a: string) => cmp.rows.find((r) => r.address === a)!;
    expect(row("aws_instance.trainer").verdicts["kr-localization"]).toEqual({
      verdict: "fail",
      rules: [
        "private-cloud/personal-training-shared-infrastructure",
        "residency/personal-training-outside-korea",
        "safeguards/public-access",
      ],
    });
    expect(row("aws_instance.trainer").verdicts["risk-based"].rules).toEqual([
      "safeguards/public-access",
      "sector/regulated-network-isolation",
    ]);
    // Advisory only under kr-localization, mandatory sector rule under risk-based.
    expect(row("aws_s3_bucket.ehr").verdicts["kr-localization"].verdict).toBe("pass");
    expect(row("aws_s3_bucket.ehr").verdicts["risk-based"].verdict).toBe("fail");
    expect(row("aws_sagemaker_notebook_instance.risk").verdicts).toEqual({
      "kr-localization": { verdict: "pass", rules: [] },
      "risk-based": { verdict: "pass", rules: [] },
    });
    expect(row("aws_instance.trainer").location.region).toBe("ap-northeast-1");
  });

  it("lists the workloads, the stores they use and resources with findings, not every resource", () => {
    const input = fixture("sector.json");
    const listed = testGuard()
      .compare(input)
      .rows.map((r) => r.address);
    expect(listed).toEqual(
      expect.arrayContaining(["aws_instance.trainer", "aws_s3_bucket.ehr", "aws_sagemaker_notebook_instance.risk"]),
    );
    // Plumbing the policy does not judge as a workload or store, and that has no finding, is left out.
    expect(listed).not.toContain("aws_vpc.main");
    expect(listed).not.toContain("aws_iam_instance_profile.trainer");
    expect(listed.length).toBeLessThan(Object.keys(input.resources).length);
  });
});

describe("module calls the input cannot show", () => {
  it("is a mandatory finding under both profiles (fail closed)", () => {
    const input = minimal();
    input.opaque_modules = [
      { address: "module.training", source: "./modules/training", construct_path: "stack/training" },
    ];
    const guard = testGuard();
    for (const profile of ["kr-localization", "risk-based"] as const) {
      const r = guard.evaluate(input, profile);
      const f = r.findings.find((x) => x.rule === "residency/opaque-module");
      expect(f).toMatchObject({
        level: "mandatory",
        status: "violation",
        address: "module.training",
        constructPath: "stack/training",
        location: { source: "unresolved", region: null },
      });
      expect(f!.message).toContain("./modules/training");
    }
    expect(
      guard.evaluate(minimal(), "kr-localization").findings.some((x) => x.rule === "residency/opaque-module"),
    ).toBe(false);
  });
});

describe("input encoding", () => {
  it("passes non-ASCII tags through the JSON bytes handed to the Wasm unchanged", () => {
    const input = fixture("training-outside-korea.json");
    input.resources["aws_s3_bucket.dataset"]!.tags = { DataClassification: "개인정보" };
    const guard = testGuard({
      data: { residency_guard: { settings: { classification: { personal_values: ["개인정보"] } } } },
    });
    const r = guard.evaluate(input, "kr-localization");
    const training = r.findings.filter((f) => f.rule === "residency/personal-training-outside-korea");
    expect(training.length).toBeGreaterThan(0);
    expect(training.flatMap((f) => f.lineage).map((s) => s.reason)).toContain("tagged DataClassification=개인정보");
    // compare() encodes the input once for both profiles and must agree with evaluate().
    const cmp = guard.compare(input);
    const failing = cmp.rows
      .filter((row) => row.verdicts["kr-localization"].verdict === "fail")
      .map((row) => row.address);
    expect(failing).toEqual(
      [
        ...new Set(r.findings.filter((f) => f.status === "violation" && f.level === "mandatory").map((f) => f.address)),
      ].sort(new Intl.Collator().compare),
    );
  });
});
