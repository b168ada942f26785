// semver.is_valid and semver.compare as OPA's internal/semver (from coreos/go-semver): three
// dot-separated integers, then optional `-prerelease` and `+metadata` identifiers; metadata is
// ignored when comparing.
import { BuiltinError } from "./errors";

interface Version {
  nums: [bigint, bigint, bigint];
  pre: string;
}

const IDENT = /^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/;

/** Parses like go-semver's Version.Set; undefined when invalid. */
function parse(s: string): Version | undefined {
  let rest = s;
  const plus = rest.indexOf("+");
  const meta = plus >= 0 ? rest.slice(plus + 1) : "";
  if (plus >= 0) rest = rest.slice(0, plus);
  const dash = rest.indexOf("-");
  const pre = dash >= 0 ? rest.slice(dash + 1) : "";
  if (dash >= 0) rest = rest.slice(0, dash);
  const parts = rest.split(".");
  if (parts.length !== 3) return undefined;
  if ((pre !== "" && !IDENT.test(pre)) || (meta !== "" && !IDENT.test(meta))) return undefined;
  // strconv.ParseInt(v, 10, 64): optional sign, decimal digits, within int64.
  const nums: bigint[] = [];
  for (const p of parts) {
    if (!/^[+-]?[0-9]+$/.test(p)) return undefined;
    const n = BigInt(p);
    if (n > 9223372036854775807n || n < -9223372036854775808n) return undefined;
    nums.push(n);
  }
  return { nums: nums as [bigint, bigint, bigint], pre };
}

function cmpPre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "") return 1;
  if (b === "") return -1;
  const x = a.split(".");
  const y = b.split(".");
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const nx = /^[0-9]+$/.test(x[i]);
    const ny = /^[0-9]+$/.test(y[i]);
    let c: number;
    if (nx && ny) c = BigInt(x[i]) < BigInt(y[i]) ? -1 : BigInt(x[i]) > BigInt(y[i]) ? 1 : 0;
    else if (nx) c = -1;
    else if (ny) c = 1;
    else c = x[i] < y[i] ? -1 : x[i] > y[i] ? 1 : 0;
    if (c) return c;
  }
  return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
}

/** semver.is_valid(x): true for a string that is a valid semantic version, false for anything else. */
export function semverIsValid(x: unknown): boolean {
  return typeof x === "string" && parse(x) !== undefined;
}

/** semver.compare(a, b): -1, 0 or 1. */
export function semverCompare(a: unknown, b: unknown): number {
  const v = [a, b].map((s, i) => {
    if (typeof s !== "string")
      throw new BuiltinError(
        "semver.compare",
        `operand ${i + 1} must be string but got ${typeof s}`,
        "eval_type_error",
      );
    const p = parse(s);
    if (!p)
      throw new BuiltinError("semver.compare", `operand ${i + 1}: string ${JSON.stringify(s)} is not a valid SemVer`);
    return p;
  });
  for (let i = 0; i < 3; i++) {
    if (v[0].nums[i] !== v[1].nums[i]) return v[0].nums[i] < v[1].nums[i] ? -1 : 1;
  }
  return cmpPre(v[0].pre, v[1].pre);
}
