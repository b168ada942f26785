// Exact comparison of numbers as the decimals they denote, for numbers whose value is known
// exactly: integers (i64 or big) and floats that keep their source text. Used when the f64
// approximations are equal (0.1234567890123456789 vs ...788, 1e-400 vs 0), as OPA compares
// numbers with arbitrary precision.

import { malloc } from "./alloc";
import { magToDecimal, resLen } from "./bigint";

// A decimal: neg, digits d1..dn (no leading or trailing zeros; n = 0 for zero), value 0.d1..dn * 10^dp.
let dNeg: bool = false;
let dDig: usize = 0;
let dN: u32 = 0;
let dDp: i64 = 0;

// @ts-ignore: decorator
@inline
function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

function fromDigits(neg: bool, p: usize, n: u32, intDigits: i64): void {
  // p[0..n) are all digits (point removed), the point sits after intDigits of them
  let lz: u32 = 0;
  while (lz < n && load<u8>(p + lz) == 0x30) lz++;
  let tz: u32 = 0;
  while (tz < n - lz && load<u8>(p + n - 1 - tz) == 0x30) tz++;
  dNeg = neg;
  dDig = p + lz;
  dN = n - lz - tz;
  dDp = intDigits - <i64>lz;
  if (dN == 0) {
    dNeg = false;
    dDp = 0;
  }
}

/** Loads the exact decimal of an integer or text-carrying float number into the d* globals. */
function loadDec(v: usize): void {
  let repr = load<u8>(v, 1);
  if (repr == 1) {
    let x = load<i64>(v, 8);
    let m: u64 = x < 0 ? <u64>0 - <u64>x : <u64>x;
    let buf = malloc(20);
    let k: u32 = 20;
    do {
      k--;
      store<u8>(buf + k, <u8>(0x30 + m % 10));
      m /= 10;
    } while (m != 0);
    fromDigits(x < 0, buf + k, 20 - k, <i64>(20 - k));
    return;
  }
  if (repr == 3) {
    let d = magToDecimal(load<u32>(v, 16), load<u32>(v, 4));
    fromDigits(load<u8>(v, 2) != 0, d, resLen, <i64>resLen);
    return;
  }
  // float with JSON-number text
  let p = load<u32>(v, 16);
  let n = load<u32>(v, 4);
  let neg = load<u8>(p) == 0x2d;
  let i: u32 = neg ? 1 : 0;
  let buf = malloc(n);
  let bn: u32 = 0;
  let intDigits: i64 = 0;
  while (i < n && isDigit(load<u8>(p + i))) {
    store<u8>(buf + bn++, load<u8>(p + i));
    intDigits++;
    i++;
  }
  if (i < n && load<u8>(p + i) == 0x2e) {
    i++;
    while (i < n && isDigit(load<u8>(p + i))) {
      store<u8>(buf + bn++, load<u8>(p + i));
      i++;
    }
  }
  if (i < n) {
    i++;
    let eneg = false;
    if (load<u8>(p + i) == 0x2d) {
      eneg = true;
      i++;
    } else if (load<u8>(p + i) == 0x2b) i++;
    let e: i64 = 0;
    while (i < n) {
      if (e < 100000000) e = e * 10 + <i64>(load<u8>(p + i) - 0x30);
      i++;
    }
    intDigits += eneg ? -e : e;
  }
  fromDigits(neg, buf, bn, intDigits);
}

/** True if the number's exact decimal value is known (integer, or float with source text). */
export function isExact(v: usize): bool {
  let repr = load<u8>(v, 1);
  return repr != 2 || load<u32>(v, 4) != 0;
}

/** Compares two exact numbers as decimals. */
export function cmpDecimal(a: usize, b: usize): i32 {
  loadDec(a);
  let an = dNeg;
  let ad = dDig;
  let al = dN;
  let ap = dDp;
  loadDec(b);
  let bn = dNeg;
  let bd = dDig;
  let bl = dN;
  let bp = dDp;
  let as: i32 = al == 0 ? 0 : an ? -1 : 1;
  let bs: i32 = bl == 0 ? 0 : bn ? -1 : 1;
  if (as != bs) return as < bs ? -1 : 1;
  if (as == 0) return 0;
  let c: i32 = 0;
  if (ap != bp) c = ap < bp ? -1 : 1;
  else {
    let n = al < bl ? al : bl;
    for (let i: u32 = 0; i < n && c == 0; i++) {
      let x = load<u8>(ad + i);
      let y = load<u8>(bd + i);
      if (x != y) c = x < y ? -1 : 1;
    }
    if (c == 0 && al != bl) c = al < bl ? -1 : 1;
  }
  return as < 0 ? -c : c;
}
