// Waivers: a YAML or JSON file of {rule, address, stack?, reason, approver, expires}. Validated
// here, against the organization limits of the configuration file too; matching happens inside
// the compiled policy, which receives them in data with the address glob translated to an
// anchored regular expression.

import * as fs from "node:fs";
import type { ValidateFunction } from "ajv";
import type { WaiverLimits } from "./config";
import { ConfigError } from "./errors";
import { locator, pointerPath, type Locator } from "./locate";

/** One waiver as written in the waivers file. */
export interface Waiver {
  /** Rule id, e.g. `safeguards/access-logging`. */
  rule: string;
  /** Glob over resource addresses: `*` matches any run of characters (dots and brackets too), `?` one character. */
  address: string;
  /** cdktf stack the waiver is limited to; every input when omitted. */
  stack?: string;
  reason: string;
  approver: string;
  /** Last day the waiver applies (YYYY-MM-DD, UTC). */
  expires: string;
}

/** A validated waiver as passed to the policy in data (`stack` null when the waiver is not limited to one). */
export interface PolicyWaiver extends Omit<Waiver, "stack"> {
  stack: string | null;
  address_regex: string;
}

/** Rule ids: lowercase segments separated by `/`, e.g. `safeguards/access-logging` or `acme/no-public-buckets`. */
export const RULE_ID_PATTERN = "^[a-z0-9][a-z0-9_.-]*(/[a-z0-9][a-z0-9_.-]*)*$";

const waiverSchema = {
  type: "object",
  required: ["rule", "address", "reason", "approver", "expires"],
  properties: {
    rule: { type: "string", pattern: RULE_ID_PATTERN },
    address: { type: "string", minLength: 1 },
    stack: { type: "string", minLength: 1 },
    reason: { type: "string", minLength: 3 },
    approver: { type: "string", minLength: 1 },
    expires: { type: "string", format: "date" },
  },
  additionalProperties: false,
} as const;

let compiledWaiver: ValidateFunction | undefined;

// Compiled on first use: ajv and its code generation cost tens of milliseconds at start-up, and
// most runs have no waivers file.
function waiverValidator(): ValidateFunction {
  if (!compiledWaiver) {
    const Ajv = (require("ajv") as typeof import("ajv")).default;
    const addFormats = (require("ajv-formats") as typeof import("ajv-formats")).default;
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    compiledWaiver = ajv.compile(waiverSchema);
  }
  return compiledWaiver;
}

/** Anchored regular expression (JavaScript/RE2 common subset) for a waiver address glob. */
export function globToRegex(glob: string): string {
  let out = "^";
  for (const ch of glob) {
    if (ch === "*") {
      if (!out.endsWith(".*")) out += ".*";
    } else if (ch === "?") out += ".";
    else out += /[\\^$.|+()[\]{}]/.test(ch) ? `\\${ch}` : ch;
  }
  return `${out}$`;
}

/** True when a glob matches every address (`*`, `**`, `?*`...): nothing but wildcards, at least one `*`. */
export function matchesEverything(glob: string): boolean {
  return /^[*?]+$/.test(glob) && glob.includes("*");
}

const DAY_MS = 86_400_000;

/** Options of validateWaivers / parseWaivers / loadWaivers. */
export interface WaiverCheck {
  /** Clock for expiry and maxDays. */
  now?: Date;
  /** Rule ids the policy knows; a waiver for another id is an error. */
  knownRules?: ReadonlySet<string>;
  /** Organization limits from the configuration file; none are checked when omitted. */
  limits?: WaiverLimits;
  /** Where the limits come from, named in errors. */
  limitsFile?: string;
  /** Finds line:col of a waiver field in the file. */
  locate?: Locator;
}

type CheckArg = WaiverCheck | Date | undefined;

// The clock and known rules used to be positional arguments; both forms are accepted.
function checkOf(arg: CheckArg, knownRules?: ReadonlySet<string>): WaiverCheck {
  if (arg instanceof Date || arg === undefined) return { now: arg, knownRules };
  return knownRules ? { ...arg, knownRules } : arg;
}

