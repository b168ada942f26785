// Reader for `terraform show -json <planfile>` output (plan format 0.x and 1.x).
//
// Linear by construction: configuration resources, module calls and resource instances are
// indexed by address once; references are resolved per configuration resource and module
// instance (memoised), then expanded to instances through the index.

import { InputError } from "../core/errors";
import {
  formatKey,
  formatModule,
  joinAddress,
  moduleConfigKey,
  parseInstanceAddress,
  resourcePart,
  splitAddress,
  type InstanceAddress,
  type Step,
  type StepKey,
} from "./address";
import {
  cloudOfProvider,
  impliedProvider,
  noProviderRegionDetail,
  normaliseRegion,
  providerLocationArgs,
  resourceLocationArgs,
  unresolved,
} from "./location";
import { buildGraph } from "./graph";
import {
  INPUT_SCHEMA_VERSION,
  type ChangeAction,
  type Cloud,
  type GuardInput,
  type Reference,
  type ResolvedLocation,
  type ResourceEntry,
} from "./types";
import { describe, expectObject, expectString, isObject, tagMap, type Json } from "./util";

/** `.name`, or `["odd name"]` for a key that is not a plain identifier, so an error location reads unambiguously. */
function member(name: string): string {
  return /^[A-Za-z_][\w-]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** Plan format majors this reader understands. */
export const SUPPORTED_PLAN_FORMAT_MAJORS = [0, 1];

interface ModuleCfg {
  /** Configuration address: `module.a.module.b`, "" for root. */
  key: string;
  body: Json;
  /** The module call in the parent (expressions for input variables); null for root. */
  call: Json | null;
  parent: ModuleCfg | null;
}

interface FoundProvider {
  key: string;
  config: Json;
  inherited: boolean;
  /** Set when inheritance is uncertain: the ancestor also has aliases the module may have been given. */
  ambiguous?: string[];
}

interface ConfigResource {
  body: Json;
  mod: ModuleCfg;
  where: string;
  /** The resolved references of its expressions in the root context, once computed. */
  rootAttrs?: AttrTargets[];
}

/** The targets the references of one attribute resolve to. */
interface AttrTargets {
  attribute: string;
  targets: Target[];
}

interface Draft {
  address: string;
  parsed: InstanceAddress;
  action: ChangeAction;
  values: Json;
  unknown: string[];
  providerName: string | null;
  previousAddress: string | null;
}

/** A module instance context: keys undefined when any instance matches. */
type Ctx = { name: string; key: string | number | null | undefined }[];

/** Instances of a target's configuration resource in its module context. */
interface Expansion {
  all: string[];
  /** Instances by key; null when none has one. */
  byKey: Map<string | number, string> | null;
}

interface Target {
  /** `aws_x.y` or `data.aws_x.y` relative to ctx, or a full address when `raw`. */
  rel: string;
  ctx: Ctx;
  key: StepKey | null;
  pair: boolean;
  raw: boolean;
  expansion?: Expansion;
}

const ROOT_CTX: Ctx = [];

const IGNORED_ROOTS = new Set(["local", "each", "count", "path", "self", "terraform", "ephemeral", "action"]);

/** True when the document looks like a plan (`format_version` plus a plan section). */
export function looksLikePlan(doc: Json): boolean {
  return (
    typeof doc.format_version === "string" &&
    ("planned_values" in doc || "resource_changes" in doc || "configuration" in doc)
  );
}

/**
 * Converts a parsed plan JSON document into a GuardInput; throws InputError on anything it
 * cannot trust. Value objects of the plan are reused (not copied) to keep large plans cheap.
 */
export function readPlan(doc: Json, file: string, stack: string | null = null): GuardInput {
  checkHeader(doc, file);
  const reader = new PlanReader(doc, file);
  const list = reader.entries();
  const resources: Record<string, ResourceEntry> = {};
  for (const e of list) resources[e.address] = e;
  return {
    schema_version: INPUT_SCHEMA_VERSION,
    source: {
      kind: "terraform-plan",
      file,
      stack,
      terraform_version: typeof doc.terraform_version === "string" ? doc.terraform_version : null,
      format_version: doc.format_version as string,
    },
    resources,
    ...buildGraph(resources, "terraform-plan", list),
  };
}

function checkHeader(doc: Json, file: string): void {
  const fv = expectString(doc.format_version, file, "format_version", "format_version");
  const m = /^(\d+)\.(\d+)$/.exec(fv);
  if (!m) throw new InputError(`format_version "${fv}" is not MAJOR.MINOR`, file, "format_version");
  if (!SUPPORTED_PLAN_FORMAT_MAJORS.includes(Number(m[1]))) {
    throw new InputError(
      `unsupported plan format_version "${fv}" (this reader understands ${SUPPORTED_PLAN_FORMAT_MAJORS.map((x) => `${x}.x`).join(" and ")})`,
      file,
      "format_version",
    );
  }
  if (doc.errored === true) {
    throw new InputError(
      "the plan errored (errored = true): Terraform could not finish planning, so it cannot be judged",
      file,
      "errored",
    );
  }
  if (doc.complete === false) {
    throw new InputError(
      "the plan is incomplete (complete = false): some changes were deferred, so resources may be missing",
      file,
      "complete",
    );
  }
  if (!("planned_values" in doc) && !("resource_changes" in doc)) {
    throw new InputError(
      "not a plan: it has neither planned_values nor resource_changes (a state from `terraform show -json` without a plan file is not accepted)",
      file,
    );
  }
}

/** A place in the document, spelled out only when an error needs it: `at(".address")`. */
type Where = (field: string) => string;

function placeOf(where: string | Where, field: string): string {
  return typeof where === "string" ? where + field : where(field);
}

/** Maps Terraform's change actions to one ChangeAction (`where` + `field` names the place in errors). */
export function mapActions(actions: unknown, file: string, where: string | Where, field = ""): ChangeAction {
  if (!Array.isArray(actions) || actions.some((a) => typeof a !== "string")) {
    throw new InputError(
      `actions must be an array of strings, found ${describe(actions)}`,
      file,
      placeOf(where, field),
    );
  }
  const key = (actions as string[]).join(",");
  switch (key) {
    case "create":
    case "delete":
    case "update":
    case "read":
    case "no-op":
      return key;
    case "delete,create":
    case "create,delete":
      return "replace";
    // `removed { lifecycle { destroy = false } }`: Terraform stops managing the object.
    case "forget":
      return "delete";
    default:
      throw new InputError(`unknown change actions [${key}]`, file, placeOf(where, field));
  }
}

class PlanReader {
  private readonly modules = new Map<string, ModuleCfg>();
  private readonly configResources = new Map<string, ConfigResource>();
  private readonly providerConfigs: Json;
  private readonly variables: Json;
  private readonly drafts = new Map<string, Draft>();
  /** The drafts in plan order (iterating the Map allocates an entry per step before the JIT kicks in). */
  private readonly order: Draft[] = [];
  /** Configuration address (`module.a.aws_x.y`) -> its instances. */
  private readonly instances = new Map<string, Draft[]>();
  private readonly targetMemo = new Map<string, Target[]>();
  private readonly refMemo = new Map<string, AttrTargets[]>();
  /** Reference strings split once: the same strings recur across resources and expressions. */
  private readonly steps = new Map<string, RefSteps>();
  private readonly expandMemo = new Map<string, Expansion>();
  private readonly inProgress = new Set<string>();
  /** Provider key -> cloud -> the location its configuration gives. */
  private readonly providerMemo = new Map<string, Map<Cloud, ResolvedLocation>>();
  private readonly foundProviders = new Map<string, FoundProvider | null>();

  constructor(
    private readonly doc: Json,
    private readonly file: string,
  ) {
    const configuration =
      doc.configuration === undefined ? {} : expectObject(doc.configuration, file, "configuration", "configuration");
    this.providerConfigs =
      configuration.provider_config === undefined
        ? {}
        : expectObject(configuration.provider_config, file, "configuration.provider_config", "provider_config");
    this.variables = doc.variables === undefined ? {} : expectObject(doc.variables, file, "variables", "variables");
    const root =
      configuration.root_module === undefined
        ? {}
        : expectObject(configuration.root_module, file, "configuration.root_module", "root_module");
    this.walkConfig(root, "", null, null, "configuration.root_module");
    this.collectChanges();
    this.collectPlanned();
    this.collectPriorData();
  }

  private walkConfig(body: Json, key: string, call: Json | null, parent: ModuleCfg | null, where: string): void {
    const mod: ModuleCfg = { key, body, call, parent };
    this.modules.set(key, mod);
    if (body.resources !== undefined) {
      if (!Array.isArray(body.resources))
        throw new InputError(
          `resources must be an array, found ${describe(body.resources)}`,
          this.file,
          `${where}.resources`,
        );
      body.resources.forEach((r, i) => {
        const w = `${where}.resources[${i}]`;
        const res = expectObject(r, this.file, w, "configuration resource");
        const addr = expectString(res.address, this.file, `${w}.address`, "address");
        this.configResources.set(joinAddress(key, addr), { body: res, mod, where: w, rootAttrs: undefined });
      });
    }
    if (body.module_calls !== undefined) {
      const calls = expectObject(body.module_calls, this.file, `${where}.module_calls`, "module_calls");
      for (const [name, c] of Object.entries(calls)) {
        const w = `${where}.module_calls${member(name)}`;
        const callBody = expectObject(c, this.file, w, "module call");
        const inner =
          callBody.module === undefined ? {} : expectObject(callBody.module, this.file, `${w}.module`, "module");
        this.walkConfig(inner, joinAddress(key, `module.${name}`), callBody, mod, `${w}.module`);
      }
    }
  }

  private addDraft(d: Draft, where: string | Where): void {
    if (this.drafts.has(d.address))
      throw new InputError(`duplicate resource address ${d.address}`, this.file, placeOf(where, ".address"));
    this.drafts.set(d.address, d);
    this.order.push(d);
    const part = resourcePart(d.parsed.mode, d.parsed.type, d.parsed.name);
    const cfg = d.parsed.modules.length === 0 ? part : joinAddress(moduleConfigKey(d.parsed.modules), part);
    const list = this.instances.get(cfg);
    if (list) list.push(d);
    else this.instances.set(cfg, [d]);
  }

  private parseAddress(address: string, where: string): InstanceAddress {
    const parsed = parseInstanceAddress(address);
    if (!parsed) throw new InputError(`cannot read resource address "${address}"`, this.file, where);
    return parsed;
  }

  private collectChanges(): void {
    const rcs = this.doc.resource_changes;
    if (rcs === undefined) return;
    if (!Array.isArray(rcs))
      throw new InputError(`resource_changes must be an array, found ${describe(rcs)}`, this.file, "resource_changes");
    for (let i = 0; i < rcs.length; i++) {
      // Places are spelled out only for an error: one string per field and resource adds up on large plans.
      const at = (field: string) => `resource_changes[${i}]${field}`;
      const item = rcs[i];
      const rc = isObject(item) ? item : expectObject(item, this.file, at(""), "resource change");
      const address =
        typeof rc.address === "string" && rc.address !== ""
          ? rc.address
          : expectString(rc.address, this.file, at(".address"), "address");
      // A deposed object is an older copy being destroyed beside the current one at the same address.
      if (rc.deposed !== undefined) continue;
      const parsed = parseInstanceAddress(address) ?? this.parseAddress(address, at(".address"));
      checkParts(rc, parsed, this.file, at);
      const change = isObject(rc.change) ? rc.change : expectObject(rc.change, this.file, at(".change"), "change");
      const action = mapActions(change.actions, this.file, at, ".change.actions");
      let values: Json;
      let unknown: string[] = [];
      if (action === "delete") {
        values = isObject(change.before) ? change.before : {};
      } else {
        values = isObject(change.after) ? change.after : {};
        unknown = flattenUnknown(change.after_unknown);
      }
      this.addDraft(
        {
          address,
          parsed,
          action,
          values,
          unknown,
          providerName: typeof rc.provider_name === "string" ? rc.provider_name : null,
          previousAddress: typeof rc.previous_address === "string" ? rc.previous_address : null,
        },
        at,
      );
    }
  }

  private collectPlanned(): void {
    const pv = this.doc.planned_values;
    if (pv === undefined) return;
    const planned = expectObject(pv, this.file, "planned_values", "planned_values");
    if (planned.root_module === undefined) return;
    this.walkValues(
      expectObject(planned.root_module, this.file, "planned_values.root_module", "root_module"),
      "planned_values.root_module",
      "",
      (res, address, at) => {
        const existing = this.drafts.get(address);
        const values = isObject(res.values) ? res.values : {};
        if (existing) {
          // planned_values and `after` hold the same known values; `after` wins where both exist.
          if (existing.action !== "delete") {
            for (const k in values) if (!(k in existing.values)) existing.values[k] = values[k];
          }
          return;
        }
        const parsed = parseInstanceAddress(address) ?? this.parseAddress(address, at(".address"));
        checkParts(res, parsed, this.file, at);
        this.addDraft(
          {
            address,
            parsed,
            action: "no-op",
            values,
            unknown: [],
            providerName: typeof res.provider_name === "string" ? res.provider_name : null,
            previousAddress: null,
          },
          at,
        );
      },
    );
  }

  // Data sources read while planning have no change entry; their values are in prior_state.
  private collectPriorData(): void {
    const ps = this.doc.prior_state;
    if (!isObject(ps) || !isObject(ps.values) || !isObject(ps.values.root_module)) return;
    this.walkValues(ps.values.root_module, "prior_state.values.root_module", "", (res, address, at) => {
      if (res.mode !== "data" || this.drafts.has(address)) return;
      const parsed = this.parseAddress(address, at(".address"));
      this.addDraft(
        {
          address,
          parsed,
          action: "read",
          values: isObject(res.values) ? res.values : {},
          unknown: [],
          providerName: typeof res.provider_name === "string" ? res.provider_name : null,
          previousAddress: null,
        },
        at,
      );
    });
  }

  private walkValues(
    mod: Json,
    where: string,
    moduleAddress: string,
    visit: (res: Json, address: string, at: Where) => void,
  ): void {
    if (mod.resources !== undefined) {
      if (!Array.isArray(mod.resources))
        throw new InputError(
          `resources must be an array, found ${describe(mod.resources)}`,
          this.file,
          `${where}.resources`,
        );
      mod.resources.forEach((r, i) => {
        const at = (field: string) => `${where}.resources[${i}]${field}`;
        const res = isObject(r) ? r : expectObject(r, this.file, at(""), "resource");
        let address =
          typeof res.address === "string" && res.address !== ""
            ? res.address
            : expectString(res.address, this.file, at(".address"), "address");
        // Terraform 0.12 wrote child-module resources in prior_state without their module prefix.
        if (moduleAddress && !address.startsWith(`${moduleAddress}.`)) address = `${moduleAddress}.${address}`;
        // ... and, in prior_state, counted instances without their key.
        if ((typeof res.index === "number" || typeof res.index === "string") && !address.endsWith("]"))
          address += formatKey(res.index);
        visit(res, address, at);
      });
    }
    if (mod.child_modules !== undefined) {
      if (!Array.isArray(mod.child_modules))
        throw new InputError(`child_modules must be an array`, this.file, `${where}.child_modules`);
      mod.child_modules.forEach((c, i) => {
        const w = `${where}.child_modules[${i}]`;
        const child = expectObject(c, this.file, w, "child module");
        const address = expectString(child.address, this.file, `${w}.address`, "module address");
        this.walkValues(child, w, address, visit);
      });
    }
  }

  /** Every resource entry, in the order the plan lists them. */
  entries(): ResourceEntry[] {
    const out: ResourceEntry[] = new Array(this.order.length);
    for (let i = 0; i < this.order.length; i++) out[i] = this.entry(this.order[i]);
    return out;
  }

  /** splitAddress of a reference, with its container info; memoised per string (callers must not mutate it). */
  private split = (ref: string): RefSteps => {
    let r = this.steps.get(ref);
    if (r === undefined) {
      const steps = splitAddress(ref);
      r = { steps, info: steps ? refInfo(steps) : null };
      this.steps.set(ref, r);
    }
    return r;
  };

  private entry(d: Draft): ResourceEntry {
    const p = d.parsed;
    const module = formatModule(p.modules);
    const modKey = moduleConfigKey(p.modules);
    const cfg = this.configResources.get(joinAddress(modKey, resourcePart(p.mode, p.type, p.name)));
    const providerKey = this.providerKey(d, cfg, modKey);
    // Provider keys hold no `|`: the root module's memo key is the provider key itself.
    const providerMemoKey = modKey === "" ? providerKey : `${providerKey}|${modKey}`;
    let provider = this.foundProviders.get(providerMemoKey);
    if (provider === undefined) {
      provider = this.findProvider(providerKey, modKey);
      this.foundProviders.set(providerMemoKey, provider);
    }
    const providerType =
      d.providerName ||
      (provider && typeof provider.config.full_name === "string" && provider.config.full_name) ||
      (provider && typeof provider.config.name === "string" && provider.config.name) ||
      impliedProvider(p.type);
    const cloud = cloudOfProvider(providerType);
    const entry: ResourceEntry = {
      address: d.address,
      mode: p.mode,
      type: p.type,
      name: p.name,
      index: p.key,
      module,
      construct_path: null,
      provider_config: providerKey,
      action: d.action,
      values: d.values,
      unknown: d.unknown,
      tags: this.tags(d, provider?.config ?? null),
      references: cfg ? this.references(d, cfg) : [],
      location: this.location(d, cfg, cloud, providerKey, provider),
      source_file: null,
      source_line: null,
      defaults: defaultPaths(d, cfg),
    };
    if (d.previousAddress) entry.previous_address = d.previousAddress;
    return entry;
  }

  /** The provider configuration key in the `module.a:aws` form of current Terraform. */
  private providerKey(d: Draft, cfg: ConfigResource | undefined, modKey: string): string {
    const raw = cfg && typeof cfg.body.provider_config_key === "string" ? cfg.body.provider_config_key : null;
    if (raw !== null) {
      const colon = raw.lastIndexOf(":");
      if (colon < 0) return raw;
      const prefix = raw.slice(0, colon);
      // Terraform 0.12 wrote only the module's own name (`bar:null` for module.foo.module.bar).
      return prefix.startsWith("module.") ? raw : `${modKey}:${raw.slice(colon + 1)}`;
    }
    let local = d.providerName ? d.providerName.split("/").pop()! : impliedProvider(d.parsed.type);
    if (local.includes("/")) local = impliedProvider(d.parsed.type);
    return modKey ? `${modKey}:${local}` : local;
  }

  /**
   * Finds the provider configuration for a key. A default (unaliased) provider missing from a
   * module is inherited from the nearest ancestor, which is Terraform's implicit inheritance.
   */
  private findProvider(key: string, modKey: string): FoundProvider | null {
    const direct = this.providerConfigs[key];
    if (isObject(direct)) return { key, config: direct, inherited: false };
    const colon = key.lastIndexOf(":");
    const local = colon < 0 ? key : key.slice(colon + 1);
    const scope = colon < 0 ? "" : key.slice(0, colon);
    // Older plans key module providers by the module's own name only.
    if (scope) {
      const last = scope.split(".").pop()!;
      const old = this.providerConfigs[`${last}:${local}`];
      if (isObject(old)) return { key, config: old, inherited: false };
    }
    if (local.includes(".")) return null;
    const parts = (scope || modKey).split(".");
    // parts is `module, a, module, b`: ancestors are the even-length prefixes, ending at the root.
    for (let len = parts.length - 2; len >= 0; len -= 2) {
      const k = len === 0 ? local : `${parts.slice(0, len).join(".")}:${local}`;
      if (k === key) continue;
      const c = this.providerConfigs[k];
      if (!isObject(c)) continue;
      // A `providers = { aws = aws.us }` map is not in plan JSON; only newer Terraform rewrites the
      // resource's key to the passed configuration. With aliases around, the default is a guess.
      const prefix = len === 0 ? `${local}.` : `${parts.slice(0, len).join(".")}:${local}.`;
      const aliases = Object.keys(this.providerConfigs).filter((x) => x.startsWith(prefix));
      return aliases.length
        ? { key: k, config: c, inherited: true, ambiguous: aliases }
        : { key: k, config: c, inherited: true };
    }
    return null;
  }

  private tags(d: Draft, provider: Json | null): Record<string, string> {
    const unknownTagsAll = d.unknown.some((u) => u === "tags_all" || u.startsWith("tags_all."));
    if (isObject(d.values.tags_all) && !unknownTagsAll) return tagMap(d.values.tags_all);
    // Provider default tags reach only taggable managed resources, which are those with `tags_all`.
    if (d.parsed.mode === "data" || !("tags_all" in d.values || unknownTagsAll)) return tagMap(d.values.tags);
    const merged: Record<string, string> = {};
    const dt = provider && isObject(provider.expressions) ? provider.expressions.default_tags : undefined;
    for (const block of Array.isArray(dt) ? dt : isObject(dt) ? [dt] : []) {
      if (!isObject(block) || !isObject(block.tags)) continue;
      if ("constant_value" in block.tags) Object.assign(merged, tagMap(block.tags.constant_value));
      else Object.assign(merged, tagMap(this.variableTags(block.tags, provider!)));
    }
    Object.assign(merged, tagMap(d.values.tags));
    return merged;
  }

  /** `default_tags { tags = var.x }`: the variable's value recorded in the plan (root variables, module arguments, defaults). */
  private variableTags(e: Json, provider: Json): unknown {
    const refs = Array.isArray(e.references) ? dropContainers(strings(e.references), this.split) : [];
    if (refs.length !== 1 || !refs[0].startsWith("var.")) return null;
    const mod = this.modules.get(typeof provider.module_address === "string" ? provider.module_address : "");
    if (!mod) return null;
    const val = this.evalVar(splitAddress(refs[0])?.[1]?.name ?? "", mod, new Set());
    return val.ok ? val.value : null;
  }

  // ---- references -------------------------------------------------------------------------

  private references(d: Draft, cfg: ConfigResource): Reference[] {
    const root = d.parsed.modules.length === 0;
    const ctx: Ctx = root ? ROOT_CTX : d.parsed.modules.map((m) => ({ name: m.name, key: m.key }));
    // Memoised per configuration resource and module instance: count/for_each instances share it.
    const memoKey = root ? "" : `${cfg.where}|${ctxKey(ctx)}`;
    let attrs = root ? cfg.rootAttrs : this.refMemo.get(memoKey);
    if (!attrs) {
      const found: AttrTargets[] = (attrs = []);
      // A policy document's statement blocks keep their index (`statement.1.resources`; nested
      // blocks none: `statement.1.principals.identifiers`), so the reader can tie a reference to
      // its statement; a local there is kept as `local.<name>` (its value is not in the plan: an
      // unknown element built from it cannot be explained).
      const doc = cfg.body.mode === "data" && cfg.body.type === "aws_iam_policy_document";
      const collect = (attribute: string, refs: string[]): void => {
        let pair = false;
        for (let i = 0; i < refs.length; i++) if (refs[i] === "count.index" || refs[i].startsWith("each.")) pair = true;
        const targets: Target[] = [];
        const kept = dropContainers(refs, this.split);
        for (let i = 0; i < kept.length; i++) {
          if (doc && kept[i].startsWith("local.")) {
            const name = splitAddress(kept[i])?.[1]?.name;
            if (name) targets.push({ rel: `local.${name}`, ctx, key: null, pair: false, raw: true });
            continue;
          }
          const resolved = this.resolve(kept[i], cfg.mod, ctx, pair);
          for (let j = 0; j < resolved.length; j++) targets.push(resolved[j]);
        }
        if (targets.length) found.push({ attribute, targets });
      };
      if (isObject(cfg.body.expressions)) walkExpressions(cfg.body.expressions, "", collect, doc);
      for (const meta of ["count_expression", "for_each_expression"]) {
        const e = cfg.body[meta];
        if (isObject(e) && Array.isArray(e.references)) collect(meta.replace("_expression", ""), strings(e.references));
      }
      if (root) cfg.rootAttrs = attrs;
      else this.refMemo.set(memoKey, attrs);
    }
    const out: Reference[] = [];
    if (attrs.length === 0) return out;
    let seen: Set<string> | null = null;
    // Indexed loops: this runs once per resource, mostly before the JIT optimises it, where
    // for...of allocates an iterator result per element.
    for (let a = 0; a < attrs.length; a++) {
      const { attribute, targets } = attrs[a];
      for (let ti = 0; ti < targets.length; ti++) {
        const addresses = this.expand(targets[ti], d.parsed.key);
        for (let ai = 0; ai < addresses.length; ai++) {
          const address = addresses[ai];
          if (address === d.address) continue;
          // Most resources have a few references: dedupe by scanning until that gets long.
          if (out.length < 16) {
            if (out.some((o) => o.attribute === attribute && o.address === address)) continue;
          } else {
            if (!seen) seen = new Set(out.map((o) => `${o.attribute}\u0000${o.address}`));
            const k = `${attribute}\u0000${address}`;
            if (seen.has(k)) continue;
            seen.add(k);
          }
          out.push({ attribute, address });
        }
      }
    }
    return out;
  }

  /** Resolves one reference string in a module context to resource targets, following module variables and outputs. */
  private resolve(ref: string, mod: ModuleCfg, ctx: Ctx, pair: boolean): Target[] {
    const steps = this.split(ref).steps;
    if (!steps) return [];
    const root = steps[0].name;
    if (IGNORED_ROOTS.has(root)) return [];
    if (root === "var" || root === "module") {
      if (steps.length < 2) return [];
      const memoKey = `${ref}|${mod.key}|${ctxKey(ctx)}`;
      const hit = this.targetMemo.get(memoKey);
      if (hit) return hit;
      if (this.inProgress.has(memoKey)) return [];
      this.inProgress.add(memoKey);
      const result = root === "var" ? this.resolveVar(steps[1].name, mod, ctx) : this.resolveModule(steps, mod, ctx);
      this.inProgress.delete(memoKey);
      this.targetMemo.set(memoKey, result);
      return result;
    }
    if (root === "data") {
      if (steps.length < 3) return [];
      return [{ rel: `data.${steps[1].name}.${steps[2].name}`, ctx, key: steps[2].keys[0] ?? null, pair, raw: false }];
    }
    if (steps.length < 2) return [];
    return [{ rel: `${root}.${steps[1].name}`, ctx, key: steps[1].keys[0] ?? null, pair, raw: false }];
  }

  private resolveVar(name: string, mod: ModuleCfg, ctx: Ctx): Target[] {
    if (!mod.call || !mod.parent) return [];
    const exprs = mod.call.expressions;
    const e = isObject(exprs) ? exprs[name] : undefined;
    const refs: string[] = [];
    collectRefs(e, refs);
    const parentCtx = ctx.slice(0, -1);
    const out: Target[] = [];
    for (const r of dropContainers(refs, this.split)) out.push(...this.resolve(r, mod.parent, parentCtx, false));
    return out;
  }

  private resolveModule(steps: { name: string; keys: StepKey[] }[], mod: ModuleCfg, ctx: Ctx): Target[] {
    const call = steps[1];
    const child = this.modules.get(joinAddress(mod.key, `module.${call.name}`));
    const k = call.keys[0];
    const childCtx: Ctx = [
      ...ctx,
      { name: call.name, key: typeof k === "number" || (typeof k === "string" && k !== "*") ? k : undefined },
    ];
    if (!child) {
      return [{ rel: `${formatCtx(ctx)}module.${call.name}`, ctx, key: null, pair: false, raw: true }];
    }
    const outputs = isObject(child.body.outputs) ? child.body.outputs : {};
    const names = steps.length > 2 ? [steps[2].name] : Object.keys(outputs);
    const out: Target[] = [];
    for (const n of names) {
      const o = outputs[n];
      if (!isObject(o)) continue;
      const refs: string[] = [];
      collectRefs(o.expression, refs);
      for (const r of dropContainers(refs, this.split)) out.push(...this.resolve(r, child, childCtx, false));
    }
    return out;
  }

  /** Instance addresses of a target, paired by instance key for `[count.index]`/`[each.key]` style references. */
  private expand(t: Target, ownKey: string | number | null): string[] {
    if (t.raw) return [t.rel];
    // Targets are memoised per configuration resource, so the expansion is kept on the target too.
    let e = t.expansion;
    if (!e) e = t.expansion = this.expansion(t);
    if (typeof t.key === "number" || (typeof t.key === "string" && t.key !== "*")) {
      const hit = e.byKey?.get(t.key);
      return [hit ?? `${formatCtx(t.ctx)}${t.rel}${formatKey(t.key)}`];
    }
    if (t.pair && ownKey !== null) {
      const hit = e.byKey?.get(ownKey);
      if (hit) return [hit];
    }
    if (e.all.length) return e.all;
    // Not in this plan (e.g. a data source without a recorded read): keep its address so the path stays visible.
    return [`${formatCtx(t.ctx)}${t.rel}`];
  }

  private expansion(t: Target): Expansion {
    const root = t.ctx.length === 0;
    const cfgAddr = root ? t.rel : joinAddress(moduleConfigKey(t.ctx), t.rel);
    const memoKey = root ? cfgAddr : `${cfgAddr}|${ctxKey(t.ctx)}`;
    let e = this.expandMemo.get(memoKey);
    if (!e) {
      const found: Expansion = { all: [], byKey: null };
      const list = this.instances.get(cfgAddr);
      for (let i = 0; list && i < list.length; i++) {
        const d = list[i];
        if (!ctxMatches(d.parsed.modules, t.ctx)) continue;
        found.all.push(d.address);
        if (d.parsed.key !== null) (found.byKey ??= new Map()).set(d.parsed.key, d.address);
      }
      this.expandMemo.set(memoKey, (e = found));
    }
    return e;
  }

  // ---- location ---------------------------------------------------------------------------

  private location(
    d: Draft,
    cfg: ConfigResource | undefined,
    cloud: Cloud,
    providerKey: string,
    provider: FoundProvider | null,
  ): ResolvedLocation {
    const exprs = cfg && isObject(cfg.body.expressions) ? cfg.body.expressions : null;
    // d.unknown is short; a Set per resource costs more than scanning it for one or two names.
    const unknown = d.unknown;
    // 1. The resource's own location argument, when configured.
    const args = resourceLocationArgs(cloud);
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      const configured = cfg ? (exprs ? arg in exprs : false) : undefined;
      const v = d.values[arg];
      if (configured !== false && typeof v === "string" && v !== "") {
        const detail =
          configured === true
            ? `resource argument ${arg} = "${v}"`
            : `recorded attribute ${arg} = "${v}" (the resource is not in the plan's configuration)`;
        return { cloud, region: normaliseRegion(cloud, arg, v), source: "resource-region", detail };
      }
      if (configured === true && unknown.includes(arg)) {
        return {
          cloud,
          region: null,
          source: "unknown-at-plan",
          detail: `resource argument ${arg} is known only after apply`,
        };
      }
    }
    // 2. The provider configuration the resource uses.
    let byCloud = this.providerMemo.get(providerKey);
    if (!byCloud) this.providerMemo.set(providerKey, (byCloud = new Map()));
    let fromProvider = byCloud.get(cloud);
    if (!fromProvider) {
      fromProvider = this.providerLocation(cloud, providerKey, provider);
      byCloud.set(cloud, fromProvider);
    }
    if (fromProvider.source !== "unresolved") return { ...fromProvider };
    // 3. A location the provider filled in while planning (AWS provider 6 computes `region`).
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      const v = d.values[arg];
      if (typeof v === "string" && v !== "") {
        return {
          cloud,
          region: normaliseRegion(cloud, arg, v),
          source: "resource-region",
          detail: `planned attribute ${arg} = "${v}" (not configured; filled in by the provider; ${fromProvider.detail})`,
        };
      }
    }
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (unknown.includes(arg)) {
        return {
          cloud,
          region: null,
          source: "unknown-at-plan",
          detail: `attribute ${arg} is known only after apply (${fromProvider.detail})`,
        };
      }
    }
    return { ...fromProvider };
  }

  private providerLocation(cloud: Cloud, providerKey: string, provider: FoundProvider | null): ResolvedLocation {
    if (!provider)
      return unresolved(cloud, `provider configuration "${providerKey}" is not in the plan's configuration`);
    if (provider.ambiguous) {
      return unresolved(
        cloud,
        `provider configuration "${providerKey}" is not in the plan; the module inherits "${provider.key}" unless its call passed one of ${provider.ambiguous.map((a) => `"${a}"`).join(", ")}, which this plan does not record`,
      );
    }
    const label = provider.inherited
      ? `provider "${provider.key}" (inherited by "${providerKey}")`
      : `provider "${provider.key}"`;
    const exprs = isObject(provider.config.expressions) ? provider.config.expressions : {};
    for (const arg of providerLocationArgs(cloud)) {
      const e = exprs[arg];
      if (!isObject(e)) continue;
      if ("constant_value" in e) {
        const v = e.constant_value;
        if (typeof v === "string" && v !== "") {
          return {
            cloud,
            region: normaliseRegion(cloud, arg, v),
            source: "provider-config",
            detail: `${label} (${arg} = "${v}")`,
          };
        }
        if (v === null) continue;
        return unresolved(cloud, `${label} has ${arg} = ${JSON.stringify(v)}, not a region name`);
      }
      const refs = Array.isArray(e.references) ? dropContainers(strings(e.references), this.split) : [];
      const varRefs = refs.filter((r) => r.startsWith("var."));
      if (refs.length === 1 && varRefs.length === 1) {
        const mod =
          this.modules.get(typeof provider.config.module_address === "string" ? provider.config.module_address : "") ??
          this.modules.get("");
        const name = splitAddress(varRefs[0])?.[1]?.name ?? "";
        const val = mod ? this.evalVar(name, mod, new Set()) : { ok: false as const, why: "module not found" };
        if (val.ok && typeof val.value === "string" && val.value !== "") {
          return {
            cloud,
            region: normaliseRegion(cloud, arg, val.value),
            source: "variable",
            detail: `${label} (${arg} = ${val.via} = "${val.value}")`,
          };
        }
        const why = val.ok ? `is ${JSON.stringify(val.value)}, not a region name` : val.why;
        return unresolved(cloud, `${label} takes ${arg} from ${varRefs[0]}, which ${why}`);
      }
      if (refs.length === 0)
        return unresolved(cloud, `${label} sets ${arg} with an expression the plan does not record`);
      return unresolved(cloud, `${label} computes ${arg} from ${refs.join(", ")}; the plan does not record the result`);
    }
    return unresolved(cloud, noProviderRegionDetail(cloud, provider.key));
  }

  /** The value of a module variable: the plan's root variable values, module call arguments, or defaults. */
  private evalVar(
    name: string,
    mod: ModuleCfg,
    seen: Set<string>,
  ): { ok: true; value: unknown; via: string } | { ok: false; why: string } {
    const id = `${mod.key}|${name}`;
    if (seen.has(id)) return { ok: false, why: "refers to itself" };
    seen.add(id);
    const where = mod.key ? `${mod.key}.var.${name}` : `var.${name}`;
    const decl = isObject(mod.body.variables) ? mod.body.variables[name] : undefined;
    if (!mod.call || !mod.parent) {
      const v = this.variables[name];
      if (isObject(v) && "value" in v) return { ok: true, value: v.value, via: where };
      if (isObject(decl) && "default" in decl) return { ok: true, value: decl.default, via: `${where} (default)` };
      return { ok: false, why: "has no value in the plan" };
    }
    const exprs = isObject(mod.call.expressions) ? mod.call.expressions : {};
    const e = exprs[name];
    if (isObject(e)) {
      if ("constant_value" in e) return { ok: true, value: e.constant_value, via: `${where} (module argument)` };
      const refs = Array.isArray(e.references) ? e.references.filter(isString) : [];
      if (refs.length === 1 && refs[0].startsWith("var.")) {
        const inner = this.evalVar(splitAddress(refs[0])?.[1]?.name ?? "", mod.parent, seen);
        return inner.ok ? { ...inner, via: `${where} = ${inner.via}` } : inner;
      }
      return {
        ok: false,
        why: `is set from ${refs.length ? refs.join(", ") : "an expression"} in the module call, not recorded in the plan`,
      };
    }
    if (isObject(decl) && "default" in decl) return { ok: true, value: decl.default, via: `${where} (default)` };
    return { ok: false, why: "has no value in the plan" };
  }
}

