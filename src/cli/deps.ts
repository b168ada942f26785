// The engine and reader functions the CLI calls, as interfaces so tests can substitute them.
// The default implementation loads src/engine and src/inputs lazily, on first use.

import type { EvaluationResult, ProfileComparison, ProfileName, RuleMeta } from "../core/findings";
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
}

type MaybePromise<T> = T | Promise<T>;

/** Engine and reader entry points used by `run`. */
export interface CliDeps {
  loadGuard(options: GuardLoadOptions): MaybePromise<GuardLike>;
  readInputPath(path: string, options: { stacks?: string[] }): MaybePromise<GuardInput | GuardInput[]>;
  readInputText(text: string, file: string): MaybePromise<GuardInput | GuardInput[]>;
}

/** Real engine and reader, required on first call so `--help` and usage errors stay fast. */
export const defaultDeps: CliDeps = {
  loadGuard(options) {
    const engine = require("../engine") as { loadGuard(o: GuardLoadOptions): Promise<GuardLike> };
    return engine.loadGuard(options);
  },
  readInputPath(path, options) {
    const inputs = require("../inputs") as {
      readInputPath(p: string, o: { stacks?: string[] }): MaybePromise<GuardInput | GuardInput[]>;
    };
    return inputs.readInputPath(path, options);
  },
  readInputText(text, file) {
    const inputs = require("../inputs") as {
      readInputText(t: string, f: string): MaybePromise<GuardInput | GuardInput[]>;
    };
    return inputs.readInputText(text, file);
  },
};
