// OPA's sprintf: Go's fmt.Sprintf over arguments converted as OPA does (integers as ints,
// other numbers as float64, strings as strings, everything else as its Rego text).
import { BuiltinError, expectOperand } from "./errors";

type Arg = { kind: "int"; value: bigint } | { kind: "float"; value: number } | { kind: "string"; value: string };

function convert(v: unknown): Arg {
  if (typeof v === "number") {
    if (Number.isInteger(v) && Number.isSafeInteger(v)) return { kind: "int", value: BigInt(v) };
    if (Number.isInteger(v))
      return { kind: "int", value: BigInt(v.toLocaleString("fullwide", { useGrouping: false })) };
    return { kind: "float", value: v };
  }
  if (typeof v === "string") return { kind: "string", value: v };
  return { kind: "string", value: regoText(v) };
}

/** Rego's text form of a value (objects with sorted keys; sets arrive from the host as arrays). */
export function regoText(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `[${v.map(regoText).join(", ")}]`;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}: ${regoText(o[k])}`)
      .join(", ")}}`;
  }
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return formatFloatG(v, -1);
  return String(v);
}

/** Go's strconv.FormatFloat(f, 'e', prec, 64) (prec -1 = shortest). */
function formatFloatE(f: number, prec: number, upper = false): string {
  let s = prec < 0 ? f.toExponential() : f.toExponential(prec);
  s = s.replace(/e([+-])(\d)$/, "e$10$2");
  return upper ? s.toUpperCase() : s;
}

