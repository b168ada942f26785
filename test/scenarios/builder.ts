// Turns a compact scenario description (providers, variables, module calls, resources with their
// configuration expressions) into a plan document shaped like `terraform show -json` of
// Terraform 1.10 with hashicorp/aws 6.x: every schema attribute written (null when unset, provider
// defaults, unknown computed attributes), `region` filled from the provider, `tags_all` merged from
// default tags, expressions with Terraform's reference unwrapping, data sources read at plan in
// `prior_state` and deferred reads as `read` changes, and the unknown/sensitive mirrors.

import schemaJson from "./schema/aws.json";
import { COMPUTED_BLOCKS, EXTRA_SCHEMAS, PROVIDER_DEFAULTS, SCHEMA_VERSIONS, SENSITIVE } from "./schema/facts";

/** Attribute schema as extracted from the provider (k: kind, f: c computed / o optional / r required). */
export interface AttrSchema {
  k: string;
  f: string;
  n?: Record<string, AttrSchema>;
}
type Schema = Record<string, AttrSchema>;
const SCHEMAS: Record<string, Schema> = { ...(schemaJson as Record<string, Schema>), ...EXTRA_SCHEMAS };

/** Marks a value that is unknown until apply. */
export const U: unique symbol = Symbol("unknown");
type Unknown = typeof U;

/** An expression: its planned value (or U) and the traversals it references. */
export interface Ex {
  readonly __ex: true;
  /** Planned value; a function of the instance key for count / for_each resources. */
  value: unknown;
  /** Traversals as written, e.g. `aws_s3_bucket.data.arn`, `var.region`, `each.value`. */
  refs: string[];
  /** A function call (jsonencode, merge, ...): never a constant_value. */
  call: boolean;
}

/** Resolves a traversal to its planned value (U when unknown at plan). */
export type Resolve = (traversal: string) => unknown;
/** A planned value computed from the instance key and the values of other objects. */
export type Lazy = (key: Key | undefined, resolve: Resolve) => unknown;

const AUTO: unique symbol = Symbol("auto");

/** A reference expression (`aws_s3_bucket.data.arn`); its value is resolved from the plan unless given. */
export function ref(traversal: string, value: unknown = AUTO): Ex {
  return { __ex: true, value, refs: [traversal], call: false };
}

/** A lazily computed value (function of the instance key and a resolver). */
export function lazy(f: Lazy): { __lazy: Lazy } {
  return { __lazy: f };
}

/** A template `"a${x.y}b"`: the concatenation when every part is known, else unknown. */
export function cat(...parts: (string | Ex)[]): Ex {
  const refs = parts.filter(isEx).flatMap((p) => p.refs);
  return {
    __ex: true,
    refs,
    call: false,
    value: lazy((key, resolve) => {
      const vals = parts.map((p) => (isEx(p) ? evalWith(p, key, resolve) : p));
      return vals.some((v) => v === U) ? U : vals.join("");
    }),
  };
}

/** A template or other expression over several traversals, with its planned value. */
export function tpl(value: unknown, ...traversals: string[]): Ex {
  return { __ex: true, value, refs: traversals, call: false };
}

/** A function call (`jsonencode(...)`, `merge(...)`, `toset(...)`) over the traversals, with its planned value. */
export function fn(value: unknown, ...traversals: string[]): Ex {
  return { __ex: true, value, refs: traversals, call: true };
}

/** A block written with a `dynamic` block: Terraform leaves it out of the configuration expressions. */
export interface Dynamic {
  readonly __dynamic: true;
  blocks: Cfg[];
  refs: string[];
}

/** Blocks produced by a `dynamic` block (absent from `configuration`, present in the values). */
export function dynamic(blocks: Cfg[], ...refs: string[]): Dynamic {
  return { __dynamic: true, blocks, refs };
}

/** Configuration of a resource or block: attribute -> literal | Ex | blocks (array of Cfg). */
export type Cfg = Record<string, unknown>;

/** Instance key of a counted or for_each resource. */
export type Key = number | string;

/** A resource, data source or module-level resource of the scenario. */
export interface Res {
  type: string;
  name: string;
  data?: boolean;
  /** Module path without instance keys (`module.training.module.data`); root when absent. */
  module?: string;
  /** Provider configuration key (`aws`, `aws.us`); `aws` when absent. */
  provider?: string;
  /** `count = ...`: the count and its expression. */
  count?: number;
  countExpr?: Ex | number;
  /** `for_each = ...`: the keys and the expression. */
  forEach?: string[];
  forEachExpr?: Ex;
  cfg: Cfg;
  /** Attribute values known at plan that the configuration does not set (computed or existing). */
  known?: Record<string, unknown>;
  /** Top-level attributes unknown at plan although the schema or configuration would give a value. */
  unknown?: string[];
  /**
   * create (default for managed), no-op / update (existing), replace (`["delete","create"]`),
   * replace-cbd (create_before_destroy: `["create","delete"]`), delete (removed from the
   * configuration: prior state and a `delete` change only); data: read at plan unless deferred.
   */
  action?: "create" | "no-op" | "update" | "replace" | "replace-cbd" | "delete";
  /** for_each: the value of each key (`each.value`). */
  forEachValues?: Record<string, unknown>;
  /** Data sources: read during apply (`read` change) with this reason (set automatically when the configuration is unknown). */
  deferred?: "read_because_config_unknown" | "read_because_dependency_pending";
  /** update: attributes whose previous value differs. */
  before?: Record<string, unknown>;
  /** replace: the attribute path that forces replacement (default `instance_type`). */
  replacePaths?: string[];
  dependsOn?: string[];
}