function isString(x: unknown): x is string {
  return typeof x === "string";
}

const PARTS = ["mode", "type", "name"] as const;

// The separate mode/type/name fields must agree with the address they describe.
function checkParts(res: Json, parsed: InstanceAddress, file: string, where: string | Where): void {
  for (const field of PARTS) {
    if (res[field] !== undefined && res[field] !== parsed[field]) {
      throw new InputError(
        // JSON, not String(): a value like {"toString": ""} cannot be turned into a string.
        `${field} ${JSON.stringify(res[field])} does not match address ${isString(res.address) ? res.address : JSON.stringify(res.address)}`,
        file,
        placeOf(where, `.${field}`),
      );
    }
  }
}

/**
 * Paths the provider chooses for a managed resource: unknown at plan, or null, with no
 * expression (or a constant null) at that path in the configuration. Without the resource's
 * configuration nothing can be said, so nothing is listed.
 */
function defaultPaths(d: Draft, cfg: ConfigResource | undefined): string[] {
  if (d.parsed.mode !== "managed" || d.action === "delete" || !cfg) return [];
  const exprs = isObject(cfg.body.expressions) ? cfg.body.expressions : {};
  const out: string[] = [];
  for (let i = 0; i < d.unknown.length; i++) {
    const u = d.unknown[i];
    if (u === "*" || COMPUTED_ONLY.has(u)) continue;
    const top = u.includes(".") ? undefined : exprs[u];
    if (top === undefined ? !configured(exprs, u.split(".")) : !isSet(top)) out.push(u);
  }
  nullPaths(d.values, exprs, SEGS, out);
  return out;
}

