// The gate: parse arguments, merge configuration, read inputs, evaluate, write reports, pick the exit code.
// Every failure before a verdict exits 2 with one readable message (fail closed, no stack trace).

import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, formatError, InputError, PolicyError } from "../core/errors";
import type { EvaluationResult, Finding, Level, ProfileComparison, ProfileName } from "../core/findings";
import type { GuardInput } from "../inputs/types";
import { COMPARE_FORMATS, COMPARE_REPORTERS, MAP_FORMATS, REPORTERS } from "../reporters/registry";
import { summarize, type InputMeta, type ReportContext } from "../reporters/types";
import type { CompareContext, CompareFormat } from "../reporters/compare";
import { parseArgs, type OutputSpec, type ParsedArgs } from "./args";
import { resolveConfig, type GuardConfig, type WaiverLimits } from "../core/config";
import { defaultDeps, type CliDeps, type GuardLike } from "./deps";
import { UsageError } from "./errors";
import { packageVersion } from "../core/package";

/** Name of standard input in messages and reports (the reader uses the same). */
export const STDIN_FILE = "<stdin>";

/** Exit codes of the gate. */
export const EXIT = { pass: 0, violations: 1, error: 2 } as const;

/** Where the CLI reads and writes; `main.ts` binds it to the process, tests to buffers. */
export interface CliIo {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown };
  /** The whole of standard input, for the `-` path. */
  readStdin(): Promise<string>;
  cwd: string;
  env: Record<string, string | undefined>;
}

/** Public URL of docs/rules.md, used by SARIF help links; override with RESIDENCY_GUARD_RULES_URL. */
export const DEFAULT_RULES_DOC_URI = "https://github.com/residency-guard/residency-guard/blob/main/docs/rules.md";

/** Effective settings after merging flags over the configuration file. */
export interface Settings {
  command: ParsedArgs["command"];
  path: string;
  profile: ProfileName;
  level: Level;
  stacks?: string[];
  dataFiles?: string[];
  waiversFile?: string;
  policyFile?: string;
  /** Folder of Rego to compile (instead of policyFile). */
  policiesDir?: string;
  entrypoint?: string;
  waiverLimits?: WaiverLimits;
  outputs: OutputSpec[];
  configFile: string | null;
}

/** Colour for stdout text: FORCE_COLOR wins, then NO_COLOR, then whether stdout is a terminal. */
export function useColor(io: Pick<CliIo, "env" | "stdout">): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  return io.stdout.isTTY === true;
}

function resolveSettings(args: ParsedArgs, io: CliIo): Settings {
  // The same lookup as the synth guard: --config, else $RESIDENCY_GUARD_CONFIG, else ./residency-guard.config.json.
  const config: GuardConfig | null = resolveConfig({ explicit: args.config, cwd: io.cwd, env: io.env });
  if (args.policy !== undefined && args.policies !== undefined) {
    throw new UsageError("give either --policy <wasm> or --policies <dir>, not both");
  }
  const abs = (p: string) => path.resolve(io.cwd, p);
  const outputs: OutputSpec[] =
    args.outputs.length > 0
      ? args.outputs.map((o) => ({ format: o.format, output: o.output === null ? null : abs(o.output) }))
      : (config?.outputs?.map((o) => ({ format: o.format, output: o.output ?? null })) ?? [
          { format: "text", output: null },
        ]);

  const toStdout = outputs.filter((o) => o.output === null);
  if (toStdout.length > 1) {
    throw new UsageError(
      `formats ${toStdout.map((o) => o.format).join(", ")} all go to stdout; give all but one an --output file`,
    );
  }
  const files = new Set<string>();
  for (const o of outputs) {
    if (o.output === null) continue;
    if (files.has(o.output)) throw new UsageError(`--output ${o.output} is given for two formats`);
    files.add(o.output);
  }
  if (args.command === "compare") {
    for (const o of outputs) {
      if (!(COMPARE_FORMATS as readonly string[]).includes(o.format)) {
        throw new UsageError(`compare supports --format ${COMPARE_FORMATS.join(", ")}, not ${o.format}`);
      }
    }
  }
  return {
    command: args.command,
    path: args.path,
    profile: args.profile ?? config?.profile ?? "kr-localization",
    level: args.level ?? config?.level ?? "mandatory",
    stacks: args.stacks ?? config?.stacks,
    dataFiles: args.data ? args.data.map(abs) : config?.data,
    waiversFile: args.waivers !== undefined ? abs(args.waivers) : config?.waivers,
    // A policy flag replaces the configuration's policy source, whichever kind it is.
    ...(args.policy !== undefined || args.policies !== undefined
      ? {
          policyFile: args.policy === undefined ? undefined : abs(args.policy),
          policiesDir: args.policies === undefined ? undefined : abs(args.policies),
        }
      : { policyFile: config?.policy, policiesDir: config?.policies }),
    entrypoint: args.entrypoint ?? config?.entrypoint,
    waiverLimits: config?.waiverLimits,
    outputs,
    configFile: config?.file ?? null,
  };
}