/** A module call (with its module's variables taken from the inputs). */
export interface ModuleCall {
  /** Full path without keys, e.g. `module.training` or `module.training.module.data`. */
  path: string;
  source: string;
  version?: string;
  inputs: Record<string, unknown>;
  /** Instance keys when the call uses count (numbers) or for_each (strings). */
  keys?: Key[];
  countExpr?: Ex | number;
  forEachExpr?: Ex;
  outputs?: Record<string, Ex>;
  /** Variables declared with defaults that the call does not set. */
  defaults?: Record<string, unknown>;
}

/** A provider configuration. */
export interface Provider {
  /** `aws`, `aws.us`, or `module.legacy:aws` for a configuration inside a module. */
  key: string;
  /** Planned region (the value the resources get) and how it is written. */
  region: string | Ex;
  defaultTags?: Record<string, string> | Ex;
  /** Other arguments written in the block (assume_role, profile, ...). */
  extra?: Cfg;
  version?: string;
  name?: string;
}

/** A root variable with its value and declaration. */
export interface Variable {
  value: unknown;
  default?: unknown;
  description?: string;
  sensitive?: boolean;
}

/** The whole scenario plan. */
export interface PlanSpec {
  terraformVersion?: string;
  timestamp?: string;
  account?: string;
  variables?: Record<string, Variable>;
  providers: Provider[];
  modules?: ModuleCall[];
  resources: Res[];
  outputs?: Record<string, Ex>;
  /** Planned by OpenTofu: providers come from registry.opentofu.org. */
  opentofu?: boolean;
}

const AWS_FQN = "registry.terraform.io/hashicorp/aws";
const FQN: Record<string, string> = {
  aws: AWS_FQN,
  awscc: "registry.terraform.io/hashicorp/awscc",
  random: "registry.terraform.io/hashicorp/random",
  time: "registry.terraform.io/hashicorp/time",
};
const VERSIONS: Record<string, string> = { aws: "~> 6.0", awscc: "~> 1.30", random: "~> 3.6", time: "~> 0.12" };

function isLazy(v: unknown): v is { __lazy: Lazy } {
  return typeof v === "object" && v !== null && typeof (v as { __lazy?: unknown }).__lazy === "function";
}
function isEx(v: unknown): v is Ex {
  return typeof v === "object" && v !== null && (v as Ex).__ex === true;
}
function isDynamic(v: unknown): v is Dynamic {
  return typeof v === "object" && v !== null && (v as Dynamic).__dynamic === true;
}
function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isEx(v) && !isDynamic(v) && !isLazy(v);
}

// ---------- references ----------

/** Splits a traversal into steps: `a.b["k"].c[0]` -> ["a", "b", '["k"]', "c", "[0]"]. */
function steps(t: string): string[] {
  const out: string[] = [];
  const re = /([A-Za-z_][\w-]*)|(\[[^\]]*\])|\./g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t))) if (m[1] || m[2]) out.push(m[1] ?? m[2]);
  return out;
}
const join = (ss: string[]): string => ss.map((s, i) => (s.startsWith("[") || i === 0 ? s : `.${s}`)).join("");

/** Terraform's `references` list for one traversal (jsonconfig.marshalExpression). */
export function referencesOf(t: string): string[] {
  const s = steps(t);
  let n: number;
  const extra: string[] = [];
  const keyed = (i: number): boolean => s[i] !== undefined && s[i].startsWith("[");
  switch (s[0]) {
    case "var":
    case "local":
    case "each":
    case "count":
    case "path":
    case "terraform":
    case "self":
      n = 2;
      break;
    case "data":
      n = keyed(3) ? 4 : 3;
      if (keyed(3)) extra.push(join(s.slice(0, 3)));
      break;
    case "module":
      // module.NAME[KEY].OUTPUT...: the output (or the instance) is the subject; the call is added.
      if (keyed(2)) {
        n = s.length > 3 ? 4 : 3;
        extra.push(join(s.slice(0, 2)));
      } else if (s.length > 2) {
        n = 3;
        extra.push(join(s.slice(0, 2)));
      } else n = 2;
      break;
    default:
      n = keyed(2) ? 3 : 2;
      if (keyed(2)) extra.push(join(s.slice(0, 2)));
  }
  const out: string[] = [];
  for (let i = s.length; i > n; i--) out.push(join(s.slice(0, i)));
  out.push(join(s.slice(0, n)));
  return [...out, ...extra];
}

// ---------- values ----------

type Kind = "prim" | "list" | "map" | "blocks" | "object";
function kindOf(a: AttrSchema | undefined): Kind {
  if (!a) return "prim";
  if (a.k === "list" || a.k === "set") return "list";
  if (a.k === "map") return "map";
  if (a.k === "blocks") return "blocks";
  if (a.k === "object") return "object";
  return "prim";
}

interface Ctx {
  key: Key | undefined;
  resolve: Resolve;
  type: string;
  region: string;
  defaultTags: Record<string, string> | Unknown;
  forceUnknown: Set<string>;
  known: Record<string, unknown>;
  existing: boolean;
  data: boolean;
}

