// Reader for Terraform JSON configuration (`*.tf.json`) and cdktf synth output (`cdk.tf.json`).
// Nothing is evaluated except constants, variable defaults and locals that are plain
// `${var.x}` / `${local.x}`; everything else is left for `terraform plan` and said so.

import { InputError } from "../core/errors";
import { expressionRefs, hasTemplate } from "./expressions";
import { buildGraph } from "./graph";
import { blockLines } from "./json";
import {
  cloudOfProvider,
  impliedProvider,
  noProviderRegionDetail,
  normaliseRegion,
  providerLocationArgs,
  resourceLocationArgs,
  unresolved,
} from "./location";
import {
  INPUT_SCHEMA_VERSION,
  type Cloud,
  type GuardInput,
  type OpaqueModule,
  type Reference,
  type ResolvedLocation,
  type ResourceEntry,
  type SourceKind,
} from "./types";
import { describe, isObject, tagMap, type Json } from "./util";

/** Top-level keys of a Terraform JSON configuration (`//` is a comment). */
export const CONFIG_TOP_LEVEL_KEYS = new Set([
  "//",
  "terraform",
  "provider",
  "variable",
  "locals",
  "output",
  "module",
  "resource",
  "data",
  "ephemeral",
  "moved",
  "import",
  "removed",
  "check",
]);

/** Meta-arguments that are not resource values. */
const META_ARGS = new Set([
  "//",
  "provider",
  "depends_on",
  "count",
  "for_each",
  "lifecycle",
  "provisioner",
  "connection",
]);
/** Meta-arguments whose expressions are not data flow. */
const NO_REFS = new Set(["//", "provider", "depends_on", "lifecycle", "provisioner", "connection"]);

/** True when every top-level key is a Terraform JSON configuration block (and there is at least one). */
export function looksLikeConfig(doc: Json): boolean {
  const keys = Object.keys(doc);
  return keys.length > 0 && keys.every((k) => CONFIG_TOP_LEVEL_KEYS.has(k)) && keys.some((k) => k !== "//");
}

interface Block {
  labels: string[];
  body: Json;
  where: string;
}

type Eval = { ok: true; value: unknown; via: string | null } | { ok: false; why: string };

interface ConfigOptions {
  file: string;
  stack: string | null;
  kind: SourceKind;
  /** The original text, to find the line of each block. */
  text?: string;
}

/** Converts a parsed Terraform JSON / cdktf configuration into a GuardInput. */
export function readConfig(doc: Json, options: ConfigOptions): GuardInput {
  const reader = new ConfigReader(doc, options);
  const resources = reader.entries();
  return {
    schema_version: INPUT_SCHEMA_VERSION,
    source: {
      kind: options.kind,
      file: options.file,
      stack: options.stack,
      terraform_version: null,
      format_version: null,
    },
    resources,
    opaque_modules: reader.opaqueModules(),
    ...buildGraph(resources, options.kind),
  };
}

/** The cdktf stack name recorded in `//.metadata.stackName`, if any. */
export function cdktfStackName(doc: Json): string | null {
  const meta = isObject(doc["//"]) ? doc["//"].metadata : undefined;
  return isObject(meta) && typeof meta.stackName === "string" ? meta.stackName : null;
}

class ConfigReader {
  private readonly file: string;
  private readonly resources = new Map<string, Block & { mode: "managed" | "data"; type: string; name: string }>();
  private readonly providers = new Map<string, Block>();
  private readonly providerTypes = new Map<string, string>();
  private readonly variables = new Map<string, Json>();
  private readonly locals = new Map<string, unknown>();
  private readonly modules = new Map<string, Json>();
  private readonly lines: Map<string, number>;
  private readonly locationMemo = new Map<string, ResolvedLocation>();
  private readonly locating = new Set<string>();
  /** Provider key -> cloud -> the location its configuration gives. */
  private readonly providerMemo = new Map<string, Map<Cloud, ResolvedLocation>>();

