// residency-guard.config.json: read, validate against the published JSON Schema, resolve paths.

import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { ConfigError } from "../core/errors";
import type { Level, ProfileName } from "../core/findings";
import type { Format } from "../reporters";
import { packageRoot } from "./package-info";

export const CONFIG_FILE_NAME = "residency-guard.config.json";

/** The configuration file after validation, with paths made absolute. */
export interface GuardConfig {
  file: string;
  profile?: ProfileName;
  level?: Level;
  stacks?: string[];
  data?: string[];
  waivers?: string;
  policy?: string;
  outputs?: Array<{ format: Format; output?: string }>;
}

let validator: ValidateFunction | undefined;

/** Path of the config JSON Schema shipped with the package. */
export function configSchemaPath(): string {
  return path.join(packageRoot(), "schemas", "residency-guard.config.schema.json");
}

function validate(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    const schema = JSON.parse(fs.readFileSync(configSchemaPath(), "utf8"));
    validator = ajv.compile(schema);
  }
  return validator;
}

/** `/outputs/0/format` -> `outputs[0].format`; the root is `(root)`. */
export function fieldName(instancePath: string, extra?: string): string {
  const parts = instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (extra !== undefined) parts.push(extra);
  let out = "";
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || "(root)";
}

/** One readable line per schema violation, each naming the field. */
export function describeErrors(errors: ErrorObject[]): Array<{ field: string; message: string }> {
  const seen = new Set<string>();
  const out: Array<{ field: string; message: string }> = [];
  for (const e of errors) {
    let field = fieldName(e.instancePath);
    let message = e.message ?? "is invalid";
    if (e.keyword === "additionalProperties") {
      field = fieldName(e.instancePath, String(e.params.additionalProperty));
      message = "unknown field";
    } else if (e.keyword === "required") {
      field = fieldName(e.instancePath, String(e.params.missingProperty));
      message = "is required";
    } else if (e.keyword === "enum") {
      message = `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    }
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, message });
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

/** Reads and validates a config file; throws ConfigError naming the file and the bad field. */
export function loadConfig(file: string): GuardConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read configuration: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, file);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const short = (err as Error).message.replace(/, ".*" is not valid JSON$/s, "");
    throw new ConfigError(`invalid JSON: ${short}`, file, jsonErrorWhere(text));
  }
  const check = validate();
  if (!check(doc)) {
    const problems = describeErrors(check.errors ?? []);
    const [first, ...rest] = problems;
    const more = rest.map((p) => `\n  ${p.field}: ${p.message}`).join("");
    throw new ConfigError(`${first?.message ?? "is invalid"}${more}`, file, first?.field ?? "(root)");
  }
  const raw = doc as Omit<GuardConfig, "file">;
  const dir = path.dirname(path.resolve(file));
  const abs = (p: string) => path.resolve(dir, p);
  return {
    file,
    profile: raw.profile,
    level: raw.level,
    stacks: raw.stacks,
    data: raw.data?.map(abs),
    waivers: raw.waivers === undefined ? undefined : abs(raw.waivers),
    policy: raw.policy === undefined ? undefined : abs(raw.policy),
    outputs: raw.outputs?.map((o) =>
      o.output === undefined ? { format: o.format } : { format: o.format, output: abs(o.output) },
    ),
  };
}