/** Planned value of a configuration value (U where unknown). */
function evalWith(v: unknown, key: Key | undefined, resolve: Resolve): unknown {
  if (isEx(v)) {
    if (v.value === AUTO) {
      if (v.refs.length !== 1) throw new Error(`give the value of an expression over ${v.refs.join(", ")}`);
      return resolve(v.refs[0]);
    }
    return evalWith(v.value, key, resolve);
  }
  if (isLazy(v)) return evalWith(v.__lazy(key, resolve), key, resolve);
  if (typeof v === "function") return evalWith((v as (k: Key | undefined) => unknown)(key), key, resolve);
  if (isDynamic(v)) return v.blocks.map((b) => evalWith(b, key, resolve));
  if (Array.isArray(v)) return v.map((x) => evalWith(x, key, resolve));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, evalWith(x, key, resolve)]));
  return v;
}

const noResolve: Resolve = (t) => {
  throw new Error(`cannot resolve ${t} here`);
};

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Full object value of one block or resource body from the schema and its configuration. */
function bodyValue(schema: Schema, cfg: Cfg, ctx: Ctx, top: boolean, path: string): Record<string, unknown> {
  for (const k of Object.keys(cfg)) {
    if (!schema[k]) throw new Error(`${ctx.type}: no attribute ${path}${k} in the provider schema`);
  }
  const out: Record<string, unknown> = {};
  const defaults = PROVIDER_DEFAULTS[ctx.type] ?? {};
  for (const [name, a] of Object.entries(schema)) {
    const kind = kindOf(a);
    const full = `${path}${name}`;
    let v: unknown;
    if (top && ctx.forceUnknown.has(name)) v = U;
    else if (name in cfg) {
      const c = cfg[name];
      if ((kind === "blocks" || kind === "object") && a.n && !isEx(c)) {
        const list = isDynamic(c) ? c.blocks : kind === "object" && !Array.isArray(c) ? [c as Cfg] : (c as Cfg[]);
        const vals = list.map((b) => bodyValue(a.n as Schema, b, ctx, false, `${full}.`));
        v = kind === "object" ? (vals[0] ?? null) : vals;
      } else v = evalWith(c, ctx.key, ctx.resolve);
    } else if (top && name in ctx.known) v = evalWith(ctx.known[name], ctx.key, ctx.resolve);
    else if (top && name === "region" && a.f.includes("c")) v = ctx.region;
    else if (top && name === "tags_all") v = tagsAll(cfg, ctx);
    else if (full in defaults) v = defaults[full];
    else if (top && !ctx.existing && !ctx.data && COMPUTED_BLOCKS[ctx.type]?.includes(name)) v = U;
    else if (a.f.includes("c")) v = ctx.existing || ctx.data ? existingComputed(name, cfg, ctx, kind, top) : U;
    else v = kind === "blocks" ? [] : null;
    out[name] = v;
  }
  return out;
}

function tagsAll(cfg: Cfg, ctx: Ctx): unknown {
  if (ctx.forceUnknown.has("tags_all") || ctx.defaultTags === U) return U;
  const tags = "tags" in cfg ? evalWith(cfg.tags, ctx.key, ctx.resolve) : null;
  if (tags === U) return U;
  if (isObj(tags) && Object.values(tags).some((x) => x === U)) return U;
  return sortKeys({ ...ctx.defaultTags, ...((tags as Record<string, unknown>) ?? {}) });
}

let idCounter = 0;
/** A stable fake identifier for computed attributes of existing resources and data sources. */
function fakeId(seed: string, len = 17): string {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  let s = "";
  while (s.length < len) {
    h = Math.imul(h ^ (h >>> 13), 2654435761) >>> 0;
    s += h.toString(16);
  }
  return s.slice(0, len);
}

function existingComputed(name: string, cfg: Cfg, ctx: Ctx, kind: Kind, top: boolean): unknown {
  if (!top) return kind === "blocks" ? [] : null;
  if (kind === "blocks") return [];
  if (kind === "list") return [];
  if (kind === "map") return {};
  if (name === "id")
    return `${ctx.type.replace(/^aws_/, "")}-${fakeId(`${ctx.type}${JSON.stringify(cfg)}${idCounter}`)}`;
  return null;
}

// ---------- JSON mirrors of a value (Terraform's jsonplan helpers) ----------

function omitUnknowns(v: unknown): unknown {
  if (v === U) return undefined;
  if (Array.isArray(v)) return v.map((x) => (x === U ? null : omitUnknowns(x)));
  if (isObj(v)) {
    // cty writes object attributes and map keys in lexical order.
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      if (x !== U) out[k] = omitUnknowns(x);
    return out;
  }
  return v;
}

function unknownAsBool(v: unknown): unknown {
  if (v === null || v === undefined) return false;
  if (v === U) return true;
  if (Array.isArray(v)) return v.map(unknownAsBool);
  if (isObj(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const b = unknownAsBool(x);
      if (b !== false) out[k] = b;
    }
    return out;
  }
  return false;
}

function sensitiveAsBool(v: unknown, schema: Schema | undefined, sensitive: Set<string>, path: string): unknown {
  if (Array.isArray(v)) return v.map((x) => sensitiveAsBool(x, schema, sensitive, path));
  if (isObj(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0))) {
      const a = schema?.[k];
      let b: unknown;
      if (sensitive.has(`${path}${k}`) && x !== null) b = true;
      else if (x === U) {
        const kind = kindOf(a);
        b = kind === "list" || kind === "blocks" ? [] : kind === "map" || kind === "object" ? {} : false;
      } else b = sensitiveAsBool(x, a?.n, sensitive, `${path}${k}.`);
      if (b !== false) out[k] = b;
    }
    return out;
  }
  return false;
}

