// The synth-time guard: a cdktf validation on each stack that judges the stack's synthesized
// Terraform JSON with the compiled policy. Mandatory violations make `app.synth()` (and so
// `cdktf synth`) throw; advisory findings become warnings; waived findings are recorded as info
// annotations in the manifest (the audit trail).
//
// Why a validation and not an Aspect: cdktf runs stack validations after aspects and
// prepareStack (so the JSON is final) and throws on any error before writing the stack, and
// the CLI turns that into a non-zero exit. Aspects added to an App are not invoked by the
// stack synthesizer, and an aspect cannot fail synthesis by itself.
//
// No value is imported from cdktf or constructs: the app may use any cdktf copy and version
// (0.20, 0.21, a second copy in its node_modules), and `instanceof` across copies is false. Apps
// and stacks are recognised by the marks cdktf's own `App.isApp` / `TerraformStack.isStack` test
// (symbols in the global registry, shared by every copy), and annotations are written as the
// metadata entries cdktf's `Annotations` writes.

import * as path from "node:path";
import type { EvaluationResult, Finding, ProfileName } from "../core/findings";
import { fromTerraformJson } from "../inputs";
import type { GuardInput } from "../inputs/types";
import { SYNTH_MODE_ENV, type SynthMode } from "../core/config";
import { loadGuardSync } from "../engine";
import { compileCustomPolicies } from "../engine/custom-policy";
import { resolveSynthSettings, type SynthSettings } from "./settings";
import { formatLineage, formatLocation } from "../reporters/types";

/** The part of a constructs `Node` the guard uses (any constructs 10 copy has it). */
export interface GuardNode {
  readonly id: string;
  readonly path: string;
  readonly root: GuardConstruct;
  findAll(): GuardConstruct[];
  addValidation(validation: { validate(): string[] }): void;
  addMetadata(type: string, data: unknown, options?: { stackTrace?: boolean }): void;
  tryGetContext(key: string): unknown;
}

/** A construct of any cdktf/constructs copy: an App, a TerraformStack, or a construct holding stacks. */
export interface GuardConstruct {
  readonly node: GuardNode;
}

/** The part of a cdktf TerraformStack the guard uses. */
interface StackLike extends GuardConstruct {
  toTerraform(): unknown;
}

/** The part of a cdktf App the guard uses. */
interface AppLike extends GuardConstruct {
  readonly outdir: string;
  readonly skipValidation?: boolean;
  readonly manifest: { forStack(stack: StackLike): { synthesizedStackPath: string } };
  synth(): void;
}

// The marks set by cdktf's App and TerraformStack constructors (cdktf 0.20 and 0.21).
const APP_SYMBOL = Symbol.for("cdktf/App");
const STACK_SYMBOL = Symbol.for("cdktf/TerraformStack");
// Metadata types and context key of cdktf's Annotations (the cdktf CLI and manifest read these).
const WARN = "@cdktf/warn";
const INFO = "@cdktf/info";
const DISABLE_STACK_TRACE = "@cdktf/disable_stack_trace_in_metadata";

function isApp(x: unknown): x is AppLike {
  return typeof x === "object" && x !== null && APP_SYMBOL in x;
}

function isStack(x: unknown): x is StackLike {
  return typeof x === "object" && x !== null && STACK_SYMBOL in x;
}

/** What the synth guard needs from a loaded policy (the engine's Guard satisfies it). */
export interface SynthPolicy {
  readonly policySha256: string;
  evaluate(input: GuardInput, profile?: ProfileName): EvaluationResult;
}

