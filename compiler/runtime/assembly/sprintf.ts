// sprintf(format, args) with Go's fmt semantics as OPA calls it: integer numbers are Go ints
// (or *big.Int beyond i64), other numbers float64, strings strings, and every other value its
// Rego text (so %v of an array prints [1, "a"]). Verbs: %v %s %d %b %o %O %x %X %c %q %U %e %E
// %f %F %g %G %t %T %%, flags - + # 0 space, width, precision; Go's %!verb(type=value),
// %!verb(MISSING), %!(EXTRA ...) and %!(NOVERB) markers for mismatches.

import { malloc } from "./alloc";
import { T_STR, T_NUM, arrLen, arrGet, strPtr, strLen, str, intVal, utf8Count, utf8SeqLen, utf8Decode, utf8Encode } from "./value";
import { outStart, outByte, outBytes, outLit, outPtr, outLen, dumpStr, MODE_REGO } from "./json";
import { NUM_BIG, magToDecimal, magToBase, magMulSmall, resLen } from "./bigint";
import { dtoa_buffered } from "util/number";

const K_INT: u32 = 1;
const K_BIG: u32 = 2;
const K_FLOAT: u32 = 3;
const K_STR: u32 = 4;

// Per-argument table (16 bytes): kind @0, ptr @4 (string bytes / value), len @8.
let args: usize = 0;
let nargs: u32 = 0;

// Directive state.
let fMinus = false;
let fPlus = false;
let fSharp = false;
let fZero = false;
let fSpace = false;
let width: i32 = -1;
let prec: i32 = -1;

// ---- digits of floats: value = 0.d1d2..dn * 10^dp, no trailing zeros

let dg: usize = 0;
let nd: i32 = 0;
let dp: i32 = 0;

const dtoaScratch: usize = memory.data(64 << 1);

/** Shortest round-trip digits of |f| (f finite, non-zero). */
function shortestDigits(f: f64): void {
  let n = dtoa_buffered(dtoaScratch, Math.abs(f));
  dg = malloc(32);
  nd = 0;
  let pointAt: i32 = -1;
  let exp: i32 = 0;
  let intDigits: i32 = 0;
  let i: u32 = 0;
  let seenNonZero = false;
  let leadingZerosAfterPoint: i32 = 0;
  while (i < n) {
    let c = <u32>load<u16>(dtoaScratch + (<usize>i << 1));
    if (c == 0x2e) {
      pointAt = nd;
    } else if (c == 0x65) {
      i++;
      let neg = false;
      let c2 = <u32>load<u16>(dtoaScratch + (<usize>i << 1));
      if (c2 == 0x2d) {
        neg = true;
        i++;
      } else if (c2 == 0x2b) i++;
      while (i < n) {
        exp = exp * 10 + <i32>(load<u16>(dtoaScratch + (<usize>i << 1)) - 0x30);
        i++;
      }
      if (neg) exp = -exp;
      break;
    } else {
      if (!seenNonZero && c == 0x30) {
        if (pointAt >= 0) leadingZerosAfterPoint++;
      } else {
        seenNonZero = true;
        store<u8>(dg + nd, <u8>c);
        nd++;
        if (pointAt < 0) intDigits++;
      }
    }
    i++;
  }
  // "123.45" -> digits 12345, dp 3; "0.00123" -> 123, dp -2; "1.5e+21" -> 15, dp 22
  if (intDigits > 0) dp = intDigits;
  else dp = -leadingZerosAfterPoint;
  dp += exp;
  while (nd > 0 && load<u8>(dg + nd - 1) == 0x30) nd--;
}

/** Exact decimal digits of |f| (f finite, non-zero): mantissa * 2^e written out in full. */
function exactDigits(f: f64): void {
  let bits = reinterpret<u64>(Math.abs(f));
  let be = <i32>((bits >> 52) & 0x7ff);
  let mant = bits & 0xfffffffffffff;
  if (be == 0) be = 1;
  else mant |= <u64>1 << 52;
  let e2 = be - 1075; // |f| = mant * 2^e2
  let m = malloc(8);
  store<u64>(m, mant);
  let ml: u32 = mant > 0xffffffff ? 2 : 1;
  let scale: i32 = 0;
  if (e2 >= 0) {
    let k = e2;
    while (k > 0) {
      let step = k > 31 ? 31 : k;
      m = magMulSmall(m, ml, <u32>1 << <u32>step, 0);
      ml = resLen;
      k -= step;
    }
  } else {
    // mant / 2^k = mant * 5^k / 10^k; multiply by 5^13 (< 2^32) at a time
    let k = -e2;
    while (k > 0) {
      let step = k > 13 ? 13 : k;
      let f5: u32 = 1;
      for (let j = 0; j < step; j++) f5 *= 5;
      m = magMulSmall(m, ml, f5, 0);
      ml = resLen;
      k -= step;
    }
    scale = -e2;
  }
  let d = magToDecimal(m, ml);
  let n = <i32>resLen;
  dg = d;
  nd = n;
  dp = n - scale;
  while (nd > 0 && load<u8>(dg + nd - 1) == 0x30) nd--;
}

