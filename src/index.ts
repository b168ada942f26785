// Public API of residency-guard: findings and errors, the input reader, the engine, the
// reporters, the cdktf synth guard and the CLI entry. Everything else is internal.

export type {
  EvaluationResult,
  Finding,
  Level,
  LineageStep,
  ProfileComparison,
  ProfileName,
  RuleCategory,
  RuleMeta,
  Status,
  Verdict,
} from "./core/findings";
export { ConfigError, InputError, PolicyError } from "./core/errors";
export { CATEGORIES, PROFILES } from "./core/rules";
export {
  globToRegex,
  loadWaivers,
  parseWaivers,
  validateWaivers,
  type PolicyWaiver,
  type Waiver,
} from "./core/waivers";

export {
  fromTerraformJson,
  INPUT_JSON_SCHEMA,
  INPUT_SCHEMA_VERSION,
  readInputPath,
  readInputText,
  STDIN_FILE,
  SUPPORTED_PLAN_FORMAT_MAJORS,
  type FromJsonOptions,
  type ReadOptions,
} from "./inputs";
export type * from "./inputs/types";

export {
  ENTRYPOINT,
  ENTRYPOINTS,
  SUBJECTS_ENTRYPOINT,
  defaultPolicyFile,
  loadGuard,
  loadGuardSync,
  type Guard,
  type GuardOptions,
} from "./engine";

export * from "./reporters";

export { GuardAttachError, ResidencyGuard, formatFinding } from "./synth";
export type { GuardConstruct, GuardNode, ResidencyGuardOptions, StackGuardResult, SynthPolicy } from "./synth";

export { EXIT, run, type CliIo } from "./cli/run";
export type { CliDeps } from "./cli/deps";
