// Integers beyond i64: sign + magnitude in little-endian u32 limbs, used when integer
// arithmetic overflows, for integer literals/JSON numbers outside i64 and for integral floats
// outside i64. Number repr NUM_BIG: @2 u8 negative, @4 limb count, @8 f64 approximation,
// @16 limbs ptr. A value that fits i64 is never a big number (one form per value).

import { malloc, calloc } from "./alloc";
import { numInt } from "./value";

export const NUM_BIG: u8 = 3;
/** Beyond this many decimal digits an integer is kept as a float (memory guard). */
export const MAX_BIG_DIGITS: u32 = 400;

// Results of magnitude operations that return two things.
export let resLen: u32 = 0;
export let remPtr: usize = 0;
export let remLen: u32 = 0;

// @ts-ignore: decorator
@inline
function limb(p: usize, i: u32): u32 {
  return load<u32>(p + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline
function setLimb(p: usize, i: u32, v: u32): void {
  store<u32>(p + (<usize>i << 2), v);
}

/** Length without leading zero limbs. */
export function trimLen(p: usize, n: u32): u32 {
  while (n > 0 && limb(p, n - 1) == 0) n--;
  return n;
}

/** Compares magnitudes. */
export function magCmp(a: usize, an: u32, b: usize, bn: u32): i32 {
  an = trimLen(a, an);
  bn = trimLen(b, bn);
  if (an != bn) return an < bn ? -1 : 1;
  for (let i = an; i > 0; i--) {
    let x = limb(a, i - 1);
    let y = limb(b, i - 1);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** a + b; length in resLen. */
export function magAdd(a: usize, an: u32, b: usize, bn: u32): usize {
  let n = (an > bn ? an : bn) + 1;
  let r = malloc(<usize>n << 2);
  let carry: u64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let s = carry + (i < an ? <u64>limb(a, i) : 0) + (i < bn ? <u64>limb(b, i) : 0);
    setLimb(r, i, <u32>s);
    carry = s >> 32;
  }
  resLen = trimLen(r, n);
  return r;
}

/** a - b for a >= b; length in resLen. */
export function magSub(a: usize, an: u32, b: usize, bn: u32): usize {
  let r = malloc(<usize>(an > 0 ? an : 1) << 2);
  let borrow: i64 = 0;
  for (let i: u32 = 0; i < an; i++) {
    let d = <i64>limb(a, i) - (i < bn ? <i64>limb(b, i) : 0) - borrow;
    if (d < 0) {
      d += 0x100000000;
      borrow = 1;
    } else borrow = 0;
    setLimb(r, i, <u32>d);
  }
  resLen = trimLen(r, an);
  return r;
}

/** a * b; length in resLen. */
export function magMul(a: usize, an: u32, b: usize, bn: u32): usize {
  let n = an + bn;
  let r = calloc(<usize>(n > 0 ? n : 1) << 2);
  for (let i: u32 = 0; i < an; i++) {
    let carry: u64 = 0;
    let x = <u64>limb(a, i);
    if (x == 0) continue;
    for (let j: u32 = 0; j < bn; j++) {
      let t = x * <u64>limb(b, j) + <u64>limb(r, i + j) + carry;
      setLimb(r, i + j, <u32>t);
      carry = t >> 32;
    }
    let k = i + bn;
    while (carry != 0) {
      let t = <u64>limb(r, k) + carry;
      setLimb(r, k, <u32>t);
      carry = t >> 32;
      k++;
    }
  }
  resLen = trimLen(r, n);
  return r;
}

/** a * m + add for small m, in place on a fresh copy; length in resLen. */
export function magMulSmall(a: usize, an: u32, m: u32, add: u32): usize {
  let r = malloc(<usize>(an + 1) << 2);
  let carry: u64 = add;
  for (let i: u32 = 0; i < an; i++) {
    let t = <u64>limb(a, i) * <u64>m + carry;
    setLimb(r, i, <u32>t);
    carry = t >> 32;
  }
  setLimb(r, an, <u32>carry);
  resLen = trimLen(r, an + 1);
  return r;
}

/** a / d for small d; quotient length in resLen, remainder returned through remPtr (as a u32 value). */
export function magDivSmall(a: usize, an: u32, d: u32): usize {
  let q = malloc(<usize>(an > 0 ? an : 1) << 2);
  let rem: u64 = 0;
  for (let i = an; i > 0; i--) {
    let cur = (rem << 32) | <u64>limb(a, i - 1);
    setLimb(q, i - 1, <u32>(cur / <u64>d));
    rem = cur % <u64>d;
  }
  resLen = trimLen(q, an);
  remPtr = <usize>rem;
  return q;
}

export function bitLen(a: usize, an: u32): u32 {
  an = trimLen(a, an);
  if (an == 0) return 0;
  return (an - 1) * 32 + (32 - <u32>clz(limb(a, an - 1)));
}

/** a / b (b != 0) by shift-and-subtract; quotient length in resLen, remainder in remPtr/remLen. */
export function magDivMod(a: usize, an: u32, b: usize, bn: u32): usize {
  an = trimLen(a, an);
  bn = trimLen(b, bn);
  if (bn == 1) {
    let q = magDivSmall(a, an, limb(b, 0));
    let ql = resLen;
    let r = malloc(4);
    setLimb(r, 0, <u32>remPtr);
    remPtr = r;
    remLen = trimLen(r, 1);
    resLen = ql;
    return q;
  }
  let q = calloc(<usize>(an > 0 ? an : 1) << 2);
  let rn = bn + 1;
  let r = calloc(<usize>rn << 2);
  let nb = bitLen(a, an);
  for (let i = nb; i > 0; i--) {
    let bit = i - 1;
    // r = r << 1 | bit(a, bit)
    let carry: u32 = (limb(a, bit >> 5) >> (bit & 31)) & 1;
    for (let k: u32 = 0; k < rn; k++) {
      let x = limb(r, k);
      setLimb(r, k, (x << 1) | carry);
      carry = x >> 31;
    }
    if (magCmp(r, rn, b, bn) >= 0) {
      let borrow: i64 = 0;
      for (let k: u32 = 0; k < rn; k++) {
        let d = <i64>limb(r, k) - (k < bn ? <i64>limb(b, k) : 0) - borrow;
        if (d < 0) {
          d += 0x100000000;
          borrow = 1;
        } else borrow = 0;
        setLimb(r, k, <u32>d);
      }
      setLimb(q, bit >> 5, limb(q, bit >> 5) | (<u32>1 << (bit & 31)));
    }
  }
  remPtr = r;
  remLen = trimLen(r, rn);
  resLen = trimLen(q, an);
  return q;
}

/** f64 approximation of a magnitude. */
export function magToF64(a: usize, an: u32): f64 {
  let f: f64 = 0;
  for (let i = an; i > 0; i--) f = f * 4294967296.0 + <f64>limb(a, i - 1);
  return f;
}

/** Magnitude of an integral |f| (f finite); length in resLen. */
export function magFromF64(f: f64): usize {
  f = Math.abs(f);
  let bits = reinterpret<u64>(f);
  let exp = <i32>((bits >> 52) & 0x7ff);
  let mant = bits & 0xfffffffffffff;
  if (exp == 0) {
    resLen = 0;
    return malloc(4);
  }
  mant |= <u64>1 << 52;
  let shift = exp - 1075; // f = mant * 2^shift
  if (shift <= 0) {
    let v = mant >> <u64>(-shift);
    let r = malloc(8);
    store<u64>(r, v);
    resLen = trimLen(r, 2);
    return r;
  }
  let words = (<u32>shift >> 5) + 3;
  let r = calloc(<usize>words << 2);
  let w = <u32>shift >> 5;
  let b = <u64>(<u32>shift & 31);
  let lo = mant << b;
  let hi = b == 0 ? 0 : mant >> (64 - b);
  setLimb(r, w, <u32>lo);
  setLimb(r, w + 1, <u32>(lo >> 32));
  setLimb(r, w + 2, <u32>hi);
  resLen = trimLen(r, words);
  return r;
}

/** Magnitude of decimal digits (ASCII, no sign or point) at p; length in resLen. */
export function magFromDigits(p: usize, n: u32): usize {
  let cap = (n / 9) + 2;
  let r = calloc(<usize>cap << 2);
  let len: u32 = 0;
  let i: u32 = 0;
  while (i < n) {
    let chunk: u32 = 0;
    let mul: u32 = 1;
    let k: u32 = 0;
    while (k < 9 && i < n) {
      chunk = chunk * 10 + (<u32>load<u8>(p + i) - 0x30);
      mul *= 10;
      k++;
      i++;
    }
    // r = r * mul + chunk, in place (capacity is enough)
    let carry: u64 = chunk;
    for (let j: u32 = 0; j < len; j++) {
      let t = <u64>limb(r, j) * <u64>mul + carry;
      setLimb(r, j, <u32>t);
      carry = t >> 32;
    }
    if (carry != 0) {
      setLimb(r, len, <u32>carry);
      len++;
    }
  }
  resLen = trimLen(r, len);
  return r;
}

/** Decimal digits of a magnitude into a fresh buffer; returns the pointer, length in resLen. */
export function magToDecimal(a: usize, an: u32): usize {
  an = trimLen(a, an);
  if (an == 0) {
    let z = malloc(1);
    store<u8>(z, 0x30);
    resLen = 1;
    return z;
  }
  let maxDigits = an * 10 + 1;
  let out = malloc(maxDigits);
  let o = out + maxDigits;
  let cur = a;
  let cn = an;
  while (cn > 0) {
    let q = magDivSmall(cur, cn, 1000000000);
    let ql = resLen;
    let rem = <u32>remPtr;
    let last = ql == 0;
    for (let k = 0; k < 9; k++) {
      if (last && rem == 0) break;
      o--;
      store<u8>(o, <u8>(0x30 + rem % 10));
      rem /= 10;
    }
    cur = q;
    cn = ql;
  }
  resLen = <u32>(out + maxDigits - o);
  return o;
}

/** Digits of a magnitude in base 2..16 (lowercase); returns the pointer, length in resLen. */
export function magToBase(a: usize, an: u32, base: u32): usize {
  an = trimLen(a, an);
  let maxDigits = an * 32 + 1;
  let out = malloc(maxDigits);
  let o = out + maxDigits;
  if (an == 0) {
    o--;
    store<u8>(o, 0x30);
  }
  let cur = a;
  let cn = an;
  while (cn > 0) {
    let q = magDivSmall(cur, cn, base);
    let d = <u32>remPtr;
    o--;
    store<u8>(o, <u8>(d < 10 ? 0x30 + d : 0x61 + d - 10));
    cur = q;
    cn = resLen;
  }
  resLen = <u32>(out + maxDigits - o);
  return o;
}

/** A number value from sign + magnitude: an i64 integer when it fits, else a big number. */
export function numFromMag(neg: bool, p: usize, n: u32): usize {
  n = trimLen(p, n);
  if (n <= 2) {
    let v: u64 = n == 0 ? 0 : n == 1 ? <u64>limb(p, 0) : (<u64>limb(p, 1) << 32) | <u64>limb(p, 0);
    if (!neg && v <= <u64>0x7fffffffffffffff) return numInt(<i64>v);
    if (neg && v <= <u64>0x8000000000000000) return numInt(<i64>(0 - v));
  }
  let v = malloc(24);
  store<u8>(v, 3); // T_NUM
  store<u8>(v, NUM_BIG, 1);
  store<u8>(v, neg ? 1 : 0, 2);
  store<u8>(v, 0, 3);
  store<u32>(v, n, 4);
  let f = magToF64(p, n);
  store<f64>(v, neg ? -f : f, 8);
  store<u32>(v, p, 16);
  return v;
}

/** Hash of a big number's magnitude and sign. */
export function bigHash(v: usize): u32 {
  let p = load<u32>(v, 16);
  let n = load<u32>(v, 4);
  let h: u32 = load<u8>(v, 2) ? 0x9e3779b9 : 0x85ebca6b;
  for (let i: u32 = 0; i < n; i++) {
    h ^= limb(p, i);
    h *= 0x01000193;
    h ^= h >>> 15;
  }
  return h;
}
