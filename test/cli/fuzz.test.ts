// Robustness of the gate entry: mutated, truncated and random inputs and arguments must end in
// exit code 2 with one readable message (or a normal verdict when a mutation stays valid), never
// a throw or a stack trace. Runs in-process through run(); about 10,000 cases in a few seconds
// on an idle machine. The counts below add up to 10,000.

import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { jsonErrorOffset } from "../../src/core/config";
import type { CliDeps } from "../../src/cli/deps";
import { missingReason, sharedPath } from "../helpers/shared";
import { fakeEngine, hasStackTrace, runCli, tempDir } from "./helpers";

const sharedPlans = sharedPath("fixtures/terraform-json", process.env.TERRAFORM_JSON_FIXTURES);
const ownPlans = [
  "test/fixtures/inputs/plans/aws-modules.json",
  "test/fixtures/inputs/plans/azure-google-oci.json",
  "test/fixtures/inputs/cdktf-plan/plan.json",
  "test/cli/fixtures/personal-training-us.plan.json",
].map((rel) => path.resolve(__dirname, "../..", rel));

// The project's own plans, and the real third-party plans the reader accepts when ../shared is
// present (invalid/ is the fixture meant to be rejected).
const plans: string[] = [
  ...ownPlans,
  ...(fs.existsSync(sharedPlans)
    ? fs
        .readdirSync(sharedPlans)
        .filter((d) => d !== "invalid" && fs.existsSync(path.join(sharedPlans, d, "plan.json")))
        .map((d) => path.join(sharedPlans, d, "plan.json"))
    : []),
].map((file) => fs.readFileSync(file, "utf8"));
const sharedMissing = missingReason(sharedPlans, "third-party Terraform plans");
if (sharedMissing) process.stderr.write(`fuzz.test.ts: own plans only; ${sharedMissing}\n`);

// The real reader with an engine that judges nothing: the property is about input handling.
const reader = require("../../src/inputs") as Pick<CliDeps, "readInputPath" | "readInputText">;
const deps: CliDeps = {
  ...fakeEngine().deps,
  readInputPath: reader.readInputPath,
  readInputText: reader.readInputText,
};

async function gate(stdin: string, argv: string[] = ["check", "-", "-f", "json"]) {
  return runCli(argv, { stdin, deps });
}

function assertCleanError(r: { code: number; stdout: string; stderr: string }, file = "<stdin>") {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(
    new RegExp(`^residency-guard: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(:[^ ]+)?: .+\n$`),
  );
  expect(hasStackTrace(r.stderr)).toBe(false);
  expect(r.stderr).not.toContain("internal error");
}

