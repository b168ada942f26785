// Plumbing of the synth guard with a test-double policy: how findings turn into a failed
// synth, warnings and audit annotations; fail-closed paths; that the judged JSON is the
// written JSON. The real compiled policy is exercised in policy.test.ts and e2e.test.ts.

import * as fs from "node:fs";
import * as path from "node:path";
import { App, Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { GpuTrainingFleet, PersonalDataset, PrivateTrainingNetwork } from "../../stacks/constructs";
import { GuardAttachError, ResidencyGuard, type SynthPolicy } from "../../src/synth";
import type { EvaluationResult, Finding, Level, ProfileName } from "../../src/core/findings";
import type { GuardInput } from "../../src/inputs/types";

/** A policy double: one finding of `level` per resource of `type`, built from the reader's entry. */
function policyDouble(type: string, level: Level, status: Finding["status"] = "violation") {
  const seen: GuardInput[] = [];
  const policy: SynthPolicy = {
    policySha256: "0".repeat(64),
    evaluate(input: GuardInput, profile: ProfileName = "kr-localization"): EvaluationResult {
      seen.push(input);
      const findings: Finding[] = Object.values(input.resources)
        .filter((r) => r.type === type)
        .map((r) => ({
          rule: "test/double-rule",
          title: "double title",
          level,
          status,
          address: r.address,
          constructPath: r.construct_path,
          location: r.location,
          lineage: [{ address: "aws_s3_bucket.x", reason: "tagged DataClassification=personal" }],
          message: `message for ${r.address}`,
          remediation: "do the remedy",
          profile,
          file: input.source.file,
          sourceFile: null,
          sourceLine: null,
          ...(status === "waived"
            ? { waiver: { reason: "approved pilot", approver: "dpo@acme", expires: "2099-01-01", pattern: "*" } }
            : {}),
        }));
      const count = (l: Level) => findings.filter((f) => f.status === "violation" && f.level === l).length;
      return {
        profile,
        policySha256: this.policySha256,
        findings,
        summary: {
          resources: Object.keys(input.resources).length,
          mandatory: count("mandatory"),
          advisory: count("advisory"),
          waived: findings.filter((f) => f.status === "waived").length,
        },
      };
    },
  };
  return { policy, seen };
}

function buildStack(app: App, id = "train"): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, "aws", { region: "ap-northeast-2" });
  const dataset = new PersonalDataset(stack, "dataset", { bucketName: "acme-train" });
  const network = new PrivateTrainingNetwork(stack, "network", { regionName: "ap-northeast-2" });
  new GpuTrainingFleet(stack, "fleet", { dataset, network, tenancy: "dedicated" });
  return stack;
}

function errorOf(fn: () => void): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error");
}