/** Rounds the digits to keep `keep` of them, half to even (the digits are exact). */
function roundTo(keep: i32): void {
  if (keep < 0) {
    nd = 0;
    return;
  }
  if (keep >= nd) return;
  let up = false;
  let next = load<u8>(dg + keep);
  if (next > 0x35) up = true;
  else if (next == 0x35) {
    if (keep + 1 < nd) up = true;
    else up = keep > 0 && ((load<u8>(dg + keep - 1) - 0x30) & 1) == 1;
  }
  nd = keep;
  if (up) {
    let i = keep - 1;
    while (i >= 0 && load<u8>(dg + i) == 0x39) i--;
    if (i < 0) {
      // 999 -> 1000
      store<u8>(dg, 0x31);
      nd = 1;
      dp++;
      return;
    }
    store<u8>(dg + i, load<u8>(dg + i) + 1);
    nd = i + 1;
  }
  while (nd > 0 && load<u8>(dg + nd - 1) == 0x30) nd--;
}

// Digit i of the current digit string, '0' past its end.
// @ts-ignore: decorator
@inline
function digit(i: i32): u8 {
  return i >= 0 && i < nd ? load<u8>(dg + i) : 0x30;
}

// Body builder for one directive (sign is handled separately for padding).
let bb: usize = 0;
let bl: u32 = 0;
let bcap: u32 = 0;

function bStart(): void {
  bcap = 64;
  bb = malloc(bcap);
  bl = 0;
}

function bByte(c: u8): void {
  if (bl == bcap) {
    let q = malloc(bcap << 1);
    memory.copy(q, bb, bcap);
    bb = q;
    bcap <<= 1;
  }
  store<u8>(bb + bl, c);
  bl++;
}

function bBytes(p: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) bByte(load<u8>(p + i));
}

function bLit(s: string): void {
  let n = s.length;
  let src = changetype<usize>(s);
  for (let i = 0; i < n; i++) bByte(<u8>load<u16>(src + (<usize>i << 1)));
}

function bExp(x: i32, upper: bool): void {
  bByte(upper ? 0x45 : 0x65);
  if (x < 0) {
    bByte(0x2d);
    x = -x;
  } else bByte(0x2b);
  if (x < 10) bByte(0x30);
  let t = malloc(8);
  let k = 0;
  do {
    store<u8>(t + k, <u8>(0x30 + x % 10));
    x /= 10;
    k++;
  } while (x > 0);
  while (k > 0) {
    k--;
    bByte(load<u8>(t + k));
  }
}

/** %e with p digits after the point, from the current digits. */
function bFmtE(p: i32, upper: bool): void {
  bByte(nd == 0 ? 0x30 : digit(0));
  if (p > 0 || fSharp) bByte(0x2e);
  for (let i = 1; i <= p; i++) bByte(digit(i));
  let x = nd == 0 ? 0 : dp - 1;
  bExp(x, upper);
}

/** %f with p digits after the point, from the current digits. */
function bFmtF(p: i32): void {
  if (dp > 0) {
    for (let i = 0; i < dp; i++) bByte(digit(i));
  } else bByte(0x30);
  if (p > 0 || fSharp) bByte(0x2e);
  for (let i = 0; i < p; i++) bByte(digit(dp + i));
}