describe("fuzzing the gate entry", () => {
  it("accepts every unmutated fixture plan (the fuzz starts from valid inputs)", async () => {
    expect(plans.length).toBeGreaterThan(sharedMissing ? 3 : 10);
    for (const plan of plans) {
      const r = await gate(plan);
      expect([r.code, r.stderr]).toEqual([0, ""]);
    }
  });

  it("truncated plans exit 2 with a message naming stdin", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...plans), fc.double({ min: 0, max: 1, noNaN: true }), async (plan, frac) => {
        const body = plan.trimEnd();
        const cut = body.slice(0, Math.min(body.length - 1, Math.floor(frac * body.length)));
        assertCleanError(await gate(cut));
      }),
      { numRuns: 2000 },
    );
  });

  it("random text and bytes exit 2", async () => {
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString("latin1")),
      fc.string({ unit: fc.constantFrom("{", "}", "[", "]", '"', ":", ",", " ", "a", "1", "\n"), maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        fc.pre(jsonErrorOffset(t) >= 0);
        assertCleanError(await gate(t));
      }),
      { numRuns: 2000 },
    );
  });

  it("JSON that is not a plan or configuration exits 2", async () => {
    const notPlan = fc.oneof(
      fc.jsonValue().filter((v) => v === null || typeof v !== "object" || Array.isArray(v)),
      fc
        .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 })
        .filter(
          (o) =>
            !["format_version", "resource_changes", "planned_values", "resource", "terraform", "provider", "data"].some(
              (k) => k in o,
            ),
        ),
    );
    await fc.assert(
      fc.asyncProperty(notPlan, async (v) => assertCleanError(await gate(JSON.stringify(v)))),
      { numRuns: 1000 },
    );
  });

  it("mutated plans give a verdict or a clean exit 2, never a crash", async () => {
    type Json = unknown;
    const mutate = (doc: Json, path: number[], replacement: Json, op: number): Json => {
      // Walk to a node chosen by the index path and replace, delete or retype it.
      const walk = (node: Json, depth: number): Json => {
        if (depth >= path.length || node === null || typeof node !== "object") {
          if (op === 0) return replacement;
          if (op === 1) return typeof node === "string" ? node.length : String(node);
          return Array.isArray(node) ? {} : [];
        }
        const keys = Object.keys(node as object);
        if (keys.length === 0) return op === 0 ? replacement : node;
        const key = keys[path[depth]! % keys.length]!;
        const copy: Record<string, Json> = Array.isArray(node) ? ([...node] as never) : { ...(node as object) };
        if (op === 3 && depth === path.length - 1 && !Array.isArray(node)) {
          delete copy[key];
          return copy;
        }
        copy[key] = walk((node as Record<string, Json>)[key], depth + 1);
        return copy;
      };
      return walk(doc, 0);
    };
    const parsed = plans.map((p) => JSON.parse(p) as Json);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: parsed.length - 1 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.jsonValue({ maxDepth: 2 }),
        fc.nat({ max: 3 }),
        async (i, p, replacement, op) => {
          const r = await gate(JSON.stringify(mutate(parsed[i], p, replacement, op)));
          expect([0, 1, 2]).toContain(r.code);
          expect(hasStackTrace(r.stderr)).toBe(false);
          expect(r.stderr).not.toContain("internal error");
          // A location is one token; an odd key in it is JSON-quoted (["a b"]).
          if (r.code === 2)
            expect(r.stderr).toMatch(/^residency-guard: <stdin>(:(?:[^ "\n]|"(?:[^"\\\n]|\\.)*")+)?: .+\n$/);
          else expect(JSON.parse(r.stdout).schema).toBe("residency-guard/report/v1");
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("truncated files given by path exit 2 naming the file", async () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, "plan.json");
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...plans), fc.double({ min: 0, max: 1, noNaN: true }), async (plan, frac) => {
          const body = plan.trimEnd();
          fs.writeFileSync(file, body.slice(0, Math.min(body.length - 1, Math.floor(frac * body.length))));
          const r = await runCli(["check", file], { deps });
          expect(r.code).toBe(2);
          expect(r.stderr).toContain(file);
          expect(hasStackTrace(r.stderr)).toBe(false);
        }),
        { numRuns: 300 },
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("random argument lists exit 0 (help) or 2 (usage), never crash", async () => {
    const token = fc.oneof(
      fc.constantFrom(
        "check",
        "compare",
        "-",
        "--format",
        "-f",
        "--output",
        "-o",
        "--profile",
        "risk-based",
        "kr-localization",
        "--level",
        "advisory",
        "--stack",
        "--data",
        "--waivers",
        "--policy",
        "--config",
        "--no-config",
        "--help",
        "sarif",
        "junit",
        "text",
        "gate.sarif",
        "--",
        "-x",
        "--format=json",
      ),
      fc.string({ maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 8 }), async (argv) => {
        // Keep the fuzz from writing report files into the working directory.
        fc.pre(!argv.some((a) => a === "-o" || a === "--output" || a.startsWith("--output")));
        const r = await runCli(argv, { stdin: "", deps, cwd: "/nonexistent-rg-cwd" });
        expect([0, 2]).toContain(r.code);
        expect(hasStackTrace(r.stderr)).toBe(false);
        expect(r.stderr).not.toContain("internal error");
        if (r.code === 2) expect(r.stderr).toMatch(/^(residency-guard: (?!error: )\S.*\n)+$/);
      }),
      { numRuns: 1200 },
    );
  });

  it("the config JSON scanner agrees with JSON.parse", () => {
    const jsonish = fc.oneof(
      fc.json(),
      fc.string({
        unit: fc.constantFrom("{", "}", "[", "]", '"', ":", ",", " ", "a", "1", "-", ".", "e", "\\", "u", "n"),
        maxLength: 30,
      }),
    );
    fc.assert(
      fc.property(jsonish, (t) => {
        let ok = true;
        try {
          JSON.parse(t);
        } catch {
          ok = false;
        }
        expect(jsonErrorOffset(t) === -1).toBe(ok);
      }),
      { numRuns: 1500 },
    );
  });
});