describe("ResidencyGuard.attach", () => {
  test("mandatory findings fail app.synth with construct path, rule, location and remediation", () => {
    const app = Testing.app();
    const stack = buildStack(app);
    const { policy } = policyDouble("aws_instance", "mandatory");
    ResidencyGuard.attach(app, { policy, log: () => undefined });
    const err = errorOf(() => app.synth());
    expect(err.message).toContain("[train] MANDATORY test/double-rule: double title");
    expect(err.message).toMatch(/resource: +aws_instance\.fleet_host-0_[0-9A-F]+ +\(construct train\/fleet\/host-0\)/);
    expect(err.message).toContain("location:    aws ap-northeast-2 (provider-config");
    expect(err.message).toContain("lineage:");
    expect(err.message).toContain("remediation: do the remedy");
    expect(err.message).toContain('residency-guard: stack "train" profile kr-localization: 1 mandatory');
    // Nothing was written for the failing stack.
    expect(fs.existsSync(path.join(app.outdir, "stacks", "train", "cdk.tf.json"))).toBe(false);
    expect(ResidencyGuard.resultsOf(stack)!.errors).toHaveLength(2);
  });

  test("advisory findings warn (annotation + log) and synthesis succeeds", () => {
    const app = Testing.app();
    const stack = buildStack(app);
    const lines: string[] = [];
    ResidencyGuard.attach(app, { policy: policyDouble("aws_instance", "advisory").policy, log: (l) => lines.push(l) });
    app.synth();
    expect(lines.some((l) => l.startsWith("residency-guard warning: ADVISORY test/double-rule"))).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, "manifest.json"), "utf8"));
    const annotations = manifest.stacks.train.annotations as Array<{
      constructPath: string;
      level: string;
      message: string;
    }>;
    const warning = annotations.find((a) => a.message.includes("test/double-rule"))!;
    expect(warning.level).toBe("@cdktf/warn");
    expect(warning.constructPath).toBe("train/fleet/host-0");
    expect(ResidencyGuard.resultsOf(stack)!.errors).toEqual([]);
  });

  test("failOnAdvisory turns advisory findings into errors", () => {
    const app = Testing.app();
    buildStack(app);
    ResidencyGuard.attach(app, {
      policy: policyDouble("aws_instance", "advisory").policy,
      failOnAdvisory: true,
      log: () => undefined,
    });
    expect(errorOf(() => app.synth()).message).toContain("ADVISORY test/double-rule");
  });

  test("waived findings pass and are written to the manifest as an audit trail", () => {
    const app = Testing.app();
    buildStack(app);
    ResidencyGuard.attach(app, {
      policy: policyDouble("aws_instance", "mandatory", "waived").policy,
      log: () => undefined,
    });
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, "manifest.json"), "utf8"));
    const info = (manifest.stacks.train.annotations as Array<{ level: string; message: string }>).find((a) =>
      a.message.includes("waived"),
    )!;
    expect(info.level).toBe("@cdktf/info");
    expect(info.message).toContain("approved pilot (by dpo@acme, expires 2099-01-01)");
  });

  test("the reader gets the stack's JSON as cdktf-synth input named after the output file", () => {
    const app = Testing.app();
    buildStack(app, "named");
    const { policy, seen } = policyDouble("none", "mandatory");
    ResidencyGuard.attach(app, { policy, log: () => undefined });
    app.synth();
    expect(seen).toHaveLength(1);
    expect(seen[0].source).toMatchObject({ kind: "cdktf-synth", stack: "named" });
    expect(seen[0].source.file.endsWith(path.join("stacks", "named", "cdk.tf.json"))).toBe(true);
    const instance = Object.values(seen[0].resources).find((r) => r.type === "aws_instance")!;
    expect(instance.construct_path).toBe("named/fleet/host-0");
  });

  test("the written cdk.tf.json is the judged document and equals an unguarded synth", () => {
    const guardedApp = Testing.app();
    buildStack(guardedApp);
    const { policy, seen } = policyDouble("none", "mandatory");
    ResidencyGuard.attach(guardedApp, { policy, log: () => undefined });
    guardedApp.synth();
    const plainApp = Testing.app();
    buildStack(plainApp);
    plainApp.synth();
    const read = (app: App) => fs.readFileSync(path.join(app.outdir, "stacks", "train", "cdk.tf.json"), "utf8");
    expect(read(guardedApp)).toBe(read(plainApp));
    const written = JSON.parse(read(guardedApp));
    expect(Object.keys(seen[0].resources).length).toBe(
      Object.values(written.resource as Record<string, object>).reduce((n, r) => n + Object.keys(r).length, 0) +
        Object.values((written.data ?? {}) as Record<string, object>).reduce((n, r) => n + Object.keys(r).length, 0),
    );
  });

  test("a policy that throws fails synthesis (fail closed)", () => {
    const app = Testing.app();
    buildStack(app);
    const policy: SynthPolicy = {
      policySha256: "",
      evaluate() {
        throw new Error("wasm trap: unreachable");
      },
    };
    ResidencyGuard.attach(app, { policy, log: () => undefined });
    expect(errorOf(() => app.synth()).message).toContain(
      'residency-guard could not judge stack "train": Error: wasm trap: unreachable',
    );
  });

  test("a missing policy file fails synthesis, not attach (fail closed)", () => {
    const app = Testing.app();
    buildStack(app);
    ResidencyGuard.attach(app, { policyFile: "/nonexistent/policy.wasm", log: () => undefined });
    const err = errorOf(() => app.synth());
    expect(err.message).toContain('residency-guard could not judge stack "train"');
    expect(err.message).toContain("/nonexistent/policy.wasm");
  });

  test("stacks created after attach are guarded when the app synthesizes", () => {
    const app = Testing.app();
    ResidencyGuard.attach(app, { policy: policyDouble("aws_instance", "mandatory").policy, log: () => undefined });
    buildStack(app, "late");
    expect(errorOf(() => app.synth()).message).toContain("[late] MANDATORY");
  });

  test("attach to a single stack guards only that stack", () => {
    const app = Testing.app();
    const a = buildStack(app, "a");
    buildStack(app, "b");
    const { policy, seen } = policyDouble("none", "mandatory");
    ResidencyGuard.attach(a, { policy, log: () => undefined });
    app.synth();
    expect(seen.map((i) => i.source.stack)).toEqual(["a"]);
  });

  test("Testing.synth with validations runs the guard", () => {
    const app = Testing.app();
    const stack = buildStack(app);
    ResidencyGuard.attach(stack, { policy: policyDouble("aws_instance", "mandatory").policy, log: () => undefined });
    expect(errorOf(() => Testing.synth(stack, true)).message).toContain("MANDATORY test/double-rule");
  });

  test("refuses an app with skipValidation and a scope without stacks", () => {
    const app = new App({
      outdir: fs.mkdtempSync(path.join(require("node:os").tmpdir(), "rg-")),
      skipValidation: true,
    });
    expect(() => ResidencyGuard.attach(app)).toThrow(GuardAttachError);
    const lonely = new App({ outdir: app.outdir });
    const construct = new (require("constructs").Construct)(lonely, "empty");
    expect(() => ResidencyGuard.attach(construct)).toThrow(/no TerraformStack/);
  });

  test("refuses skipValidation set after attach when the app synthesizes", () => {
    const app = Testing.app();
    buildStack(app);
    ResidencyGuard.attach(app, { policy: policyDouble("aws_instance", "mandatory").policy, log: () => undefined });
    (app as { skipValidation: boolean }).skipValidation = true;
    expect(errorOf(() => app.synth()).message).toMatch(/skipValidation: true.*remove skipValidation/);
  });
});

