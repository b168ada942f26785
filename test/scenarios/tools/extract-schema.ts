// Extracts the attribute schema (names, kinds, computed/optional/required) of the AWS resource
// and data source types the corpus uses from the sources embedded in @cdktf/provider-aws (generated
// from hashicorp/aws 6.x), so the builder can write every attribute the way Terraform does.
// Run: npx tsx test/scenarios/tools/extract-schema.ts  (writes test/scenarios/schema/aws.json)

import * as fs from "node:fs";
import * as path from "node:path";
import { TYPES } from "../schema/types";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const LIB = path.join(ROOT, "node_modules", "@cdktf", "provider-aws", "lib");

/** Attribute kinds written into the schema file. */
export type Kind =
  | "string"
  | "number"
  | "bool"
  | "list"
  | "set"
  | "map"
  | "blocks" // list or set of nested blocks
  | "object" // single nested block (framework) or computed nested object
  | "any";

interface Attr {
  k: Kind;
  /** c: computed, o: optional, r: required */
  f: string;
  /** nested schema for blocks */
  n?: Record<string, Attr>;
}

function sourceOf(dir: string): string {
  const js = fs.readFileSync(path.join(LIB, dir, "index.js"), "utf8");
  const m = /sourceMappingURL=data:application\/json;base64,(.*)$/m.exec(js);
  if (!m) throw new Error(`no source map in ${dir}`);
  return (JSON.parse(Buffer.from(m[1], "base64").toString()) as { sourcesContent: string[] }).sourcesContent[0];
}

/** Text of the declaration starting at `start` up to the next top-level export. */
function section(src: string, start: number): string {
  const next = src.indexOf("\nexport ", start + 1);
  return src.slice(start, next < 0 ? src.length : next);
}

const HCL_ENTRY =
  /^ {4,8}(\w+): \{\n\s+value: (.*),\n\s+isBlock: (true|false),\n\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",/gm;
const FLAGS = /\/\/ (\w+) - computed: (true|false), optional: (true|false), required: (true|false)\n(.*\n.*)\n/g;

function flagsIn(text: string): Map<string, { f: string; next: string }> {
  const out = new Map<string, { f: string; next: string }>();
  for (const m of text.matchAll(FLAGS)) {
    const f = (m[2] === "true" ? "c" : "") + (m[3] === "true" ? "o" : "") + (m[4] === "true" ? "r" : "");
    out.set(m[1], { f, next: m[5] });
  }
  return out;
}

function kindOf(type: string, storage: string, isBlock: boolean): Kind {
  if (isBlock) return type === "struct" ? "object" : "blocks";
  if (type === "simple") {
    if (storage === "string") return "string";
    if (storage === "number") return "number";
    if (storage === "boolean") return "bool";
    return "any";
  }
  if (type === "list")
    return storage.endsWith("List") && !/^(string|number|boolean)List$/.test(storage) ? "blocks" : "list";
  if (type === "set")
    return storage.endsWith("List") && !/^(string|number|boolean)List$/.test(storage) ? "blocks" : "set";
  if (type === "map") return "map";
  if (type === "struct") return "object";
  return "any";
}

function computedKind(next: string): Kind {
  if (/getStringAttribute/.test(next)) return "string";
  if (/getBooleanAttribute/.test(next)) return "bool";
  if (/getNumberAttribute/.test(next)) return "number";
  if (/get(Number)?ListAttribute/.test(next)) return "list";
  if (/Map(Attribute)?\(/.test(next) || /MapAttribute/.test(next)) return "map";
  if (/new \w+List\(/.test(next)) return "blocks";
  if (/new \w+OutputReference\(/.test(next)) return "object";
  return "any";
}

function parseBlock(src: string, fn: string, depth: number): Record<string, Attr> {
  const start = src.indexOf(`export function ${fn}(`);
  if (start < 0) throw new Error(`missing ${fn}`);
  const body = section(src, start);
  const struct = fn.replace(/ToHclTerraform$/, "");
  const cls = struct[0].toUpperCase() + struct.slice(1) + "OutputReference";
  const clsStart = src.indexOf(`export class ${cls} `);
  const flags = clsStart >= 0 ? flagsIn(section(src, clsStart)) : new Map<string, { f: string; next: string }>();
  return attrsFrom(src, body, flags, depth);
}

function attrsFrom(
  src: string,
  body: string,
  flags: Map<string, { f: string; next: string }>,
  depth: number,
): Record<string, Attr> {
  const out: Record<string, Attr> = {};
  for (const m of body.matchAll(HCL_ENTRY)) {
    const [, name, value, isBlock, type, storage] = m;
    const kind = kindOf(type, storage, isBlock === "true");
    const a: Attr = { k: kind, f: flags.get(name)?.f ?? "o" };
    if ((kind === "blocks" || kind === "object") && depth < 6) {
      const fn = /(\w+ToHclTerraform)/.exec(value);
      if (fn) a.n = parseBlock(src, fn[1], depth + 1);
    }
    out[name] = a;
  }
  for (const [name, { f, next }] of flags) {
    if (out[name]) continue;
    out[name] = { k: computedKind(next), f };
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function extract(type: string, mode: "managed" | "data"): Record<string, Attr> {
  const dir = (mode === "data" ? "data-aws-" : "") + type.replace(/^aws_/, "").replace(/_/g, "-");
  const src = sourceOf(dir);
  const base = mode === "data" ? "cdktf.TerraformDataSource" : "cdktf.TerraformResource";
  const m = new RegExp(`export class (\\w+) extends ${base.replace(".", "\\.")}`).exec(src);
  if (!m) throw new Error(`no resource class in ${dir}`);
  const body = section(src, m.index);
  const hcl = body.indexOf("synthesizeHclAttributes()");
  return attrsFrom(src, body.slice(hcl), flagsIn(body), 0);
}

const out: Record<string, Record<string, Attr>> = {};
for (const t of TYPES.managed) out[t] = extract(t, "managed");
for (const t of TYPES.data) out[`data.${t}`] = extract(t, "data");
const file = path.join(__dirname, "..", "schema", "aws.json");
fs.writeFileSync(file, JSON.stringify(out) + "\n");
console.log(`wrote ${Object.keys(out).length} types to ${path.relative(ROOT, file)}`);