// The path stack of nullPaths, shared: the walk is synchronous and leaves it empty.
const SEGS: string[] = [];

/** Appends the dotted paths of null leaves of `v` that the configuration does not set. */
function nullPaths(v: unknown, exprs: Json, segs: string[], out: string[]): void {
  if (v === null) {
    if (segs.length && !(segs.length === 1 && COMPUTED_ONLY.has(segs[0])) && !configured(exprs, segs))
      out.push(segs.join("."));
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      segs.push(String(i));
      nullPaths(v[i], exprs, segs, out);
      segs.pop();
    }
  } else if (isObject(v)) {
    for (const k in v) {
      segs.push(k);
      nullPaths(v[k], exprs, segs, out);
      segs.pop();
    }
  }
}

/** Attributes every resource has and no configuration sets: not worth listing as defaults. */
const COMPUTED_ONLY = new Set(["id", "arn", "tags_all"]);

// An expression other than a constant null, or a nested block.
function isSet(e: unknown): boolean {
  if (!isObject(e)) return e !== undefined;
  return !isExpression(e) || !("constant_value" in e) || e.constant_value !== null;
}

/** True when the configuration has an expression (not a constant null) at a value path or above it. */
function configured(exprs: Json, segs: string[]): boolean {
  let cur: unknown = exprs;
  for (const seg of segs) {
    if (isObject(cur) && isExpression(cur)) return !("constant_value" in cur) || cur.constant_value !== null;
    if (Array.isArray(cur)) cur = /^\d+$/.test(seg) ? cur[Number(seg)] : undefined;
    else if (isObject(cur)) cur = cur[seg];
    else return false;
    if (cur === undefined) return false;
  }
  if (isObject(cur) && isExpression(cur)) return !("constant_value" in cur) || cur.constant_value !== null;
  return cur !== undefined;
}