// ---------- IAM policy documents (data.aws_iam_policy_document) ----------

const one = (xs: unknown[]): unknown => (xs.length === 1 ? xs[0] : xs);

/** The `json` the provider renders for a policy document whose statements are known. */
export function renderPolicyDocument(value: Record<string, unknown>, minified = false): string {
  const st = (value.statement as Record<string, unknown>[]).map((s) => {
    const o: Record<string, unknown> = {};
    if (s.sid) o.Sid = s.sid;
    o.Effect = s.effect ?? "Allow";
    if (Array.isArray(s.actions) && s.actions.length) o.Action = one([...s.actions].sort().reverse());
    if (Array.isArray(s.not_actions) && s.not_actions.length) o.NotAction = one([...s.not_actions].sort().reverse());
    if (Array.isArray(s.resources) && s.resources.length) o.Resource = one([...s.resources].sort().reverse());
    if (Array.isArray(s.not_resources) && s.not_resources.length) o.NotResource = one(s.not_resources);
    const principals = (s.principals as Record<string, unknown>[] | undefined) ?? [];
    if (principals.length) {
      const p: Record<string, unknown> = {};
      for (const x of principals) p[x.type as string] = one(x.identifiers as unknown[]);
      o.Principal = p.AWS === "*" && Object.keys(p).length === 1 ? "*" : p;
    }
    const conds = (s.condition as Record<string, unknown>[] | undefined) ?? [];
    if (conds.length) {
      const c: Record<string, Record<string, unknown>> = {};
      for (const x of conds) (c[x.test as string] ??= {})[x.variable as string] = one(x.values as unknown[]);
      o.Condition = c;
    }
    return o;
  });
  const doc = { Version: value.version ?? "2012-10-17", Statement: st };
  return minified ? JSON.stringify(doc) : JSON.stringify(doc, null, 2);
}

/** `jsonencode(...)` of an HCL object: keys sorted, no spaces. */
export function jsonencode(v: unknown): string {
  const sortDeep = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sortDeep)
      : isObj(x)
        ? sortKeys(Object.fromEntries(Object.entries(x).map(([k, y]) => [k, sortDeep(y)])))
        : x;
  return JSON.stringify(sortDeep(v));
}

/** `jsonencode(f(...))` computed lazily: unknown when any value inside is unknown. */
export function jsonencodeOf(f: Lazy): { __lazy: Lazy } {
  return lazy((key, resolve) => {
    const v = f(key, resolve);
    return hasUnknown(v) ? U : jsonencode(v);
  });
}

function hasUnknown(v: unknown): boolean {
  if (v === U) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (isObj(v)) return Object.values(v).some(hasUnknown);
  return false;
}

// ---------- configuration expressions ----------

function collectRefs(v: unknown, acc: { refs: string[]; call: boolean }): void {
  if (isEx(v)) {
    acc.refs.push(...v.refs);
    if (v.call) acc.call = true;
  } else if (Array.isArray(v)) for (const x of v) collectRefs(x, acc);
  else if (isObj(v)) for (const x of Object.values(v)) collectRefs(x, acc);
}

function expression(v: unknown, key: Key | undefined): Record<string, unknown> {
  const acc = { refs: [] as string[], call: false };
  collectRefs(v, acc);
  if (acc.refs.length) return { references: acc.refs.flatMap(referencesOf) };
  if (acc.call) return {};
  return { constant_value: evalWith(v, key, noResolve) };
}

function expressions(schema: Schema, cfg: Cfg): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, c] of Object.entries(cfg)) {
    const a = schema[name];
    const kind = kindOf(a);
    if (isDynamic(c)) continue;
    if ((kind === "blocks" || kind === "object") && a?.n && !isEx(c)) {
      const list = kind === "object" && !Array.isArray(c) ? [c as Cfg] : (c as Cfg[]);
      const exprs = list.map((b) => expressions(a.n as Schema, b));
      out[name] = kind === "object" ? exprs[0] : exprs;
    } else out[name] = expression(c, undefined);
  }
  return out;
}

// ---------- the plan ----------

interface Instance {
  res: Res;
  address: string;
  moduleAddress: string | null;
  index?: Key;
  value: Record<string, unknown>;
  schema: Schema;
}

function providerOf(spec: PlanSpec, key: string): Provider {
  const p = spec.providers.find((x) => x.key === key);
  if (!p) throw new Error(`no provider configuration ${key}`);
  return p;
}

function localName(p: Provider): string {
  return p.name ?? p.key.replace(/^.*:/, "").split(".")[0];
}

function instanceKeysOfModule(spec: PlanSpec, path: string): string[] {
  // Expands a module path with the keys of each call on it: module.a.module.b -> module.a[0].module.b, ...
  const parts = path.split(".module.").map((p, i) => (i === 0 ? p : `module.${p}`));
  let prefixes = [""];
  let sofar = "";
  for (const part of parts) {
    sofar = sofar ? `${sofar}.${part}` : part;
    const call = spec.modules?.find((m) => m.path === sofar);
    const keys = call?.keys;
    const next: string[] = [];
    for (const pre of prefixes) {
      const base = pre ? `${pre}.${part}` : part;
      if (keys?.length) for (const k of keys) next.push(`${base}[${typeof k === "number" ? k : JSON.stringify(k)}]`);
      else next.push(base);
    }
    prefixes = next;
  }
  return prefixes;
}

interface Slot {
  res: Res;
  address: string;
  moduleAddress: string | null;
  key: Key | undefined;
  value?: Record<string, unknown>;
  busy?: boolean;
}

