// JSON parsing into values and text output (JSON and Rego) through one growable buffer.
// The parser never traps on bad input: every failure path returns 0.

import { malloc, regrow } from "./alloc";
import {
  T_NULL, T_BOOL, T_NUM, T_STR, T_ARR, T_OBJ, T_SET, NULL_V, TRUE_V, FALSE_V,
  numInt, numFloat, numFloatText, isInt, str, strLen, strPtr, arrNew, arrPush, arrLen, arrGet,
  htNew, htNewCap, htInsert, htLen, htKey, htVal, boolVal, sortedKeys, utf8Encode,
  strHashed, strBytesHash, strHash, htInsertHashed,
} from "./value";
import { exactTextToF64 } from "./fparse";
import { NUM_BIG, MAX_BIG_DIGITS, magFromDigits, numFromMag, magToDecimal, resLen } from "./bigint";
import { dtoa_buffered } from "util/number";

// ---- numbers from text

const MAX_SAFE: u64 = 9007199254740992; // 2^53
const POW10: usize = memory.data<f64>([
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]);

// @ts-ignore: decorator
@inline
function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

/** Length of the JSON number at [p, end), or 0 if none starts there. */
export function scanNumber(p: usize, end: usize): u32 {
  let q = p;
  if (q < end && load<u8>(q) == 0x2d) q++;
  if (q >= end) return 0;
  let c = <u32>load<u8>(q);
  if (c == 0x30) q++;
  else if (c - 0x31 < 9) {
    while (q < end && isDigit(load<u8>(q))) q++;
  } else return 0;
  if (q < end && load<u8>(q) == 0x2e) {
    q++;
    if (q >= end || !isDigit(load<u8>(q))) return 0;
    while (q < end && isDigit(load<u8>(q))) q++;
  }
  if (q < end && (load<u8>(q) | 0x20) == 0x65) {
    q++;
    if (q < end && (load<u8>(q) == 0x2b || load<u8>(q) == 0x2d)) q++;
    if (q >= end || !isDigit(load<u8>(q))) return 0;
    while (q < end && isDigit(load<u8>(q))) q++;
  }
  return <u32>(q - p);
}

/** Decimal text (already validated as a JSON number) to f64, exact on the common fast path. */
function textToF64(p: usize, n: u32): f64 {
  let neg = load<u8>(p) == 0x2d;
  let i: u32 = neg ? 1 : 0;
  let mant: u64 = 0;
  let digits: u32 = 0;
  let exp10: i32 = 0;
  let exact = true;
  while (i < n && isDigit(load<u8>(p + i))) {
    let d = <u64>(load<u8>(p + i) - 0x30);
    if (digits < 19) {
      mant = mant * 10 + d;
      if (mant != 0) digits++;
    } else {
      exp10++;
      if (d != 0) exact = false;
    }
    i++;
  }
  if (i < n && load<u8>(p + i) == 0x2e) {
    i++;
    while (i < n && isDigit(load<u8>(p + i))) {
      let d = <u64>(load<u8>(p + i) - 0x30);
      if (digits < 19) {
        mant = mant * 10 + d;
        if (mant != 0) digits++;
        exp10--;
      } else if (d != 0) exact = false;
      i++;
    }
  }
  if (i < n) {
    i++; // e or E
    let eneg = false;
    if (load<u8>(p + i) == 0x2d) {
      eneg = true;
      i++;
    } else if (load<u8>(p + i) == 0x2b) i++;
    let e: i32 = 0;
    while (i < n) {
      if (e < 100000) e = e * 10 + <i32>(load<u8>(p + i) - 0x30);
      i++;
    }
    exp10 += eneg ? -e : e;
  }
  if (exact && mant <= MAX_SAFE && exp10 >= -22 && exp10 <= 22) {
    let f = <f64>mant;
    if (exp10 >= 0) f *= load<f64>(POW10 + (<usize>exp10 << 3));
    else f /= load<f64>(POW10 + (<usize>-exp10 << 3));
    return neg ? -f : f;
  }
  if (mant == 0) return neg ? -0.0 : 0.0;
  let f = exactTextToF64(p, n);
  return neg ? -f : f;
}

