// Values: raw structs at addresses from the bump allocator; byte 0 is the ValueType tag.
// Layouts are written down in docs/runtime.md. Values are immutable once built, except
// collections during construction (append/insert).

import { malloc, calloc, regrow, heapGet, heapSet } from "./alloc";
import { NUM_BIG, numFromMag, magFromF64, resLen, magCmp, bigHash } from "./bigint";
import { isExact, cmpDecimal } from "./decimal";

export const T_NULL: u8 = 1;
export const T_BOOL: u8 = 2;
export const T_NUM: u8 = 3;
export const T_STR: u8 = 4;
export const T_ARR: u8 = 5;
export const T_OBJ: u8 = 6;
export const T_SET: u8 = 7;

export const NUM_INT: u8 = 1;
export const NUM_FLOAT: u8 = 2;

// Singletons live in static data below the heap, so heap resets never invalidate them.
export const NULL_V: usize = memory.data<u32>([1, 0]);
export const TRUE_V: usize = memory.data<u32>([2, 1]);
export const FALSE_V: usize = memory.data<u32>([2, 0]);

// @ts-ignore: decorator
@inline
export function typeOf(v: usize): u8 {
  return load<u8>(v);
}

// @ts-ignore: decorator
@inline
export function mkBool(b: bool): usize {
  return b ? TRUE_V : FALSE_V;
}

// @ts-ignore: decorator
@inline
export function boolVal(v: usize): bool {
  return load<u32>(v, 4) != 0;
}

// ---- numbers: @0 tag, @1 repr (1 int, 2 float), @4 text len, @8 i64|f64, @16 text ptr

const I64_LIMIT: f64 = 9223372036854775808.0; // 2^63

// Small non-negative integers (array indexes, counts) come from a static table, so iterating
// an array allocates nothing. The table is static data below the heap, filled on first use.
const SMALL_INTS: i64 = 256;
const smallInts: usize = memory.data(24 * 256, 8);
let smallIntsReady: bool = false;

function fillSmallInts(): void {
  for (let k: i64 = 0; k < SMALL_INTS; k++) {
    let v = smallInts + <usize>k * 24;
    store<u32>(v, T_NUM | (<u32>NUM_INT << 8));
    store<u32>(v, 0, 4);
    store<i64>(v, k, 8);
    store<u32>(v, 0, 16);
  }
  smallIntsReady = true;
}

/** An integer number. */
export function numInt(i: i64): usize {
  if (i >= 0 && i < SMALL_INTS) {
    if (!smallIntsReady) fillSmallInts();
    return smallInts + <usize>i * 24;
  }
  let v = malloc(24);
  store<u32>(v, T_NUM | (<u32>NUM_INT << 8));
  store<u32>(v, 0, 4);
  store<i64>(v, i, 8);
  store<u32>(v, 0, 16);
  return v;
}

/**
 * A number from a float. Integral values become integers (i64, or big beyond i64), so every
 * value has one form and floats are never integral (except infinities kept from source text).
 */
export function numFloat(f: f64): usize {
  if (f == Math.floor(f) && isFinite(f)) {
    if (f >= -I64_LIMIT && f < I64_LIMIT) return numInt(<i64>f);
    let m = magFromF64(f);
    return numFromMag(f < 0, m, resLen);
  }
  return numFloatText(f, 0, 0);
}

// @ts-ignore: decorator
@inline
export function isBig(v: usize): bool {
  return load<u8>(v, 1) == NUM_BIG;
}

/** True for a number in float form (not an integer of any size). */
export function isFloatNum(v: usize): bool {
  return load<u8>(v, 1) == NUM_FLOAT;
}

/** True for an integer number of any size (i64 or big). */
export function isIntegral(v: usize): bool {
  return v != 0 && load<u8>(v) == T_NUM && load<u8>(v, 1) != NUM_FLOAT;
}

/** A float number that keeps its source text (for big or inexact numbers). */
export function numFloatText(f: f64, text: usize, textLen: u32): usize {
  let v = malloc(24);
  store<u32>(v, T_NUM | (<u32>NUM_FLOAT << 8));
  store<u32>(v, textLen, 4);
  store<f64>(v, f, 8);
  store<u32>(v, text, 16);
  return v;
}

// @ts-ignore: decorator
@inline
export function isInt(v: usize): bool {
  return load<u8>(v, 1) == NUM_INT;
}

// @ts-ignore: decorator
@inline
export function intVal(v: usize): i64 {
  return load<i64>(v, 8);
}

// @ts-ignore: decorator
@inline
export function floatRaw(v: usize): f64 {
  return load<f64>(v, 8);
}

/** The number as f64 (may round big integers). */
export function numF64(v: usize): f64 {
  return isInt(v) ? <f64>load<i64>(v, 8) : load<f64>(v, 8);
}