/** Options of `ResidencyGuard.attach`; the policy options are passed to the engine's `loadGuardSync`. */
export interface ResidencyGuardOptions {
  /** Profile to judge with; the engine's default when omitted. */
  profile?: ProfileName;
  /** Compiled policy Wasm; the engine's default (dist/policies/residency-guard.wasm) when omitted. */
  policyFile?: string;
  /** Extra policy data files (YAML/JSON) merged over the built-in data. */
  dataFiles?: string[];
  /** Policy data given inline. */
  data?: Record<string, unknown>;
  /** Waivers file (id, reason, approver, expiry per waiver). */
  waiversFile?: string;
  /** Folder of Rego compiled in-process instead of the bundled policy (as `residency-guard check --policies`). */
  policiesDir?: string;
  /** Entrypoint of a custom policy; residency_guard/findings when omitted. */
  entrypoint?: string;
  /**
   * The configuration file shared with the CLI; found like the CLI finds it when omitted
   * ($RESIDENCY_GUARD_CONFIG, else ./residency-guard.config.json); false reads none.
   */
  configFile?: string | false;
  /** `stop` (default) fails synthesis on violations; `report` prints them and lets synthesis write cdktf.out. $RESIDENCY_GUARD_SYNTH overrides it. */
  mode?: SynthMode;
  /** Clock for waiver expiry (tests). */
  now?: Date;
  /** Also fail synthesis on advisory findings. */
  failOnAdvisory?: boolean;
  /** Use this loaded policy instead of loading one (benchmarks, tests of the plumbing). */
  policy?: SynthPolicy;
  /** Receives warning and summary lines; defaults to stdout (the cdktf CLI shows an app's stdout as is, stderr as errors). */
  log?: (line: string) => void;
}

/** The guard could not be attached or cannot run (wrong scope, validations disabled). */
export class GuardAttachError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GuardAttachError";
  }
}

/** Per-stack outcome, kept for callers and tests (`ResidencyGuard.resultsOf`). */
export interface StackGuardResult {
  stack: string;
  file: string;
  results: EvaluationResult[];
  /** Validation error lines returned to cdktf (empty when the stack passed). */
  errors: string[];
  /**
   * Milliseconds spent: toTerraform + reader (`read`), of which the stack's toTerraform (which
   * synthesis then reuses, see reuseForSynthesis), loading the policy (first stack only), evaluation.
   */
  timings: { read: number; toTerraform: number; load: number; evaluate: number };
}

// The cdktf CLI sets this for the app it runs (cli-core synth-stack) and prints annotations.
const RUN_BY_CDKTF_CLI = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;

const GUARDED = new WeakSet<object>();
const RESULTS = new WeakMap<object, StackGuardResult>();
// Guards attached to each App whose synth is wrapped (one wrapper per App).
const APP_GUARDS = new WeakMap<object, ResidencyGuard[]>();

const SKIP_VALIDATION =
  "residency-guard: the App has skipValidation: true, so cdktf would never run the guard (a validation); " +
  "remove skipValidation from the App";

/** Attaches the residency guard to an App or a stack: one line, before `app.synth()`. */
export class ResidencyGuard {
  private policy: SynthPolicy | undefined;
  private readonly log: (line: string) => void;
  /** Options merged over the configuration file (read once, at attach). */
  private readonly settings: SynthSettings;

  private constructor(private readonly options: ResidencyGuardOptions) {
    this.policy = options.policy;
    this.log = options.log ?? ((line) => process.stdout.write(line + "\n"));
    this.settings = resolveSynthSettings(options);
  }

  /**
   * Guards every stack under `scope` (an App, a stack, or any construct containing stacks).
   * On an App, stacks created after this call are guarded too when `app.synth()` runs.
   */
  static attach(scope: GuardConstruct, options: ResidencyGuardOptions = {}): ResidencyGuard {
    const guard = new ResidencyGuard(options);
    const root = scope.node.root as Partial<AppLike>;
    // Fail closed: with skipValidation cdktf would never run the guard. Read on any root, so an
    // App the marks do not recognise is refused too.
    if (root.skipValidation) throw new GuardAttachError(SKIP_VALIDATION);
    const stacks = stacksUnder(scope);
    if (stacks.length === 0 && !isApp(scope)) {
      throw new GuardAttachError(`residency-guard: no TerraformStack at or below ${scope.node.path || "the root"}`);
    }
    for (const stack of stacks) guard.guardStack(stack);
    if (isApp(root)) ResidencyGuard.wrapSynth(root, isApp(scope) ? guard : undefined);
    return guard;
  }

