// The engine and reader functions the CLI calls, as interfaces so tests can substitute them.
// The default implementation loads src/engine and src/inputs lazily, on first use.

import type { EvaluationResult, ProfileComparison, ProfileName, RuleMeta } from "../core/findings";
import type { WaiverLimits } from "../core/config";
import type * as Engine from "../engine";
import type * as Custom from "../engine/custom-policy";
import type * as Inputs from "../inputs";
import type { GuardInput } from "../inputs/types";

/** What the CLI needs from a loaded guard (the engine's `Guard`). */
export interface GuardLike {
  policySha256: string;
  policyFile: string;
  rules(): RuleMeta[];
  evaluate(input: GuardInput, profile?: ProfileName): EvaluationResult;
  compare(input: GuardInput): ProfileComparison;
}

/** Options passed to the engine's `loadGuard`. */
export interface GuardLoadOptions {
  profile?: ProfileName;
  policyFile?: string;
  dataFiles?: string[];
  waiversFile?: string;
  /** Rule metadata of a custom policy compiled from --policies. */
  rules?: RuleMeta[];
  entrypoint?: string;
  customFindings?: boolean;
  waiverLimits?: WaiverLimits;
  waiverLimitsFile?: string;
}

/** A custom policy folder compiled to Wasm (the engine's `compileCustomPolicies`). */
export interface CompiledPolicies {
  policyFile: string;
  rules: RuleMeta[];
  entrypoint: string;
  cached: boolean;
}

type MaybePromise<T> = T | Promise<T>;

/** Engine and reader entry points used by `run`. */
export interface CliDeps {
  loadGuard(options: GuardLoadOptions): MaybePromise<GuardLike>;
  readInputPath(path: string, options: { stacks?: string[] }): MaybePromise<GuardInput | GuardInput[]>;
  readInputText(text: string, file: string): MaybePromise<GuardInput | GuardInput[]>;
  /** Optional: the real compiler is used when a substitute leaves it out. */
  compilePolicies?(
    dir: string,
    options: { entrypoint?: string; cwd: string; env: Record<string, string | undefined> },
  ): MaybePromise<CompiledPolicies>;
}

// The real modules must fit CliDeps; this fails to type-check if their signatures drift.
type RealDeps = {
  loadGuard: typeof Engine.loadGuardSync;
  readInputPath: typeof Inputs.readInputPath;
  readInputText: typeof Inputs.readInputText;
  compilePolicies: typeof Custom.compileCustomPolicies;
};
type Fits<T extends CliDeps> = T;
export type _RealDepsFitCliDeps = Fits<RealDeps>;

/** Real engine and reader, required on first call so `--help` and usage errors stay fast. */
export const defaultDeps: CliDeps = {
  loadGuard(options) {
    // The synchronous load: the SDK's async one tests `instanceof Response`, and touching that
    // global makes Node load its fetch implementation (undici), tens of milliseconds at start-up.
    return (require("../engine") as typeof Engine).loadGuardSync(options);
  },
  readInputPath(path, options) {
    return (require("../inputs") as typeof Inputs).readInputPath(path, options);
  },
  readInputText(text, file) {
    return (require("../inputs") as typeof Inputs).readInputText(text, file);
  },
  compilePolicies(dir: string, options: { entrypoint?: string; cwd: string; env: Record<string, string | undefined> }) {
    return (require("../engine/custom-policy") as typeof Custom).compileCustomPolicies(dir, options);
  },
};
