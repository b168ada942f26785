// The engine: loads the compiled policy Wasm with @open-policy-agent/opa-wasm, sets the policy
// data (defaults, user data files, rule metadata, waivers, profile) and maps the findings the
// Wasm returns to Finding objects. It never decides anything itself: every verdict comes from
// the Wasm, and anything unexpected is a PolicyError (fail closed), never an empty pass.

import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadPolicy, loadPolicySync, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { customBuiltins } from "../../compiler/host";
import { ConfigError, InputError, PolicyError } from "../core/errors";
import type {
  EvaluationResult,
  Finding,
  LineageStep,
  ProfileComparison,
  ProfileName,
  RuleMeta,
  Verdict,
} from "../core/findings";
import { PROFILES, loadRuleMetadata } from "../core/rules";
import type { WaiverLimits } from "../core/config";
import { loadWaivers, validateWaivers, type PolicyWaiver } from "../core/waivers";
import { INPUT_SCHEMA_VERSION, type GuardInput, type ResolvedLocation, type ResourceEntry } from "../inputs/types";

/** The entrypoint every residency-guard policy exports. */
export const ENTRYPOINT = "residency_guard/findings";
/** Addresses `compare` lists (workloads, the stores they use, anything with a finding). */
export const SUBJECTS_ENTRYPOINT = "residency_guard/subjects";
/** Every entrypoint the bundled policy is compiled with. */
export const ENTRYPOINTS = [ENTRYPOINT, SUBJECTS_ENTRYPOINT];

/** Options of loadGuard / loadGuardSync. */
export interface GuardOptions {
  /** Default profile for evaluate(); kr-localization when omitted. */
  profile?: ProfileName;
  /** Compiled policy; dist/policies/residency-guard.wasm of this package when omitted. */
  policyFile?: string;
  /** Policy data files (JSON or YAML), deep-merged in order over the bundled data of policies/data/. */
  dataFiles?: string[];
  /** Policy data given inline, merged last. */
  data?: Record<string, unknown>;
  /** Waivers file (YAML or JSON). */
  waiversFile?: string;
  /** Clock for waiver expiry. */
  now?: Date;
  /** Directory with rules/ (METADATA) and data/ (defaults.json and more data files); this package's policies/ when omitted. (Added optional field.) */
  policiesDir?: string;
  /** Rule metadata of a custom policy (instead of `<policiesDir>/rules`); findings then follow the custom finding shape (docs/cli.md). */
  rules?: RuleMeta[];
  /** Entrypoint the findings are read from; residency_guard/findings when omitted. */
  entrypoint?: string;
  /** The policy is the user's own (`--policy`, `--policies`): findings follow the custom finding shape. */
  customFindings?: boolean;
  /** Organization limits every waiver must respect (configuration file `waiverLimits`). */
  waiverLimits?: WaiverLimits;
  /** The file the limits come from, named in errors. */
  waiverLimitsFile?: string;
  /**
   * Implementations of custom builtins the policy was compiled with (CompileOptions.customBuiltins,
   * `rego-wasm build --builtins`): name -> function of JSON values. A throw is a policy error.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON in, JSON out
  customBuiltins?: Record<string, (...args: any[]) => unknown>;
  /**
   * Hand the bundled policy only the resource fields its data declares
   * (`settings.input_projection.resource_fields`); default true. Custom policies always get
   * whole entries.
   */
  projectInput?: boolean;
}

/** A loaded policy, ready to judge input documents. */
export interface Guard {
  /** SHA-256 (hex) of the policy Wasm. */
  readonly policySha256: string;
  readonly policyFile: string;
  /** Metadata of every rule, in display order. */
  rules(): RuleMeta[];
  /** Findings for one input document under a profile (the guard's default profile when omitted). */
  evaluate(input: GuardInput, profile?: ProfileName): EvaluationResult;
  /** Per-resource verdicts under every profile. */
  compare(input: GuardInput): ProfileComparison;
}