/** Go's strconv.FormatFloat(f, 'g', prec, 64) (prec -1 = shortest), as fmt's %v and %g print floats. */
function formatFloatG(f: number, prec: number): string {
  if (!Number.isFinite(f)) return Number.isNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const e = prec < 0 ? f.toExponential() : f.toExponential(Math.max(prec, 1) - 1);
  const [m, expS] = e.split("e");
  const mant = m.includes(".") ? m.replace(/0+$/, "").replace(/\.$/, "") : m;
  const exp = Number(expS);
  // Go switches to %e when the exponent is < -4 or >= the precision (6 when shortest).
  const eprec = prec < 0 ? 6 : Math.max(prec, 1);
  if (exp < -4 || exp >= eprec) return `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return String(Number(`${mant}e${exp}`));
}

function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-7][0-9a-f])/g, (_m, h: string) => `\\x${h}`);
}

function pad(s: string, width: number | undefined, left: boolean, zero: boolean): string {
  if (width === undefined || s.length >= width) return s;
  if (left) return s + " ".repeat(width - s.length);
  if (zero) {
    const sign = /^[+-]/.test(s) ? s[0] : "";
    return sign + "0".repeat(width - s.length) + s.slice(sign.length);
  }
  return " ".repeat(width - s.length) + s;
}

function bad(verb: string, a: Arg): string {
  const type = a.kind === "int" ? "int" : a.kind === "float" ? "float64" : "string";
  return `%!${verb}(${type}=${a.kind === "float" ? formatFloatG(a.value, -1) : String(a.value)})`;
}

/** Formats with Go's fmt verbs: v s q d b o x X e E f F g G t c U %, flags `+-# 0`, width and precision. */
export function goSprintf(format: string, values: unknown[]): string {
  const args = values.map(convert);
  let out = "";
  let argi = 0;
  const re = /%([+\-# 0]*)(\d+|\*)?(?:\.(\d*|\*))?([a-zA-Z%])?/g;
  let last = 0;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    out += format.slice(last, m.index);
    last = re.lastIndex;
    const [, flags, widthS, precS, verb] = m;
    if (verb === undefined) {
      out += "%!(NOVERB)";
      continue;
    }
    if (verb === "%") {
      out += "%";
      continue;
    }
    const width = widthS === undefined || widthS === "*" ? undefined : Number(widthS);
    const prec = precS === undefined ? undefined : precS === "" || precS === "*" ? 0 : Number(precS);
    const left = flags.includes("-");
    const zero = flags.includes("0") && !left;
    const plus = flags.includes("+");
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = args[argi++];
    let s: string;
    switch (verb) {
      case "v":
        s =
          a.kind === "int"
            ? (plus && a.value >= 0n ? "+" : "") + a.value.toString()
            : a.kind === "float"
              ? (plus && a.value >= 0 ? "+" : "") + formatFloatG(a.value, -1)
              : a.value;
        if (a.kind === "string" && prec !== undefined) s = [...s].slice(0, prec).join("");
        break;
      case "s":
        if (a.kind !== "string") {
          s = bad(verb, a);
          break;
        }
        s = prec !== undefined ? [...a.value].slice(0, prec).join("") : a.value;
        break;
      case "q":
        s =
          a.kind === "string"
            ? goQuote(a.value)
            : a.kind === "int"
              ? `'${String.fromCodePoint(Number(a.value))}'`
              : bad(verb, a);
        break;
      case "d":
        s = a.kind === "int" ? (plus && a.value >= 0n ? "+" : "") + a.value.toString() : bad(verb, a);
        break;
      case "b":
      case "o":
      case "x":
      case "X": {
        const radix = verb === "b" ? 2 : verb === "o" ? 8 : 16;
        if (a.kind === "int") {
          const neg = a.value < 0n;
          s = (neg ? -a.value : a.value).toString(radix);
          if (flags.includes("#")) s = (verb === "o" ? "0" : verb === "b" ? "0b" : "0x") + s;
          s = (neg ? "-" : plus ? "+" : "") + s;
        } else if (a.kind === "string" && radix === 16) {
          s = Buffer.from(a.value, "utf8").toString("hex");
        } else if (a.kind === "float" && verb === "b") {
          s = bad(verb, a);
        } else {
          s = bad(verb, a);
        }
        if (verb === "X") s = s.toUpperCase();
        break;
      }
      case "e":
      case "E":
      case "f":
      case "F":
      case "g":
      case "G": {
        const f = a.kind === "float" ? a.value : undefined;
        if (f === undefined) {
          s = bad(verb, a);
          break;
        }
        if (verb === "e" || verb === "E") s = formatFloatE(f, prec ?? 6, verb === "E");
        else if (verb === "f" || verb === "F") s = f.toFixed(prec ?? 6);
        else s = formatFloatG(f, prec ?? -1);
        if (verb === "G") s = s.toUpperCase();
        if (plus && f >= 0) s = "+" + s;
        break;
      }
      case "t":
        s = bad(verb, a);
        break;
      case "c":
        s = a.kind === "int" ? String.fromCodePoint(Number(a.value)) : bad(verb, a);
        break;
      case "U":
        s = a.kind === "int" ? "U+" + a.value.toString(16).toUpperCase().padStart(4, "0") : bad(verb, a);
        break;
      default:
        s = bad(verb, a);
    }
    out += pad(s, width, left, zero && verb !== "s" && verb !== "v");
  }
  out += format.slice(last);
  if (argi < args.length) {
    out +=
      "%!(EXTRA " +
      args
        .slice(argi)
        .map(
          (a) =>
            `${a.kind === "int" ? "int" : a.kind === "float" ? "float64" : "string"}=${a.kind === "float" ? formatFloatG(a.value, -1) : String(a.value)}`,
        )
        .join(", ") +
      ")";
  }
  return out;
}

/** sprintf(format, values) as a host builtin. */
export function sprintf(format: unknown, values: unknown): string {
  expectOperand("sprintf", 1, format, "string", typeof format === "string");
  expectOperand("sprintf", 2, values, "array", Array.isArray(values));
  if (typeof format !== "string" || !Array.isArray(values)) throw new BuiltinError("sprintf", "bad operands");
  return goSprintf(format, values);
}