async function readInputs(settings: Settings, io: CliIo, deps: CliDeps): Promise<GuardInput[]> {
  let docs: GuardInput | GuardInput[];
  if (settings.path === "-") {
    const text = await io.readStdin();
    if (text.trim() === "") throw new InputError("standard input is empty", STDIN_FILE);
    docs = await deps.readInputText(text, STDIN_FILE);
    if (settings.stacks && Array.isArray(docs)) {
      const wanted = new Set(settings.stacks);
      docs = docs.filter((d) => d.source.stack !== null && wanted.has(d.source.stack));
    }
  } else {
    // Keep the path as the user wrote it (relative) so reports and SARIF carry repository-relative paths.
    const target = path.isAbsolute(settings.path)
      ? settings.path
      : path.relative(process.cwd(), path.resolve(io.cwd, settings.path)) || ".";
    docs = await deps.readInputPath(target, settings.stacks ? { stacks: settings.stacks } : {});
  }
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length === 0) {
    const which = settings.stacks ? ` for stack ${settings.stacks.join(", ")}` : "";
    throw new InputError(`no input document found${which}`, settings.path);
  }
  return list;
}

function inputMeta(doc: GuardInput): InputMeta {
  // Resources being deleted are not judged (the engine does not count them either).
  const addresses: string[] = [];
  for (const [address, r] of Object.entries(doc.resources)) if (r.action !== "delete") addresses.push(address);
  return { file: doc.source.file, stack: doc.source.stack, kind: doc.source.kind, addresses };
}

function writeReport(spec: OutputSpec, text: string, io: CliIo): void {
  if (spec.output === null) {
    io.stdout.write(text);
    return;
  }
  try {
    fs.mkdirSync(path.dirname(spec.output), { recursive: true });
    fs.writeFileSync(spec.output, text);
  } catch (err) {
    throw new UsageError(
      `cannot write ${spec.format} report to ${spec.output}: ${(err as NodeJS.ErrnoException).code ?? err}`,
    );
  }
}

function checkResult(result: EvaluationResult, file: string): EvaluationResult {
  // A malformed engine result must not read as "no findings" (fail closed).
  if (!result || !Array.isArray(result.findings) || typeof result.summary?.resources !== "number") {
    throw new PolicyError("the engine returned no evaluation result", file);
  }
  return result;
}

async function runCheck(settings: Settings, io: CliIo, guard: GuardLike, docs: GuardInput[]): Promise<number> {
  const results = docs.map((doc) => checkResult(guard.evaluate(doc, settings.profile), doc.source.file));
  const ctx: ReportContext = {
    results,
    inputs: docs.map(inputMeta),
    profile: settings.profile,
    threshold: settings.level,
    policy: { sha256: guard.policySha256, file: guard.policyFile ?? null },
    rules: guard.rules(),
    tool: { name: "residency-guard", version: packageVersion() },
    rulesDocUri: io.env.RESIDENCY_GUARD_RULES_URL || DEFAULT_RULES_DOC_URI,
  };
  // The map needs the documents and the policy's subjects under every profile (display only).
  if (settings.outputs.some((o) => MAP_FORMATS.has(o.format))) {
    ctx.maps = docs.map((doc) => ({ document: doc, comparison: compareOf(guard, doc) }));
  }
  const color = useColor(io);
  for (const spec of settings.outputs) {
    writeReport(spec, REPORTERS[spec.format](ctx, { color: spec.output === null && color }), io);
  }
  // In a GitHub Actions step the annotations come with a job summary (Markdown with Mermaid lineage).
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (summaryFile && settings.outputs.some((o) => o.format === "github")) {
    try {
      const github = require("../reporters/github") as typeof import("../reporters/github");
      fs.appendFileSync(summaryFile, github.renderGithubSummary(ctx));
    } catch (err) {
      throw new UsageError(
        `cannot write the job summary to ${summaryFile}: ${(err as NodeJS.ErrnoException).code ?? err}`,
      );
    }
  }
  return summarize(ctx).verdict === "fail" ? EXIT.violations : EXIT.pass;
}

function compareOf(guard: GuardLike, doc: GuardInput): ProfileComparison {
  const cmp = guard.compare(doc);
  if (!cmp || !Array.isArray(cmp.rows)) throw new PolicyError("the engine returned no comparison", doc.source.file);
  return cmp;
}

