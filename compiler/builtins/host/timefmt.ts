// time.format, time.date, time.clock, time.weekday, time.add_date and time.parse_duration_ns
// (OPA topdown/time.go) on the host. A time operand is ns since the epoch, or [ns, tz], or for
// time.format [ns, tz, layout]; tz "" / "UTC" is UTC, "Local" the host's zone, else an IANA name.
// Layouts are Go reference layouts ("2006-01-02T15:04:05Z07:00") or Go's constant names.
// Operands arrive through the SDK as JS numbers: nanoseconds beyond 2^53 are rounded (docs/limits.md).
import { BuiltinError } from "./errors";
import { rawJson } from "./time";

const NAMED_LAYOUTS: Record<string, string> = {
  ANSIC: "Mon Jan _2 15:04:05 2006",
  UnixDate: "Mon Jan _2 15:04:05 MST 2006",
  RubyDate: "Mon Jan 02 15:04:05 -0700 2006",
  RFC822: "02 Jan 06 15:04 MST",
  RFC822Z: "02 Jan 06 15:04 -0700",
  RFC850: "Monday, 02-Jan-06 15:04:05 MST",
  RFC1123: "Mon, 02 Jan 2006 15:04:05 MST",
  RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700",
  RFC3339: "2006-01-02T15:04:05Z07:00",
  RFC3339Nano: "2006-01-02T15:04:05.999999999Z07:00",
  Kitchen: "3:04PM",
  Stamp: "Jan _2 15:04:05",
  StampMilli: "Jan _2 15:04:05.000",
  StampMicro: "Jan _2 15:04:05.000000",
  StampNano: "Jan _2 15:04:05.000000000",
  DateTime: "2006-01-02 15:04:05",
  DateOnly: "2006-01-02",
  TimeOnly: "15:04:05",
};

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** A wall-clock reading of an instant in a zone. */
interface Wall {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  weekday: number; // 0 = Sunday
  yday: number;
  offset: number; // seconds east of UTC
  abbrev: string;
}

function zoneOffset(ms: number, tz: string): number {
  if (tz === "UTC") return 0;
  const f = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" });
  const name = f.formatToParts(new Date(ms)).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60);
}

function zoneName(builtin: string, tz: unknown): string {
  if (typeof tz !== "string") throw new BuiltinError(builtin, "timezone must be a string", "eval_type_error");
  if (tz === "" || tz === "UTC") return "UTC";
  const name = tz === "Local" ? Intl.DateTimeFormat().resolvedOptions().timeZone : tz;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
  } catch {
    throw new BuiltinError(builtin, `unknown time zone ${tz}`);
  }
  return name;
}

/** Splits a time operand into (ns, zone, layout). */
function operand(builtin: string, v: unknown, allowLayout: boolean): { ns: bigint; tz: string; layout?: string } {
  const nsOf = (x: unknown): bigint => {
    if (typeof x !== "number" || !Number.isFinite(x))
      throw new BuiltinError(builtin, "operand 1 must be number or array", "eval_type_error");
    return BigInt(Math.trunc(x));
  };
  if (typeof v === "number") return { ns: nsOf(v), tz: "UTC" };
  if (Array.isArray(v) && (v.length === 2 || (allowLayout && v.length === 3))) {
    const layout = v.length === 3 ? v[2] : undefined;
    if (layout !== undefined && typeof layout !== "string")
      throw new BuiltinError(builtin, "layout must be a string", "eval_type_error");
    return { ns: nsOf(v[0]), tz: zoneName(builtin, v[1]), layout };
  }
  throw new BuiltinError(
    builtin,
    `operand 1 must be ${allowLayout ? "one of {number, array[number, string], array[number, string, string]}" : "one of {number, array[number, string]}"}`,
    "eval_type_error",
  );
}

function wall(ns: bigint, tz: string): Wall {
  const msFloor = ns >= 0n ? ns / 1_000_000n : -((-ns + 999_999n) / 1_000_000n);
  const nanos = Number(((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n);
  const ms = Number(msFloor);
  const offset = zoneOffset(ms, tz);
  const d = new Date(ms + offset * 1000);
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  let abbrev = "UTC";
  if (tz !== "UTC") {
    const f = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "short" });
    abbrev = f.formatToParts(new Date(ms)).find((p) => p.type === "timeZoneName")?.value ?? "";
    if (/^GMT/.test(abbrev))
      abbrev = fmtOffset(offset, "-0700")
        .replace(/00$/, "")
        .replace(/^([+-]\d\d)$/, "$1");
  }
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    nanos,
    weekday: d.getUTCDay(),
    yday: Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - start) / 86400000) + 1,
    offset,
    abbrev,
  };
}

function fmtOffset(offset: number, style: string): string {
  if (offset === 0 && style.startsWith("Z")) return "Z";
  const sign = offset < 0 ? "-" : "+";
  const a = Math.abs(offset);
  const hh = String(Math.floor(a / 3600)).padStart(2, "0");
  const mm = String(Math.floor((a % 3600) / 60)).padStart(2, "0");
  const ss = String(a % 60).padStart(2, "0");
  switch (style.replace(/^Z/, "-")) {
    case "-07":
      return sign + hh;
    case "-0700":
      return sign + hh + mm;
    case "-07:00":
      return sign + hh + ":" + mm;
    case "-070000":
      return sign + hh + mm + ss;
    default:
      return sign + hh + ":" + mm + ":" + ss;
  }
}

const pad = (n: number, w: number) => String(n).padStart(w, "0");