describe("ResidencyGuard.attach with another copy of cdktf", () => {
  // A second module registry loads cdktf and constructs again: their classes are distinct from
  // the ones imported above, as with an app whose cdktf is not the copy residency-guard sees.
  type Cdktf = typeof import("cdktf");
  let other: Cdktf;
  let OtherProvider: typeof AwsProvider;
  let OtherBucket: typeof import("@cdktf/provider-aws/lib/s3-bucket").S3Bucket;
  beforeAll(() => {
    jest.isolateModules(() => {
      other = require("cdktf");
      OtherProvider = require("@cdktf/provider-aws/lib/provider").AwsProvider;
      OtherBucket = require("@cdktf/provider-aws/lib/s3-bucket").S3Bucket;
    });
  });

  function otherApp(config: { skipValidation?: boolean } = {}) {
    const outdir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "rg-other-"));
    const app = new other.App({ outdir, ...config });
    const stack = new other.TerraformStack(app, "other");
    new OtherProvider(stack, "aws", { region: "ap-northeast-2" });
    new OtherBucket(stack, "data", { bucket: "acme-other", tags: { DataClassification: "personal" } });
    return { app, stack };
  }

  test("the copies differ: instanceof is false across them", () => {
    const { app, stack } = otherApp();
    expect(other.App).not.toBe(App);
    expect(app instanceof App).toBe(false);
    expect(stack instanceof TerraformStack).toBe(false);
  });

  test("mandatory findings fail synthesis", () => {
    const { app, stack } = otherApp();
    ResidencyGuard.attach(app, { policy: policyDouble("aws_s3_bucket", "mandatory").policy, log: () => undefined });
    expect(errorOf(() => app.synth()).message).toContain("[other] MANDATORY test/double-rule");
    expect(ResidencyGuard.resultsOf(stack)!.errors).toHaveLength(2);
    expect(fs.existsSync(path.join(app.outdir, "stacks", "other", "cdk.tf.json"))).toBe(false);
  });

  test("a passing stack is written, advisory findings land in the manifest as cdktf warnings", () => {
    const { app } = otherApp();
    ResidencyGuard.attach(app, { policy: policyDouble("aws_s3_bucket", "advisory").policy, log: () => undefined });
    app.synth();
    expect(fs.existsSync(path.join(app.outdir, "stacks", "other", "cdk.tf.json"))).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, "manifest.json"), "utf8"));
    const warning = (manifest.stacks.other.annotations as Array<{ level: string; message: string }>).find((a) =>
      a.message.includes("test/double-rule"),
    );
    expect(warning?.level).toBe("@cdktf/warn");
  });

  test("stacks created after attach to an App of the other copy are guarded", () => {
    const outdir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "rg-other-"));
    const app = new other.App({ outdir });
    ResidencyGuard.attach(app, { policy: policyDouble("aws_s3_bucket", "mandatory").policy, log: () => undefined });
    const stack = new other.TerraformStack(app, "late");
    new OtherProvider(stack, "aws", { region: "ap-northeast-2" });
    new OtherBucket(stack, "data", { bucket: "acme-late" });
    expect(errorOf(() => app.synth()).message).toContain("[late] MANDATORY");
  });

  test("attached to a stack of the other copy, app.synth runs the guard", () => {
    const { app, stack } = otherApp();
    ResidencyGuard.attach(stack, { policy: policyDouble("aws_s3_bucket", "mandatory").policy, log: () => undefined });
    expect(errorOf(() => app.synth()).message).toContain("MANDATORY test/double-rule");
  });

  test("refuses an App of the other copy with skipValidation: true", () => {
    const { app, stack } = otherApp({ skipValidation: true });
    expect(() => ResidencyGuard.attach(app)).toThrow(GuardAttachError);
    expect(() => ResidencyGuard.attach(stack)).toThrow(/skipValidation: true/);
  });
});
