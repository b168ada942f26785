// time.now_ns and time.parse_rfc3339_ns. Nanosecond counts exceed 2^53, so results are
// returned as raw JSON bytes (the SDK loads an ArrayBuffer result verbatim) to stay exact.
import { BuiltinError, expectOperand } from "./errors";

/** Raw JSON text as an ArrayBuffer, which the SDK parses without JSON.stringify. */
export function rawJson(text: string): ArrayBuffer {
  const bytes = new TextEncoder().encode(text);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Nanoseconds since the epoch as a bigint. */
export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** time.now_ns(). */
export function timeNowNs(): ArrayBuffer {
  return rawJson(nowNs().toString());
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Parses an RFC 3339 timestamp to nanoseconds since the epoch; throws BuiltinError if invalid. */
export function parseRfc3339Ns(s: string): bigint {
  const m = RFC3339.exec(s);
  if (!m) throw new BuiltinError("time.parse_rfc3339_ns", `parsing time ${JSON.stringify(s)} as RFC 3339 failed`);
  const [, y, mo, d, h, mi, sec, frac, z, sign, oh, om] = m;
  const [Y, M, D, H, Mi, S] = [y, mo, d, h, mi, sec].map(Number);
  const days = new Date(Date.UTC(Y, M, 0)).getUTCDate();
  if (
    M < 1 ||
    M > 12 ||
    D < 1 ||
    D > days ||
    H > 23 ||
    Mi > 59 ||
    S > 59 ||
    (!z && (Number(oh) > 23 || Number(om) > 59))
  ) {
    throw new BuiltinError("time.parse_rfc3339_ns", `parsing time ${JSON.stringify(s)}: value out of range`);
  }
  const utc = new Date(0);
  utc.setUTCFullYear(Y, M - 1, D);
  utc.setUTCHours(H, Mi, S, 0);
  let ns = BigInt(utc.getTime()) * 1_000_000n + BigInt((frac ?? "").padEnd(9, "0") || "0");
  if (!z) {
    const offset = BigInt(Number(oh) * 3600 + Number(om) * 60) * 1_000_000_000n;
    ns = sign === "+" ? ns - offset : ns + offset;
  }
  return ns;
}

/** time.parse_rfc3339_ns(value). */
export function timeParseRfc3339Ns(value: unknown): ArrayBuffer {
  expectOperand("time.parse_rfc3339_ns", 1, value, "string", typeof value === "string");
  return rawJson(parseRfc3339Ns(value as string).toString());
}