/** Dotted paths of every `true` leaf in `after_unknown` (list indices as numbers). */
export function flattenUnknown(v: unknown, prefix = "", out: string[] = []): string[] {
  if (v === true) out.push(prefix === "" ? "*" : prefix);
  else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) flattenUnknown(v[i], prefix === "" ? String(i) : `${prefix}.${i}`, out);
  } else if (isObject(v)) {
    // for...in: no entries array per object (after_unknown has one object per resource and block).
    for (const k in v) flattenUnknown(v[k], prefix === "" ? k : `${prefix}.${k}`, out);
  }
  return out;
}

// An expression object is `{references?, constant_value?}`; anything else is a nested block.
function isExpression(v: Json): boolean {
  for (const k in v) if (k !== "references" && k !== "constant_value") return false;
  return true;
}

/** Calls `visit` with the dotted attribute path (block indices dropped; top-level ones kept when `indexed`) of every expression with references. */
export function walkExpressions(
  exprs: Json,
  prefix: string,
  visit: (attribute: string, refs: string[]) => void,
  indexed = false,
): void {
  for (const k in exprs) {
    const v = exprs[k];
    if (Array.isArray(v)) {
      const path = prefix ? `${prefix}.${k}` : k;
      for (let i = 0; i < v.length; i++)
        if (isObject(v[i])) walkExpressions(v[i] as Json, indexed ? `${path}.${i}` : path, visit);
    } else if (isObject(v)) {
      if (isExpression(v)) {
        if (Array.isArray(v.references) && v.references.length)
          visit(prefix ? `${prefix}.${k}` : k, strings(v.references));
      } else walkExpressions(v, prefix ? `${prefix}.${k}` : k, visit);
    }
  }
}