  constructor(
    private readonly doc: Json,
    private readonly options: ConfigOptions,
  ) {
    this.file = options.file;
    for (const k of Object.keys(doc)) {
      if (!CONFIG_TOP_LEVEL_KEYS.has(k)) {
        throw new InputError(`unknown top-level key "${k}" (not a Terraform JSON configuration block)`, this.file, k);
      }
    }
    this.lines = options.text ? blockLines(options.text) : new Map();
    for (const mode of ["resource", "data"] as const) {
      for (const b of this.blocks(doc[mode], 2, mode)) {
        const [type, name] = b.labels;
        const address = mode === "data" ? `data.${type}.${name}` : `${type}.${name}`;
        if (this.resources.has(address)) throw new InputError(`duplicate block ${address}`, this.file, b.where);
        this.resources.set(address, { ...b, mode: mode === "data" ? "data" : "managed", type, name });
      }
    }
    for (const b of this.blocks(doc.provider, 1, "provider")) {
      const alias = b.body.alias;
      if (alias !== undefined && (typeof alias !== "string" || alias === "")) {
        throw new InputError(
          `alias must be a non-empty string, found ${describe(alias)}`,
          this.file,
          `${b.where}.alias`,
        );
      }
      const key = alias ? `${b.labels[0]}.${alias}` : b.labels[0];
      if (this.providers.has(key))
        throw new InputError(`duplicate provider configuration "${key}"`, this.file, b.where);
      this.providers.set(key, b);
    }
    for (const b of this.blocks(doc.variable, 1, "variable")) this.variables.set(b.labels[0], b.body);
    for (const b of this.blocks(doc.module, 1, "module")) this.modules.set(b.labels[0], b.body);
    for (const b of this.blocks(doc.locals, 0, "locals")) {
      for (const [k, v] of Object.entries(b.body)) if (k !== "//") this.locals.set(k, v);
    }
    for (const t of this.blocks(doc.terraform, 0, "terraform")) {
      for (const rp of this.blocks(t.body.required_providers, 0, `${t.where}.required_providers`)) {
        for (const [name, req] of Object.entries(rp.body)) {
          if (isObject(req) && typeof req.source === "string") this.providerTypes.set(name, req.source);
        }
      }
    }
  }

  /** Blocks with `labels` labels; Terraform JSON allows an array of objects at every level. */
  private blocks(value: unknown, labels: number, where: string): Block[] {
    const out: Block[] = [];
    const visit = (v: unknown, got: string[], w: string): void => {
      if (v === undefined) return;
      if (Array.isArray(v)) {
        v.forEach((item, i) => visit(item, got, `${w}[${i}]`));
        return;
      }
      if (!isObject(v)) {
        const what = got.length < labels ? `block "${[where.split(/[.[]/)[0], ...got].join(".")}"` : "block body";
        throw new InputError(`${what} must be a JSON object, found ${describe(v)}`, this.file, w);
      }
      if (got.length === labels) {
        out.push({ labels: got, body: v, where: w });
        return;
      }
      for (const [k, x] of Object.entries(v)) if (k !== "//") visit(x, [...got, k], `${w}.${k}`);
    };
    visit(value, [], where);
    return out;
  }

  opaqueModules(): OpaqueModule[] {
    return [...this.modules].map(([name, body]) => {
      const meta = isObject(body["//"]) ? body["//"].metadata : undefined;
      return {
        address: `module.${name}`,
        source: typeof body.source === "string" ? body.source : null,
        construct_path: isObject(meta) && typeof meta.path === "string" ? meta.path : null,
      };
    });
  }

  entries(): Record<string, ResourceEntry> {
    const out: Record<string, ResourceEntry> = {};
    this.resources.forEach((r, address) => {
      out[address] = this.entry(address, r);
    });
    return out;
  }

  private entry(address: string, r: Block & { mode: "managed" | "data"; type: string; name: string }): ResourceEntry {
    const values: Json = {};
    for (const k in r.body) if (!META_ARGS.has(k)) values[k] = r.body[k];
    const unknown: string[] = [];
    const defaults: string[] = [];
    templatedPaths(values, "", unknown, defaults);
    const meta = isObject(r.body["//"]) ? r.body["//"].metadata : undefined;
    const providerKey = this.providerKeyOf(r);
    const line =
      this.lines.size === 0
        ? undefined
        : this.lines.get(`${r.mode === "data" ? "data" : "resource"}/${r.type}/${r.name}`);
    return {
      address,
      mode: r.mode,
      type: r.type,
      name: r.name,
      index: null,
      module: "",
      construct_path: isObject(meta) && typeof meta.path === "string" ? meta.path : null,
      provider_config: providerKey,
      action: "config",
      values,
      unknown,
      tags: this.tags(r, providerKey),
      references: this.references(address, r.body),
      location: this.locate(address),
      source_file: this.file,
      source_line: line ?? null,
      defaults: r.mode === "managed" ? defaults : [],
    };
  }

  private providerKeyOf(r: Block & { type: string }): string {
    const p = r.body.provider;
    if (p === undefined) return impliedProvider(r.type);
    if (typeof p !== "string")
      throw new InputError(
        `provider must be a string like "aws.us", found ${describe(p)}`,
        this.file,
        `${r.where}.provider`,
      );
    const m = /^\s*(?:\$\{\s*)?([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)?)(?:\s*\})?\s*$/.exec(p);
    if (!m) throw new InputError(`cannot read provider reference "${p}"`, this.file, `${r.where}.provider`);
    return m[1];
  }