/** Formats |f| (finite) for verb e/E/f/F/g/G/v into the body. */
function floatBody(f: f64, verb: u32): void {
  let upper = verb == 0x45 || verb == 0x47;
  let v = verb | 0x20;
  if (f == 0) {
    dg = malloc(1);
    nd = 0;
    dp = 0;
  }
  if (v == 0x65 || v == 0x66) {
    let p = prec < 0 ? 6 : prec;
    if (f != 0) {
      exactDigits(f);
      if (v == 0x65) roundTo(p + 1);
      else roundTo(dp + p);
    }
    if (v == 0x65) bFmtE(p, upper);
    else bFmtF(p);
    return;
  }
  // g / v
  let shortest = prec < 0;
  let p = prec;
  if (f != 0) {
    if (shortest) shortestDigits(f);
    else {
      if (p == 0) p = 1;
      exactDigits(f);
      roundTo(p);
    }
  }
  let eprec = p;
  if (shortest) {
    eprec = 6;
    p = nd;
  } else if (eprec > nd && nd >= dp) eprec = nd;
  let x = dp - 1;
  if (nd != 0 && (x < -4 || x >= eprec)) {
    if (p > nd) p = nd;
    bFmtE(p - 1 > 0 ? p - 1 : 0, upper);
    return;
  }
  if (p > dp) p = nd;
  let after = p - dp;
  bFmtF(after > 0 ? after : 0);
}

function bInt(x: i64, base: u32, upper: bool): void {
  let m: u64 = x < 0 ? <u64>0 - <u64>x : <u64>x;
  let t = malloc(64);
  let k = 0;
  do {
    let d = <u32>(m % <u64>base);
    store<u8>(t + k, <u8>(d < 10 ? 0x30 + d : (upper ? 0x41 : 0x61) + d - 10));
    m /= <u64>base;
    k++;
  } while (m != 0);
  // precision for integers = minimum digits
  for (let z = k; z < prec; z++) bByte(0x30);
  while (k > 0) {
    k--;
    bByte(load<u8>(t + k));
  }
}

// ---- output with padding

/** Writes sign + body, padded to width (zero padding goes between sign and body). */
function emitPadded(sign: u8, zeroOk: bool): void {
  let cps = <i32>utf8Count(bb, bl) + (sign ? 1 : 0);
  let pad = width > cps ? width - cps : 0;
  if (fMinus) {
    if (sign) outByte(sign);
    outBytes(bb, bl);
    for (let i = 0; i < pad; i++) outByte(0x20);
    return;
  }
  if (fZero && zeroOk) {
    if (sign) outByte(sign);
    for (let i = 0; i < pad; i++) outByte(0x30);
    outBytes(bb, bl);
    return;
  }
  for (let i = 0; i < pad; i++) outByte(0x20);
  if (sign) outByte(sign);
  outBytes(bb, bl);
}

function signFor(neg: bool): u8 {
  if (neg) return 0x2d;
  if (fPlus) return 0x2b;
  if (fSpace) return 0x20;
  return 0;
}

function typeName(kind: u32): void {
  if (kind == K_INT) outLit("int");
  else if (kind == K_BIG) outLit("*big.Int");
  else if (kind == K_FLOAT) outLit("float64");
  else outLit("string");
}

/** %!verb(type=value) for a verb the argument's type does not support. */
function badVerb(verb: u32, a: usize): void {
  outLit("%!");
  outCp(verb);
  outByte(0x28);
  let kind = load<u32>(a);
  if (kind == K_BIG) outLit("big.Int");
  else typeName(kind);
  outByte(0x3d);
  plainValue(a);
  outByte(0x29);
}

function outCp(c: u32): void {
  let t = malloc(4);
  let n = utf8Encode(t, c);
  outBytes(t, n);
}