/** The strings of a list; the list itself when it holds nothing else (the usual case: no copy). */
function strings(list: unknown[]): string[] {
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== "string") return list.filter(isString);
  return list as string[];
}

function collectRefs(e: unknown, out: string[]): void {
  if (isObject(e) && Array.isArray(e.references)) out.push(...strings(e.references));
}

/**
 * Terraform lists the containers of a reference beside it: `aws_x.y[0].arn` comes with
 * `aws_x.y[0]` and `aws_x.y`, `module.m["k"].out` with `module.m["k"]` and `module.m`. A bare
 * container would pull in every instance or output, so it is dropped when a more specific
 * reference to the same resource or module call is present.
 */
function dropContainers(refs: string[], split: (ref: string) => RefSteps = splitRef): string[] {
  if (refs.length < 2) return refs;
  const infos: Array<RefInfo | null> = [];
  for (let i = 0; i < refs.length; i++) infos.push(split(refs[i]).info);
  // A reference is dropped when another one about the same base is more specific. Expressions
  // hold a few references, so the pairwise scan allocates nothing; long lists use a Map.
  let best: Map<string, number> | null = null;
  if (refs.length > 16) {
    best = new Map();
    for (const info of infos) if (info) best.set(info.base, Math.max(best.get(info.base) ?? 0, info.depth));
  }
  let out: string[] | null = null;
  for (let i = 0; i < refs.length; i++) {
    const info = infos[i];
    let keep = true;
    if (info && best) keep = info.depth === best.get(info.base);
    else if (info) {
      for (let j = 0; j < infos.length && keep; j++) {
        const other = infos[j];
        if (other && other.depth > info.depth && other.base === info.base) keep = false;
      }
    }
    if (!keep) out ??= refs.slice(0, i);
    else if (out) out.push(refs[i]);
  }
  return out ?? refs;
}