  private cloudOf(providerKey: string): Cloud {
    const local = providerKey.split(".")[0];
    return cloudOfProvider(this.providerTypes.get(local) ?? local);
  }

  // ---- evaluation -------------------------------------------------------------------------

  /** Evaluates constants and plain `${var.x}` / `${local.x}`; anything else is left to Terraform. */
  private evaluate(v: unknown, seen: Set<string> = new Set()): Eval {
    if (typeof v !== "string") return { ok: true, value: v, via: null };
    if (!hasTemplate(v)) {
      // `$${` and `%%{` are escapes; most strings have none and are returned as they are.
      const value = v.includes("$${") || v.includes("%%{") ? v.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{") : v;
      return { ok: true, value, via: null };
    }
    const m = /^\$\{\s*(var|local)\.([A-Za-z_][\w-]*)\s*\}$/.exec(v);
    if (!m) return { ok: false, why: `"${v}" is computed by Terraform at plan time` };
    const id = `${m[1]}.${m[2]}`;
    if (seen.has(id)) return { ok: false, why: `${id} refers to itself` };
    seen.add(id);
    if (m[1] === "var") {
      const decl = this.variables.get(m[2]);
      if (!decl) return { ok: false, why: `${id} is not declared` };
      if (!("default" in decl) || decl.default === null)
        return { ok: false, why: `${id} has no default; its value is given at plan time` };
      return { ok: true, value: decl.default, via: `${id} (default)` };
    }
    if (!this.locals.has(m[2])) return { ok: false, why: `${id} is not declared` };
    const inner = this.evaluate(this.locals.get(m[2]), seen);
    return inner.ok ? { ok: true, value: inner.value, via: inner.via ? `${id} = ${inner.via}` : id } : inner;
  }

  private tags(r: Block & { mode: "managed" | "data" }, providerKey: string): Record<string, string> {
    const merged: Record<string, string> = {};
    const p = r.mode === "managed" ? this.providers.get(providerKey) : undefined;
    if (p) {
      for (const dt of this.blocks(p.body.default_tags, 0, `${p.where}.default_tags`))
        Object.assign(merged, this.evalTags(dt.body.tags));
    }
    Object.assign(merged, this.evalTags(r.body.tags));
    return merged;
  }

  private evalTags(v: unknown): Record<string, string> {
    const e = this.evaluate(v);
    if (!e.ok || !isObject(e.value)) return {};
    const resolved: Json = {};
    for (const k in e.value) {
      const x = e.value[k];
      const ex = this.evaluate(x);
      resolved[k] = ex.ok ? ex.value : x;
    }
    return tagMap(resolved);
  }

  // ---- references -------------------------------------------------------------------------

  private references(self: string, body: Json): Reference[] {
    const out: Reference[] = [];
    let seen: Set<string> | null = null;
    const add = (attribute: string, address: string): void => {
      if (address === self) return;
      // A resource has a few references: scan them; a Set only once the list gets long.
      if (out.length < 16) {
        for (let i = 0; i < out.length; i++) if (out[i].attribute === attribute && out[i].address === address) return;
      } else {
        seen ??= new Set(out.map((o) => `${o.attribute}\u0000${o.address}`));
        const k = `${attribute}\u0000${address}`;
        if (seen.has(k)) return;
        seen.add(k);
      }
      out.push({ attribute, address });
    };
    const visitString = (attribute: string, s: string, localsSeen: ReadonlySet<string>): void => {
      if (!hasTemplate(s)) return;
      for (const ref of expressionRefs(s)) {
        if (ref.kind === "resource") {
          if (this.resources.has(ref.address)) add(attribute, ref.address);
        } else if (ref.kind === "module") {
          if (this.modules.has(ref.name)) add(attribute, `module.${ref.name}`);
        } else if (ref.kind === "local" && this.locals.has(ref.name) && !localsSeen.has(ref.name)) {
          const next = new Set(localsSeen).add(ref.name);
          walkStrings(this.locals.get(ref.name), "", (_p, x) => visitString(attribute, x, next));
        }
      }
    };
    const top = (path: string, s: string) => visitString(path, s, NO_LOCALS);
    for (const k in body) if (!NO_REFS.has(k)) walkStrings(body[k], k, top);
    return out;
  }

  // ---- location ---------------------------------------------------------------------------

  private locate(address: string): ResolvedLocation {
    const hit = this.locationMemo.get(address);
    if (hit) return hit;
    const r = this.resources.get(address)!;
    const providerKey = this.providerKeyOf(r);
    const cloud = this.cloudOf(providerKey);
    if (this.locating.has(address)) return unresolved(cloud, `location of ${address} refers back to itself`);
    this.locating.add(address);
    const loc = this.locateUncached(r, providerKey, cloud);
    this.locating.delete(address);
    this.locationMemo.set(address, loc);
    return loc;
  }

  private locateUncached(r: Block, providerKey: string, cloud: Cloud): ResolvedLocation {
    for (const arg of resourceLocationArgs(cloud)) {
      if (!(arg in r.body)) continue;
      const raw = r.body[arg];
      const e = this.evaluate(raw);
      if (e.ok) {
        if (e.value === null) continue;
        if (typeof e.value === "string" && e.value !== "") {
          const region = normaliseRegion(cloud, arg, e.value);
          return e.via
            ? { cloud, region, source: "variable", detail: `resource argument ${arg} = ${e.via} = "${e.value}"` }
            : { cloud, region, source: "resource-region", detail: `resource argument ${arg} = "${e.value}"` };
        }
        return unresolved(cloud, `resource argument ${arg} is ${JSON.stringify(e.value)}, not a region name`);
      }
      // `location = "${azurerm_resource_group.rg.location}"`: take the referenced resource's location.
      const m =
        typeof raw === "string"
          ? /^\$\{\s*((?:data\.)?[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*)\.(region|location|zone)\s*\}$/.exec(raw)
          : null;
      if (m && this.resources.has(m[1])) {
        const other = this.locate(m[1]);
        return {
          ...other,
          cloud,
          detail: `resource argument ${arg} = ${m[1]}.${m[2]}, whose location: ${other.detail}`,
        };
      }
      return unresolved(cloud, `resource argument ${arg}: ${e.why}`);
    }
    // Every resource of a provider configuration gets the same answer: computed once per cloud.
    let byCloud = this.providerMemo.get(providerKey);
    if (!byCloud) this.providerMemo.set(providerKey, (byCloud = new Map()));
    let loc = byCloud.get(cloud);
    if (!loc) byCloud.set(cloud, (loc = this.providerLocation(providerKey, cloud)));
    return { ...loc };
  }

  private providerLocation(providerKey: string, cloud: Cloud): ResolvedLocation {
    const p = this.providers.get(providerKey);
    if (!p) {
      if (providerKey.includes("."))
        return unresolved(cloud, `provider "${providerKey}" is not configured in this document`);
      if (cloud === "azure") return unresolved(cloud, noProviderRegionDetail(cloud, providerKey));
      return unresolved(
        cloud,
        `no provider "${providerKey}" block in this document (Terraform would take the region from the environment)`,
      );
    }
    const label = `provider "${providerKey}"`;
    for (const arg of providerLocationArgs(cloud)) {
      if (!(arg in p.body)) continue;
      const e = this.evaluate(p.body[arg]);
      if (!e.ok) return unresolved(cloud, `${label} ${arg}: ${e.why}`);
      if (e.value === null) continue;
      if (typeof e.value !== "string" || e.value === "")
        return unresolved(cloud, `${label} has ${arg} = ${JSON.stringify(e.value)}, not a region name`);
      const region = normaliseRegion(cloud, arg, e.value);
      return e.via
        ? { cloud, region, source: "variable", detail: `${label} (${arg} = ${e.via} = "${e.value}")` }
        : { cloud, region, source: "provider-config", detail: `${label} (${arg} = "${e.value}")` };
    }
    return unresolved(cloud, noProviderRegionDetail(cloud, providerKey));
  }
}

/** Locals already followed on the way to a string: none, at the top. */
const NO_LOCALS: ReadonlySet<string> = new Set();

/** Visits every string leaf with its dotted path (list indices dropped, as for references). */
function walkStrings(v: unknown, path: string, visit: (path: string, s: string) => void): void {
  if (typeof v === "string") visit(path, v);
  else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) walkStrings(v[i], path, visit);
  else if (isObject(v)) for (const k in v) if (k !== "//") walkStrings(v[k], path ? `${path}.${k}` : k, visit);
}

/**
 * Paths (list indices kept, as in plans' `after_unknown`) of string leaves holding templates,
 * and of values written as null (the provider chooses them).
 */
function templatedPaths(v: unknown, path: string, out: string[], nulls: string[]): void {
  if (typeof v === "string") {
    if (hasTemplate(v)) out.push(path);
  } else if (v === null) {
    if (path) nulls.push(path);
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) templatedPaths(v[i], path ? `${path}.${i}` : String(i), out, nulls);
  } else if (isObject(v))
    for (const k in v) if (k !== "//") templatedPaths(v[k], path ? `${path}.${k}` : k, out, nulls);
}