/**
 * A number value from JSON-number text. Integral values are exact: i64 when they fit, else big
 * (up to MAX_BIG_DIGITS digits, exponent forms included: "1e30"); others are floats that keep
 * their source text.
 */
export function numberFromText(p: usize, n: u32): usize {
  let neg = load<u8>(p) == 0x2d;
  let i: u32 = neg ? 1 : 0;
  // Fast path: a plain integer of at most 18 digits.
  if (n - i <= 18) {
    let acc: i64 = 0;
    let k = i;
    while (k < n) {
      let c = <u32>load<u8>(p + k) - 0x30;
      if (c >= 10) break;
      acc = acc * 10 + <i64>c;
      k++;
    }
    if (k == n) return numInt(neg ? -acc : acc);
  }
  let intStart = i;
  while (i < n && isDigit(load<u8>(p + i))) i++;
  let intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < n && load<u8>(p + i) == 0x2e) {
    i++;
    fracStart = i;
    while (i < n && isDigit(load<u8>(p + i))) i++;
    fracEnd = i;
  }
  let e: i32 = 0;
  if (i < n) {
    i++; // e or E
    let eneg = false;
    if (load<u8>(p + i) == 0x2d) {
      eneg = true;
      i++;
    } else if (load<u8>(p + i) == 0x2b) i++;
    while (i < n) {
      if (e < 1000000) e = e * 10 + <i32>(load<u8>(p + i) - 0x30);
      i++;
    }
    if (eneg) e = -e;
  }
  // The digit sequence without the point: int digits then fraction digits.
  let intLen = intEnd - intStart;
  let fracLen = fracEnd - fracStart;
  let total = intLen + fracLen;
  let lz: u32 = 0;
  while (lz < total && digitAt(p, intStart, intLen, fracStart, lz) == 0) lz++;
  if (lz == total) return numInt(0);
  let tz: u32 = 0;
  while (digitAt(p, intStart, intLen, fracStart, total - 1 - tz) == 0) tz++;
  let sig = total - lz - tz;
  let exp10: i64 = <i64>e - <i64>fracLen + <i64>tz; // value = S * 10^exp10
  if (exp10 >= 0 && <i64>sig + exp10 <= <i64>MAX_BIG_DIGITS) {
    let digits = sig + <u32>exp10;
    if (digits <= 18) {
      let acc: i64 = 0;
      for (let k: u32 = 0; k < sig; k++) acc = acc * 10 + <i64>digitAt(p, intStart, intLen, fracStart, lz + k);
      for (let k: u32 = 0; k < <u32>exp10; k++) acc *= 10;
      return numInt(neg ? -acc : acc);
    }
    let buf = malloc(digits);
    for (let k: u32 = 0; k < sig; k++) store<u8>(buf + k, 0x30 + <u8>digitAt(p, intStart, intLen, fracStart, lz + k));
    for (let k = sig; k < digits; k++) store<u8>(buf + k, 0x30);
    let m = magFromDigits(buf, digits);
    return numFromMag(neg, m, resLen);
  }
  // Not an integer: a float that keeps its text, even when the f64 rounds to an integral value
  // (1e-400 -> 0, 3.0000000000000000001 -> 3), so comparisons can stay exact.
  return numFloatText(textToF64(p, n), p, n);
}

// k-th digit of the sequence int digits ++ fraction digits.
// @ts-ignore: decorator
@inline
function digitAt(p: usize, intStart: u32, intLen: u32, fracStart: u32, k: u32): u32 {
  return <u32>load<u8>(p + (k < intLen ? intStart + k : fracStart + k - intLen)) - 0x30;
}

// ---- parser state (module globals: parsing is not re-entrant)

let pp: usize = 0;
let pend: usize = 0;
let perr: bool = false;
const MAX_DEPTH: i32 = 2000;