/** True if v is a number holding an integer (i64 form). */
export function isIntNum(v: usize): bool {
  return v != 0 && typeOf(v) == T_NUM && isInt(v);
}

// ---- strings: @0 tag, @1 u8 hash cached (0/1), @4 byte length, @8 bytes ptr, @12 cached hash

/** A string over UTF-8 bytes; the bytes are not copied. */
export function str(ptr: usize, len: u32): usize {
  let v = malloc(16);
  store<u32>(v, T_STR);
  store<u32>(v, len, 4);
  store<u32>(v, ptr, 8);
  store<u32>(v, 0, 12);
  return v;
}

/** A string whose hash (strBytesHash of its bytes) is already known. */
export function strHashed(ptr: usize, len: u32, h: u32): usize {
  let v = malloc(16);
  store<u32>(v, <u32>T_STR | 0x100); // tag, hash-cached flag
  store<u32>(v, len, 4);
  store<u32>(v, ptr, 8);
  store<u32>(v, h, 12);
  return v;
}

/** Hash of n UTF-8 bytes at p (MurmurHash3 x86_32 over 4-byte words; bytes only). */
export function strBytesHash(p: usize, n: u32): u32 {
  let h: u32 = 0x811c9dc5;
  let i: u32 = 0;
  for (; i + 4 <= n; i += 4) {
    let k = load<u32>(p + i);
    k *= 0xcc9e2d51;
    k = rotl<u32>(k, 15);
    k *= 0x1b873593;
    h ^= k;
    h = rotl<u32>(h, 13);
    h = h * 5 + 0xe6546b64;
  }
  if (i < n) {
    let k: u32 = 0;
    for (let j: u32 = 0; i + j < n; j++) k |= (<u32>load<u8>(p + i + j)) << (j << 3);
    k *= 0xcc9e2d51;
    k = rotl<u32>(k, 15);
    k *= 0x1b873593;
    h ^= k;
  }
  return fmix32(h ^ n);
}

// The hash is computed on first use and kept in the value: string constants, object keys and
// parsed keys are hashed once instead of on every lookup. Values stay immutable otherwise.
// @ts-ignore: decorator
@inline
export function strHash(v: usize): u32 {
  if (load<u8>(v, 1) != 0) return load<u32>(v, 12);
  let h = strBytesHash(strPtr(v), strLen(v));
  store<u32>(v, h, 12);
  store<u8>(v, 1, 1);
  return h;
}

// @ts-ignore: decorator
@inline
export function strLen(v: usize): u32 {
  return load<u32>(v, 4);
}

// @ts-ignore: decorator
@inline
export function strPtr(v: usize): usize {
  return load<u32>(v, 8);
}

/** A string value from an ASCII AssemblyScript literal (copied into the heap). */
export function strLit(s: string): usize {
  let n = <u32>s.length;
  let p = malloc(n);
  let src = changetype<usize>(s);
  for (let i: u32 = 0; i < n; i++) store<u8>(p + i, <u8>load<u16>(src + (<usize>i << 1)));
  return str(p, n);
}

// ---- arrays: @0 tag, @4 length, @8 capacity, @12 elements ptr (u32 value addresses)

/** An empty array with room for cap elements. */
export function arrNew(cap: u32): usize {
  let v = malloc(16);
  store<u32>(v, T_ARR);
  store<u32>(v, 0, 4);
  store<u32>(v, cap, 8);
  store<u32>(v, cap ? malloc(<usize>cap << 2) : 0, 12);
  return v;
}

// @ts-ignore: decorator
@inline
export function arrLen(v: usize): u32 {
  return load<u32>(v, 4);
}