async function runCompare(settings: Settings, io: CliIo, guard: GuardLike, docs: GuardInput[]): Promise<number> {
  const comparisons: ProfileComparison[] = docs.map((doc) => compareOf(guard, doc));
  const ctx: CompareContext = {
    comparisons,
    inputs: docs.map(inputMeta),
    policy: { sha256: guard.policySha256, file: guard.policyFile ?? null },
    tool: { name: "residency-guard", version: packageVersion() },
  };
  if (settings.outputs.some((o) => MAP_FORMATS.has(o.format))) {
    // The map shows each profile's lineage, so the findings of every profile are needed here.
    ctx.maps = docs.map((doc, i) => {
      const findings: Partial<Record<ProfileName, Finding[]>> = {};
      for (const p of comparisons[i]!.profiles)
        findings[p] = checkResult(guard.evaluate(doc, p), doc.source.file).findings;
      return { document: doc, findings };
    });
  }
  for (const spec of settings.outputs) {
    writeReport(spec, COMPARE_REPORTERS[spec.format as CompareFormat](ctx), io);
  }
  // compare informs; it does not gate.
  return EXIT.pass;
}

// Messages can quote hostile input (V8 quotes the JSON text): escape control characters so a
// message stays on its lines and cannot drive the terminal.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Control characters as `\uXXXX`; newlines too unless `keepNewlines`. */
export function sanitize(text: string, keepNewlines = false): string {
  const escaped = text.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return keepNewlines ? escaped : escaped.replace(/\r?\n/g, "\\n");
}

/**
 * The error as lines `<file>:<place>: <message>` (docs/cli.md, "Errors"), without a stack trace;
 * one line per problem (a configuration file can have several); unknown errors are labelled internal.
 */
export function describeError(err: unknown): string[] {
  if (err instanceof ConfigError || err instanceof InputError || err instanceof PolicyError) {
    return formatError(err).map((line) => sanitize(line));
  }
  if (err instanceof UsageError) return [sanitize(err.message)];
  if (err instanceof Error) {
    const name = err.name && err.name !== "Error" ? `${err.name}: ` : "";
    return [`internal error: ${sanitize(name + err.message.split("\n    at ")[0])}`];
  }
  return [`internal error: ${sanitize(String(err))}`];
}

/** Runs the CLI in-process and resolves to the exit code; never throws. */
export async function run(argv: string[], io: CliIo, deps: CliDeps = defaultDeps): Promise<number> {
  try {
    const parsed = parseArgs(
      argv,
      { out: (s) => io.stdout.write(s), err: (s) => io.stderr.write(s) },
      packageVersion(),
    );
    if ("printed" in parsed) return EXIT.pass;
    const settings = resolveSettings(parsed, io);
    const docs = await readInputs(settings, io, deps);
    const custom =
      settings.policiesDir === undefined
        ? undefined
        : await (deps.compilePolicies ?? defaultDeps.compilePolicies!)(settings.policiesDir, {
            ...(settings.entrypoint !== undefined && { entrypoint: settings.entrypoint }),
            cwd: io.cwd,
            env: io.env,
          });
    const policyFile = custom?.policyFile ?? settings.policyFile;
    const guard = await deps.loadGuard({
      profile: settings.profile,
      // A policy of the user's own may return the custom finding shape (docs/cli.md).
      ...(policyFile !== undefined && { policyFile, customFindings: true }),
      ...(custom !== undefined && { rules: custom.rules, entrypoint: custom.entrypoint }),
      ...(custom === undefined && settings.entrypoint !== undefined && { entrypoint: settings.entrypoint }),
      ...(settings.dataFiles !== undefined && { dataFiles: settings.dataFiles }),
      ...(settings.waiversFile !== undefined && { waiversFile: settings.waiversFile }),
      ...(settings.waiverLimits !== undefined && {
        waiverLimits: settings.waiverLimits,
        ...(settings.configFile !== null && { waiverLimitsFile: settings.configFile }),
      }),
    });
    if (typeof guard?.policySha256 !== "string" || !/^[0-9a-f]{64}$/.test(guard.policySha256)) {
      throw new PolicyError("the engine reported no policy digest", policyFile);
    }
    if (custom !== undefined) {
      io.stderr.write(
        `residency-guard: policies ${settings.policiesDir} compiled${custom.cached ? " (cached)" : ""} to ${custom.policyFile} sha256 ${guard.policySha256}\n`,
      );
    } else if (settings.policyFile !== undefined) {
      io.stderr.write(
        `residency-guard: policy ${guard.policyFile ?? settings.policyFile} sha256 ${guard.policySha256}\n`,
      );
    }
    return settings.command === "check"
      ? await runCheck(settings, io, guard, docs)
      : await runCompare(settings, io, guard, docs);
  } catch (err) {
    for (const line of describeError(err)) io.stderr.write(`residency-guard: ${line}\n`);
    if (io.env.RESIDENCY_GUARD_DEBUG && err instanceof Error && err.stack) io.stderr.write(err.stack + "\n");
    return EXIT.error;
  }
}