// Go's layout tokens, longest first where they share a prefix.
const TOKENS = [
  "January", "Jan", "Monday", "Mon", "MST",
  "2006", "06", "01", "002", "02", "_2", "__2", "15", "03", "04", "05",
  "Z070000", "Z07:00:00", "Z07:00", "Z0700", "Z07",
  "-070000", "-07:00:00", "-07:00", "-0700", "-07",
  "PM", "pm", "1", "2", "3", "4", "5",
]; // prettier-ignore

/** Formats a wall reading with a Go reference layout. */
function goFormat(w: Wall, layout: string): string {
  let out = "";
  let i = 0;
  while (i < layout.length) {
    // Fractional seconds: .000 (fixed) or .999 (trimmed), also with a comma.
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac && (i === 0 || /[05]$/.test(layout.slice(0, i)))) {
      const digits = frac[1].length;
      let f = pad(w.nanos, 9).slice(0, digits);
      if (frac[1][0] === "9") f = f.replace(/0+$/, "");
      if (f) out += layout[i] + f;
      i += frac[0].length;
      continue;
    }
    const t = TOKENS.find((tok) => layout.startsWith(tok, i));
    if (!t) {
      out += layout[i++];
      continue;
    }
    i += t.length;
    switch (t) {
      case "January": out += MONTHS[w.month - 1]; break;
      case "Jan": out += MONTHS[w.month - 1].slice(0, 3); break;
      case "Monday": out += DAYS[w.weekday]; break;
      case "Mon": out += DAYS[w.weekday].slice(0, 3); break;
      case "MST": out += w.abbrev; break;
      case "2006": out += pad(w.year, 4); break;
      case "06": out += pad(w.year % 100, 2); break;
      case "01": out += pad(w.month, 2); break;
      case "1": out += String(w.month); break;
      case "002": out += pad(w.yday, 3); break;
      case "__2": out += String(w.yday).padStart(3, " "); break;
      case "02": out += pad(w.day, 2); break;
      case "_2": out += String(w.day).padStart(2, " "); break;
      case "2": out += String(w.day); break;
      case "15": out += pad(w.hour, 2); break;
      case "03": out += pad(w.hour % 12 || 12, 2); break;
      case "3": out += String(w.hour % 12 || 12); break;
      case "04": out += pad(w.minute, 2); break;
      case "4": out += String(w.minute); break;
      case "05": out += pad(w.second, 2); break;
      case "5": out += String(w.second); break;
      case "PM": out += w.hour >= 12 ? "PM" : "AM"; break;
      case "pm": out += w.hour >= 12 ? "pm" : "am"; break;
      default: out += fmtOffset(w.offset, t);
    }
  } // prettier-ignore
  return out;
}

/** time.format(x): RFC 3339 with nanoseconds by default, or the layout of [ns, tz, layout]. */
export function timeFormat(x: unknown): string {
  const { ns, tz, layout } = operand("time.format", x, true);
  const l = layout === undefined || layout === "" ? NAMED_LAYOUTS.RFC3339Nano : (NAMED_LAYOUTS[layout] ?? layout);
  return goFormat(wall(ns, tz), l);
}

/** time.date(x): [year, month, day]. */
export function timeDate(x: unknown): number[] {
  const { ns, tz } = operand("time.date", x, false);
  const w = wall(ns, tz);
  return [w.year, w.month, w.day];
}

/** time.clock(x): [hour, minute, second]. */
export function timeClock(x: unknown): number[] {
  const { ns, tz } = operand("time.clock", x, false);
  const w = wall(ns, tz);
  return [w.hour, w.minute, w.second];
}

/** time.weekday(x): the English day name. */
export function timeWeekday(x: unknown): string {
  const { ns, tz } = operand("time.weekday", x, false);
  return DAYS[wall(ns, tz).weekday];
}

/** time.add_date(ns, years, months, days): Go's AddDate in UTC (overflowing days roll into the next month). */
export function timeAddDate(ns: unknown, years: unknown, months: unknown, days: unknown): ArrayBuffer {
  for (const [i, v] of [ns, years, months, days].entries()) {
    if (typeof v !== "number" || !Number.isInteger(v))
      throw new BuiltinError("time.add_date", `operand ${i + 1} must be integer number`, "eval_type_error");
  }
  const t = BigInt(ns as number);
  const w = wall(t, "UTC");
  const sub = ((t % 86_400_000_000_000n) + 86_400_000_000_000n) % 86_400_000_000_000n;
  const dayMs = Date.UTC(w.year + (years as number), w.month - 1 + (months as number), w.day + (days as number));
  const out = BigInt(dayMs) * 1_000_000n + sub;
  return rawJson(out.toString());
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** time.parse_duration_ns(s): Go's time.ParseDuration ("1h30m", "-1.5s", "300ms"). */
export function timeParseDurationNs(s: unknown): ArrayBuffer {
  if (typeof s !== "string")
    throw new BuiltinError("time.parse_duration_ns", "operand 1 must be string", "eval_type_error");
  const bad = () => new BuiltinError("time.parse_duration_ns", `time: invalid duration ${JSON.stringify(s)}`);
  let rest = s;
  let neg = false;
  if (rest[0] === "-" || rest[0] === "+") {
    neg = rest[0] === "-";
    rest = rest.slice(1);
  }
  if (rest === "0") return rawJson("0");
  if (rest === "") throw bad();
  let total = 0n;
  while (rest) {
    const m = /^([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!m || (m[1] === "" && (m[2] ?? "") === "")) throw bad();
    const unit = UNITS[m[3]];
    const frac = m[2] ?? "";
    total += BigInt(m[1] || "0") * unit + (frac ? (BigInt(frac) * unit) / 10n ** BigInt(frac.length) : 0n);
    rest = rest.slice(m[0].length);
  }
  return rawJson((neg ? -total : total).toString());
}
