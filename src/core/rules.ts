// Rule metadata: read from the `# METADATA` block at the top of each policies/rules/**/*.rego
// file. The metadata, not the rule logic, carries id, level, title, remediation and profiles.

import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type Ajv from "ajv";
import type { ValidateFunction } from "ajv";
import { ConfigError } from "./errors";
import { packageRoot } from "./package";
import { RULE_ID_PATTERN } from "./waivers";
import type { Level, ProfileName, RuleCategory, RuleMeta } from "./findings";

/** Every profile, in display order. */
export const PROFILES: readonly ProfileName[] = ["kr-localization", "risk-based"];

/** Every rule category, in display order. */
export const CATEGORIES: readonly RuleCategory[] = [
  "residency",
  "private-cloud",
  "cross-border",
  "safeguards",
  "sector",
];

/** One Rego source file (path relative to the policies directory, and its text). */
export interface PolicySource {
  file: string;
  text: string;
}

const metadataSchema = {
  type: "object",
  required: ["title", "description", "custom"],
  properties: {
    title: { type: "string", minLength: 1 },
    description: { type: "string", minLength: 1 },
    custom: {
      type: "object",
      required: ["id", "level", "remediation", "profiles"],
      properties: {
        id: {
          type: "string",
          pattern: "^(residency|private-cloud|cross-border|safeguards|sector)/[a-z0-9]+(-[a-z0-9]+)*$",
        },
        level: { enum: ["mandatory", "advisory"] },
        remediation: { type: "string", minLength: 1 },
        profiles: { type: "array", minItems: 1, uniqueItems: true, items: { enum: [...PROFILES] } },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

// ajv and yaml load and compile on first use: with the prebuilt index (below) a gate run parses no METADATA.
let ajv: Ajv | undefined;
const compiled = new Map<object, ValidateFunction>();

function validator(schema: object): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    ajv ??= new (require("ajv") as typeof import("ajv")).default({ allErrors: true });
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

function parseYaml(text: string): unknown {
  return (require("yaml") as typeof import("yaml")).parse(text);
}

/** The YAML text of the first `# METADATA` comment block in a Rego file, or null when there is none. */
export function metadataBlock(text: string): { yaml: string; line: number } | null {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^#\s*METADATA\s*$/.test(l));
  if (start < 0) return null;
  const body: string[] = [];
  for (let i = start + 1; i < lines.length && lines[i].startsWith("#"); i++) {
    body.push(lines[i].replace(/^# ?/, ""));
  }
  return { yaml: body.join("\n"), line: start + 1 };
}

/** Parses and validates the METADATA of one rule file; `file` is relative to the rules directory (`residency/x.rego`). */
export function parseRuleMetadata(file: string, text: string): RuleMeta {
  const block = metadataBlock(text);
  if (!block) throw new ConfigError("rule file has no # METADATA block", file);
  let doc: unknown;
  try {
    doc = parseYaml(block.yaml);
  } catch (e) {
    throw new ConfigError(`METADATA is not valid YAML: ${(e as Error).message}`, file, `line ${block.line}`);
  }
  const validateMetadata = validator(metadataSchema);
  if (!validateMetadata(doc)) {
    const first = validateMetadata.errors?.[0];
    throw new ConfigError(
      `invalid METADATA: ${first?.instancePath || "/"} ${first?.message ?? ""}`.trim(),
      file,
      `line ${block.line}`,
    );
  }
  const meta = doc as {
    title: string;
    description: string;
    custom: { id: string; level: Level; remediation: string; profiles: ProfileName[] };
  };
  const id = meta.custom.id;
  const [category, name] = id.split("/");
  // One rule per file named by its id: residency/foo-bar lives in residency/foo_bar.rego.
  const expected = `${category.replace(/-/g, "_")}/${name.replace(/-/g, "_")}.rego`;
  if (file.split(path.sep).join("/") !== expected) {
    throw new ConfigError(`rule id ${id} must live in ${expected}`, file, `line ${block.line}`);
  }
  const packageLine = `package residency_guard.rules.${category.replace(/-/g, "_")}.${name.replace(/-/g, "_")}`;
  if (!text.split(/\r?\n/).some((l) => l.trim() === packageLine)) {
    throw new ConfigError(`rule ${id} must declare \`${packageLine}\``, file);
  }
  return {
    id,
    category: category as RuleCategory,
    title: meta.title.trim(),
    level: meta.custom.level,
    remediation: meta.custom.remediation.trim(),
    description: meta.description.trim(),
    profiles: [...meta.custom.profiles],
  };
}

function listRego(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel ? path.join(rel, entry.name) : entry.name;
    if (entry.isDirectory()) out.push(...listRego(dir, child));
    // Unit tests (`<rule>_test.rego`, run by rego-wasm test) sit beside the rules but are not rules.
    else if (entry.name.endsWith(".rego") && !entry.name.endsWith("_test.rego")) out.push(child);
  }
  return out.sort();
}

/** Every .rego file below a policies directory, paths relative to it with `/` separators. */
export function readPolicySources(policiesDir: string): PolicySource[] {
  if (!fs.existsSync(policiesDir)) throw new ConfigError("policies directory not found", policiesDir);
  return listRego(policiesDir).map((file) => ({
    file: file.split(path.sep).join("/"),
    text: fs.readFileSync(path.join(policiesDir, file), "utf8"),
  }));
}

/** Metadata of every rule under `<policiesDir>/rules`, sorted by category order then id; duplicate ids are an error. */
export function loadRuleMetadata(policiesDir: string): RuleMeta[] {
  const rulesDir = path.join(policiesDir, "rules");
  if (!fs.existsSync(rulesDir)) throw new ConfigError("rules directory not found", rulesDir);
  const seen = new Map<string, string>();
  const index = prebuiltIndex();
  const rules = listRego(rulesDir).map((file) => {
    const text = fs.readFileSync(path.join(rulesDir, file), "utf8");
    const known = index?.get(indexKey(file, text));
    const meta = known ? { ...known, profiles: [...known.profiles] } : parseRuleMetadata(file, text);
    const other = seen.get(meta.id);
    if (other) throw new ConfigError(`duplicate rule id ${meta.id} (also in ${other})`, path.join(rulesDir, file));
    seen.set(meta.id, file);
    return meta;
  });
  return sortRules(rules);
}

/** File name of the prebuilt rule metadata index, written by `npm run build:rules` beside the policy Wasm. */
export const RULE_INDEX_FILE = "dist/policies/rule-metadata.json";

interface IndexEntry {
  key: string;
  meta: RuleMeta;
}

// An entry applies only to the very text it was built from (path and SHA-256 of the file), so a
// stale or foreign index can cost time but never change a rule.
function indexKey(file: string, text: string): string {
  return `${file.split(path.sep).join("/")}\u0000${createHash("sha256").update(text).digest("hex")}`;
}

let prebuilt: Map<string, RuleMeta> | null | undefined;

function prebuiltIndex(): Map<string, RuleMeta> | null {
  if (prebuilt !== undefined) return prebuilt;
  prebuilt = null;
  try {
    const doc = JSON.parse(fs.readFileSync(path.join(packageRoot(), RULE_INDEX_FILE), "utf8")) as unknown;
    if (Array.isArray(doc)) prebuilt = new Map((doc as IndexEntry[]).map((e) => [e.key, e.meta]));
  } catch {
    // No index (a build without `build:rules`): every METADATA block is parsed.
  }
  return prebuilt;
}

/** The index entries for every rule under `<policiesDir>/rules` (each validated by parseRuleMetadata). */
export function buildRuleIndex(policiesDir: string): IndexEntry[] {
  const rulesDir = path.join(policiesDir, "rules");
  const entries = listRego(rulesDir).map((file) => {
    const text = fs.readFileSync(path.join(rulesDir, file), "utf8");
    return { key: indexKey(file, text), meta: parseRuleMetadata(file, text) };
  });
  // Same checks as loadRuleMetadata (duplicate ids), so an index is only written for valid rules.
  loadRuleMetadata(policiesDir);
  return entries;
}

/** Every `# METADATA` comment block of a Rego file: its YAML text and the 1-based line of the marker. */
export function metadataBlocks(text: string): Array<{ yaml: string; line: number }> {
  const lines = text.split(/\r?\n/);
  const out: Array<{ yaml: string; line: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*#\s*METADATA\s*$/.test(lines[i]!)) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && /^\s*#/.test(lines[j]!); j++) body.push(lines[j]!.replace(/^\s*# ?/, ""));
    out.push({ yaml: body.join("\n"), line: i + 1 });
    i = j - 1;
  }
  return out;
}

const customSchema = {
  type: "object",
  required: ["title", "custom"],
  properties: {
    title: { type: "string", minLength: 1 },
    description: { type: "string" },
    custom: {
      type: "object",
      required: ["id", "level"],
      properties: {
        id: { type: "string", pattern: RULE_ID_PATTERN },
        level: { enum: ["mandatory", "advisory"] },
        remediation: { type: "string" },
        profiles: { type: "array", minItems: 1, uniqueItems: true, items: { enum: [...PROFILES] } },
      },
    },
  },
} as const;

/**
 * Rule metadata of a user's own policies: every METADATA block, in any file, whose `custom` has an
 * `id`. `title` and `custom.level` are required; `custom.remediation`, `description` and
 * `custom.profiles` (default: every profile) are optional. Blocks without `custom.id` (package or
 * helper annotations) are not rules. Errors name the file and line of the block.
 */
export function customRuleMetadata(sources: PolicySource[]): RuleMeta[] {
  const seen = new Map<string, string>();
  const rules: RuleMeta[] = [];
  for (const source of sources) {
    for (const block of metadataBlocks(source.text)) {
      let doc: unknown;
      try {
        doc = parseYaml(block.yaml);
      } catch (e) {
        throw new ConfigError(
          `METADATA is not valid YAML: ${(e as Error).message.split("\n")[0]}`,
          source.file,
          `${block.line}:1`,
        );
      }
      const custom = (doc as { custom?: { id?: unknown } } | null)?.custom;
      if (!custom || typeof custom !== "object" || custom.id === undefined) continue;
      const validateCustom = validator(customSchema);
      if (!validateCustom(doc)) {
        const first = validateCustom.errors?.[0];
        throw new ConfigError(
          `invalid rule METADATA: ${first?.instancePath.slice(1).replace(/\//g, ".") || "(block)"} ${first?.message ?? ""}`.trim(),
          source.file,
          `${block.line}:1`,
        );
      }
      const meta = doc as {
        title: string;
        description?: string;
        custom: { id: string; level: Level; remediation?: string; profiles?: ProfileName[] };
      };
      const id = meta.custom.id;
      const other = seen.get(id);
      if (other) throw new ConfigError(`duplicate rule id ${id} (also in ${other})`, source.file, `${block.line}:1`);
      seen.set(id, `${source.file}:${block.line}`);
      rules.push({
        id,
        category: id.split("/")[0] as RuleCategory,
        title: meta.title.trim(),
        level: meta.custom.level,
        remediation: (meta.custom.remediation ?? "").trim(),
        description: (meta.description ?? meta.title).trim(),
        profiles: meta.custom.profiles ? [...meta.custom.profiles] : [...PROFILES],
      });
    }
  }
  return sortRules(rules);
}

/** Rules in display order: by category, then id. */
export function sortRules(rules: RuleMeta[]): RuleMeta[] {
  // Categories of custom rules (not in CATEGORIES) come after the built-in ones.
  const rank = (c: RuleCategory) => (CATEGORIES.includes(c) ? CATEGORIES.indexOf(c) : CATEGORIES.length);
  return [...rules].sort((a, b) => rank(a.category) - rank(b.category) || a.id.localeCompare(b.id));
}
