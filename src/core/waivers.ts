// Waivers: a YAML or JSON file of {rule, address, reason, approver, expires}. Validated here;
// matching happens inside the compiled policy, which receives them in data with the address
// glob translated to an anchored regular expression.

import * as fs from "node:fs";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "./errors";

/** One waiver as written in the waivers file. */
export interface Waiver {
  /** Rule id, e.g. `safeguards/access-logging`. */
  rule: string;
  /** Glob over resource addresses: `*` matches any run of characters (dots and brackets too), `?` one character. */
  address: string;
  reason: string;
  approver: string;
  /** Last day the waiver applies (YYYY-MM-DD, UTC). */
  expires: string;
}

/** A validated waiver as passed to the policy in data. */
export interface PolicyWaiver extends Waiver {
  address_regex: string;
}

const waiverSchema = {
  type: "object",
  required: ["rule", "address", "reason", "approver", "expires"],
  properties: {
    rule: {
      type: "string",
      pattern: "^(residency|private-cloud|cross-border|safeguards|sector)/[a-z0-9]+(-[a-z0-9]+)*$",
    },
    address: { type: "string", minLength: 1 },
    reason: { type: "string", minLength: 3 },
    approver: { type: "string", minLength: 1 },
    expires: { type: "string", format: "date" },
  },
  additionalProperties: false,
} as const;

const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validateWaiver = ajv.compile(waiverSchema);

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

/** Validates waiver entries (already parsed); `knownRules`, when given, rejects waivers for unknown rule ids. */
export function validateWaivers(
  entries: unknown,
  file: string,
  now: Date = new Date(),
  knownRules?: ReadonlySet<string>,
): PolicyWaiver[] {
  const list =
    entries && typeof entries === "object" && !Array.isArray(entries) && "waivers" in entries
      ? (entries as { waivers: unknown }).waivers
      : entries;
  if (!Array.isArray(list))
    throw new ConfigError("expected a list of waivers (or an object with a `waivers` list)", file);
  const today = now.toISOString().slice(0, 10);
  return list.map((entry, i) => {
    const where = `waivers[${i}]`;
    if (!validateWaiver(entry)) {
      const err = validateWaiver.errors?.[0];
      const field = err?.instancePath ? err.instancePath.slice(1) : "";
      throw new ConfigError(`malformed waiver: ${field ? `${field} ` : ""}${err?.message ?? "invalid"}`, file, where);
    }
    const w = entry as Waiver;
    if (knownRules && !knownRules.has(w.rule)) throw new ConfigError(`unknown rule ${w.rule}`, file, where);
    // ISO dates compare as strings; a waiver is valid through its expiry day.
    if (w.expires < today) {
      throw new ConfigError(
        `waiver for ${w.rule} on ${w.address} expired on ${w.expires} (approver ${w.approver})`,
        file,
        where,
      );
    }
    return { ...w, address_regex: globToRegex(w.address) };
  });
}

/** Parses waivers from YAML or JSON text. */
export function parseWaivers(text: string, file: string, now?: Date, knownRules?: ReadonlySet<string>): PolicyWaiver[] {
  let doc: unknown;
  try {
    doc = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError(`cannot parse waivers: ${(e as Error).message}`, file);
  }
  return validateWaivers(doc ?? [], file, now, knownRules);
}

/** Reads and validates a waivers file. */
export function loadWaivers(file: string, now?: Date, knownRules?: ReadonlySet<string>): PolicyWaiver[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read waivers file: ${(e as Error).message}`, file);
  }
  return parseWaivers(text, file, now, knownRules);
}
