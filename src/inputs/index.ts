// Public reader API: a cdktf output folder, a Terraform JSON / cdk.tf.json file, a plan JSON
// file or stdin -> GuardInput documents. Fails closed: anything it cannot read or trust is an
// InputError naming the file and the place.

import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../core/errors";
import { CONFIG_TOP_LEVEL_KEYS, cdktfStackName, looksLikeConfig, readConfig } from "./config";
import { linkCrossStack, type StackOutputs } from "./crossstack";
import { decodeText } from "./decode";
import { parseJson } from "./json";
import { looksLikePlan, readPlan } from "./plan";
import type { GuardInput, SourceKind } from "./types";
import { describe, isObject } from "./util";
import inputSchemaJson from "./input.schema.json";

export { INPUT_SCHEMA_VERSION } from "./types";
export type * from "./types";
export { SUPPORTED_PLAN_FORMAT_MAJORS } from "./plan";
export { buildGraph } from "./graph";

/** JSON Schema (draft-07) of the input document; src/inputs/input.schema.json. */
export const INPUT_JSON_SCHEMA: Readonly<Record<string, unknown>> = inputSchemaJson;

/** The file name used in messages for input read from stdin. */
export const STDIN_FILE = "<stdin>";

/** Options for readInputPath. */
export interface ReadOptions {
  /** cdktf stack names to read from an output folder (default: all). */
  stacks?: string[];
  /** Reads stdin when the path is `-` (tests inject text here). */
  stdin?: () => string;
}

/** Reads a cdktf output folder (one document per stack), a single JSON file, or `-` for stdin. */
export function readInputPath(inputPath: string, options: ReadOptions = {}): GuardInput[] {
  const stacks = options.stacks?.filter((s) => s !== "") ?? [];
  if (inputPath === "-") {
    if (stacks.length) throw new InputError("stack selection needs a cdktf output folder, not stdin", STDIN_FILE);
    let text: string;
    try {
      text = (options.stdin ?? (() => decodeText(fs.readFileSync(0), STDIN_FILE)))();
    } catch (err) {
      throw new InputError(`cannot read stdin: ${errMessage(err)}`, STDIN_FILE);
    }
    return readInputText(text, STDIN_FILE);
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(inputPath);
  } catch (err) {
    throw new InputError(`cannot read input: ${errMessage(err)}`, inputPath);
  }
  if (stat.isDirectory()) {
    const manifest = path.join(inputPath, "manifest.json");
    if (fs.existsSync(manifest)) return readCdktfOutput(manifest, stacks);
    const nested = path.join(inputPath, "cdktf.out", "manifest.json");
    if (fs.existsSync(nested)) return readCdktfOutput(nested, stacks);
    const single = path.join(inputPath, "cdk.tf.json");
    if (fs.existsSync(single)) return selectSingle(readInputText(readText(single), single), stacks, single);
    throw new InputError(
      "folder is not a cdktf output: it has no manifest.json, cdktf.out/manifest.json or cdk.tf.json (give a plan JSON or .tf.json file instead)",
      inputPath,
    );
  }
  if (path.basename(inputPath) === "manifest.json") return readCdktfOutput(inputPath, stacks);
  const docs = readInputText(readText(inputPath), inputPath);
  if (docs[0].source.kind === "terraform-plan") addCdktfMetadata(docs[0], path.dirname(inputPath));
  return selectSingle(docs, stacks, inputPath);
}

/** Reads one JSON document's text: a plan, a cdk.tf.json or a Terraform JSON configuration. */
export function readInputText(text: string, file: string): GuardInput[] {
  // A saved plan file (`terraform plan -out`) is a zip archive.
  if (text.startsWith("PK\u0003\u0004")) {
    throw new InputError(
      "this is a binary plan file; convert it with `terraform show -json <planfile> > plan.json`",
      file,
      "1:1",
    );
  }
  const doc = parseJson(text, file);
  return [fromTerraformJson(doc, { file, text })];
}

