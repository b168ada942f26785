// residency-guard.config.json: the one configuration file read by both the CLI and the synth
// guard, found the same way by both, validated against schemas/residency-guard.config.schema.json.
// Errors name the file, the line:col and the field.

import * as fs from "node:fs";
import * as path from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import { ConfigError, type MoreProblem } from "./errors";
import type { Level, ProfileName } from "./findings";
import { fieldName, locator, pointerPath, type Locator } from "./locate";
import { packageRoot } from "./package";

/** The file name looked for in the working directory. */
export const CONFIG_FILE_NAME = "residency-guard.config.json";
/** Environment variable naming the configuration file (used when no explicit path is given). */
export const CONFIG_ENV = "RESIDENCY_GUARD_CONFIG";
/** Environment variable choosing what the synth guard does with violations: `stop` or `report`. */
export const SYNTH_MODE_ENV = "RESIDENCY_GUARD_SYNTH";

/** What the synth guard does with mandatory violations: stop synthesis, or report them and let it write cdktf.out. */
export type SynthMode = "stop" | "report";
/** Every synth mode. */
export const SYNTH_MODES: readonly SynthMode[] = ["stop", "report"];

/** Organization limits on waivers. */
export interface WaiverLimits {
  /** Longest allowed time from today to a waiver's expiry, in days. */
  maxDays?: number;
  /** Allow an address pattern that matches every resource (`*`); false when omitted. */
  allowWildcardAll?: boolean;
}

/** A report format name as the configuration file spells it. */
export type ConfigFormat = "text" | "json" | "sarif" | "junit" | "markdown" | "github" | "html";

/** The configuration file after validation, with paths made absolute. */
export interface GuardConfig {
  file: string;
  profile?: ProfileName;
  level?: Level;
  stacks?: string[];
  data?: string[];
  waivers?: string;
  /** Compiled policy Wasm. */
  policy?: string;
  /** Folder of Rego sources compiled in-process. */
  policies?: string;
  /** Entrypoint of a custom policy. */
  entrypoint?: string;
  synth?: SynthMode;
  waiverLimits?: WaiverLimits;
  outputs?: Array<{ format: ConfigFormat; output?: string }>;
}

/** How to find the configuration file. */
export interface ConfigLookup {
  /** A file given explicitly (relative to `cwd`), false to read none, undefined to look for one. */
  explicit?: string | false;
  cwd: string;
  env: Record<string, string | undefined>;
}

/**
 * The configuration file to read: the explicit one, else $RESIDENCY_GUARD_CONFIG, else
 * residency-guard.config.json in `cwd` when it exists; null when there is none.
 */
export function findConfigFile(lookup: ConfigLookup): string | null {
  if (lookup.explicit === false) return null;
  if (typeof lookup.explicit === "string") return path.resolve(lookup.cwd, lookup.explicit);
  const fromEnv = lookup.env[CONFIG_ENV];
  if (fromEnv) return path.resolve(lookup.cwd, fromEnv);
  const candidate = path.join(lookup.cwd, CONFIG_FILE_NAME);
  return fs.existsSync(candidate) ? candidate : null;
}

/** Finds and loads the configuration file; null when there is none. */
export function resolveConfig(lookup: ConfigLookup): GuardConfig | null {
  const file = findConfigFile(lookup);
  return file === null ? null : loadConfig(file);
}

/** The synth mode: $RESIDENCY_GUARD_SYNTH, else the option, else the config's `synth`, else `stop`. */
export function synthMode(
  env: Record<string, string | undefined>,
  option: SynthMode | undefined,
  config: GuardConfig | null,
): SynthMode {
  const fromEnv = env[SYNTH_MODE_ENV];
  if (fromEnv !== undefined && fromEnv !== "") {
    if (!(SYNTH_MODES as readonly string[]).includes(fromEnv)) {
      throw new ConfigError(
        `must be "stop" or "report", not ${JSON.stringify(fromEnv)}`,
        "environment",
        SYNTH_MODE_ENV,
      );
    }
    return fromEnv as SynthMode;
  }
  return option ?? config?.synth ?? "stop";
}

let validator: ValidateFunction | undefined;

/** Path of the config JSON Schema shipped with the package. */
export function configSchemaPath(): string {
  return path.join(packageRoot(), "schemas", "residency-guard.config.schema.json");
}

function validate(): ValidateFunction {
  if (!validator) {
    // Required here, not at the top: a run without a configuration file never loads ajv.
    const Ajv = (require("ajv") as typeof import("ajv")).default;
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    validator = ajv.compile(JSON.parse(fs.readFileSync(configSchemaPath(), "utf8")));
  }
  return validator;
}