/** The argument as %v prints it, without flags. */
function plainValue(a: usize): void {
  let kind = load<u32>(a);
  let v = load<u32>(a, 4);
  if (kind == K_STR) outBytes(v, load<u32>(a, 8));
  else if (kind == K_INT) {
    bStart();
    let savePrec = prec;
    prec = -1;
    let x = intVal(v);
    if (x < 0) outByte(0x2d);
    bInt(x, 10, false);
    prec = savePrec;
    outBytes(bb, bl);
  } else if (kind == K_BIG) {
    if (load<u8>(v, 2)) outByte(0x2d);
    let d = magToDecimal(load<u32>(v, 16), load<u32>(v, 4));
    outBytes(d, resLen);
  } else {
    let f = load<f64>(v, 8);
    if (!isFinite(f)) {
      outLit(isNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf");
      return;
    }
    bStart();
    let savePrec = prec;
    let saveSharp = fSharp;
    prec = -1;
    fSharp = false;
    if (f < 0) outByte(0x2d);
    floatBody(f, 0x67);
    prec = savePrec;
    fSharp = saveSharp;
    outBytes(bb, bl);
  }
}

function quoteString(p: usize, n: u32): void {
  bByte(0x22);
  let i: u32 = 0;
  while (i < n) {
    let c = load<u8>(p + i);
    if (c == 0x22) bLit("\\\"");
    else if (c == 0x5c) bLit("\\\\");
    else if (c == 0x07) bLit("\\a");
    else if (c == 0x08) bLit("\\b");
    else if (c == 0x0c) bLit("\\f");
    else if (c == 0x0a) bLit("\\n");
    else if (c == 0x0d) bLit("\\r");
    else if (c == 0x09) bLit("\\t");
    else if (c == 0x0b) bLit("\\v");
    else if (c < 0x20 || c == 0x7f) {
      bLit("\\x");
      bByte(hexDigit(c >> 4, false));
      bByte(hexDigit(c & 15, false));
    } else {
      let l = utf8SeqLen(c);
      if (i + l > n) l = n - i;
      bBytes(p + i, l);
      i += l;
      continue;
    }
    i++;
  }
  bByte(0x22);
}

function hexDigit(d: u32, upper: bool): u8 {
  return <u8>(d < 10 ? 0x30 + d : (upper ? 0x41 : 0x61) + d - 10);
}

function formatOne(verb: u32, a: usize): void {
  let kind = load<u32>(a);
  let v = load<u32>(a, 4);
  if (verb == 0x54) {
    typeName(kind); // %T (width ignored)
    return;
  }
  if (kind == K_STR) {
    let p = v;
    let n = load<u32>(a, 8);
    bStart();
    if (verb == 0x73 || verb == 0x76) {
      // precision truncates to that many code points
      if (prec >= 0) {
        let i: u32 = 0;
        let c: i32 = 0;
        while (i < n && c < prec) {
          i += utf8SeqLen(load<u8>(p + i));
          c++;
        }
        if (i > n) i = n;
        n = i;
      }
      bBytes(p, n);
      emitPadded(0, true);
    } else if (verb == 0x71) {
      quoteString(p, n);
      emitPadded(0, true);
    } else if (verb == 0x78 || verb == 0x58) {
      let upper = verb == 0x58;
      if (fSharp) bLit(upper ? "0X" : "0x");
      for (let i: u32 = 0; i < n; i++) {
        let c = <u32>load<u8>(p + i);
        bByte(hexDigit(c >> 4, upper));
        bByte(hexDigit(c & 15, upper));
      }
      emitPadded(0, true);
    } else badVerb(verb, a);
    return;
  }
  if (kind == K_INT || kind == K_BIG) {
    let base: u32 = 0;
    let upper = false;
    switch (verb) {
      case 0x76: case 0x64: case 0x73: base = 10; break; // v d s (s only valid for big)
      case 0x62: base = 2; break;
      case 0x6f: case 0x4f: base = 8; break;
      case 0x78: base = 16; break;
      case 0x58: base = 16; upper = true; break;
    }
    if (verb == 0x73 && kind == K_INT) base = 0;
    if (kind == K_INT && (verb == 0x63 || verb == 0x71 || verb == 0x55)) {
      let x = intVal(v);
      bStart();
      if (verb == 0x55) {
        bLit("U+");
        let savePrec = prec;
        prec = 4;
        bInt(x, 16, true);
        prec = savePrec;
      } else {
        let cp: u32 = x < 0 || x > 0x10ffff || (x >= 0xd800 && x < 0xe000) ? 0xfffd : <u32>x;
        if (verb == 0x71) bByte(0x27);
        let t = malloc(4);
        let l = utf8Encode(t, cp);
        bBytes(t, l);
        if (verb == 0x71) bByte(0x27);
      }
      emitPadded(0, false);
      return;
    }
    if (base == 0) {
      badVerb(verb, a);
      return;
    }
    bStart();
    let neg: bool;
    if (fSharp) {
      if (base == 16) bLit(upper ? "0X" : "0x");
      else if (base == 8) bByte(0x30);
      else if (base == 2) bLit("0b");
    }
    if (verb == 0x4f) bLit("0o");
    if (kind == K_INT) {
      let x = intVal(v);
      neg = x < 0;
      bInt(x, base, upper);
    } else {
      neg = load<u8>(v, 2) != 0;
      let d = base == 10 ? magToDecimal(load<u32>(v, 16), load<u32>(v, 4)) : magToBase(load<u32>(v, 16), load<u32>(v, 4), base);
      let dl = resLen;
      for (let z = <i32>dl; z < prec; z++) bByte(0x30);
      for (let i: u32 = 0; i < dl; i++) {
        let c = load<u8>(d + i);
        bByte(upper && c >= 0x61 ? c - 0x20 : c);
      }
    }
    emitPadded(signFor(neg), prec < 0);
    return;
  }
  // float
  let f = load<f64>(v, 8);
  let lv = verb | 0x20;
  if (!(lv == 0x65 || lv == 0x66 || lv == 0x67 || verb == 0x76)) {
    badVerb(verb, a);
    return;
  }
  bStart();
  if (!isFinite(f)) {
    bLit(isNaN(f) ? "NaN" : "Inf");
    emitPadded(isNaN(f) ? 0 : signFor(f < 0), false);
    return;
  }
  floatBody(Math.abs(f), verb);
  emitPadded(signFor(f < 0 || (f == 0 && 1 / f < 0)), true);
}

/** sprintf(format, array of values): 0 (error) unless a string and an array. */
export function sprintfValue(fmt: usize, arr: usize): usize {
  if (fmt == 0 || arr == 0 || load<u8>(fmt) != T_STR || load<u8>(arr) != 5) return 0;
  nargs = arrLen(arr);
  args = malloc(<usize>(nargs > 0 ? nargs : 1) << 4);
  for (let i: u32 = 0; i < nargs; i++) {
    let v = arrGet(arr, i);
    let e = args + (<usize>i << 4);
    let t = load<u8>(v);
    if (t == T_NUM) {
      let r = load<u8>(v, 1);
      store<u32>(e, r == 1 ? K_INT : r == NUM_BIG ? K_BIG : K_FLOAT);
      store<u32>(e, v, 4);
    } else if (t == T_STR) {
      store<u32>(e, K_STR);
      store<u32>(e, strPtr(v), 4);
      store<u32>(e, strLen(v), 8);
    } else {
      let s = dumpStr(v, MODE_REGO);
      store<u32>(e, K_STR);
      store<u32>(e, strPtr(s), 4);
      store<u32>(e, strLen(s), 8);
    }
  }
  let p = strPtr(fmt);
  let n = strLen(fmt);
  outStart();
  let argi: u32 = 0;
  let i: u32 = 0;
  while (i < n) {
    let c = load<u8>(p + i);
    if (c != 0x25) {
      let j = i;
      while (j < n && load<u8>(p + j) != 0x25) j++;
      outBytes(p + i, j - i);
      i = j;
      continue;
    }
    i++;
    fMinus = false;
    fPlus = false;
    fSharp = false;
    fZero = false;
    fSpace = false;
    width = -1;
    prec = -1;
    while (i < n) {
      let f = load<u8>(p + i);
      if (f == 0x2d) fMinus = true;
      else if (f == 0x2b) fPlus = true;
      else if (f == 0x23) fSharp = true;
      else if (f == 0x30) fZero = !fMinus;
      else if (f == 0x20) fSpace = true;
      else break;
      i++;
    }
    while (i < n && <u32>load<u8>(p + i) - 0x30 < 10) {
      width = (width < 0 ? 0 : width) * 10 + <i32>(load<u8>(p + i) - 0x30);
      if (width > 100000) width = 100000;
      i++;
    }
    if (i < n && load<u8>(p + i) == 0x2e) {
      i++;
      prec = 0;
      while (i < n && <u32>load<u8>(p + i) - 0x30 < 10) {
        prec = prec * 10 + <i32>(load<u8>(p + i) - 0x30);
        if (prec > 100000) prec = 100000;
        i++;
      }
    }
    if (i >= n) {
      outLit("%!(NOVERB)");
      break;
    }
    let l = utf8SeqLen(load<u8>(p + i));
    if (i + l > n) l = n - i;
    let verb = utf8Decode(p + i, n - i);
    i += l;
    if (verb == 0x25) {
      outByte(0x25);
      continue;
    }
    if (argi >= nargs) {
      outLit("%!");
      outCp(verb);
      outLit("(MISSING)");
      continue;
    }
    formatOne(verb, args + (<usize>argi << 4));
    argi++;
  }
  if (argi < nargs) {
    outLit("%!(EXTRA ");
    for (let k = argi; k < nargs; k++) {
      if (k > argi) outLit(", ");
      let a = args + (<usize>k << 4);
      typeName(load<u32>(a));
      outByte(0x3d);
      plainValue(a);
    }
    outByte(0x29);
  }
  return str(outPtr(), outLen());
}