/** Plans every instance, resolving references between them the way Terraform evaluates them. */
class Planner {
  readonly slots: Slot[] = [];
  private readonly byAddress = new Map<string, Slot>();

  constructor(private readonly spec: PlanSpec) {
    for (const res of spec.resources) {
      const keys: (Key | undefined)[] =
        res.count !== undefined ? [...Array(res.count).keys()] : (res.forEach ?? [undefined]);
      const modules = res.module ? instanceKeysOfModule(spec, res.module) : [null];
      for (const mod of modules)
        for (const key of keys) {
          const local = `${res.data ? "data." : ""}${res.type}.${res.name}${keySuffix(key)}`;
          const slot: Slot = { res, address: mod ? `${mod}.${local}` : local, moduleAddress: mod, key };
          if (this.byAddress.has(slot.address)) throw new Error(`duplicate address ${slot.address}`);
          this.byAddress.set(slot.address, slot);
          this.slots.push(slot);
        }
    }
  }

  /** A resolver for expressions evaluated in a module instance (null: root) for an instance key. */
  resolver(moduleAddress: string | null, key: Key | undefined, res?: Res): Resolve {
    return (t) => this.resolve(t, moduleAddress, key, res);
  }

  private resolve(t: string, moduleAddress: string | null, key: Key | undefined, res?: Res): unknown {
    const s = steps(t);
    let base: unknown;
    let rest: string[];
    const modulePath = moduleAddress ? moduleAddress.replace(/\[[^\]]*\]/g, "") : null;
    switch (s[0]) {
      case "var": {
        rest = s.slice(2);
        if (!moduleAddress) {
          const v = this.spec.variables?.[s[1]];
          if (!v) throw new Error(`undeclared variable ${s[1]}`);
          base = v.value;
        } else {
          const call = this.spec.modules?.find((m) => m.path === modulePath);
          if (!call) throw new Error(`no module call ${modulePath}`);
          const parent = moduleAddress.replace(/\.?module\.[^.]+(\[[^\]]*\])?$/, "") || null;
          const own = /\[([^\]]*)\]$/.exec(moduleAddress);
          const callKey = own ? (JSON.parse(own[1]) as Key) : undefined;
          if (s[1] in call.inputs) base = evalWith(call.inputs[s[1]], callKey, this.resolver(parent, callKey));
          else if (call.defaults && s[1] in call.defaults) base = call.defaults[s[1]];
          else throw new Error(`module ${modulePath} has no input ${s[1]}`);
        }
        break;
      }
      case "each":
        rest = s.slice(2);
        if (s[1] === "key") base = key;
        else if (res?.forEachValues && typeof key === "string") base = res.forEachValues[key];
        else throw new Error(`give the value of ${t}`);
        break;
      case "count":
        rest = [];
        base = key;
        break;
      case "module": {
        const keyed = s[2]?.startsWith("[");
        const callAddr = `${moduleAddress ? `${moduleAddress}.` : ""}${join(s.slice(0, keyed ? 3 : 2))}`;
        const callPath = `${modulePath ? `${modulePath}.` : ""}${join(s.slice(0, 2))}`;
        const call = this.spec.modules?.find((m) => m.path === callPath);
        const out = call?.outputs?.[s[keyed ? 3 : 2]];
        if (!out) throw new Error(`module ${callPath} has no output ${s[keyed ? 3 : 2]}`);
        base = evalWith(out, undefined, this.resolver(callAddr, undefined));
        rest = s.slice(keyed ? 4 : 3);
        break;
      }
      case "local":
      case "path":
      case "terraform":
      case "self":
        throw new Error(`give the value of ${t}`);
      default: {
        const n = s[0] === "data" ? 3 : 2;
        const keyed = s[n]?.startsWith("[");
        const addr = `${moduleAddress ? `${moduleAddress}.` : ""}${join(s.slice(0, keyed ? n + 1 : n))}`;
        const target = this.byAddress.get(addr);
        if (!target) {
          if ([...this.byAddress.keys()].some((a) => a.startsWith(`${addr}[`))) return U;
          throw new Error(`reference to ${addr}, which the scenario does not declare`);
        }
        base = this.value(target);
        rest = s.slice(keyed ? n + 1 : n);
      }
    }
    let v = base;
    for (const st of rest) {
      if (v === U) return U;
      if (v === null || v === undefined) return U;
      const k = st.startsWith("[") ? (JSON.parse(st.slice(1, -1)) as Key) : st;
      if (Array.isArray(v)) v = v[k as number];
      else if (isObj(v)) {
        if (!(k in v) && typeof k === "string" && !st.startsWith("[")) throw new Error(`${t}: no attribute ${k}`);
        v = v[k as string];
      } else return U;
    }
    return v === undefined ? U : v;
  }

  /** The planned value of a slot (with U where unknown). */
  value(slot: Slot): Record<string, unknown> {
    if (slot.value) return slot.value;
    if (slot.busy) throw new Error(`reference cycle through ${slot.address}`);
    slot.busy = true;
    const res = slot.res;
    const type = res.data ? `data.${res.type}` : res.type;
    const schema = SCHEMAS[type];
    if (!schema) throw new Error(`no schema for ${type}`);
    const prov = providerOf(this.spec, providerKeyOf(this.spec, res));
    const root = this.resolver(null, undefined);
    const region = evalWith(prov.region, undefined, root) as string;
    const dt = prov.defaultTags === undefined ? {} : evalWith(prov.defaultTags, undefined, root);
    idCounter++;
    const ctx: Ctx = {
      key: slot.key,
      resolve: this.resolver(slot.moduleAddress, slot.key, res),
      type,
      region,
      defaultTags: (dt === U || hasUnknown(dt) ? U : dt) as Record<string, string> | Unknown,
      forceUnknown: new Set(res.unknown ?? []),
      known: res.known ?? {},
      existing: res.action !== undefined && res.action !== "create",
      data: !!res.data,
    };
    const value = bodyValue(schema, res.cfg, ctx, true, "");
    if (res.data && !res.deferred && hasUnknown(stripComputed(value, schema)))
      res.deferred = "read_because_config_unknown";
    if (res.data && res.deferred) {
      // A data source read during apply: its computed attributes are unknown.
      for (const [k, a] of Object.entries(schema))
        if (a.f === "c" || (a.f === "co" && !(k in res.cfg) && k !== "region")) value[k] = U;
    }
    if (res.type === "aws_iam_policy_document" && res.data && !res.deferred) {
      value.json = renderPolicyDocument(value);
      value.minified_json = renderPolicyDocument(value, true);
      value.id = String(fakeId(value.json as string, 10));
    }
    slot.value = value;
    slot.busy = false;
    return value;
  }

  instances(): Instance[] {
    return this.slots.map((slot) => {
      const type = slot.res.data ? `data.${slot.res.type}` : slot.res.type;
      return {
        res: slot.res,
        address: slot.address,
        moduleAddress: slot.moduleAddress,
        index: slot.key,
        value: this.value(slot),
        schema: SCHEMAS[type],
      };
    });
  }
}