/** Root of this package (the folder with its package.json), found from this file's location. */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "residency-guard") return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new PolicyError("cannot find the residency-guard package root");
    dir = parent;
  }
}

/** The default compiled policy path. */
export function defaultPolicyFile(): string {
  return path.join(packageRoot(), "dist", "policies", "residency-guard.wasm");
}

/** The default policies directory (Rego sources, metadata and data). */
export function defaultPoliciesDir(): string {
  return path.join(packageRoot(), "policies");
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge: objects merge key by key; arrays and scalars from `over` replace. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
    return out;
  }
  return over;
}

/** Data files of a policies directory: `data/defaults.json` first, then every other JSON/YAML file by name. */
export function policyDataFiles(policiesDir: string): string[] {
  const dir = path.join(policiesDir, "data");
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    throw new ConfigError(`cannot read policy data directory: ${(e as Error).message}`, dir);
  }
  const rest = names
    .filter((n) => /\.(json|ya?ml)$/i.test(n) && n !== "defaults.json")
    // Code-unit order, not locale order, so the merge order is the same on every machine.
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // defaults.json is required: without it the rules would judge against partial data.
  return [path.join(dir, "defaults.json"), ...rest.map((n) => path.join(dir, n))];
}

function readDataFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read policy data file: ${(e as Error).message}`, file);
  }
  let doc: unknown;
  try {
    // yaml is required only for a YAML data file (start-up time).
    doc = /\.ya?ml$/i.test(file) ? (require("yaml") as typeof import("yaml")).parse(text) : JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`cannot parse policy data: ${(e as Error).message}`, file);
  }
  if (!isPlainObject(doc)) throw new ConfigError("policy data must be an object", file);
  return doc;
}

interface Settings {
  profile?: unknown;
  rules?: unknown;
  waivers?: unknown;
  [k: string]: unknown;
}

function settingsOf(doc: Record<string, unknown>, file: string): Settings {
  const rg = doc.residency_guard;
  if (!isPlainObject(rg) || !isPlainObject(rg.settings)) {
    throw new ConfigError("policy data must hold residency_guard.settings", file);
  }
  return rg.settings as Settings;
}

interface Prepared {
  wasm: Uint8Array;
  policyFile: string;
  rules: RuleMeta[];
  baseData: Record<string, unknown>;
  profile: ProfileName;
  entrypoint: string;
  /** A user's policy: findings may leave out status, level and lineage (custom finding shape). */
  custom: boolean;
  /** Resource entry fields the policy reads, or null to pass whole entries. */
  projection: string[] | null;
}

/** `settings.input_projection.resource_fields` of the merged data: a list of field names, or null when absent. */
function projectionOf(settings: Settings): string[] | null {
  const p = settings.input_projection;
  if (p === undefined) return null;
  const fields = isPlainObject(p) ? p.resource_fields : undefined;
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === "string") || !fields.includes("type")) {
    throw new ConfigError(
      "residency_guard.settings.input_projection.resource_fields must be a list of resource entry field names (with type)",
      "policy data",
    );
  }
  return fields as string[];
}

function checkProfile(p: unknown, where: string): ProfileName {
  if (typeof p !== "string" || !(PROFILES as readonly string[]).includes(p)) {
    throw new ConfigError(`unknown profile ${JSON.stringify(p)} (expected ${PROFILES.join(" or ")})`, where);
  }
  return p as ProfileName;
}

function prepare(options: GuardOptions): Prepared {
  const policiesDir = options.policiesDir ?? defaultPoliciesDir();
  const policyFile = options.policyFile ?? defaultPolicyFile();
  let wasm: Uint8Array;
  try {
    wasm = fs.readFileSync(policyFile);
  } catch (e) {
    const hint = options.policyFile ? "" : " (run `npm run build:policies`)";
    throw new PolicyError(`cannot read compiled policy${hint}: ${(e as Error).message}`, policyFile);
  }
  const rules = options.rules ?? loadRuleMetadata(policiesDir);
  let data: Record<string, unknown> = {};
  for (const file of [...policyDataFiles(policiesDir), ...(options.dataFiles ?? [])]) {
    const doc = readDataFile(file);
    settingsOf(doc, file);
    data = deepMerge(data, doc) as Record<string, unknown>;
  }
  if (options.data) data = deepMerge(data, options.data) as Record<string, unknown>;
  const settings = settingsOf(data, "policy data");
  const known = new Set(rules.map((r) => r.id));
  // Waivers in data files are validated like a waivers file; the file's waivers come after them.
  const check = {
    now: options.now,
    knownRules: known,
    limits: options.waiverLimits ?? {},
    limitsFile: options.waiverLimitsFile,
  };
  let waivers: PolicyWaiver[] = validateWaivers(
    settings.waivers ?? [],
    "policy data (residency_guard.settings.waivers)",
    check,
  );
  if (options.waiversFile) waivers = [...waivers, ...loadWaivers(options.waiversFile, check)];
  // The METADATA blocks are authoritative for levels and profiles: data files cannot change them.
  const meta: Record<string, Json> = {};
  for (const r of rules) {
    meta[r.id] = { level: r.level, title: r.title, remediation: r.remediation, profiles: r.profiles };
  }
  const profile = checkProfile(options.profile ?? settings.profile ?? "kr-localization", "options.profile");
  const baseData = deepMerge(data, {
    residency_guard: { settings: { rules: meta, waivers } },
  }) as Record<string, unknown>;
  const entrypoint = options.entrypoint ?? ENTRYPOINT;
  const custom = options.rules !== undefined || options.customFindings === true;
  // A custom policy may read any field: it always gets whole entries.
  const projection =
    custom || entrypoint !== ENTRYPOINT || options.projectInput === false ? null : projectionOf(settings);
  return { wasm, policyFile, rules, baseData, profile, entrypoint, custom, projection };
}

function asError(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === "object" && e !== null) {
    try {
      return JSON.stringify(e);
    } catch {
      // fall through
    }
  }
  return String(e);
}

const LEVELS = new Set(["mandatory", "advisory"]);
const STATUSES = new Set(["violation", "waived"]);

/**
 * Policy heap reserved per byte of input JSON before an evaluation (the policies used 9-14 on
 * generated plans). Each memory.grow while the Wasm runs makes V8 run full garbage collections
 * (external memory pressure): at 10k resources those took more time than the policy itself, and
 * hundreds of them at 20k. One grow up front costs one. Untouched pages add no resident memory.
 */
const HEAP_PER_INPUT_BYTE = 16;
const WASM_PAGE = 65536;

/**
 * The document a policy sees: every resource entry cut to `fields` (the bundled policy's data
 * declares what its rules read, `settings.input_projection`); everything else as read. The reader
 * computes edges and IAM statements before this, so nothing the rules use is lost, and the policy
 * parses a third less JSON (test/engine/projection.test.ts: identical findings on the corpus).
 */
export function projectInput(input: GuardInput, fields: readonly string[]): GuardInput {
  const resources: Record<string, unknown> = {};
  for (const address in input.resources) {
    const entry = input.resources[address] as unknown as Record<string, unknown>;
    const cut: Record<string, unknown> = {};
    for (const f of fields) if (f in entry) cut[f] = entry[f];
    resources[address] = cut;
  }
  return { ...input, resources: resources as unknown as GuardInput["resources"] };
}

/** What the SDK's LoadedPolicy keeps after loading (opa-wasm 1.10, ABI 1.2) that evaluation uses. */
interface SdkPolicy {
  wasmInstance?: { exports: Record<string, unknown> };
  dataAddr?: unknown;
  dataHeapPtr?: unknown;
  entrypoints?: Record<string, number>;
  minorVersion?: unknown;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

class LoadedGuard implements Guard {
  readonly policySha256: string;
  readonly policyFile: string;
  private readonly ruleList: RuleMeta[];
  private readonly ruleById: Map<string, RuleMeta>;
  private readonly baseData: Record<string, unknown>;
  private readonly defaultProfile: ProfileName;
  private readonly entrypointNames: Set<string>;
  private readonly entrypoint: string;
  private readonly custom: boolean;
  private readonly projection: string[] | null;
  private dataProfile: ProfileName | null = null;

  constructor(
    private readonly policy: LoadedPolicy,
    prepared: Prepared,
  ) {
    this.policySha256 = createHash("sha256").update(prepared.wasm).digest("hex");
    this.policyFile = prepared.policyFile;
    this.ruleList = prepared.rules;
    this.ruleById = new Map(prepared.rules.map((r) => [r.id, r]));
    this.baseData = prepared.baseData;
    this.defaultProfile = prepared.profile;
    const entrypoints = (policy as unknown as { entrypoints?: Record<string, number> }).entrypoints ?? {};
    this.entrypointNames = new Set(Object.keys(entrypoints));
    this.entrypoint = prepared.entrypoint;
    this.custom = prepared.custom || prepared.entrypoint !== ENTRYPOINT;
    this.projection = prepared.projection;
    if (!this.entrypointNames.has(this.entrypoint)) {
      throw new PolicyError(
        `policy has no entrypoint ${this.entrypoint} (has: ${[...this.entrypointNames].join(", ") || "none"}); choose one with --entrypoint`,
        this.policyFile,
      );
    }
  }

  rules(): RuleMeta[] {
    return this.ruleList.map((r) => ({ ...r, profiles: [...r.profiles] }));
  }

  private setProfile(profile: ProfileName): void {
    if (this.dataProfile === profile) return;
    const data = deepMerge(this.baseData, { residency_guard: { settings: { profile } } });
    try {
      this.policy.setData(data as object);
    } catch (e) {
      this.dataProfile = null;
      throw new PolicyError(`cannot load policy data: ${asError(e)}`, this.policyFile);
    }
    this.dataProfile = profile;
  }

  evaluate(input: GuardInput, profile?: ProfileName): EvaluationResult {
    checkInput(input);
    return this.evaluateEncoded(input, this.inputJson(input), profile);
  }

  /** The JSON text the policy parses: the projected document when the policy data declares one. */
  private inputJson(input: GuardInput): string {
    return JSON.stringify(this.projection ? projectInput(input, this.projection) : input);
  }

  /**
   * Evaluates an entrypoint on JSON text: the text is encoded straight into the Wasm heap
   * (the SDK's evaluate would take a separate encoded copy and copy it in), then `opa_eval` runs
   * as the SDK runs it (ABI 1.2), and the result is read as the SDK reads it.
   */
  private run(json: string, entrypoint: string): unknown {
    const sdk = this.policy as unknown as SdkPolicy;
    const exports = sdk.wasmInstance?.exports;
    const opaEval = exports?.opa_eval;
    const id = sdk.entrypoints?.[entrypoint];
    if (
      typeof opaEval !== "function" ||
      typeof sdk.dataAddr !== "number" ||
      typeof sdk.dataHeapPtr !== "number" ||
      typeof id !== "number" ||
      typeof sdk.minorVersion !== "number" ||
      sdk.minorVersion < 2
    ) {
      // Not the SDK shape this was written against: its own evaluate does the same, with copies.
      return this.policy.evaluate(encoder.encode(json).buffer, entrypoint);
    }
    const addr = sdk.dataHeapPtr;
    this.reserveHeap(json.length);
    let written = 0;
    for (;;) {
      const view = new Uint8Array(this.policy.mem.buffer, addr);
      const r = encoder.encodeInto(json, view);
      if (r.read === json.length) {
        written = r.written;
        break;
      }
      // Non-ASCII text takes up to three bytes per UTF-16 unit.
      this.policy.mem.grow(Math.max(1, Math.ceil((json.length * 3 - view.byteLength) / WASM_PAGE)));
    }
    const ret = (opaEval as (...a: number[]) => number)(0, id, sdk.dataAddr, addr, written, addr + written, 0);
    const out = new Uint8Array(this.policy.mem.buffer);
    const end = out.indexOf(0, ret);
    if (end < 0) throw new PolicyError("policy result is not terminated", this.policyFile);
    return JSON.parse(decoder.decode(out.subarray(ret, end)));
  }

  /** Grows the Wasm memory once to what an input of this size is expected to need. */
  private reserveHeap(inputBytes: number): void {
    const mem = this.policy.mem;
    const want = Number(this.policy.dataHeapPtr) + inputBytes * (1 + HEAP_PER_INPUT_BYTE);
    const have = mem.buffer.byteLength;
    if (want <= have) return;
    try {
      mem.grow(Math.ceil((want - have) / WASM_PAGE));
    } catch {
      // Only a reservation: the runtime still grows the memory on demand.
    }
  }

  private evaluateEncoded(input: GuardInput, encoded: string, profile?: ProfileName): EvaluationResult {
    const p = checkProfile(profile ?? this.defaultProfile, "profile");
    this.setProfile(p);
    let resultSet: unknown;
    try {
      resultSet = this.run(encoded, this.entrypoint);
    } catch (e) {
      // A failed evaluation leaves the module's heap in an unknown state: reload data next time.
      this.dataProfile = null;
      throw new PolicyError(`evaluation failed for ${input.source.file}: ${asError(e)}`, this.policyFile);
    }
    const raw = this.unwrap(resultSet);
    const findings = raw.map((f, i) => this.toFinding(f, i, input, p)).sort(compareFindings);
    const judged = Object.values(input.resources).filter((r) => r.action !== "delete").length;
    return {
      profile: p,
      policySha256: this.policySha256,
      findings,
      summary: {
        resources: judged,
        mandatory: findings.filter((f) => f.status === "violation" && f.level === "mandatory").length,
        advisory: findings.filter((f) => f.status === "violation" && f.level === "advisory").length,
        waived: findings.filter((f) => f.status === "waived").length,
      },
    };
  }

  compare(input: GuardInput): ProfileComparison {
    checkInput(input);
    const encoded = this.inputJson(input);
    const results = PROFILES.map((p) => this.evaluateEncoded(input, encoded, p));
    // Findings grouped by address once: filtering every finding per row is quadratic in the plan.
    const byAddress = results.map((result) => {
      const m = new Map<string, Finding[]>();
      for (const f of result.findings) {
        const list = m.get(f.address);
        if (list) list.push(f);
        else m.set(f.address, [f]);
      }
      return m;
    });
    const subjects = this.subjects(input, encoded);
    const rows = Object.values(input.resources)
      .filter((r) => r.action !== "delete" && (subjects === null || subjects.has(r.address)))
      .sort((a, b) => collator.compare(a.address, b.address))
      .map((r) => {
        const verdicts = {} as Record<ProfileName, { verdict: Verdict; rules: string[] }>;
        for (const [k, result] of results.entries()) {
          const mine = byAddress[k]!.get(r.address) ?? [];
          const failed = mine.some((f) => f.status === "violation" && f.level === "mandatory");
          const waived = mine.some((f) => f.status === "waived");
          verdicts[result.profile] = {
            verdict: failed ? "fail" : waived ? "waived" : "pass",
            rules: [...new Set(mine.map((f) => f.rule))].sort(),
          };
        }
        return { address: r.address, constructPath: r.construct_path, location: r.location, verdicts };
      });
    return { profiles: [...PROFILES], rows };
  }

  /**
   * The addresses the policy says `compare` should list, or null (list every resource) for a
   * policy compiled without the subjects entrypoint. Display only: verdicts come from findings.
   */
  private subjects(input: GuardInput, encoded: string): Set<string> | null {
    if (!this.entrypointNames.has(SUBJECTS_ENTRYPOINT)) return null;
    let resultSet: unknown;
    try {
      resultSet = this.run(encoded, SUBJECTS_ENTRYPOINT);
    } catch (e) {
      this.dataProfile = null;
      throw new PolicyError(
        `evaluation of ${SUBJECTS_ENTRYPOINT} failed for ${input.source.file}: ${asError(e)}`,
        this.policyFile,
      );
    }
    const result = Array.isArray(resultSet) && isPlainObject(resultSet[0]) ? resultSet[0].result : undefined;
    if (!Array.isArray(result) || !result.every((a) => typeof a === "string")) {
      throw new PolicyError(`${SUBJECTS_ENTRYPOINT} must be a set of addresses`, this.policyFile);
    }
    return new Set(result as string[]);
  }

  /**
   * Metadata of a rule a custom policy reports without a METADATA block: the finding itself must
   * carry `title` and `level`; otherwise the rule is unknown (fail closed).
   */
  private ruleFromFinding(id: string, raw: Record<string, unknown>): RuleMeta | undefined {
    if (typeof raw.title !== "string" || typeof raw.level !== "string" || !LEVELS.has(raw.level)) return undefined;
    const meta: RuleMeta = {
      id,
      category: id.split("/")[0] as RuleMeta["category"],
      title: raw.title,
      level: raw.level as RuleMeta["level"],
      remediation: typeof raw.remediation === "string" ? raw.remediation : "",
      description: raw.title,
      profiles: [...PROFILES],
    };
    this.ruleById.set(id, meta);
    this.ruleList.push(meta);
    return meta;
  }

  private unwrap(resultSet: unknown): unknown[] {
    if (!Array.isArray(resultSet)) throw new PolicyError("policy returned a non-array result set", this.policyFile);
    if (resultSet.length === 0) {
      throw new PolicyError(`${this.entrypoint} is undefined: the policy data is missing or invalid`, this.policyFile);
    }
    if (resultSet.length !== 1 || !isPlainObject(resultSet[0]) || !("result" in resultSet[0])) {
      throw new PolicyError(`unexpected result set shape from ${this.entrypoint}`, this.policyFile);
    }
    const result = (resultSet[0] as { result: unknown }).result;
    if (!Array.isArray(result)) {
      const got = result === null ? "null" : isPlainObject(result) ? "an object" : typeof result;
      throw new PolicyError(
        `${this.entrypoint} must be a set of findings, got ${got} (each finding an object {rule, address, message, ...})`,
        this.policyFile,
      );
    }
    return result;
  }

  private toFinding(raw: unknown, i: number, input: GuardInput, profile: ProfileName): Finding {
    const bad = (why: string): never => {
      throw new PolicyError(`finding ${i} from ${this.entrypoint} is malformed: ${why}`, this.policyFile);
    };
    if (!isPlainObject(raw)) return bad(`not an object but ${JSON.stringify(raw)?.slice(0, 80)}`);
    const str = (k: string): string => (typeof raw[k] === "string" ? (raw[k] as string) : bad(`${k} is not a string`));
    // Custom policies may leave out status (violation), level (from METADATA) and lineage (none).
    const optional = (k: string, fallback: string | undefined): string =>
      this.custom && raw[k] === undefined && fallback !== undefined ? fallback : str(k);
    const ruleId = str("rule");
    const rule = this.ruleById.get(ruleId) ?? (this.custom ? this.ruleFromFinding(ruleId, raw) : undefined);
    if (!rule) {
      return bad(
        this.custom
          ? `unknown rule ${ruleId} (give it a METADATA block with custom.id, or put title and level in the finding)`
          : `unknown rule ${ruleId}`,
      );
    }
    const level = optional("level", rule.level);
    if (!LEVELS.has(level)) bad(`level ${level}`);
    const status = optional("status", "violation");
    if (!STATUSES.has(status)) bad(`status ${status}`);
    const address = str("address");
    const resource =
      input.resources[address] ?? opaqueModuleEntry(input, address) ?? bad(`address ${address} is not in the input`);
    if (raw.profile !== undefined && raw.profile !== profile)
      bad(`profile ${String(raw.profile)} (evaluated ${profile})`);
    const lineage = Array.isArray(raw.lineage)
      ? raw.lineage
      : this.custom && raw.lineage === undefined
        ? []
        : bad("lineage is not an array");
    const steps: LineageStep[] = lineage.map((s, j) =>
      isPlainObject(s) && typeof s.address === "string" && typeof s.reason === "string"
        ? { address: s.address, reason: s.reason }
        : bad(`lineage[${j}] is not {address, reason}`),
    );
    const location = isPlainObject(raw.location) ? (raw.location as unknown as ResolvedLocation) : resource.location;
    const finding: Finding = {
      rule: ruleId,
      title: rule.title,
      level: level as Finding["level"],
      status: status as Finding["status"],
      address,
      constructPath: resource.construct_path,
      location,
      lineage: steps,
      message: str("message"),
      remediation: typeof raw.remediation === "string" && raw.remediation ? raw.remediation : rule.remediation,
      profile,
      file: input.source.file,
      sourceFile: resource.source_file,
      sourceLine: resource.source_line,
    };
    if (status === "waived") {
      const w = isPlainObject(raw.waiver) ? raw.waiver : bad("waived finding without waiver");
      const field = (k: string): string =>
        typeof w[k] === "string" ? (w[k] as string) : bad(`waiver.${k} is not a string`);
      finding.waiver = {
        reason: field("reason"),
        approver: field("approver"),
        expires: field("expires"),
        pattern: field("pattern"),
      };
    }
    return finding;
  }
}

/** The fields a finding takes from its resource, for a module call whose resources the input cannot show. */
function opaqueModuleEntry(
  input: GuardInput,
  address: string,
): Pick<ResourceEntry, "construct_path" | "location" | "source_file" | "source_line"> | undefined {
  const m = input.opaque_modules?.find((o) => o.address === address);
  if (!m) return undefined;
  const location: ResolvedLocation = {
    cloud: "other",
    region: null,
    source: "unresolved",
    detail: "the module's resources are not in the document",
  };
  return { construct_path: m.construct_path, location, source_file: null, source_line: null };
}

function checkInput(input: GuardInput): void {
  const file =
    isPlainObject(input) && isPlainObject(input.source) && typeof input.source.file === "string"
      ? input.source.file
      : "<input>";
  if (!isPlainObject(input) || input.schema_version !== INPUT_SCHEMA_VERSION) {
    throw new InputError(`not a residency-guard input document (schema_version must be ${INPUT_SCHEMA_VERSION})`, file);
  }
  if (!isPlainObject(input.resources)) throw new InputError("input document has no resources object", file);
}

// The collator String.prototype.localeCompare uses, made once: localeCompare builds one per call.
const collator = new Intl.Collator();

function compareFindings(a: Finding, b: Finding): number {
  const rank = (f: Finding): number => (f.status === "waived" ? 2 : f.level === "mandatory" ? 0 : 1);
  return rank(a) - rank(b) || collator.compare(a.rule, b.rule) || collator.compare(a.address, b.address);
}

/** Loads the compiled policy synchronously (cdktf validations run synchronously). */
export function loadGuardSync(options: GuardOptions = {}): Guard {
  const prepared = prepare(options);
  let policy: LoadedPolicy;
  try {
    policy = loadPolicySync(prepared.wasm, undefined, { ...customBuiltins(), ...options.customBuiltins });
  } catch (e) {
    throw new PolicyError(`cannot load policy Wasm: ${asError(e)}`, prepared.policyFile);
  }
  return new LoadedGuard(policy, prepared);
}

/** Loads the compiled policy. */
export async function loadGuard(options: GuardOptions = {}): Promise<Guard> {
  const prepared = prepare(options);
  let policy: LoadedPolicy;
  try {
    policy = await loadPolicy(prepared.wasm, undefined, { ...customBuiltins(), ...options.customBuiltins });
  } catch (e) {
    throw new PolicyError(`cannot load policy Wasm: ${asError(e)}`, prepared.policyFile);
  }
  return new LoadedGuard(policy, prepared);
}