  /**
   * Wraps `app.synth` once per App: it refuses to run when skipValidation was set after attach
   * (the guard would be skipped) and, for guards attached to the App, guards stacks created later.
   */
  private static wrapSynth(app: AppLike, guard: ResidencyGuard | undefined): void {
    let guards = APP_GUARDS.get(app);
    if (!guards) {
      const all: ResidencyGuard[] = (guards = []);
      APP_GUARDS.set(app, all);
      const synth = app.synth.bind(app);
      app.synth = () => {
        if (app.skipValidation) throw new GuardAttachError(SKIP_VALIDATION);
        for (const g of all) for (const stack of stacksUnder(app)) g.guardStack(stack);
        synth();
      };
    }
    if (guard) guards.push(guard);
  }

  /** The last evaluation of a guarded stack, or undefined before synthesis. */
  static resultsOf(stack: object): StackGuardResult | undefined {
    return RESULTS.get(stack);
  }

  private guardStack(stack: StackLike): void {
    if (GUARDED.has(stack)) return;
    GUARDED.add(stack);
    stack.node.addValidation({ validate: () => this.validateStack(stack) });
  }

  private loadPolicy(): SynthPolicy {
    let policy = this.policy;
    if (!policy) {
      const { load, policiesDir } = this.settings;
      // A custom Rego folder is compiled (or taken from the cache) as `check --policies` does.
      const custom =
        policiesDir === undefined ? undefined : compileCustomPolicies(policiesDir, { entrypoint: load.entrypoint });
      policy = this.policy = loadGuardSync(
        custom ? { ...load, policyFile: custom.policyFile, rules: custom.rules, entrypoint: custom.entrypoint } : load,
      );
    }
    return policy;
  }

  private validateStack(stack: StackLike): string[] {
    const id = stack.node.id;
    const file = synthesizedFile(stack);
    let results: EvaluationResult[];
    let doc: Record<string, unknown>;
    const timings = { read: 0, toTerraform: 0, load: 0, evaluate: 0 };
    try {
      let t = performance.now();
      doc = stack.toTerraform() as Record<string, unknown>;
      timings.toTerraform = performance.now() - t;
      const read = fromTerraformJson(doc, { file, stack: id, kind: "cdktf-synth" });
      const inputs = Array.isArray(read) ? read : [read];
      timings.read = performance.now() - t;
      t = performance.now();
      const policy = this.loadPolicy();
      timings.load = performance.now() - t;
      t = performance.now();
      results = inputs.map((input) => policy.evaluate(input, this.settings.load.profile));
      timings.evaluate = performance.now() - t;
    } catch (err) {
      // Fail closed: an unreadable stack or a policy that cannot run blocks synthesis.
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      const errors = [`residency-guard could not judge stack "${id}": ${message}`];
      RESULTS.set(stack, { stack: id, file, results: [], errors, timings });
      return errors;
    }

    const errors: string[] = [];
    let reported = 0;
    let byPath: Map<string, GuardConstruct> | undefined; // built only when there is a finding to annotate
    for (const result of results) {
      for (const f of result.findings) {
        byPath ??= constructsByPath(stack);
        const target = (f.constructPath && byPath.get(f.constructPath)) || stack;
        const text = formatFinding(f);
        if (f.status === "waived") {
          annotate(target, INFO, `[residency-guard waived] ${text}`);
        } else if ((f.level === "mandatory" || this.settings.failOnAdvisory) && this.settings.mode === "stop") {
          errors.push(text);
        } else if (f.level === "mandatory" || this.settings.failOnAdvisory) {
          // Report mode (CI): the violation is shown but synthesis goes on, so the gate can judge cdktf.out.
          reported++;
          annotate(target, WARN, `[residency-guard report mode] ${text}`);
          if (!RUN_BY_CDKTF_CLI) this.log(`residency-guard violation (report mode): ${text}`);
        } else {
          annotate(target, WARN, `[residency-guard] ${text}`);
          // The cdktf CLI prints warning annotations itself; print them only outside it.
          if (!RUN_BY_CDKTF_CLI) this.log(`residency-guard warning: ${text}`);
        }
      }
    }
    const profile = results[0]?.profile ?? this.settings.load.profile ?? "default";
    const sha = results[0]?.policySha256 ?? "";
    const counts = results.reduce(
      (acc, r) => ({ m: acc.m + r.summary.mandatory, a: acc.a + r.summary.advisory, w: acc.w + r.summary.waived }),
      { m: 0, a: 0, w: 0 },
    );
    const summary =
      `residency-guard: stack "${id}" profile ${profile}: ${counts.m} mandatory, ${counts.a} advisory, ` +
      `${counts.w} waived (policy sha256:${sha.slice(0, 12)})` +
      (reported > 0
        ? `; report mode (${SYNTH_MODE_ENV}=report): ${reported} violation(s) not stopping synthesis, gate cdktf.out with \`residency-guard check\``
        : "");
    if (errors.length > 0) errors.push(summary);
    else this.log(summary);
    RESULTS.set(stack, { stack: id, file, results, errors, timings });
    if (errors.length === 0) reuseForSynthesis(stack, doc);
    return errors;
  }
}

