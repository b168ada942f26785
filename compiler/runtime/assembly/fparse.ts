// Correctly rounded decimal -> f64 for the numbers the fast path cannot take (more than 19
// significant digits or large exponents): the decimal is turned into an exact big integer
// ratio and rounded half-to-even at the f64 precision (subnormals included).

import { malloc, calloc } from "./alloc";
import { magMulSmall, magDivMod, magFromDigits, bitLen, trimLen, resLen, remLen } from "./bigint";

const MAX_DIGITS: u32 = 800;

// @ts-ignore: decorator
@inline
function bit(m: usize, i: u32): u32 {
  return (load<u32>(m + (<usize>(i >> 5) << 2)) >> (i & 31)) & 1;
}

function anyBitBelow(m: usize, i: u32): bool {
  // bits [0, i)
  let full = i >> 5;
  for (let k: u32 = 0; k < full; k++) if (load<u32>(m + (<usize>k << 2)) != 0) return true;
  let r = i & 31;
  if (r == 0) return false;
  return (load<u32>(m + (<usize>full << 2)) & ((<u32>1 << r) - 1)) != 0;
}

/** x * 2^k without intermediate overflow or double rounding (x an integer below 2^54). */
function scale2(x: f64, k: i32): f64 {
  while (k > 1000) {
    x *= 1.0715086071862673e301; // 2^1000
    k -= 1000;
  }
  while (k < -1000) {
    x *= 9.332636185032189e-302; // 2^-1000
    k += 1000;
  }
  return x * reinterpret<f64>(<u64>(k + 1023) << 52);
}

/** Rounds m * 2^e2 (m > 0, sticky = nonzero bits were dropped below m) to the nearest f64. */
function roundToF64(m: usize, ml: u32, e2: i32, sticky: bool): f64 {
  let L = <i32>bitLen(m, ml);
  if (L == 0) return 0;
  let top = L - 1 + e2;
  if (top > 1023) return Infinity;
  let prec = 53;
  if (top < -1022) prec = 53 - (-1022 - top);
  if (prec < 0) return 0;
  let shift = L - prec; // low bits dropped
  let mant: u64 = 0;
  if (shift <= 0) {
    for (let i = L - 1; i >= 0; i--) mant = (mant << 1) | <u64>bit(m, <u32>i);
    return scale2(<f64>mant, e2);
  }
  for (let i = L - 1; i >= shift; i--) mant = (mant << 1) | <u64>bit(m, <u32>i);
  let roundBit = bit(m, <u32>(shift - 1)) != 0;
  let rest = sticky || anyBitBelow(m, <u32>(shift - 1));
  if (roundBit && (rest || (mant & 1) != 0)) mant++;
  return scale2(<f64>mant, e2 + shift);
}

/** Correctly rounded |value| of validated JSON-number text (sign applied by the caller). */
export function exactTextToF64(p: usize, n: u32): f64 {
  let i: u32 = load<u8>(p) == 0x2d ? 1 : 0;
  let buf = malloc(n);
  let nd: u32 = 0;
  let fracDigits: i64 = 0;
  let truncated = false;
  let inFrac = false;
  for (; i < n; i++) {
    let c = <u32>load<u8>(p + i);
    if (c == 0x2e) {
      inFrac = true;
      continue;
    }
    if (c - 0x30 >= 10) break;
    if (nd == 0 && c == 0x30) {
      if (inFrac) fracDigits++;
      continue;
    }
    if (nd < MAX_DIGITS) {
      store<u8>(buf + nd, <u8>c);
      nd++;
      if (inFrac) fracDigits++;
    } else {
      if (c != 0x30) truncated = true;
      if (!inFrac) fracDigits--; // an integer digit dropped scales the kept ones up
    }
  }
  let e: i64 = 0;
  if (i < n) {
    i++;
    let eneg = false;
    if (load<u8>(p + i) == 0x2d) {
      eneg = true;
      i++;
    } else if (load<u8>(p + i) == 0x2b) i++;
    for (; i < n; i++) if (e < 100000000) e = e * 10 + <i64>(load<u8>(p + i) - 0x30);
    if (eneg) e = -e;
  }
  if (nd == 0) return 0;
  let exp10 = e - fracDigits; // value = digits * 10^exp10
  if (<i64>nd + exp10 > 310) return Infinity;
  if (<i64>nd + exp10 < -330) return 0;
  let s = magFromDigits(buf, nd);
  let sl = resLen;
  if (exp10 >= 0) {
    let k = <i32>exp10;
    while (k > 0) {
      let step = k > 9 ? 9 : k;
      let f: u32 = 1;
      for (let j = 0; j < step; j++) f *= 10;
      s = magMulSmall(s, sl, f, 0);
      sl = resLen;
      k -= step;
    }
    return roundToF64(s, sl, 0, truncated);
  }
  // digits / 10^-exp10: scale the numerator by 2^k so the quotient has at least 66 bits
  let d = calloc(4);
  store<u32>(d, 1);
  let dl: u32 = 1;
  let k10 = <i32>(-exp10);
  while (k10 > 0) {
    let step = k10 > 9 ? 9 : k10;
    let f: u32 = 1;
    for (let j = 0; j < step; j++) f *= 10;
    d = magMulSmall(d, dl, f, 0);
    dl = resLen;
    k10 -= step;
  }
  let k = <i32>bitLen(d, dl) - <i32>bitLen(s, sl) + 66;
  if (k < 0) k = 0;
  let kk = k;
  while (kk > 0) {
    let step = kk > 31 ? 31 : kk;
    s = magMulSmall(s, sl, <u32>1 << <u32>step, 0);
    sl = resLen;
    kk -= step;
  }
  let q = magDivMod(s, sl, d, dl);
  let ql = resLen;
  let sticky = remLen != 0 || truncated;
  return roundToF64(q, trimLen(q, ql), -k, sticky);
}
