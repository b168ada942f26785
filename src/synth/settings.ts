// The synth guard's settings: attach() options over the shared configuration file (found as the
// CLI finds it), and the synth mode (stop or report). Kept apart from guard.ts so the CLI and the
// guard read one configuration the same way.

import { resolveConfig, synthMode, type GuardConfig, type SynthMode, type WaiverLimits } from "../core/config";
import type { ProfileName, RuleMeta } from "../core/findings";

/** The attach() options these settings are made from. */
export interface SynthOptionsInput {
  profile?: ProfileName;
  policyFile?: string;
  policiesDir?: string;
  entrypoint?: string;
  dataFiles?: string[];
  data?: Record<string, unknown>;
  waiversFile?: string;
  now?: Date;
  failOnAdvisory?: boolean;
  configFile?: string | false;
  mode?: SynthMode;
}

/** What the guard loads and how it treats violations. */
export interface SynthSettings {
  configFile: string | null;
  mode: SynthMode;
  failOnAdvisory: boolean;
  /** Folder of Rego to compile (config `policies` or the policiesDir option), instead of policyFile. */
  policiesDir?: string;
  /** Options for the engine's loadGuardSync (rules and entrypoint of a custom policy added after compiling). */
  load: {
    profile?: ProfileName;
    policyFile?: string;
    dataFiles?: string[];
    data?: Record<string, unknown>;
    waiversFile?: string;
    now?: Date;
    entrypoint?: string;
    customFindings?: boolean;
    rules?: RuleMeta[];
    waiverLimits: WaiverLimits;
    waiverLimitsFile?: string;
  };
}

/**
 * Merges attach() options over the configuration file: an option given wins; a policy option
 * (policyFile or policiesDir) replaces the configuration's policy source; `level: advisory` in
 * the configuration means failOnAdvisory. The mode is $RESIDENCY_GUARD_SYNTH, else the option,
 * else the configuration's `synth`, else stop.
 */
export function resolveSynthSettings(
  options: SynthOptionsInput,
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): SynthSettings {
  const config: GuardConfig | null = resolveConfig({ explicit: options.configFile, cwd, env });
  const ownPolicy = options.policyFile !== undefined || options.policiesDir !== undefined;
  const policyFile = ownPolicy ? options.policyFile : config?.policy;
  const policiesDir = ownPolicy ? options.policiesDir : config?.policies;
  const load: SynthSettings["load"] = { waiverLimits: config?.waiverLimits ?? {} };
  const profile = options.profile ?? config?.profile;
  if (profile !== undefined) load.profile = profile;
  if (policyFile !== undefined) {
    load.policyFile = policyFile;
    load.customFindings = true;
  }
  const dataFiles = options.dataFiles ?? config?.data;
  if (dataFiles !== undefined) load.dataFiles = dataFiles;
  if (options.data !== undefined) load.data = options.data;
  const waiversFile = options.waiversFile ?? config?.waivers;
  if (waiversFile !== undefined) load.waiversFile = waiversFile;
  if (options.now !== undefined) load.now = options.now;
  const entrypoint = options.entrypoint ?? config?.entrypoint;
  if (entrypoint !== undefined) load.entrypoint = entrypoint;
  if (config?.waiverLimits) load.waiverLimitsFile = config.file;
  return {
    configFile: config?.file ?? null,
    mode: synthMode(env, options.mode, config),
    failOnAdvisory: options.failOnAdvisory ?? config?.level === "advisory",
    ...(policiesDir !== undefined && { policiesDir }),
    load,
  };
}