/** The configuration-set part of a data source's value (computed attributes removed). */
function stripComputed(value: Record<string, unknown>, schema: Schema): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).filter(([k]) => !schema[k]?.f.startsWith("c") || schema[k]?.f === "co"),
  );
}

function keySuffix(key: Key | undefined): string {
  return key === undefined ? "" : typeof key === "number" ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

function providerKeyOf(spec: PlanSpec, r: Res): string {
  return (
    r.provider ?? (r.module && spec.providers.some((p) => p.key === `${r.module}:aws`) ? `${r.module}:aws` : "aws")
  );
}

function plannedResource(i: Instance, values: unknown, sensitive: unknown): Record<string, unknown> {
  const o: Record<string, unknown> = {
    address: i.address,
    mode: i.res.data ? "data" : "managed",
    type: i.res.type,
    name: i.res.name,
  };
  if (i.index !== undefined) o.index = i.index;
  o.provider_name = providerFqn(i.res.type);
  o.schema_version = SCHEMA_VERSIONS[i.res.data ? `data.${i.res.type}` : i.res.type] ?? 0;
  o.values = values;
  o.sensitive_values = sensitive;
  return o;
}

function providerFqn(type: string): string {
  return FQN[type.split("_")[0]] ?? AWS_FQN;
}

interface ModuleTree {
  resources: Record<string, unknown>[];
  children: Map<string, ModuleTree>;
}

function placeIn(tree: ModuleTree, moduleAddress: string | null, r: Record<string, unknown>): void {
  if (!moduleAddress) {
    tree.resources.push(r);
    return;
  }
  // module.a[0].module.b -> ["module.a[0]", "module.a[0].module.b"]
  const parts = moduleAddress.split(/\.(?=module\.)/);
  let node = tree;
  let sofar = "";
  for (const p of parts) {
    sofar = sofar ? `${sofar}.${p}` : p;
    let child = node.children.get(sofar);
    if (!child) {
      child = { resources: [], children: new Map() };
      node.children.set(sofar, child);
    }
    node = child;
  }
  node.resources.push(r);
}

function treeJson(tree: ModuleTree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (tree.resources.length)
    out.resources = [...tree.resources].sort((a, b) => ((a.address as string) < (b.address as string) ? -1 : 1));
  if (tree.children.size)
    out.child_modules = [...tree.children.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([address, t]) => ({ ...treeJson(t), address }));
  return out;
}

function depsOf(spec: PlanSpec, res: Res): string[] {
  const acc = { refs: [] as string[], call: false };
  collectRefs(res.cfg, acc);
  const deps = new Set<string>();
  for (const t of acc.refs) {
    const s = steps(t);
    if (["var", "local", "each", "count", "path", "terraform", "self"].includes(s[0])) continue;
    const base = s[0] === "data" ? join(s.slice(0, 3)) : s[0] === "module" ? join(s.slice(0, 2)) : join(s.slice(0, 2));
    deps.add(res.module ? `${res.module}.${base}` : base);
  }
  for (const d of res.dependsOn ?? []) deps.add(res.module ? `${res.module}.${d}` : d);
  void spec;
  return [...deps].sort();
}

/** Builds the complete plan document. */
export function buildPlan(spec: PlanSpec): Record<string, unknown> {
  idCounter = 0;
  const tfv = spec.terraformVersion ?? "1.10.5";
  const planned: ModuleTree = { resources: [], children: new Map() };
  const prior: ModuleTree = { resources: [], children: new Map() };
  const changes: Record<string, unknown>[] = [];
  const relevant: { resource: string; attribute: string[] }[] = [];
  const planner = new Planner(spec);
  const all = planner.instances();
  const sensitiveOf = (i: Instance): Set<string> => new Set(SENSITIVE[i.res.type] ?? []);

  for (const i of all) {
    const after = omitUnknowns(i.value);
    const afterUnknown = unknownAsBool(i.value);
    const afterSensitive = sensitiveAsBool(i.value, i.schema, sensitiveOf(i), "");
    if (i.res.data && !i.res.deferred) {
      const r = plannedResource(i, after, afterSensitive);
      const deps = depsOf(spec, i.res).filter((d) => !d.startsWith("data.") && !d.includes(".data."));
      if (i.res.dependsOn?.length && deps.length) r.depends_on = deps;
      placeIn(prior, i.moduleAddress, r);
      continue;
    }
    const existing = !i.res.data && i.res.action !== undefined && i.res.action !== "create";
    let actions: string[];
    if (i.res.data) actions = ["read"];
    else if (i.res.action === "no-op") actions = ["no-op"];
    else if (i.res.action === "update") actions = ["update"];
    else if (i.res.action === "replace") actions = ["delete", "create"];
    else if (i.res.action === "replace-cbd") actions = ["create", "delete"];
    else if (i.res.action === "delete") actions = ["delete"];
    else actions = ["create"];
    let before: unknown = null;
    if (existing) {
      const b = { ...(after as Record<string, unknown>), ...(i.res.before ?? {}) };
      before = b;
      const priorValues = b;
      const pr = plannedResource(i, priorValues, sensitiveAsBool(priorValues, i.schema, sensitiveOf(i), ""));
      const deps = depsOf(spec, i.res);
      if (deps.length) pr.depends_on = deps;
      placeIn(prior, i.moduleAddress, pr);
    }
    const deleted = i.res.action === "delete";
    if (!deleted) placeIn(planned, i.moduleAddress, plannedResource(i, after, afterSensitive));
    const rc: Record<string, unknown> = { address: i.address };
    if (i.moduleAddress) rc.module_address = i.moduleAddress;
    rc.mode = i.res.data ? "data" : "managed";
    rc.type = i.res.type;
    rc.name = i.res.name;
    if (i.index !== undefined) rc.index = i.index;
    rc.provider_name = providerFqn(i.res.type);
    rc.change = {
      actions,
      before,
      after: deleted ? null : after,
      after_unknown: deleted ? {} : afterUnknown,
      before_sensitive: existing ? sensitiveAsBool(before, i.schema, sensitiveOf(i), "") : false,
      after_sensitive: deleted ? false : afterSensitive,
    };
    if (i.res.deferred) rc.action_reason = i.res.deferred;
    if (deleted) rc.action_reason = "delete_because_no_resource_config";
    if (i.res.action === "replace" || i.res.action === "replace-cbd")
      (rc.change as Record<string, unknown>).replace_paths = [i.res.replacePaths ?? ["instance_type"]];
    changes.push(rc);
  }
  changes.sort((a, b) => ((a.address as string) < (b.address as string) ? -1 : 1));

  // relevant_attributes: attributes of objects in the prior state that the configuration reads.
  const priorAddrs = new Set(
    all
      .filter((i) => (i.res.data && !i.res.deferred) || (i.res.action && i.res.action !== "create"))
      .map((i) => i.address.replace(/\[[^\]]*\]$/, "")),
  );
  const seen = new Set<string>();
  for (const r of spec.resources) {
    const acc = { refs: [] as string[], call: false };
    collectRefs(r.cfg, acc);
    for (const t of acc.refs) {
      const s = steps(t);
      if (["var", "local", "each", "count", "path", "terraform", "self", "module"].includes(s[0])) continue;
      const n = s[0] === "data" ? 3 : 2;
      const base = (r.module ? `${r.module}.` : "") + join(s.slice(0, n));
      if (!priorAddrs.has(base)) continue;
      const rest = s.slice(n).filter((x) => !x.startsWith("["));
      if (!rest.length) continue;
      const key = `${base}|${rest[0]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      relevant.push({ resource: base, attribute: [rest[0]] });
    }
  }
  relevant.sort((a, b) => (a.resource + a.attribute[0] < b.resource + b.attribute[0] ? -1 : 1));

  const plan: Record<string, unknown> = { format_version: "1.2", terraform_version: tfv };
  if (spec.variables && Object.keys(spec.variables).length)
    plan.variables = sortKeys(
      Object.fromEntries(Object.entries(spec.variables).map(([k, v]) => [k, { value: v.value }])),
    );
  const pv = treeJson(planned);
  const outputs = spec.outputs ? outputValues(spec.outputs, planner.resolver(null, undefined)) : undefined;
  plan.planned_values = outputs ? { outputs: outputs.planned, root_module: pv } : { root_module: pv };
  plan.resource_changes = changes;
  if (outputs) plan.output_changes = outputs.changes;
  const priorJson = treeJson(prior);
  if (priorJson.resources || priorJson.child_modules)
    plan.prior_state = { format_version: "1.0", terraform_version: tfv, values: { root_module: priorJson } };
  plan.configuration = configuration(spec);
  if (relevant.length) plan.relevant_attributes = relevant;
  plan.timestamp = spec.timestamp ?? "2026-12-07T09:12:44Z";
  plan.applyable = true;
  plan.complete = true;
  plan.errored = false;
  if (spec.opentofu)
    return JSON.parse(JSON.stringify(plan).replaceAll("registry.terraform.io/", "registry.opentofu.org/")) as Record<
      string,
      unknown
    >;
  return plan;
}

function outputValues(
  outputs: Record<string, Ex>,
  resolve: Resolve,
): { planned: Record<string, unknown>; changes: Record<string, unknown> } {
  const planned: Record<string, unknown> = {};
  const changes: Record<string, unknown> = {};
  for (const [k, ex] of Object.entries(outputs)) {
    const v = evalWith(ex, undefined, resolve);
    planned[k] = v === U ? { sensitive: false } : { sensitive: false, value: v, type: "string" };
    changes[k] = {
      actions: ["create"],
      before: null,
      ...(v === U ? {} : { after: v }),
      after_unknown: v === U,
      before_sensitive: false,
      after_sensitive: false,
    };
  }
  return { planned: sortKeys(planned), changes: sortKeys(changes) };
}

function configuration(spec: PlanSpec): Record<string, unknown> {
  const providerConfig: Record<string, unknown> = {};
  for (const p of spec.providers) {
    const name = localName(p);
    const [modulePart, local] = p.key.includes(":") ? p.key.split(":") : [null, p.key];
    const alias = local.includes(".") ? local.split(".")[1] : undefined;
    const exprs: Record<string, unknown> = {};
    exprs.region = expression(p.region, undefined);
    if (p.defaultTags !== undefined) exprs.default_tags = [{ tags: expression(p.defaultTags, undefined) }];
    for (const [k, v] of Object.entries(p.extra ?? {}))
      exprs[k] = Array.isArray(v) ? v.map((b) => rawExprs(b as Cfg)) : expression(v, undefined);
    const pc: Record<string, unknown> = { name, full_name: FQN[name] ?? AWS_FQN };
    if (alias) pc.alias = alias;
    if (modulePart) pc.module_address = modulePart;
    pc.version_constraint = p.version ?? VERSIONS[name] ?? "~> 6.0";
    pc.expressions = sortKeys(exprs);
    providerConfig[p.key] = pc;
  }
  const root = moduleConfig(spec, null);
  if (spec.variables) {
    root.variables = sortKeys(
      Object.fromEntries(
        Object.entries(spec.variables).map(([k, v]) => {
          const d: Record<string, unknown> = {};
          if (v.default !== undefined) d.default = v.default;
          if (v.description) d.description = v.description;
          if (v.sensitive) d.sensitive = true;
          return [k, d];
        }),
      ),
    );
  }
  return { provider_config: sortKeys(providerConfig), root_module: root };
}

function rawExprs(cfg: Cfg): Record<string, unknown> {
  return Object.fromEntries(Object.entries(cfg).map(([k, v]) => [k, expression(v, undefined)]));
}

function moduleConfig(spec: PlanSpec, path: string | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (path === null && spec.outputs)
    out.outputs = sortKeys(
      Object.fromEntries(Object.entries(spec.outputs).map(([k, ex]) => [k, { expression: expression(ex, undefined) }])),
    );
  const call = path ? spec.modules?.find((m) => m.path === path) : undefined;
  if (call?.outputs)
    out.outputs = sortKeys(
      Object.fromEntries(Object.entries(call.outputs).map(([k, ex]) => [k, { expression: expression(ex, undefined) }])),
    );
  const rs = spec.resources
    .filter((r) => (r.module ?? null) === path && r.action !== "delete")
    .map((r) => {
      const schema = SCHEMAS[r.data ? `data.${r.type}` : r.type];
      const provKey = providerKeyOf(spec, r);
      const c: Record<string, unknown> = {
        address: `${r.data ? "data." : ""}${r.type}.${r.name}`,
        mode: r.data ? "data" : "managed",
        type: r.type,
        name: r.name,
        provider_config_key: providerFqn(r.type) === AWS_FQN ? provKey : r.type.split("_")[0],
        expressions: sortKeys(expressions(schema, r.cfg)),
        schema_version: SCHEMA_VERSIONS[r.data ? `data.${r.type}` : r.type] ?? 0,
      };
      if (r.count !== undefined) c.count_expression = expression(r.countExpr ?? r.count, undefined);
      if (r.forEach !== undefined) c.for_each_expression = expression(r.forEachExpr ?? fn(U, "local.items"), undefined);
      if (r.dependsOn?.length) c.depends_on = r.dependsOn;
      return c;
    })
    .sort((a, b) => ((a.address as string) < (b.address as string) ? -1 : 1));
  if (rs.length) out.resources = rs;
  const prefix = path ? `${path}.module.` : "module.";
  const calls = (spec.modules ?? []).filter(
    (m) => m.path.startsWith(prefix) && !m.path.slice(prefix.length).includes("."),
  );
  if (calls.length) {
    out.module_calls = sortKeys(
      Object.fromEntries(
        calls.map((m) => {
          const name = m.path.slice(prefix.length);
          const mc: Record<string, unknown> = { source: m.source };
          mc.expressions = sortKeys(
            Object.fromEntries(Object.entries(m.inputs).map(([k, v]) => [k, expression(v, undefined)])),
          );
          if (m.countExpr !== undefined) mc.count_expression = expression(m.countExpr, undefined);
          if (m.forEachExpr !== undefined) mc.for_each_expression = expression(m.forEachExpr, undefined);
          const inner = moduleConfig(spec, m.path);
          const vars: Record<string, unknown> = {};
          for (const k of Object.keys(m.inputs)) vars[k] = {};
          for (const [k, d] of Object.entries(m.defaults ?? {})) vars[k] = { default: d };
          inner.variables = sortKeys(vars);
          mc.module = inner;
          if (m.version) mc.version_constraint = m.version;
          return [name, mc];
        }),
      ),
    );
  }
  return out;
}
