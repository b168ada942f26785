// In-process CLI harness: buffered io, temporary directories and a fake engine.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { InputError } from "../../src/core/errors";
import type { EvaluationResult, Finding, ProfileComparison, ProfileName, RuleMeta } from "../../src/core/findings";
import type { GuardInput } from "../../src/inputs/types";
import { resourceEntry } from "../helpers/resource-entry";
import type { CliDeps, GuardLike, GuardLoadOptions } from "../../src/cli/deps";
import { run, type CliIo } from "../../src/cli/run";

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with buffered streams. */
export async function runCli(
  argv: string[],
  opts: { cwd?: string; stdin?: string; env?: Record<string, string | undefined>; tty?: boolean; deps?: CliDeps } = {},
): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: async () => opts.stdin ?? "",
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? {},
  };
  const code = await run(argv, io, opts.deps);
  return { code, stdout, stderr };
}

/** A fresh temporary directory, removed by `cleanup()`. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "rg-cli-"));
}

/** A minimal valid input document with the given resource addresses. */
export function guardInput(file: string, addresses: string[], stack: string | null = null): GuardInput {
  const resources: GuardInput["resources"] = {};
  for (const address of addresses) {
    const [type = "aws_x", name = "y"] = address.split(".");
    resources[address] = resourceEntry(
      address,
      { cloud: "aws", region: "us-east-1", source: "provider-config", detail: "provider aws" },
      { type, name },
    );
  }
  return {
    schema_version: "residency-guard/input/v1",
    source: { kind: "terraform-plan", file, stack, terraform_version: "1.9.0", format_version: "1.2" },
    resources,
    edges: [],
    external: {},
    iam_statements: [],
  };
}

export const SHA = "b".repeat(64);

export const RULES: RuleMeta[] = [
  {
    id: "residency/personal-training-outside-korea",
    category: "residency",
    title: "Personal-data training outside Korea",
    level: "mandatory",
    remediation: "Use a Korean region.",
    description: "Training on personal data must run in Korea.",
    profiles: ["kr-localization"],
  },
];

/** Fake engine and reader: inputs are JSON files `{"addresses": [...], "stack"?: ...}` or arrays of them. */
export interface FakeEngine {
  deps: CliDeps;
  loads: GuardLoadOptions[];
  reads: Array<{ path: string; stacks?: string[] } | { text: string; file: string }>;
}

export function fakeEngine(
  findingsFor: (input: GuardInput, profile: ProfileName) => Finding[] = () => [],
  hooks: { onLoad?: (o: GuardLoadOptions) => void; onEvaluate?: () => void } = {},
): FakeEngine {
  const loads: GuardLoadOptions[] = [];
  const reads: FakeEngine["reads"] = [];
  const parse = (text: string, file: string): GuardInput[] => {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new InputError(`not JSON: ${(err as Error).message}`, file);
    }
    const items = Array.isArray(doc) ? doc : [doc];
    return items.map((d) => {
      if (!d || !Array.isArray((d as { addresses?: unknown }).addresses))
        throw new InputError("unrecognized input", file);
      return guardInput(file, (d as { addresses: string[] }).addresses, (d as { stack?: string }).stack ?? null);
    });
  };
  const guard = (opts: GuardLoadOptions): GuardLike => ({
    policySha256: SHA,
    policyFile: opts.policyFile ?? "dist/policies/residency-guard.wasm",
    rules: () => RULES,
    evaluate(input, profile = "kr-localization"): EvaluationResult {
      hooks.onEvaluate?.();
      const findings = findingsFor(input, profile);
      return {
        profile,
        policySha256: SHA,
        findings,
        summary: {
          resources: Object.keys(input.resources).length,
          mandatory: findings.filter((f) => f.status === "violation" && f.level === "mandatory").length,
          advisory: findings.filter((f) => f.status === "violation" && f.level === "advisory").length,
          waived: findings.filter((f) => f.status === "waived").length,
        },
      };
    },
    compare(input): ProfileComparison {
      const profiles: ProfileName[] = ["kr-localization", "risk-based"];
      return {
        profiles,
        rows: Object.values(input.resources).map((r) => {
          const verdicts = {} as ProfileComparison["rows"][number]["verdicts"];
          for (const p of profiles) {
            const rules = findingsFor(input, p)
              .filter((f) => f.address === r.address)
              .map((f) => f.rule);
            verdicts[p] = { verdict: rules.length ? "fail" : "pass", rules };
          }
          return { address: r.address, constructPath: null, location: r.location, verdicts };
        }),
      };
    },
  });
  const deps: CliDeps = {
    loadGuard(opts) {
      loads.push(opts);
      hooks.onLoad?.(opts);
      return guard(opts);
    },
    readInputPath(p, o) {
      reads.push({ path: p, ...o });
      let text: string;
      try {
        text = fs.readFileSync(p, "utf8");
      } catch {
        throw new InputError("cannot read", p);
      }
      const docs = parse(text, p);
      return o.stacks ? docs.filter((d) => d.source.stack !== null && o.stacks!.includes(d.source.stack)) : docs;
    },
    readInputText(text, file) {
      reads.push({ text, file });
      return parse(text, file);
    },
  };
  return { deps, loads, reads };
}

/** A finding on `address` with the given level and status. */
export function finding(address: string, over: Partial<Finding> = {}): Finding {
  return {
    rule: "residency/personal-training-outside-korea",
    title: "Personal-data training outside Korea",
    level: "mandatory",
    status: "violation",
    address,
    constructPath: null,
    location: { cloud: "aws", region: "us-east-1", source: "provider-config", detail: "provider aws" },
    lineage: [],
    message: `${address} trains on personal data outside Korea.`,
    remediation: "Use a Korean region.",
    profile: "kr-localization",
    file: "plan.json",
    sourceFile: null,
    sourceLine: null,
    ...over,
  };
}

/** No stack-trace frames in the text. */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+\(.*:\d+:\d+\)|\n\s+at [^\s]+:\d+:\d+/.test(text);
}