/** A reference split into steps, and what it is about (see refInfo). */
interface RefSteps {
  steps: Step[] | null;
  info: RefInfo | null;
}

/** The resource or module call a reference is about, and how specific it is (keyed, with output). */
interface RefInfo {
  base: string;
  depth: number;
}

function splitRef(ref: string): RefSteps {
  const steps = splitAddress(ref);
  return { steps, info: steps ? refInfo(steps) : null };
}

function refInfo(s: Step[]): RefInfo | null {
  if (s.length < 2) return null;
  const root = s[0].name;
  if (root === "module")
    return { base: `module.${s[1].name}`, depth: (s[1].keys.length ? 1 : 0) + (s.length > 2 ? 2 : 0) };
  if (IGNORED_ROOTS.has(root) || root === "var") return null;
  if (root === "data")
    return s.length < 3 ? null : { base: `data.${s[1].name}.${s[2].name}`, depth: s[2].keys.length ? 1 : 0 };
  return { base: `${root}.${s[1].name}`, depth: s[1].keys.length ? 1 : 0 };
}

function ctxKey(ctx: Ctx): string {
  return ctx.map((c) => `${c.name}[${c.key === undefined ? "*" : JSON.stringify(c.key)}]`).join(".");
}

function ctxMatches(mods: { name: string; key: string | number | null }[], ctx: Ctx): boolean {
  if (mods.length !== ctx.length) return false;
  for (let i = 0; i < ctx.length; i++) if (ctx[i].key !== undefined && ctx[i].key !== mods[i].key) return false;
  return true;
}

// Module prefix of a context for addresses that are not in the plan; unknown keys are left out.
function formatCtx(ctx: Ctx): string {
  const s = formatModule(ctx.map((c) => ({ name: c.name, key: c.key === undefined ? null : c.key })));
  return s ? `${s}.` : "";
}