// @ts-ignore: decorator
@inline
function skipWs(): void {
  while (pp < pend) {
    let c = load<u8>(pp);
    if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) pp++;
    else break;
  }
}

function hex4(p: usize): i32 {
  let v: i32 = 0;
  for (let i: usize = 0; i < 4; i++) {
    let c = <i32>load<u8>(p + i);
    let d: i32;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) d = (c | 0x20) - 0x61 + 10;
    else return -1;
    v = (v << 4) | d;
  }
  return v;
}

// Object keys repeat (arrays of same-shaped objects): one string value per distinct key text,
// hash computed once. Direct-mapped by hash; cleared by every parseJSON (entries are heap values).
const KEY_CACHE_SIZE: u32 = 256;
const keyCache: usize = memory.data(256 * 4, 4);

// Keys are short: a word loop beats memory.compare's alignment handling.
function sameBytes(a: usize, b: usize, n: u32): bool {
  let i: u32 = 0;
  for (; i + 4 <= n; i += 4) if (load<u32>(a + i) != load<u32>(b + i)) return false;
  for (; i < n; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

function internKey(p: usize, n: u32): usize {
  // The slot comes from the length and the first and last four bytes, so a repeated key costs
  // one comparison and no hashing; the full hash is computed once per distinct key.
  let a: u32 = 0;
  let b: u32 = 0;
  if (n >= 4) {
    a = load<u32>(p);
    b = load<u32>(p + n - 4);
  } else for (let j: u32 = 0; j < n; j++) a |= (<u32>load<u8>(p + j)) << (j << 3);
  let mix = (a * 0x9e3779b1) ^ (b * 0x85ebca6b) ^ (n * 0xc2b2ae35);
  let slot = keyCache + (<usize>(mix >>> 24) << 2);
  let c = <usize>load<u32>(slot);
  if (c != 0 && strLen(c) == n && sameBytes(strPtr(c), p, n)) return c;
  c = strHashed(p, n, strBytesHash(p, n));
  store<u32>(slot, c);
  return c;
}

// Capacity of the last object finished at each nesting depth: the next object there usually has
// the same shape, so its entries are allocated once instead of regrown (a hint, capped).
const HINT_DEPTHS: i32 = 64;
const MAX_HINT: u32 = 64;
const objHints: usize = memory.data(64 * 4, 4);

function parseString(key: bool = false): usize {
  // pp is at the opening quote
  pp++;
  let start = pp;
  let escapes = false;
  // Eight bytes at a time while none is a quote, a backslash or a control character.
  while (pp + 8 <= pend) {
    let w = load<u64>(pp);
    let q = w ^ 0x2222222222222222;
    let b = w ^ 0x5c5c5c5c5c5c5c5c;
    let t = ((q - 0x0101010101010101) & ~q) | ((b - 0x0101010101010101) & ~b) | ((w - 0x2020202020202020) & ~w);
    t &= 0x8080808080808080;
    if (t != 0) {
      // The lowest flagged byte is exact (borrows only corrupt bytes above it): jump to it.
      pp += <usize>(ctz<u64>(t) >> 3);
      break;
    }
    pp += 8;
  }
  while (true) {
    if (pp >= pend) return fail();
    let c = load<u8>(pp);
    if (c == 0x22) break;
    if (c < 0x20) return fail();
    if (c == 0x5c) {
      escapes = true;
      pp += 2;
    } else pp++;
  }
  let rawLen = <u32>(pp - start);
  pp++; // closing quote
  if (!escapes) return key ? internKey(start, rawLen) : str(start, rawLen);
  // Escapes only shrink the text, so rawLen bytes suffice.
  let out = malloc(rawLen);
  let o = out;
  let q = start;
  let qend = start + rawLen;
  while (q < qend) {
    let c = load<u8>(q);
    if (c != 0x5c) {
      store<u8>(o++, c);
      q++;
      continue;
    }
    if (q + 1 >= qend) return fail();
    let e = load<u8>(q + 1);
    q += 2;
    switch (e) {
      case 0x22: store<u8>(o++, 0x22); break;
      case 0x5c: store<u8>(o++, 0x5c); break;
      case 0x2f: store<u8>(o++, 0x2f); break;
      case 0x62: store<u8>(o++, 0x08); break;
      case 0x66: store<u8>(o++, 0x0c); break;
      case 0x6e: store<u8>(o++, 0x0a); break;
      case 0x72: store<u8>(o++, 0x0d); break;
      case 0x74: store<u8>(o++, 0x09); break;
      case 0x75: {
        if (q + 4 > qend) return fail();
        let cp = hex4(q);
        if (cp < 0) return fail();
        q += 4;
        if (cp >= 0xd800 && cp < 0xdc00) {
          // A high surrogate needs a following \uDC00-\uDFFF; a lone one becomes U+FFFD.
          if (q + 6 <= qend && load<u8>(q) == 0x5c && load<u8>(q + 1) == 0x75) {
            let lo = hex4(q + 2);
            if (lo >= 0xdc00 && lo < 0xe000) {
              cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
              q += 6;
            } else cp = 0xfffd;
          } else cp = 0xfffd;
        } else if (cp >= 0xdc00 && cp < 0xe000) cp = 0xfffd;
        o += utf8Encode(o, <u32>cp);
        break;
      }
      default:
        return fail();
    }
  }
  return str(out, <u32>(o - out));
}

// @ts-ignore: decorator
@inline
function fail(): usize {
  perr = true;
  return 0;
}

function matchLit(a: u8, b: u8, c: u8, d: u8, n: u32): bool {
  if (pp + n > pend) return false;
  if (load<u8>(pp) != a || load<u8>(pp, 1) != b || load<u8>(pp, 2) != c) return false;
  if (n == 4 && load<u8>(pp, 3) != d) return false;
  return true;
}

function parseValue(depth: i32): usize {
  if (depth > MAX_DEPTH) return fail();
  skipWs();
  if (pp >= pend) return fail();
  let c = load<u8>(pp);
  switch (c) {
    case 0x7b: { // {
      pp++;
      let hintAt = objHints + (<usize>(depth < HINT_DEPTHS ? depth : HINT_DEPTHS - 1) << 2);
      skipWs();
      if (pp < pend && load<u8>(pp) == 0x7d) {
        pp++;
        return htNew(T_OBJ);
      }
      let obj = htNewCap(T_OBJ, load<u32>(hintAt));
      while (true) {
        skipWs();
        if (pp >= pend || load<u8>(pp) != 0x22) return fail();
        let k = parseString(true);
        if (perr) return 0;
        skipWs();
        if (pp >= pend || load<u8>(pp) != 0x3a) return fail();
        pp++;
        let v = parseValue(depth + 1);
        if (perr) return 0;
        htInsertHashed(obj, k, v, strHash(k));
        skipWs();
        if (pp >= pend) return fail();
        let d = load<u8>(pp);
        pp++;
        if (d == 0x2c) continue;
        if (d == 0x7d) {
          let n = htLen(obj);
          store<u32>(hintAt, n < MAX_HINT ? n : MAX_HINT);
          return obj;
        }
        return fail();
      }
    }
    case 0x5b: { // [
      pp++;
      let arr = arrNew(0);
      skipWs();
      if (pp < pend && load<u8>(pp) == 0x5d) {
        pp++;
        return arr;
      }
      while (true) {
        let v = parseValue(depth + 1);
        if (perr) return 0;
        arrPush(arr, v);
        skipWs();
        if (pp >= pend) return fail();
        let d = load<u8>(pp);
        pp++;
        if (d == 0x2c) continue;
        if (d == 0x5d) return arr;
        return fail();
      }
    }
    case 0x22:
      return parseString();
    case 0x74:
      if (matchLit(0x74, 0x72, 0x75, 0x65, 4)) {
        pp += 4;
        return TRUE_V;
      }
      return fail();
    case 0x66:
      if (pp + 5 <= pend && matchLit(0x66, 0x61, 0x6c, 0x73, 4) && load<u8>(pp, 4) == 0x65) {
        pp += 5;
        return FALSE_V;
      }
      return fail();
    case 0x6e:
      if (matchLit(0x6e, 0x75, 0x6c, 0x6c, 4)) {
        pp += 4;
        return NULL_V;
      }
      return fail();
  }
  // Fast path: a plain integer of at most 18 digits without a leading zero (the common case).
  {
    let q = pp;
    if (c == 0x2d) q++;
    let start = q;
    let acc: i64 = 0;
    while (q < pend && q - start < 18) {
      let d = <u32>load<u8>(q) - 0x30;
      if (d >= 10) break;
      acc = acc * 10 + <i64>d;
      q++;
    }
    let digits = q - start;
    if (digits > 0 && (digits == 1 || load<u8>(start) != 0x30)) {
      let next: u32 = q < pend ? <u32>load<u8>(q) : 0;
      if (next - 0x30 >= 10 && next != 0x2e && (next | 0x20) != 0x65) {
        pp = q;
        return numInt(c == 0x2d ? -acc : acc);
      }
    }
  }
  let n = scanNumber(pp, pend);
  if (n == 0) return fail();
  let v = numberFromText(pp, n);
  pp += n;
  return v;
}

/** Parses len bytes of JSON at p; 0 if malformed. Values may point into the source bytes. */
export function parseJSON(p: usize, len: u32): usize {
  pp = p;
  pend = p + len;
  perr = false;
  memory.fill(keyCache, 0, <usize>KEY_CACHE_SIZE << 2);
  memory.fill(objHints, 0, <usize>HINT_DEPTHS << 2);
  let v = parseValue(0);
  if (perr || v == 0) return 0;
  skipWs();
  if (pp != pend) return 0;
  return v;
}

// ---- output buffer

let ob: usize = 0;
let olen: u32 = 0;
let ocap: u32 = 0;

/** Starts a fresh output buffer. */
export function outStart(): void {
  ocap = 256;
  ob = malloc(ocap);
  olen = 0;
}

// @ts-ignore: decorator
@inline
function reserve(n: u32): void {
  if (olen + n > ocap) growOut(n);
}

function growOut(n: u32): void {
  let ncap = ocap << 1;
  while (ncap < olen + n) ncap <<= 1;
  ob = regrow(ob, ocap, ncap);
  ocap = ncap;
}

/** Appends one byte. */
export function outByte(b: u8): void {
  reserve(1);
  store<u8>(ob + olen, b);
  olen++;
}

/** Appends n bytes from p. */
export function outBytes(p: usize, n: u32): void {
  reserve(n);
  memory.copy(ob + olen, p, n);
  olen += n;
}

/** Appends an ASCII AssemblyScript literal. */
export function outLit(s: string): void {
  let n = <u32>s.length;
  reserve(n);
  let src = changetype<usize>(s);
  for (let i: u32 = 0; i < n; i++) store<u8>(ob + olen + i, <u8>load<u16>(src + (<usize>i << 1)));
  olen += n;
}

/** Appends a decimal i64. */
export function outInt(x: i64): void {
  reserve(21);
  if (x < 0) {
    store<u8>(ob + olen, 0x2d);
    olen++;
  }
  // Work on the negative magnitude so i64.MIN_VALUE needs no special case.
  let m: i64 = x < 0 ? x : -x;
  let tmp = ob + olen + 20;
  let k: u32 = 0;
  do {
    let d = <u8>(-(m % 10));
    m /= 10;
    store<u8>(tmp - k, 0x30 + d);
    k++;
  } while (m != 0);
  memory.copy(ob + olen, tmp - k + 1, k);
  olen += k;
}

/** Appends a decimal u64. */
function outU64(m: u64): void {
  reserve(20);
  let tmp = ob + olen + 19;
  let k: u32 = 0;
  do {
    store<u8>(tmp - k, <u8>(0x30 + m % 10));
    m /= 10;
    k++;
  } while (m != 0);
  memory.copy(ob + olen, tmp - k + 1, k);
  olen += k;
}

const dtoaBuf: usize = memory.data(64 << 1);

/** Appends a float in shortest round-trip form (no trailing ".0"). */
export function outFloat(f: f64): void {
  if (!isFinite(f)) {
    outLit("null");
    return;
  }
  // Integral floats below 2^64 print exactly (as Go's big numbers would), not as 9223372036854776000.
  let af = Math.abs(f);
  if (af == Math.floor(af) && af < 18446744073709551616.0) {
    reserve(21);
    if (f < 0) outByte(0x2d);
    outU64(<u64>af);
    return;
  }
  let n = dtoa_buffered(dtoaBuf, f);
  if (n >= 2 && load<u16>(dtoaBuf + ((<usize>n - 2) << 1)) == 0x2e && load<u16>(dtoaBuf + ((<usize>n - 1) << 1)) == 0x30) n -= 2;
  reserve(n);
  for (let i: u32 = 0; i < n; i++) store<u8>(ob + olen + i, <u8>load<u16>(dtoaBuf + (<usize>i << 1)));
  olen += n;
}

/** Appends a number value as text (kept source text when present). */
export function outNumber(v: usize): void {
  if (isInt(v)) outInt(load<i64>(v, 8));
  else if (load<u8>(v, 1) == NUM_BIG) {
    if (load<u8>(v, 2)) outByte(0x2d);
    let d = magToDecimal(load<u32>(v, 16), load<u32>(v, 4));
    outBytes(d, resLen);
  } else {
    let tl = load<u32>(v, 4);
    if (tl != 0) outBytes(load<u32>(v, 16), tl);
    else outFloat(load<f64>(v, 8));
  }
}

const HEX: usize = memory.data<u8>([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]);

function outU4(c: u32): void {
  outLit("\\u");
  outByte(load<u8>(HEX + ((c >> 12) & 15)));
  outByte(load<u8>(HEX + ((c >> 8) & 15)));
  outByte(load<u8>(HEX + ((c >> 4) & 15)));
  outByte(load<u8>(HEX + (c & 15)));
}

/** Appends a JSON string literal; html = Go's json.Marshal escaping of <, >, &, U+2028/9. */
export function outString(p: usize, n: u32, html: bool): void {
  reserve(n + 2);
  store<u8>(ob + olen, 0x22);
  olen++;
  let run = p;
  let end = p + n;
  let q = p;
  while (q < end) {
    // Outside Go's HTML escaping, skip eight bytes at a time while none is a quote, a backslash
    // or a control character (as parseString scans), then copy the run at once.
    if (!html) {
      while (q + 8 <= end) {
        let w = load<u64>(q);
        let x = w ^ 0x2222222222222222;
        let y = w ^ 0x5c5c5c5c5c5c5c5c;
        let t = ((x - 0x0101010101010101) & ~x) | ((y - 0x0101010101010101) & ~y) | ((w - 0x2020202020202020) & ~w);
        t &= 0x8080808080808080;
        if (t != 0) {
          q += <usize>(ctz<u64>(t) >> 3);
          break;
        }
        q += 8;
      }
      if (q >= end) break;
    }
    let c = <u32>load<u8>(q);
    let esc = c < 0x20 || c == 0x22 || c == 0x5c;
    if (html && !esc) {
      if (c == 0x3c || c == 0x3e || c == 0x26) esc = true;
      else if (c == 0xe2 && q + 2 < end && load<u8>(q, 1) == 0x80 && (load<u8>(q, 2) == 0xa8 || load<u8>(q, 2) == 0xa9)) {
        if (q > run) outBytes(run, <u32>(q - run));
        outU4(load<u8>(q, 2) == 0xa8 ? 0x2028 : 0x2029);
        q += 3;
        run = q;
        continue;
      }
    }
    if (!esc) {
      q++;
      continue;
    }
    if (q > run) outBytes(run, <u32>(q - run));
    if (c == 0x22) outLit("\\\"");
    else if (c == 0x5c) outLit("\\\\");
    else if (c == 0x0a) outLit("\\n");
    else if (c == 0x0d) outLit("\\r");
    else if (c == 0x09) outLit("\\t");
    else if (c == 0x08 && !html) outLit("\\b");
    else if (c == 0x0c && !html) outLit("\\f");
    else outU4(c);
    q++;
    run = q;
  }
  if (q > run) outBytes(run, <u32>(q - run));
  outByte(0x22);
}

export const MODE_JSON: i32 = 0;
export const MODE_REGO: i32 = 1;
export const MODE_MARSHAL: i32 = 2; // json.marshal: sorted object keys, Go HTML escaping

/** Appends value v as JSON (sets as sorted arrays) or as Rego text. */
export function outValue(v: usize, mode: i32): void {
  switch (load<u8>(v)) {
    case T_NULL:
      outLit("null");
      return;
    case T_BOOL:
      if (boolVal(v)) outLit("true");
      else outLit("false");
      return;
    case T_NUM:
      outNumber(v);
      return;
    case T_STR:
      outString(strPtr(v), strLen(v), mode == MODE_MARSHAL);
      return;
    case T_ARR: {
      outByte(0x5b);
      let n = arrLen(v);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) {
          if (mode == MODE_REGO) outLit(", ");
          else outByte(0x2c);
        }
        outValue(arrGet(v, i), mode);
      }
      outByte(0x5d);
      return;
    }
    case T_OBJ: {
      outByte(0x7b);
      let n = htLen(v);
      let keys: usize = mode == MODE_MARSHAL ? sortedKeys(v) : 0;
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) {
          if (mode == MODE_REGO) outLit(", ");
          else outByte(0x2c);
        }
        let k: usize;
        let val: usize;
        if (keys != 0) {
          k = load<u32>(keys + (<usize>i << 2));
          val = objGetSorted(v, k);
        } else {
          k = htKey(v, i);
          val = htVal(v, i);
        }
        if (load<u8>(k) == T_STR || mode == MODE_REGO) outValue(k, mode);
        else {
          // JSON keys must be strings: non-string keys are written as their JSON text, quoted.
          let saveLen = olen;
          outValue(k, mode);
          let textLen = olen - saveLen;
          let tmp = malloc(textLen);
          memory.copy(tmp, ob + saveLen, textLen);
          olen = saveLen;
          outString(tmp, textLen, mode == MODE_MARSHAL);
        }
        if (mode == MODE_REGO) outLit(": ");
        else outByte(0x3a);
        outValue(val, mode);
      }
      outByte(0x7d);
      return;
    }
    case T_SET: {
      let n = htLen(v);
      if (mode == MODE_REGO && n == 0) {
        outLit("set()");
        return;
      }
      let keys = sortedKeys(v);
      outByte(mode == MODE_REGO ? 0x7b : 0x5b);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) {
          if (mode == MODE_REGO) outLit(", ");
          else outByte(0x2c);
        }
        outValue(load<u32>(keys + (<usize>i << 2)), mode);
      }
      outByte(mode == MODE_REGO ? 0x7d : 0x5d);
      return;
    }
  }
}

import { objGet } from "./value";

// @ts-ignore: decorator
@inline
function objGetSorted(v: usize, k: usize): usize {
  return objGet(v, k);
}

/** Dumps v into a fresh NUL-terminated buffer; returns its address. */
export function dumpCStr(v: usize, mode: i32): usize {
  outStart();
  outValue(v, mode);
  outByte(0);
  return ob;
}

/** Dumps v into a fresh buffer and returns a string value over it (no NUL). */
export function dumpStr(v: usize, mode: i32): usize {
  outStart();
  outValue(v, mode);
  return str(ob, olen);
}

/** Address of the current output buffer. */
export function outPtr(): usize {
  return ob;
}

/** Bytes written to the current output buffer. */
export function outLen(): u32 {
  return olen;
}