// @ts-ignore: decorator
@inline
export function arrGet(v: usize, i: u32): usize {
  return load<u32>(load<u32>(v, 12) + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline
export function arrElems(v: usize): usize {
  return load<u32>(v, 12);
}

/** Appends x, doubling the element block when full. */
export function arrPush(v: usize, x: usize): void {
  let len = load<u32>(v, 4);
  let cap = load<u32>(v, 8);
  let elems = load<u32>(v, 12);
  if (len == cap) {
    let ncap = cap < 4 ? 4 : cap << 1;
    elems = regrow(elems, <usize>cap << 2, <usize>ncap << 2);
    store<u32>(v, ncap, 8);
    store<u32>(v, elems, 12);
  }
  store<u32>(elems + (<usize>len << 2), x);
  store<u32>(v, len + 1, 4);
}

// ---- objects and sets: hash tables keeping insertion order.
// @0 tag, @4 length, @8 entries ptr, @12 entries capacity, @16 slots ptr, @20 slot mask.
// Entry (12 bytes): key @0, value @4 (sets: the element again), hash @8.
// Slot (u32): 0 empty, else entry index + 1; linear probing; no deletion.

/** An empty object (T_OBJ) or set (T_SET). */
export function htNew(t: u8): usize {
  let v = malloc(24);
  store<u32>(v, t);
  store<u32>(v, 0, 4);
  store<u32>(v, 0, 8);
  store<u32>(v, 0, 12);
  store<u32>(v, 0, 16);
  store<u32>(v, 0, 20);
  return v;
}

/** An empty object or set with room for cap entries (slots too when cap exceeds SMALL_HT). */
export function htNewCap(t: u8, cap: u32): usize {
  let v = htNew(t);
  if (cap == 0) return v;
  store<u32>(v, malloc(<usize>cap * 12), 8);
  store<u32>(v, cap, 12);
  if (cap > SMALL_HT) {
    let nslots: u32 = SMALL_HT << 2;
    while (nslots * 3 < cap * 4) nslots <<= 1;
    htRehash(v, nslots);
  }
  return v;
}

// @ts-ignore: decorator
@inline
export function htLen(v: usize): u32 {
  return load<u32>(v, 4);
}

// @ts-ignore: decorator
@inline
export function htKey(v: usize, i: u32): usize {
  return load<u32>(load<u32>(v, 8) + <usize>i * 12);
}

// @ts-ignore: decorator
@inline
export function htVal(v: usize, i: u32): usize {
  return load<u32>(load<u32>(v, 8) + <usize>i * 12, 4);
}

// Tables of at most SMALL_HT entries have no slots: a scan comparing stored hashes is cheaper
// than allocating and filling a slot array (most parsed objects are small).
const SMALL_HT: u32 = 8;

/** Index of the entry whose key equals key (hash h), or -1. */
export function htFind(v: usize, key: usize, h: u32): i32 {
  let slots = load<u32>(v, 16);
  let entries = load<u32>(v, 8);
  if (slots == 0) {
    let n = load<u32>(v, 4);
    for (let j: u32 = 0; j < n; j++) {
      let e = entries + <usize>j * 12;
      if (load<u32>(e, 8) == h && valueEqual(load<u32>(e), key)) return <i32>j;
    }
    return -1;
  }
  let mask = load<u32>(v, 20);
  let i = h & mask;
  while (true) {
    let s = load<u32>(slots + (<usize>i << 2));
    if (s == 0) return -1;
    let e = entries + <usize>(s - 1) * 12;
    if (load<u32>(e, 8) == h && valueEqual(load<u32>(e), key)) return <i32>(s - 1);
    i = (i + 1) & mask;
  }
}

/** Entry index of key, or -1. */
export function htIndexOf(v: usize, key: usize): i32 {
  if (load<u32>(v, 4) == 0) return -1;
  return htFind(v, key, hashValue(key));
}

function htRehash(v: usize, nslots: u32): void {
  let slots = calloc(<usize>nslots << 2);
  let mask = nslots - 1;
  let entries = load<u32>(v, 8);
  let len = load<u32>(v, 4);
  for (let j: u32 = 0; j < len; j++) {
    let i = load<u32>(entries + <usize>j * 12, 8) & mask;
    while (load<u32>(slots + (<usize>i << 2)) != 0) i = (i + 1) & mask;
    store<u32>(slots + (<usize>i << 2), j + 1);
  }
  store<u32>(v, slots, 16);
  store<u32>(v, mask, 20);
}

/** Inserts key -> val, replacing the value of an equal key (sets: no-op if present). */
export function htInsert(v: usize, key: usize, val: usize): void {
  htInsertHashed(v, key, val, hashValue(key));
}

/** htInsert with the key's hash already known. */
export function htInsertHashed(v: usize, key: usize, val: usize, h: u32): void {
  let idx = htFind(v, key, h);
  if (idx >= 0) {
    if (load<u8>(v) == T_OBJ) store<u32>(load<u32>(v, 8) + <usize>idx * 12, val, 4);
    return;
  }
  let len = load<u32>(v, 4);
  let slots = load<u32>(v, 16);
  if (slots == 0) {
    if (len + 1 > SMALL_HT) htRehash(v, SMALL_HT << 2);
  } else {
    let nslots = load<u32>(v, 20) + 1;
    if ((len + 1) * 4 > nslots * 3) htRehash(v, nslots << 1);
  }
  let cap = load<u32>(v, 12);
  let entries = load<u32>(v, 8);
  if (len == cap) {
    let ncap = cap < 4 ? 4 : cap << 1;
    entries = regrow(entries, <usize>cap * 12, <usize>ncap * 12);
    store<u32>(v, entries, 8);
    store<u32>(v, ncap, 12);
  }
  let e = entries + <usize>len * 12;
  store<u32>(e, key);
  store<u32>(e, val, 4);
  store<u32>(e, h, 8);
  slots = load<u32>(v, 16);
  if (slots != 0) {
    let mask = load<u32>(v, 20);
    let i = h & mask;
    while (load<u32>(slots + (<usize>i << 2)) != 0) i = (i + 1) & mask;
    store<u32>(slots + (<usize>i << 2), len + 1);
  }
  store<u32>(v, len + 1, 4);
}

/** True if strings a and b have the same bytes. */
// @ts-ignore: decorator
@inline
function strEq(a: usize, b: usize): bool {
  let n = strLen(a);
  if (n != strLen(b)) return false;
  let pa = strPtr(a);
  let pb = strPtr(b);
  if (pa == pb) return true;
  let i: u32 = 0;
  for (; i + 4 <= n; i += 4) if (load<u32>(pa + i) != load<u32>(pb + i)) return false;
  for (; i < n; i++) if (load<u8>(pa + i) != load<u8>(pb + i)) return false;
  return true;
}

/**
 * Object lookup by a string key (the common `x.name`): cached hash, stored hashes compared
 * first, bytes only on a hash match. The value, or 0.
 */
export function objGetStr(v: usize, key: usize): usize {
  let n = load<u32>(v, 4);
  if (n == 0) return 0;
  let h = strHash(key);
  let entries = load<u32>(v, 8);
  let slots = load<u32>(v, 16);
  if (slots == 0) {
    for (let j: u32 = 0; j < n; j++) {
      let e = entries + <usize>j * 12;
      if (load<u32>(e, 8) != h) continue;
      let k = <usize>load<u32>(e);
      if (k == key || (load<u8>(k) == T_STR && strEq(k, key))) return load<u32>(e, 4);
    }
    return 0;
  }
  let mask = load<u32>(v, 20);
  let i = h & mask;
  while (true) {
    let s = load<u32>(slots + (<usize>i << 2));
    if (s == 0) return 0;
    let e = entries + <usize>(s - 1) * 12;
    if (load<u32>(e, 8) == h) {
      let k = <usize>load<u32>(e);
      if (k == key || (load<u8>(k) == T_STR && strEq(k, key))) return load<u32>(e, 4);
    }
    i = (i + 1) & mask;
  }
}

/** Object lookup: the value for key, or 0. */
export function objGet(v: usize, key: usize): usize {
  if (load<u8>(key) == T_STR) return objGetStr(v, key);
  let i = htIndexOf(v, key);
  return i < 0 ? 0 : htVal(v, <u32>i);
}

// ---- hashing (consistent with valueEqual: one number form per value, order-free objects/sets)

// @ts-ignore: decorator
@inline
function fmix32(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

// @ts-ignore: decorator
@inline
function hash64(x: u64): u32 {
  x ^= x >>> 33;
  x *= 0xff51afd7ed558ccd;
  x ^= x >>> 33;
  x *= 0xc4ceb9fe1a85ec53;
  x ^= x >>> 33;
  return <u32>x;
}

/** Hash of a value; equal values (1 and 1.0, reordered objects) hash alike. */
export function hashValue(v: usize): u32 {
  switch (load<u8>(v)) {
    case T_NULL:
      return 0x2545f491;
    case T_BOOL:
      return boolVal(v) ? 0x9e3779b9 : 0x7f4a7c15;
    case T_NUM: {
      if (isInt(v)) return hash64(<u64>load<i64>(v, 8));
      if (isBig(v)) return bigHash(v);
      return hash64(reinterpret<u64>(load<f64>(v, 8)) ^ 0x5bd1e995);
    }
    case T_STR:
      return strHash(v);
    case T_ARR: {
      let h: u32 = 0x3c6ef372;
      let n = arrLen(v);
      for (let i: u32 = 0; i < n; i++) h = h * 31 + hashValue(arrGet(v, i));
      return fmix32(h ^ n);
    }
    case T_OBJ: {
      let h: u32 = 0x1b873593;
      let n = htLen(v);
      let entries = load<u32>(v, 8);
      for (let i: u32 = 0; i < n; i++) {
        let e = entries + <usize>i * 12;
        h += fmix32(load<u32>(e, 8) ^ (hashValue(load<u32>(e, 4)) * 0x9e3779b1));
      }
      return fmix32(h ^ n);
    }
    case T_SET: {
      let h: u32 = 0x68e31da4;
      let n = htLen(v);
      let entries = load<u32>(v, 8);
      for (let i: u32 = 0; i < n; i++) h += fmix32(load<u32>(entries + <usize>i * 12, 8));
      return fmix32(h ^ n);
    }
  }
  return 0;
}

// ---- equality and OPA's total order

/** Compares two numbers numerically (int/float mixes exactly where it matters). */
export function cmpNum(a: usize, b: usize): i32 {
  if (isBig(a) || isBig(b)) return cmpBig(a, b);
  let ai = isInt(a);
  let bi = isInt(b);
  if (ai && bi) {
    let x = load<i64>(a, 8);
    let y = load<i64>(b, 8);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  let c: i32;
  if (!ai && !bi) {
    let x = load<f64>(a, 8);
    let y = load<f64>(b, 8);
    c = x < y ? -1 : x > y ? 1 : 0;
  } else if (ai) c = -cmpFloatInt(load<f64>(b, 8), load<i64>(a, 8));
  else c = cmpFloatInt(load<f64>(a, 8), load<i64>(b, 8));
  // Rounding to f64 is monotonic, so only ties need the exact decimals (when both are known).
  if (c == 0 && isExact(a) && isExact(b)) return cmpDecimal(a, b);
  return c;
}

// At least one side is big. Big numbers lie outside the i64 range and floats are never
// integral, so only big-vs-big needs the magnitudes.
function cmpBig(a: usize, b: usize): i32 {
  if (isBig(a) && isBig(b)) {
    let na = load<u8>(a, 2) != 0;
    let nb = load<u8>(b, 2) != 0;
    if (na != nb) return na ? -1 : 1;
    let c = magCmp(load<u32>(a, 16), load<u32>(a, 4), load<u32>(b, 16), load<u32>(b, 4));
    return na ? -c : c;
  }
  if (isBig(a)) return -cmpBig(b, a);
  // a is int or float, b is big
  let nb = load<u8>(b, 2) != 0;
  if (isFloatNum(a)) {
    let f = load<f64>(a, 8);
    if (f == Infinity) return 1;
    if (f == -Infinity) return -1;
  }
  return nb ? 1 : -1;
}

// f is a float-form number: never integral inside the i64 range (see numFloat).
function cmpFloatInt(f: f64, i: i64): i32 {
  if (f >= I64_LIMIT) return 1;
  if (f < -I64_LIMIT) return -1;
  // f64-integral floats exist only as source text the f64 rounds (1e-400, 3.0000000000000000001).
  if (f == Math.floor(f)) {
    let fi = <i64>f;
    return fi < i ? -1 : fi > i ? 1 : 0;
  }
  let fl = <i64>Math.floor(f);
  if (fl >= i) return 1;
  return -1;
}

function cmpBytes(pa: usize, na: u32, pb: usize, nb: u32): i32 {
  let n = na < nb ? na : nb;
  let i: u32 = 0;
  // Skip the common prefix four bytes at a time; the first differing byte decides.
  while (i + 4 <= n && load<u32>(pa + i) == load<u32>(pb + i)) i += 4;
  for (; i < n; i++) {
    let x = load<u8>(pa + i);
    let y = load<u8>(pb + i);
    if (x != y) return x < y ? -1 : 1;
  }
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Byte-wise string comparison (UTF-8 byte order is code point order). */
export function cmpStr(a: usize, b: usize): i32 {
  return cmpBytes(strPtr(a), strLen(a), strPtr(b), strLen(b));
}

/** Structural equality, cheaper than compare for objects and sets (no sorting). */
export function valueEqual(a: usize, b: usize): bool {
  if (a == b) return true;
  let t = load<u8>(a);
  if (t != load<u8>(b)) return false;
  switch (t) {
    case T_NULL:
      return true;
    case T_BOOL:
      return boolVal(a) == boolVal(b);
    case T_NUM:
      return cmpNum(a, b) == 0;
    case T_STR: {
      let n = strLen(a);
      if (n != strLen(b)) return false;
      return memory.compare(strPtr(a), strPtr(b), n) == 0;
    }
    case T_ARR: {
      let n = arrLen(a);
      if (n != arrLen(b)) return false;
      for (let i: u32 = 0; i < n; i++) if (!valueEqual(arrGet(a, i), arrGet(b, i))) return false;
      return true;
    }
    case T_OBJ:
    case T_SET: {
      let n = htLen(a);
      if (n != htLen(b)) return false;
      let entries = load<u32>(a, 8);
      for (let i: u32 = 0; i < n; i++) {
        let e = entries + <usize>i * 12;
        let j = htFind(b, load<u32>(e), load<u32>(e, 8));
        if (j < 0) return false;
        if (t == T_OBJ && !valueEqual(load<u32>(e, 4), htVal(b, <u32>j))) return false;
      }
      return true;
    }
  }
  return false;
}

/** OPA's total order: null < boolean < number < string < array < object < set. */
export function compareValues(a: usize, b: usize): i32 {
  if (a == b) return 0;
  let ta = load<u8>(a);
  let tb = load<u8>(b);
  if (ta != tb) return ta < tb ? -1 : 1;
  switch (ta) {
    case T_NULL:
      return 0;
    case T_BOOL: {
      let x = <i32>boolVal(a);
      let y = <i32>boolVal(b);
      return x - y;
    }
    case T_NUM:
      return cmpNum(a, b);
    case T_STR:
      return cmpStr(a, b);
    case T_ARR: {
      let na = arrLen(a);
      let nb = arrLen(b);
      let n = na < nb ? na : nb;
      for (let i: u32 = 0; i < n; i++) {
        let c = compareValues(arrGet(a, i), arrGet(b, i));
        if (c != 0) return c;
      }
      return na < nb ? -1 : na > nb ? 1 : 0;
    }
    // The sorted key blocks are scratch: nothing a comparison allocates outlives it, so the heap
    // top goes back where it was (a sort of n objects made 2 n log n blocks that stayed).
    case T_OBJ: {
      let mark = heapGet();
      let c = cmpObjKeyed(a, sortedKeys(a), b, sortedKeys(b));
      heapSet(mark);
      return c;
    }
    case T_SET: {
      let mark = heapGet();
      let na = htLen(a);
      let nb = htLen(b);
      let ka = sortedKeys(a);
      let kb = sortedKeys(b);
      let n = na < nb ? na : nb;
      let c: i32 = 0;
      for (let i: u32 = 0; i < n && c == 0; i++) {
        c = compareValues(load<u32>(ka + (<usize>i << 2)), load<u32>(kb + (<usize>i << 2)));
      }
      heapSet(mark);
      if (c != 0) return c;
      return na < nb ? -1 : na > nb ? 1 : 0;
    }
  }
  return 0;
}

/** Compares objects a and b given their sorted key blocks ka and kb (the total order of objects). */
function cmpObjKeyed(a: usize, ka: usize, b: usize, kb: usize): i32 {
  let na = htLen(a);
  let nb = htLen(b);
  let n = na < nb ? na : nb;
  for (let i: u32 = 0; i < n; i++) {
    let x = load<u32>(ka + (<usize>i << 2));
    let y = load<u32>(kb + (<usize>i << 2));
    let c = compareValues(x, y);
    if (c != 0) return c;
    c = compareValues(objGet(a, x), objGet(b, y));
    if (c != 0) return c;
  }
  return na < nb ? -1 : na > nb ? 1 : 0;
}

// Records [value u32, sorted keys u32 (objects) or 0]: objects are compared through keys sorted
// once per element instead of twice per comparison.
// @ts-ignore: decorator
@inline
function cmpKeyed(r: usize, q: usize): i32 {
  let kr = <usize>load<u32>(r, 4);
  let kq = <usize>load<u32>(q, 4);
  if (kr != 0 && kq != 0) return cmpObjKeyed(load<u32>(r), kr, load<u32>(q), kq);
  return compareValues(load<u32>(r), load<u32>(q));
}

/** sortPtrs for n >= 2 values of which some are objects (stable; scratch freed). */
function sortKeyed(p: usize, n: u32): void {
  let mark = heapGet();
  let src = malloc(<usize>n << 3);
  let dst = malloc(<usize>n << 3);
  for (let i: u32 = 0; i < n; i++) {
    let v = <usize>load<u32>(p + (<usize>i << 2));
    store<u32>(src + (<usize>i << 3), v);
    store<u32>(src + (<usize>i << 3), load<u8>(v) == T_OBJ ? sortedKeys(v) : 0, 4);
  }
  const RUN: u32 = 12;
  for (let lo: u32 = 0; lo < n; lo += RUN) {
    let hi = lo + RUN < n ? lo + RUN : n;
    for (let i = lo + 1; i < hi; i++) {
      let x = load<u64>(src + (<usize>i << 3));
      store<u64>(dst, x); // scratch record for the comparison
      let j = i;
      while (j > lo && cmpKeyed(src + (<usize>(j - 1) << 3), dst) > 0) {
        store<u64>(src + (<usize>j << 3), load<u64>(src + (<usize>(j - 1) << 3)));
        j--;
      }
      store<u64>(src + (<usize>j << 3), x);
    }
  }
  for (let w = RUN; w < n; w <<= 1) {
    for (let lo: u32 = 0; lo < n; lo += w << 1) {
      let mid = lo + w < n ? lo + w : n;
      let hi = lo + (w << 1) < n ? lo + (w << 1) : n;
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        let x = src + (<usize>i << 3);
        let y = src + (<usize>j << 3);
        if (cmpKeyed(y, x) < 0) {
          store<u64>(dst + (<usize>k << 3), load<u64>(y));
          j++;
        } else {
          store<u64>(dst + (<usize>k << 3), load<u64>(x));
          i++;
        }
        k++;
      }
      if (i < mid) memory.copy(dst + (<usize>k << 3), src + (<usize>i << 3), <usize>(mid - i) << 3);
      else if (j < hi) memory.copy(dst + (<usize>k << 3), src + (<usize>j << 3), <usize>(hi - j) << 3);
    }
    let t = src;
    src = dst;
    dst = t;
  }
  for (let i: u32 = 0; i < n; i++) store<u32>(p + (<usize>i << 2), load<u32>(src + (<usize>i << 3)));
  heapSet(mark);
}

/** A fresh block of an object's keys (or a set's elements) sorted by the total order. */
export function sortedKeys(v: usize): usize {
  let n = htLen(v);
  let p = malloc(<usize>(n == 0 ? 1 : n) << 2);
  let entries = load<u32>(v, 8);
  for (let i: u32 = 0; i < n; i++) store<u32>(p + (<usize>i << 2), load<u32>(entries + <usize>i * 12));
  sortPtrs(p, n);
  return p;
}

// First eight bytes of a string, big-endian and zero-padded: comparing these as u64 orders like
// the bytes themselves, and only equal prefixes need the strings.
// @ts-ignore: decorator
@inline
function strPrefix(v: usize): u64 {
  let sp = strPtr(v);
  let n = strLen(v);
  if (n >= 8) return bswap<u64>(load<u64>(sp));
  let k: u64 = 0;
  for (let j: u32 = 0; j < 8; j++) k = (k << 8) | (j < n ? <u64>load<u8>(sp + j) : 0);
  return k;
}

// @ts-ignore: decorator
@inline
function cmpRec(a: usize, b: usize): i32 {
  let ka = load<u64>(a);
  let kb = load<u64>(b);
  if (ka != kb) return ka < kb ? -1 : 1;
  return cmpStr(load<u32>(a, 8), load<u32>(b, 8));
}

// Sorting strings (set dumps, sorted keys) through 16-byte records [prefix u64, ptr u32]: most
// comparisons read the contiguous records instead of two scattered strings.
function sortStrings(p: usize, n: u32): void {
  let mark = heapGet();
  let src = malloc(<usize>n << 4);
  let dst = malloc(<usize>n << 4);
  for (let i: u32 = 0; i < n; i++) {
    let v = <usize>load<u32>(p + (<usize>i << 2));
    let r = src + (<usize>i << 4);
    store<u64>(r, strPrefix(v));
    store<u32>(r, v, 8);
  }
  const RUN: u32 = 12;
  for (let lo: u32 = 0; lo < n; lo += RUN) {
    let hi = lo + RUN < n ? lo + RUN : n;
    for (let i = lo + 1; i < hi; i++) {
      let xk = load<u64>(src + (<usize>i << 4));
      let xv = load<u32>(src + (<usize>i << 4), 8);
      store<u64>(dst, xk); // scratch record for the comparison
      store<u32>(dst, xv, 8);
      let j = i;
      while (j > lo && cmpRec(src + (<usize>(j - 1) << 4), dst) > 0) {
        memory.copy(src + (<usize>j << 4), src + (<usize>(j - 1) << 4), 16);
        j--;
      }
      store<u64>(src + (<usize>j << 4), xk);
      store<u32>(src + (<usize>j << 4), xv, 8);
    }
  }
  for (let w = RUN; w < n; w <<= 1) {
    for (let lo: u32 = 0; lo < n; lo += w << 1) {
      let mid = lo + w < n ? lo + w : n;
      let hi = lo + (w << 1) < n ? lo + (w << 1) : n;
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        let x = src + (<usize>i << 4);
        let y = src + (<usize>j << 4);
        if (cmpRec(y, x) < 0) {
          memory.copy(dst + (<usize>k << 4), y, 16);
          j++;
        } else {
          memory.copy(dst + (<usize>k << 4), x, 16);
          i++;
        }
        k++;
      }
      if (i < mid) memory.copy(dst + (<usize>k << 4), src + (<usize>i << 4), <usize>(mid - i) << 4);
      else if (j < hi) memory.copy(dst + (<usize>k << 4), src + (<usize>j << 4), <usize>(hi - j) << 4);
    }
    let t = src;
    src = dst;
    dst = t;
  }
  for (let i: u32 = 0; i < n; i++) store<u32>(p + (<usize>i << 2), load<u32>(src + (<usize>i << 4), 8));
  heapSet(mark);
}

/** Stable sort of n value addresses at p by the total order (insertion sort + bottom-up merge). */
export function sortPtrs(p: usize, n: u32): void {
  if (n < 2) return;
  if (n >= 32) {
    let allStr = true;
    for (let i: u32 = 0; i < n; i++) {
      if (load<u8>(load<u32>(p + (<usize>i << 2))) != T_STR) {
        allStr = false;
        break;
      }
    }
    if (allStr) {
      sortStrings(p, n);
      return;
    }
  }
  for (let i: u32 = 0; i < n; i++) {
    if (load<u8>(load<u32>(p + (<usize>i << 2))) == T_OBJ) {
      sortKeyed(p, n);
      return;
    }
  }
  let mark = heapGet();
  const RUN: u32 = 12;
  for (let lo: u32 = 0; lo < n; lo += RUN) {
    let hi = lo + RUN < n ? lo + RUN : n;
    for (let i = lo + 1; i < hi; i++) {
      let x = load<u32>(p + (<usize>i << 2));
      let j = i;
      while (j > lo && compareValues(load<u32>(p + (<usize>(j - 1) << 2)), x) > 0) {
        store<u32>(p + (<usize>j << 2), load<u32>(p + (<usize>(j - 1) << 2)));
        j--;
      }
      store<u32>(p + (<usize>j << 2), x);
    }
  }
  if (n <= RUN) {
    heapSet(mark);
    return;
  }
  let tmp = malloc(<usize>n << 2);
  let src = p;
  let dst = tmp;
  for (let w = RUN; w < n; w <<= 1) {
    for (let lo: u32 = 0; lo < n; lo += w << 1) {
      let mid = lo + w < n ? lo + w : n;
      let hi = lo + (w << 1) < n ? lo + (w << 1) : n;
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        let x = load<u32>(src + (<usize>i << 2));
        let y = load<u32>(src + (<usize>j << 2));
        if (compareValues(y, x) < 0) {
          store<u32>(dst + (<usize>k << 2), y);
          j++;
        } else {
          store<u32>(dst + (<usize>k << 2), x);
          i++;
        }
        k++;
      }
      while (i < mid) {
        store<u32>(dst + (<usize>k << 2), load<u32>(src + (<usize>i << 2)));
        k++;
        i++;
      }
      while (j < hi) {
        store<u32>(dst + (<usize>k << 2), load<u32>(src + (<usize>j << 2)));
        k++;
        j++;
      }
    }
    let t = src;
    src = dst;
    dst = t;
  }
  if (src != p) memory.copy(p, src, <usize>n << 2);
  heapSet(mark);
}

// ---- UTF-8 helpers

/** Number of code points in n bytes at p (continuation bytes are not counted). */
export function utf8Count(p: usize, n: u32): u32 {
  let c: u32 = 0;
  for (let i: u32 = 0; i < n; i++) if ((load<u8>(p + i) & 0xc0) != 0x80) c++;
  return c;
}

/** Byte length of the UTF-8 sequence starting with byte b (1 for invalid lead bytes). */
export function utf8SeqLen(b: u8): u32 {
  if (b < 0x80) return 1;
  if (b >= 0xf0 && b < 0xf8) return 4;
  if (b >= 0xe0) return b < 0xf0 ? 3 : 1;
  if (b >= 0xc0) return 2;
  return 1;
}

/** Code point at p (n bytes available); invalid sequences decode as their first byte. */
export function utf8Decode(p: usize, n: u32): u32 {
  let b0 = <u32>load<u8>(p);
  let l = utf8SeqLen(<u8>b0);
  if (l > n) return b0;
  if (l == 1) return b0;
  if (l == 2) return ((b0 & 0x1f) << 6) | (load<u8>(p, 1) & 0x3f);
  if (l == 3) return ((b0 & 0x0f) << 12) | ((<u32>load<u8>(p, 1) & 0x3f) << 6) | (load<u8>(p, 2) & 0x3f);
  return (
    ((b0 & 0x07) << 18) |
    ((<u32>load<u8>(p, 1) & 0x3f) << 12) |
    ((<u32>load<u8>(p, 2) & 0x3f) << 6) |
    (load<u8>(p, 3) & 0x3f)
  );
}

/** Writes code point cp as UTF-8 at p; returns the byte count. */
export function utf8Encode(p: usize, cp: u32): u32 {
  if (cp < 0x80) {
    store<u8>(p, <u8>cp);
    return 1;
  }
  if (cp < 0x800) {
    store<u8>(p, <u8>(0xc0 | (cp >> 6)));
    store<u8>(p, <u8>(0x80 | (cp & 0x3f)), 1);
    return 2;
  }
  if (cp < 0x10000) {
    store<u8>(p, <u8>(0xe0 | (cp >> 12)));
    store<u8>(p, <u8>(0x80 | ((cp >> 6) & 0x3f)), 1);
    store<u8>(p, <u8>(0x80 | (cp & 0x3f)), 2);
    return 3;
  }
  store<u8>(p, <u8>(0xf0 | (cp >> 18)));
  store<u8>(p, <u8>(0x80 | ((cp >> 12) & 0x3f)), 1);
  store<u8>(p, <u8>(0x80 | ((cp >> 6) & 0x3f)), 2);
  store<u8>(p, <u8>(0x80 | (cp & 0x3f)), 3);
  return 4;
}
