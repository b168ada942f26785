// units.parse_bytes as OPA implements it: case-insensitive, decimal (kb = 1000) and binary
// (kib = 1024) units, fractional amounts truncated to whole bytes; exact via bigint.
import { BuiltinError, expectOperand } from "./errors";
import { rawJson } from "./time";

const MULTIPLIERS: Record<string, bigint> = { "": 1n };
["k", "m", "g", "t", "p", "e"].forEach((u, i) => {
  MULTIPLIERS[u] = MULTIPLIERS[`${u}b`] = 1000n ** BigInt(i + 1);
  MULTIPLIERS[`${u}i`] = MULTIPLIERS[`${u}ib`] = 1024n ** BigInt(i + 1);
});

/** Whole bytes denoted by strings such as "10KB", "1.5GiB", "512". */
export function parseBytes(s: string): bigint {
  const text = s.toLowerCase().replace(/"/g, "").trim();
  if (text.includes(" ")) throw new BuiltinError("units.parse_bytes", "spaces not allowed in resource strings");
  const m = /^(\d*\.?\d*)(.*)$/.exec(text)!;
  const [, num, unit] = m;
  if (num === "" || num === ".") throw new BuiltinError("units.parse_bytes", "no byte amount provided");
  const mult = MULTIPLIERS[unit];
  if (mult === undefined) throw new BuiltinError("units.parse_bytes", `byte unit ${unit} not recognized`);
  const [int, frac = ""] = num.split(".");
  const scale = 10n ** BigInt(frac.length);
  return ((BigInt(int || "0") * scale + BigInt(frac || "0")) * mult) / scale;
}

/** units.parse_bytes(x). */
export function unitsParseBytes(x: unknown): ArrayBuffer {
  expectOperand("units.parse_bytes", 1, x, "string", typeof x === "string");
  return rawJson(parseBytes(x as string).toString());
}