/** Validates waiver entries (already parsed). */
export function validateWaivers(
  entries: unknown,
  file: string,
  options?: CheckArg,
  knownRules?: ReadonlySet<string>,
): PolicyWaiver[] {
  const check = checkOf(options, knownRules);
  // Without `limits` (direct library use) no organization limit applies; the engine always passes
  // the configuration's limits, {} when there are none, so a bare `*` needs allowWildcardAll.
  const { now = new Date(), limits, locate } = check;
  const nested = entries && typeof entries === "object" && !Array.isArray(entries) && "waivers" in entries;
  const list = nested ? (entries as { waivers: unknown }).waivers : entries;
  const base: Array<string | number> = nested ? ["waivers"] : [];
  if (!Array.isArray(list))
    throw new ConfigError("expected a list of waivers (or an object with a `waivers` list)", file);
  const today = now.toISOString().slice(0, 10);
  const maxDays = limits?.maxDays;
  const latest =
    maxDays === undefined ? undefined : new Date(Date.parse(today) + maxDays * DAY_MS).toISOString().slice(0, 10);
  return list.map((entry, i) => {
    const where = `waivers[${i}]`;
    // `where` stays the entry (`waivers[2]`); the position points at the field when known.
    const fail = (message: string, field?: string, atKey = false): never => {
      const at = [...base, i, ...(field ? [field] : [])];
      throw new ConfigError(message, file, where, locate?.(at, atKey) ?? locate?.([...base, i]));
    };
    const validateWaiver = waiverValidator();
    if (!validateWaiver(entry)) {
      const err = validateWaiver.errors?.[0];
      const fieldPath = err?.instancePath ? pointerPath(err.instancePath) : [];
      const field =
        err?.keyword === "additionalProperties"
          ? String(err.params.additionalProperty)
          : err?.keyword === "required"
            ? undefined
            : (fieldPath[0] as string | undefined);
      const text = err?.instancePath ? err.instancePath.slice(1) : "";
      return fail(
        `malformed waiver: ${text ? `${text} ` : ""}${err?.message ?? "invalid"}`,
        field,
        err?.keyword === "additionalProperties",
      );
    }
    const w = entry as Waiver;
    if (check.knownRules && !check.knownRules.has(w.rule)) fail(`unknown rule ${w.rule}`, "rule");
    if (limits && !limits.allowWildcardAll && matchesEverything(w.address)) {
      fail(
        `address ${JSON.stringify(w.address)} waives ${w.rule} on every resource; name the resources (set waiverLimits.allowWildcardAll in the configuration to allow it)`,
        "address",
      );
    }
    // ISO dates compare as strings; a waiver is valid through its expiry day.
    if (w.expires < today) {
      fail(`waiver for ${w.rule} on ${w.address} expired on ${w.expires} (approver ${w.approver})`, "expires");
    }
    if (latest !== undefined && w.expires > latest) {
      fail(
        `expires ${w.expires} is more than ${maxDays} days away (waiverLimits.maxDays${check.limitsFile ? ` in ${check.limitsFile}` : ""}: ${latest} at the latest)`,
        "expires",
      );
    }
    const { stack, ...rest } = w;
    return { ...rest, stack: stack ?? null, address_regex: globToRegex(w.address) };
  });
}

/** Parses waivers from YAML or JSON text. */
export function parseWaivers(
  text: string,
  file: string,
  options?: CheckArg,
  knownRules?: ReadonlySet<string>,
): PolicyWaiver[] {
  const check = checkOf(options, knownRules);
  let doc: unknown;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    doc = file.endsWith(".json") ? JSON.parse(body) : (require("yaml") as typeof import("yaml")).parse(body);
  } catch (e) {
    throw new ConfigError(`cannot parse waivers: ${(e as Error).message}`, file);
  }
  return validateWaivers(doc ?? [], file, { ...check, locate: check.locate ?? locator(body) });
}

/** Reads and validates a waivers file. */
export function loadWaivers(file: string, options?: CheckArg, knownRules?: ReadonlySet<string>): PolicyWaiver[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read waivers file: ${(e as Error).message}`, file);
  }
  return parseWaivers(text, file, checkOf(options, knownRules));
}