/** One finding as the lines printed under the construct path cdktf shows. */
export function formatFinding(f: Finding): string {
  const lines = [
    `${f.level === "mandatory" ? "MANDATORY" : "ADVISORY"} ${f.rule}: ${f.title}`,
    `    resource:    ${f.address}${f.constructPath ? `  (construct ${f.constructPath})` : ""}`,
    `    message:     ${f.message}`,
    `    location:    ${formatLocation(f)}`,
  ];
  const lineage = formatLineage(f);
  if (lineage) lines.push(`    lineage:     ${lineage}`);
  if (f.remediation) lines.push(`    remediation: ${f.remediation}`);
  if (f.waiver)
    lines.push(`    waiver:      ${f.waiver.reason} (by ${f.waiver.approver}, expires ${f.waiver.expires})`);
  return lines.join("\n");
}

/**
 * Hands the judged JSON to the stack synthesizer, which calls `toTerraform()` right after
 * the validations: the written cdk.tf.json is then exactly the document the guard judged,
 * and the (costly) token resolution runs once. The override removes itself on first use.
 */
function reuseForSynthesis(stack: StackLike, doc: Record<string, unknown>): void {
  const own = Object.prototype.hasOwnProperty.call(stack, "toTerraform");
  if (own) return; // someone else overrides toTerraform: leave it alone
  Object.defineProperty(stack, "toTerraform", {
    configurable: true,
    writable: true,
    value: () => {
      delete (stack as { toTerraform?: unknown }).toTerraform;
      return doc;
    },
  });
}

/** Writes a metadata entry as cdktf's `Annotations.of(target).addWarning/addInfo` does. */
function annotate(target: GuardConstruct, type: string, message: string): void {
  const stackTrace = !target.node.tryGetContext(DISABLE_STACK_TRACE);
  target.node.addMetadata(type, message, { stackTrace });
}

function appOf(scope: GuardConstruct): AppLike | undefined {
  const root = scope.node.root;
  return isApp(root) ? root : undefined;
}

function stacksUnder(scope: GuardConstruct): StackLike[] {
  return scope.node.findAll().filter(isStack);
}

function synthesizedFile(stack: StackLike): string {
  const app = appOf(stack);
  const rel = path.join("stacks", stack.node.id, "cdk.tf.json");
  if (!app) return rel;
  const full = path.join(app.outdir, app.manifest.forStack(stack).synthesizedStackPath);
  const fromCwd = path.relative(process.cwd(), path.resolve(full));
  return fromCwd.startsWith("..") ? path.resolve(full) : fromCwd;
}

function constructsByPath(stack: StackLike): Map<string, GuardConstruct> {
  const map = new Map<string, GuardConstruct>();
  for (const c of stack.node.findAll()) map.set(c.node.path, c);
  return map;
}