/** Options for fromTerraformJson. */
export interface FromJsonOptions {
  file: string;
  /** cdktf stack name; defaults to `//.metadata.stackName` for cdktf output. */
  stack?: string | null;
  /** The document kind; detected from the shape when omitted. */
  kind?: SourceKind;
  /** The original text, used to give each JSON configuration block its line. */
  text?: string;
}

/** Converts an already parsed document into a GuardInput, detecting its kind unless given. */
export function fromTerraformJson(doc: unknown, options: FromJsonOptions): GuardInput {
  const { file } = options;
  if (!isObject(doc))
    throw new InputError(`expected a JSON object at the top level, found ${describe(doc)}`, file, "1:1");
  const kind = options.kind ?? detectKind(doc, file);
  if (kind === "terraform-plan") {
    if (!looksLikePlan(doc))
      throw new InputError("not a Terraform plan: needs format_version and planned_values/resource_changes", file);
    return readPlan(doc, file, options.stack ?? null);
  }
  if (!looksLikeConfig(doc)) {
    const bad = Object.keys(doc).find((k) => !CONFIG_TOP_LEVEL_KEYS.has(k));
    throw new InputError(
      bad
        ? `unknown top-level key "${bad}" (not a Terraform JSON configuration block)`
        : "empty document: no Terraform configuration blocks",
      file,
      bad,
    );
  }
  return readConfig(doc, { file, kind, stack: options.stack ?? cdktfStackName(doc), text: options.text });
}

function detectKind(doc: Record<string, unknown>, file: string): SourceKind {
  if (looksLikePlan(doc)) return "terraform-plan";
  if (typeof doc.format_version === "string") {
    if ("values" in doc) {
      throw new InputError(
        "this is a Terraform state (`terraform show -json` without a plan file), not a plan: run `terraform show -json <planfile>`",
        file,
      );
    }
    throw new InputError(
      "has format_version but no planned_values, resource_changes or configuration: not a plan this reader understands",
      file,
    );
  }
  if (looksLikeConfig(doc)) return cdktfStackName(doc) !== null ? "cdktf-synth" : "terraform-json";
  const keys = Object.keys(doc);
  if (keys.length === 0)
    throw new InputError("empty JSON object: neither a plan nor a Terraform JSON configuration", file);
  if (keys.some((k) => k !== "//" && CONFIG_TOP_LEVEL_KEYS.has(k))) {
    const bad = keys.find((k) => !CONFIG_TOP_LEVEL_KEYS.has(k)) as string;
    throw new InputError(`unknown top-level key "${bad}" (not a Terraform JSON configuration block)`, file, bad);
  }
  throw new InputError(
    `unknown document shape (top-level keys: ${keys.slice(0, 8).join(", ")}): expected a plan (format_version + planned_values/resource_changes), a cdk.tf.json or a *.tf.json configuration`,
    file,
  );
}

function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new InputError(`cannot read file: ${errMessage(err)}`, file);
  }
  return decodeText(bytes, file);
}

function selectSingle(docs: GuardInput[], stacks: string[], file: string): GuardInput[] {
  if (stacks.length === 0) return docs;
  const name = docs[0].source.stack;
  if (name !== null && stacks.length === 1 && stacks[0] === name) return docs;
  throw new InputError(
    name === null
      ? `stack selection (${stacks.join(", ")}) needs a cdktf output folder; this file is not one stack`
      : `unknown stack ${stacks.filter((s) => s !== name).join(", ")}; this file holds only stack "${name}"`,
    file,
  );
}