/** One problem per schema violation, each naming the field and, when found, its line:col. */
export function describeErrors(errors: ErrorObject[], locate?: Locator): MoreProblem[] {
  const seen = new Set<string>();
  const out: MoreProblem[] = [];
  for (const e of errors) {
    const at = pointerPath(e.instancePath);
    let fieldPath: Array<string | number> = at;
    let position = locate?.(at);
    let message = e.message ?? "is invalid";
    if (e.keyword === "additionalProperties") {
      fieldPath = [...at, String(e.params.additionalProperty)];
      position = locate?.(fieldPath, true) ?? position;
      message = "unknown field";
    } else if (e.keyword === "required") {
      fieldPath = [...at, String(e.params.missingProperty)];
      message = "is required";
    } else if (e.keyword === "enum") {
      message = `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    }
    const where = fieldName(fieldPath);
    const key = `${where}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ where, message, ...(position !== undefined && { position }) });
  }
  return out;
}

/**
 * Offset of the first JSON syntax error in `text` (text.length when it ends early), or -1 when valid.
 * V8 does not always report a position, so config errors find it with this small scanner.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const str = () => {
    i++;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 5;
        } else if (i < text.length && '"\\/bfnrt'.includes(text[i]!)) i++;
        else fail();
      } else if (ch < " ") fail();
      else i++;
    }
    fail();
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        str();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail();
      }
    } else if (ch === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail();
      }
    } else if (ch === '"') str();
    else if (ch === "t") literal("true");
    else if (ch === "f") literal("false");
    else if (ch === "n") literal("null");
    else {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!m || m[0] === "") fail();
      i += m![0].length;
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return -1;
  } catch (pos) {
    if (typeof pos === "number") return Math.min(pos, text.length);
    throw pos;
  }
}

/** `line:col` (1-based) of the first JSON syntax error, or undefined when the text parses. */
export function jsonErrorWhere(text: string): string | undefined {
  const pos = jsonErrorOffset(text);
  if (pos < 0) return undefined;
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  const col = pos - before.lastIndexOf("\n");
  return `${line}:${col}`;
}

/** Reads and validates a config file; throws ConfigError naming the file, line:col and field. */
export function loadConfig(file: string): GuardConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read configuration: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, file);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const short = (err as Error).message.replace(/, ".*" is not valid JSON$/s, "");
    throw new ConfigError(`invalid JSON: ${short}`, file, undefined, jsonErrorWhere(text));
  }
  const check = validate();
  const locate = locator(text);
  if (!check(doc)) {
    const [first, ...more] = describeErrors(check.errors ?? [], locate);
    throw new ConfigError(first?.message ?? "is invalid", file, first?.where ?? "(root)", first?.position, more);
  }
  const raw = doc as Omit<GuardConfig, "file">;
  if (raw.policy !== undefined && raw.policies !== undefined) {
    throw new ConfigError(
      "give either policy (a compiled .wasm) or policies (a folder of Rego), not both",
      file,
      "policies",
      locate(["policies"], true),
    );
  }
  if (raw.entrypoint !== undefined && raw.policy === undefined && raw.policies === undefined) {
    throw new ConfigError(
      "entrypoint applies to a custom policy: set policy or policies too",
      file,
      "entrypoint",
      locate(["entrypoint"], true),
    );
  }
  const dir = path.dirname(path.resolve(file));
  const abs = (p: string) => path.resolve(dir, p);
  const out: GuardConfig = { file };
  if (raw.profile !== undefined) out.profile = raw.profile;
  if (raw.level !== undefined) out.level = raw.level;
  if (raw.stacks !== undefined) out.stacks = raw.stacks;
  if (raw.data !== undefined) out.data = raw.data.map(abs);
  if (raw.waivers !== undefined) out.waivers = abs(raw.waivers);
  if (raw.policy !== undefined) out.policy = abs(raw.policy);
  if (raw.policies !== undefined) out.policies = abs(raw.policies);
  if (raw.entrypoint !== undefined) out.entrypoint = raw.entrypoint;
  if (raw.synth !== undefined) out.synth = raw.synth;
  if (raw.waiverLimits !== undefined) out.waiverLimits = { ...raw.waiverLimits };
  if (raw.outputs !== undefined) {
    out.outputs = raw.outputs.map((o) =>
      o.output === undefined ? { format: o.format } : { format: o.format, output: abs(o.output) },
    );
  }
  return out;
}
