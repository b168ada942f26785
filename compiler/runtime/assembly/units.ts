// units.parse_bytes as OPA defines it: lower-case the text, drop '"', split into a number
// ("10", "1.5", "1e3") and a unit (k/kb = 1000, ki/kib = 1024, ... up to e/eb and ei/eib), and
// return the product truncated toward zero as an exact integer.

import { malloc } from "./alloc";
import { magFromDigits, magMulSmall, magMul, magDivMod, numFromMag, resLen } from "./bigint";

export let unitsError: string = "";

function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

/** The number of bytes, or 0 with unitsError set. */
export function parseBytes(p: usize, n: u32): usize {
  unitsError = "";
  // lower-case copy without quotation marks
  let s = malloc(n > 0 ? n : 1);
  let sn: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let c = <u32>load<u8>(p + i);
    if (c == 0x22) continue;
    if (c == 0x20) {
      unitsError = "spaces not allowed in resource strings";
      return 0;
    }
    if (c - 0x41 < 26) c |= 0x20;
    store<u8>(s + sn, <u8>c);
    sn++;
  }
  // number part: digits, '.', '+', '-', and 'e' when followed by a digit or a sign
  let cut: u32 = sn;
  for (let i: u32 = 0; i < sn; i++) {
    let c = <u32>load<u8>(s + i);
    if (isDigit(c) || c == 0x2e || c == 0x2b || c == 0x2d) continue;
    if (c == 0x65 && i + 1 < sn) {
      let d = <u32>load<u8>(s + i + 1);
      if (isDigit(d) || d == 0x2b || d == 0x2d) {
        if (d == 0x2b || d == 0x2d) i++;
        continue;
      }
    }
    cut = i;
    break;
  }
  if (cut == 0) {
    unitsError = "no byte amount provided";
    return 0;
  }
  let unit = s + cut;
  let un = sn - cut;
  // multiplier as (base, power): 1000^k or 1024^k
  let k: i32 = -1;
  let binary = false;
  if (un == 0) k = 0;
  else {
    let c = <u32>load<u8>(unit);
    let idx = c == 0x6b ? 1 : c == 0x6d ? 2 : c == 0x67 ? 3 : c == 0x74 ? 4 : c == 0x70 ? 5 : c == 0x65 ? 6 : -1;
    if (idx > 0) {
      if (un == 1) k = idx;
      else if (un == 2 && load<u8>(unit, 1) == 0x62) k = idx;
      else if (un == 2 && load<u8>(unit, 1) == 0x69) {
        k = idx;
        binary = true;
      } else if (un == 3 && load<u8>(unit, 1) == 0x69 && load<u8>(unit, 2) == 0x62) {
        k = idx;
        binary = true;
      }
    }
  }
  if (k < 0) {
    unitsError = "byte unit not recognized";
    return 0;
  }
  // number: [+-] digits [. digits] [e [+-] digits], at least one digit in the mantissa
  let i: u32 = 0;
  let neg = false;
  if (i < cut && (load<u8>(s) == 0x2b || load<u8>(s) == 0x2d)) {
    neg = load<u8>(s) == 0x2d;
    i++;
  }
  let digits = malloc(cut + 1);
  let nd: u32 = 0;
  let frac: i32 = 0;
  let seenDot = false;
  while (i < cut) {
    let c = <u32>load<u8>(s + i);
    if (isDigit(c)) {
      store<u8>(digits + nd, <u8>c);
      nd++;
      if (seenDot) frac++;
    } else if (c == 0x2e && !seenDot) seenDot = true;
    else break;
    i++;
  }
  let e: i32 = 0;
  if (i < cut && load<u8>(s + i) == 0x65) {
    i++;
    let eneg = false;
    if (i < cut && (load<u8>(s + i) == 0x2b || load<u8>(s + i) == 0x2d)) {
      eneg = load<u8>(s + i) == 0x2d;
      i++;
    }
    let ed: u32 = 0;
    while (i < cut && isDigit(load<u8>(s + i))) {
      if (e < 100000) e = e * 10 + <i32>(load<u8>(s + i) - 0x30);
      ed++;
      i++;
    }
    if (ed == 0) nd = 0;
    if (eneg) e = -e;
  }
  if (nd == 0 || i != cut) {
    unitsError = "could not parse byte amount to a number";
    return 0;
  }
  let exp10 = e - frac;
  if (exp10 > 400 || exp10 < -400) {
    unitsError = "exponent too large";
    return 0;
  }
  let m = magFromDigits(digits, nd);
  let ml = resLen;
  for (let j = 0; j < k; j++) {
    m = magMulSmall(m, ml, binary ? 1024 : 1000, 0);
    ml = resLen;
  }
  if (exp10 >= 0) {
    for (let j = 0; j < exp10; j++) {
      m = magMulSmall(m, ml, 10, 0);
      ml = resLen;
    }
    return numFromMag(neg, m, ml);
  }
  let d = malloc(4);
  store<u32>(d, 1);
  let dl: u32 = 1;
  for (let j = 0; j < -exp10; j++) {
    d = magMulSmall(d, dl, 10, 0);
    dl = resLen;
  }
  let q = magDivMod(m, ml, d, dl);
  return numFromMag(neg, q, resLen);
}