/** Reads every (or each selected) stack listed in a cdktf `manifest.json`. */
function readCdktfOutput(manifestFile: string, selected: string[]): GuardInput[] {
  const manifest = parseJson(readText(manifestFile), manifestFile);
  if (!isObject(manifest) || !isObject(manifest.stacks)) {
    throw new InputError('not a cdktf manifest: expected an object with a "stacks" object', manifestFile, "stacks");
  }
  const entries = Object.entries(manifest.stacks);
  if (entries.length === 0)
    throw new InputError("the cdktf manifest lists no stacks (nothing to judge)", manifestFile, "stacks");
  const available = entries.map(([key, s]) => (isObject(s) && typeof s.name === "string" ? s.name : key));
  const unknown = selected.filter((s) => !available.includes(s));
  if (unknown.length) {
    throw new InputError(
      `unknown stack ${unknown.map((s) => `"${s}"`).join(", ")}; available stacks: ${available.join(", ")}`,
      manifestFile,
      "stacks",
    );
  }
  const dir = path.dirname(manifestFile);
  const out: GuardInput[] = [];
  const stacksRead: StackOutputs[] = [];
  entries.forEach(([key, s], i) => {
    const name = available[i];
    if (selected.length && !selected.includes(name)) return;
    if (!isObject(s))
      throw new InputError(`stack entry must be an object, found ${describe(s)}`, manifestFile, `stacks.${key}`);
    const rel = s.synthesizedStackPath ?? path.join("stacks", name, "cdk.tf.json");
    if (typeof rel !== "string" || rel === "") {
      throw new InputError(`synthesizedStackPath must be a string`, manifestFile, `stacks.${key}.synthesizedStackPath`);
    }
    const file = path.join(dir, rel);
    if (!fs.existsSync(file)) {
      throw new InputError(
        `stack "${name}" is listed in the manifest but its file ${rel} is missing (run cdktf synth again)`,
        manifestFile,
        `stacks.${key}`,
      );
    }
    const text = readText(file);
    const doc = parseJson(text, file);
    const input = fromTerraformJson(doc, { file, text, stack: name, kind: "cdktf-synth" });
    out.push(input);
    stacksRead.push({ doc: input, outputs: isObject(doc) && isObject(doc.output) ? doc.output : {} });
  });
  // A selected stack's references into a stack that was not selected stay unresolved: read them all.
  if (selected.length && selected.length < entries.length) {
    for (const [key, s] of entries) {
      const name = isObject(s) && typeof s.name === "string" ? s.name : key;
      if (selected.includes(name) || !isObject(s)) continue;
      const rel =
        typeof s.synthesizedStackPath === "string" ? s.synthesizedStackPath : path.join("stacks", name, "cdk.tf.json");
      const file = path.join(dir, rel);
      try {
        const text = readText(file);
        const doc = parseJson(text, file);
        if (!isObject(doc)) continue;
        stacksRead.push({
          doc: fromTerraformJson(doc, { file, text, stack: name, kind: "cdktf-synth" }),
          outputs: isObject(doc.output) ? doc.output : {},
        });
      } catch {
        // Not judged: a reference into it stays a reference to its remote state data source.
      }
    }
  }
  linkCrossStack(stacksRead);
  return out;
}

function errMessage(err: unknown): string {
  const m = typeof err === "object" && err !== null ? (err as { message?: unknown }).message : undefined;
  return typeof m === "string" ? m : String(err);
}

/**
 * A plan made in a cdktf stack folder (`cdktf.out/stacks/<name>`) sits beside the stack's
 * cdk.tf.json, which the plan's configuration does not repeat: take the stack name, construct
 * paths and source lines of root-module resources from it.
 */
function addCdktfMetadata(doc: GuardInput, dir: string): void {
  const synth = path.join(dir, "cdk.tf.json");
  if (!fs.existsSync(synth)) return;
  const text = readText(synth);
  const parsed = parseJson(text, synth);
  if (!isObject(parsed)) return;
  const name = cdktfStackName(parsed);
  if (name === null) return;
  const stack = readConfig(parsed, { file: synth, kind: "cdktf-synth", stack: name, text });
  doc.source.stack = name;
  for (const r of Object.values(doc.resources)) {
    if (r.module !== "") continue;
    const c = stack.resources[r.mode === "data" ? `data.${r.type}.${r.name}` : `${r.type}.${r.name}`];
    if (!c) continue;
    r.construct_path = c.construct_path;
    r.source_file = c.source_file;
    r.source_line = c.source_line;
  }
}
