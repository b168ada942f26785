// Native builtins, one export per Rego builtin (map in compiler/builtins/natives.ts). Each takes
// value addresses and returns a value address, or 0 when OPA's result is undefined or the call
// is a builtin error in non-strict mode (wrong operand types, division by zero, ...).
// Semantics follow OPA's topdown implementation (Go); differences are listed in docs/runtime.md.

import { malloc } from "./alloc";
import {
  T_NULL, T_BOOL, T_NUM, T_STR, T_ARR, T_OBJ, T_SET, TRUE_V, FALSE_V,
  mkBool, boolVal, numInt, numFloat, isInt, intVal, floatRaw, numF64, isIntNum, isIntegral, isFloatNum,
  str, strLen, strPtr, strLit, arrNew, arrPush, arrLen, arrGet, arrElems,
  htNew, htInsert, htLen, htKey, htVal, htIndexOf, objGet,
  compareValues, valueEqual, sortedKeys, sortPtrs,
  utf8Count, utf8SeqLen, utf8Decode, utf8Encode,
} from "./value";
import { dumpStr, MODE_MARSHAL, numberFromText, scanNumber, parseJSON } from "./json";
import { casemap } from "util/casemap";
import { regexMatch } from "./regex";
import { globMatch } from "./glob";
import { sprintfValue } from "./sprintf";
import { cidrContains } from "./net";
import { parseRFC3339, timeOk } from "./time";
import { parseBytes, unitsError } from "./units";
import { reachable, reachablePaths, walk } from "./graph";
import { opa_runtime_error } from "./index";
import { trimLen, magAdd, magSub, magMul, magCmp, magDivMod, magToBase, numFromMag, resLen, remPtr, remLen } from "./bigint";

// @ts-ignore: decorator
@inline
function isT(v: usize, t: u8): bool {
  return v != 0 && load<u8>(v) == t;
}

// @ts-ignore: decorator
@inline
function isColl(v: usize): bool {
  return v != 0 && (load<u8>(v) == T_ARR || load<u8>(v) == T_SET);
}

/** A finite float result as a number value; 0 (error) for NaN/Inf. */
function fnum(f: f64): usize {
  return isFinite(f) ? numFloat(f) : 0;
}

const I64_MIN: i64 = -9223372036854775808;
const OVERFLOW_GUARD: f64 = 9.2e18; // safely below 2^63 given f64 rounding of the estimate

// Elements of an array, or of a set in sorted order (OPA iterates sets sorted).
let elemCount: u32 = 0;
function elemsOf(v: usize): usize {
  if (load<u8>(v) == T_ARR) {
    elemCount = arrLen(v);
    return arrElems(v);
  }
  elemCount = htLen(v);
  return sortedKeys(v);
}

// @ts-ignore: decorator
@inline
function elemAt(p: usize, i: u32): usize {
  return load<u32>(p + (<usize>i << 2));
}


// ================================================================ error reporting
// A native that fails with an OPA builtin error (not plain undefined) records
// "eval_type_error: <name>: <message>" or "eval_builtin_error: <name>: <message>" here before
// returning 0. opa_builtin_error() hands the message out once (and clears it), so strict-mode
// code can turn a 0 result into opa_runtime_error while non-strict code ignores it.

const ERRBUF_CAP: u32 = 512;
const errBuf: usize = memory.data(512);
let errLen: u32 = 0;
let errSet: bool = false;

function eLit(s: string): void {
  let n = <u32>s.length;
  let src = changetype<usize>(s);
  for (let i: u32 = 0; i < n && errLen < ERRBUF_CAP - 1; i++) {
    store<u8>(errBuf + errLen, <u8>load<u16>(src + (<usize>i << 1)));
    errLen++;
  }
}

function eInt(x: i32): void {
  if (x >= 10) eInt(x / 10);
  if (errLen < ERRBUF_CAP - 1) {
    store<u8>(errBuf + errLen, <u8>(0x30 + x % 10));
    errLen++;
  }
}

function eStart(code: string, fn: string): void {
  errLen = 0;
  errSet = true;
  eLit(code);
  eLit(": ");
  eLit(fn);
  eLit(": ");
}

function gotName(v: usize): string {
  if (v == 0) return "undefined";
  switch (load<u8>(v)) {
    case T_NULL: return "null";
    case T_BOOL: return "boolean";
    case T_NUM: return "number";
    case T_STR: return "string";
    case T_ARR: return "array";
    case T_OBJ: return "object";
    case T_SET: return "set";
  }
  return "unknown";
}

function wantName(t: u8): string {
  switch (t) {
    case T_NULL: return "null";
    case T_BOOL: return "boolean";
    case T_NUM: return "number";
    case T_STR: return "string";
    case T_ARR: return "array";
    case T_OBJ: return "object";
    case T_SET: return "set";
  }
  return "value";
}

/** Records "fn: operand n must be <want> but got <type of v>" and returns 0. */
function typeErr(fn: string, n: i32, want: string, v: usize): usize {
  eStart("eval_type_error", fn);
  eLit("operand ");
  eInt(n);
  eLit(" must be ");
  eLit(want);
  eLit(" but got ");
  if (v != 0 && load<u8>(v) == T_NUM && isFloatNum(v) && want == "integer number") eLit("floating-point number");
  else eLit(gotName(v));
  return 0;
}

/** Records "fn: msg" as a builtin error and returns 0. */
function builtinErr(fn: string, msg: string): usize {
  eStart("eval_builtin_error", fn);
  eLit(msg);
  return 0;
}

/** True if v has type t; else records the operand type error. */
function need(v: usize, t: u8, fn: string, n: i32): bool {
  if (v != 0 && load<u8>(v) == t) return true;
  typeErr(fn, n, wantName(t), v);
  return false;
}

/** True if v is an integer number (i64); else records "must be integer number". */
function needInt(v: usize, fn: string, n: i32): bool {
  if (isIntNum(v)) return true;
  typeErr(fn, n, "integer number", v);
  return false;
}

/** True if v is an array or a set; else records the operand type error. */
function needColl(v: usize, fn: string, n: i32): bool {
  if (isColl(v)) return true;
  typeErr(fn, n, "one of {array, set}", v);
  return false;
}

/** The pending builtin error message (NUL-terminated) or 0; clears it. */
export function opa_builtin_error(): u32 {
  if (!errSet) return 0;
  errSet = false;
  store<u8>(errBuf + errLen, 0);
  return errBuf;
}

/**
 * Strict builtin errors: returns result when it is defined (dropping any error an inner call
 * recorded) or when no error is pending (a plain undefined such as max([])); else aborts with
 * "file:row:col: eval_type_error: ..." through opa_runtime_error. Generated code calls it after
 * every native builtin when the policy was compiled with strict builtin errors.
 */
export function opa_builtin_check(result: u32, file: u32, row: u32, col: u32): u32 {
  if (result != 0 || !errSet) {
    errSet = false;
    return result;
  }
  opa_runtime_error(file, row, col, opa_builtin_error());
  return 0;
}

// ================================================================ arithmetic

// Sign and magnitude of an integral number (i64 or big), for big arithmetic.
let gNeg: bool = false;
let gPtr: usize = 0;
let gLen: u32 = 0;

function loadMag(v: usize): void {
  if (isInt(v)) {
    let x = intVal(v);
    gNeg = x < 0;
    let m: u64 = x < 0 ? <u64>0 - <u64>x : <u64>x;
    gPtr = malloc(8);
    store<u64>(gPtr, m);
    gLen = trimLen(gPtr, 2);
  } else {
    gNeg = load<u8>(v, 2) != 0;
    gPtr = load<u32>(v, 16);
    gLen = load<u32>(v, 4);
  }
}

// (-1)^an * a + (-1)^bn * b for integral operands, exact.
function bigAdd(a: usize, b: usize, negateB: bool): usize {
  loadMag(a);
  let an = gNeg;
  let ap = gPtr;
  let al = gLen;
  loadMag(b);
  let bn = gNeg != negateB;
  let bp = gPtr;
  let bl = gLen;
  if (an == bn) {
    let r = magAdd(ap, al, bp, bl);
    return numFromMag(an, r, resLen);
  }
  let c = magCmp(ap, al, bp, bl);
  if (c == 0) return numInt(0);
  if (c > 0) {
    let r = magSub(ap, al, bp, bl);
    return numFromMag(an, r, resLen);
  }
  let r = magSub(bp, bl, ap, al);
  return numFromMag(bn, r, resLen);
}

/** plus(a, b): a + b (integers exact at any size). */
export function opa_arith_plus(a: u32, b: u32): u32 {
  if (!need(a, T_NUM, "plus", 1) || !need(b, T_NUM, "plus", 2)) return 0;
  if (isInt(a) && isInt(b)) {
    let x = intVal(a);
    let y = intVal(b);
    let r = x + y;
    if (((x ^ r) & (y ^ r)) >= 0) return numInt(r);
  }
  if (isIntegral(a) && isIntegral(b)) return bigAdd(a, b, false);
  return fnum(numF64(a) + numF64(b));
}

function numMinus(a: usize, b: usize): usize {
  if (isInt(a) && isInt(b)) {
    let x = intVal(a);
    let y = intVal(b);
    let r = x - y;
    if (((x ^ y) & (x ^ r)) >= 0) return numInt(r);
  }
  if (isIntegral(a) && isIntegral(b)) return bigAdd(a, b, true);
  return fnum(numF64(a) - numF64(b));
}

/** minus(a, b): number difference, or set difference for two sets. */
export function opa_arith_minus(a: u32, b: u32): u32 {
  if (isT(a, T_NUM)) return need(b, T_NUM, "minus", 2) ? numMinus(a, b) : 0;
  if (isT(a, T_SET)) return need(b, T_SET, "minus", 2) ? setDiff(a, b) : 0;
  return typeErr("minus", 1, "one of {number, set}", a);
}

/** mul(a, b): a * b (integers exact at any size). */
export function opa_arith_multiply(a: u32, b: u32): u32 {
  if (!need(a, T_NUM, "mul", 1) || !need(b, T_NUM, "mul", 2)) return 0;
  if (isInt(a) && isInt(b)) {
    let x = intVal(a);
    let y = intVal(b);
    if (Math.abs(<f64>x * <f64>y) < OVERFLOW_GUARD) return numInt(x * y);
  }
  if (isIntegral(a) && isIntegral(b)) {
    loadMag(a);
    let an = gNeg;
    let ap = gPtr;
    let al = gLen;
    loadMag(b);
    let r = magMul(ap, al, gPtr, gLen);
    return numFromMag(an != gNeg, r, resLen);
  }
  return fnum(numF64(a) * numF64(b));
}

// True if an integral number is zero.
// @ts-ignore: decorator
@inline
function isZeroInt(v: usize): bool {
  return isInt(v) && intVal(v) == 0;
}

/** div(a, b): a / b; exact integer quotients stay integers; error when b is zero. */
export function opa_arith_divide(a: u32, b: u32): u32 {
  if (!need(a, T_NUM, "div", 1) || !need(b, T_NUM, "div", 2)) return 0;
  if (isZeroInt(b)) return builtinErr("div", "divide by zero");
  if (isInt(a) && isInt(b)) {
    let x = intVal(a);
    let y = intVal(b);
    if (!(x == I64_MIN && y == -1) && x % y == 0) return numInt(x / y);
  } else if (isIntegral(a) && isIntegral(b)) {
    loadMag(a);
    let an = gNeg;
    let ap = gPtr;
    let al = gLen;
    loadMag(b);
    let q = magDivMod(ap, al, gPtr, gLen);
    if (remLen == 0) return numFromMag(an != gNeg, q, resLen);
  }
  let d = numF64(b);
  if (d == 0) return builtinErr("div", "divide by zero");
  return fnum(numF64(a) / d);
}

/** rem(a, b): integer remainder with the sign of a; error for floats or b = 0. */
export function opa_arith_rem(a: u32, b: u32): u32 {
  if (!need(a, T_NUM, "rem", 1) || !need(b, T_NUM, "rem", 2)) return 0;
  if (!isIntegral(a) || !isIntegral(b)) return builtinErr("rem", "modulo on floating-point number");
  if (isZeroInt(b)) return builtinErr("rem", "modulo by zero");
  if (isInt(a) && isInt(b)) {
    let y = intVal(b);
    if (y == -1) return numInt(0);
    return numInt(intVal(a) % y);
  }
  loadMag(a);
  let an = gNeg;
  let ap = gPtr;
  let al = gLen;
  loadMag(b);
  magDivMod(ap, al, gPtr, gLen);
  return numFromMag(an, remPtr, remLen);
}

/** abs(x). */
export function opa_arith_abs(a: u32): u32 {
  if (!need(a, T_NUM, "abs", 1)) return 0;
  if (isInt(a)) {
    let x = intVal(a);
    if (x >= 0) return a;
    if (x != I64_MIN) return numInt(-x);
  }
  if (isIntegral(a)) {
    loadMag(a);
    return numFromMag(false, gPtr, gLen);
  }
  return fnum(Math.abs(numF64(a)));
}

/** round(x): nearest integer, halves away from zero. */
export function opa_arith_round(a: u32): u32 {
  if (!need(a, T_NUM, "round", 1)) return 0;
  if (!isFloatNum(a)) return a;
  let f = floatRaw(a);
  let t = Math.trunc(f);
  if (Math.abs(f - t) >= 0.5) t += f < 0 ? -1 : 1;
  return fnum(t);
}

/** ceil(x). */
export function opa_arith_ceil(a: u32): u32 {
  if (!need(a, T_NUM, "ceil", 1)) return 0;
  if (!isFloatNum(a)) return a;
  return fnum(Math.ceil(floatRaw(a)));
}

/** floor(x). */
export function opa_arith_floor(a: u32): u32 {
  if (!need(a, T_NUM, "floor", 1)) return 0;
  if (!isFloatNum(a)) return a;
  return fnum(Math.floor(floatRaw(a)));
}

/** numbers.range(a, b): integers from a to b inclusive (descending if a > b). */
export function opa_numbers_range(a: u32, b: u32): u32 {
  if (!needInt(a, "numbers.range", 1) || !needInt(b, "numbers.range", 2)) return 0;
  let x = intVal(a);
  let y = intVal(b);
  let n = x <= y ? y - x : x - y;
  if (n < 0 || n >= 100000000) return 0; // would not fit in memory
  let r = arrNew(<u32>n + 1);
  if (x <= y) for (let i = x; i <= y; i++) arrPush(r, numInt(i));
  else for (let i = x; i >= y; i--) arrPush(r, numInt(i));
  return r;
}

// ================================================================ comparison

/** equal(a, b). */
export function opa_cmp_eq(a: u32, b: u32): u32 {
  if (a == 0 || b == 0) return 0;
  return mkBool(valueEqual(a, b));
}

/** neq(a, b). */
export function opa_cmp_neq(a: u32, b: u32): u32 {
  if (a == 0 || b == 0) return 0;
  return mkBool(!valueEqual(a, b));
}

/** lt(a, b) by the total order. */
export function opa_cmp_lt(a: u32, b: u32): u32 {
  if (a == 0 || b == 0) return 0;
  return mkBool(compareValues(a, b) < 0);
}

/** lte(a, b) by the total order. */
export function opa_cmp_lte(a: u32, b: u32): u32 {
  if (a == 0 || b == 0) return 0;
  return mkBool(compareValues(a, b) <= 0);
}

/** gt(a, b) by the total order. */
export function opa_cmp_gt(a: u32, b: u32): u32 {
  if (a == 0 || b == 0) return 0;
  return mkBool(compareValues(a, b) > 0);
}

/** gte(a, b) by the total order. */
export function opa_cmp_gte(a: u32, b: u32): u32 {
  if (a == 0 || b == 0) return 0;
  return mkBool(compareValues(a, b) >= 0);
}

// ================================================================ sets and membership

function setDiff(a: usize, b: usize): usize {
  let r = htNew(T_SET);
  let n = htLen(a);
  for (let i: u32 = 0; i < n; i++) {
    let e = htKey(a, i);
    if (htIndexOf(b, e) < 0) htInsert(r, e, e);
  }
  return r;
}

function setAnd(a: usize, b: usize): usize {
  let r = htNew(T_SET);
  let n = htLen(a);
  for (let i: u32 = 0; i < n; i++) {
    let e = htKey(a, i);
    if (htIndexOf(b, e) >= 0) htInsert(r, e, e);
  }
  return r;
}

function setAddAll(r: usize, a: usize): void {
  let n = htLen(a);
  for (let i: u32 = 0; i < n; i++) {
    let e = htKey(a, i);
    htInsert(r, e, e);
  }
}

/** and(a, b): set intersection (`a & b`). */
export function opa_sets_and(a: u32, b: u32): u32 {
  if (!need(a, T_SET, "and", 1) || !need(b, T_SET, "and", 2)) return 0;
  return setAnd(a, b);
}

/** or(a, b): set union (`a | b`). */
export function opa_sets_or(a: u32, b: u32): u32 {
  if (!need(a, T_SET, "or", 1) || !need(b, T_SET, "or", 2)) return 0;
  let r = htNew(T_SET);
  setAddAll(r, a);
  setAddAll(r, b);
  return r;
}

/** union(set of sets). */
export function opa_sets_union(s: u32): u32 {
  if (!need(s, T_SET, "union", 1)) return 0;
  let n = htLen(s);
  for (let i: u32 = 0; i < n; i++) if (!isT(htKey(s, i), T_SET)) return typeErr("union", 1, "set of sets", s);
  let r = htNew(T_SET);
  for (let i: u32 = 0; i < n; i++) setAddAll(r, htKey(s, i));
  return r;
}

/** intersection(set of sets); the empty set for no sets. */
export function opa_sets_intersection(s: u32): u32 {
  if (!need(s, T_SET, "intersection", 1)) return 0;
  let n = htLen(s);
  for (let i: u32 = 0; i < n; i++) if (!isT(htKey(s, i), T_SET)) return typeErr("intersection", 1, "set of sets", s);
  if (n == 0) return htNew(T_SET);
  let r = htKey(s, 0);
  for (let i: u32 = 1; i < n; i++) r = setAnd(r, htKey(s, i));
  if (n == 1) {
    let c = htNew(T_SET);
    setAddAll(c, r);
    return c;
  }
  return r;
}

/** internal.member_2(x, coll): `x in coll` over array elements, set members or object values. */
export function opa_internal_member_2(x: u32, c: u32): u32 {
  if (x == 0 || c == 0) return 0;
  switch (load<u8>(c)) {
    case T_ARR: {
      let n = arrLen(c);
      for (let i: u32 = 0; i < n; i++) if (valueEqual(arrGet(c, i), x)) return TRUE_V;
      return FALSE_V;
    }
    case T_SET:
      return mkBool(htIndexOf(c, x) >= 0);
    case T_OBJ: {
      let n = htLen(c);
      for (let i: u32 = 0; i < n; i++) if (valueEqual(htVal(c, i), x)) return TRUE_V;
      return FALSE_V;
    }
  }
  return FALSE_V;
}

/** internal.member_3(k, v, coll): `k, v in coll` (array index or object key). */
export function opa_internal_member_3(k: u32, v: u32, c: u32): u32 {
  if (k == 0 || v == 0 || c == 0) return 0;
  switch (load<u8>(c)) {
    case T_ARR: {
      if (!isIntNum(k)) return FALSE_V;
      let i = intVal(k);
      if (i < 0 || i >= <i64>arrLen(c)) return FALSE_V;
      return mkBool(valueEqual(arrGet(c, <u32>i), v));
    }
    case T_OBJ: {
      let x = objGet(c, k);
      return mkBool(x != 0 && valueEqual(x, v));
    }
  }
  return FALSE_V;
}

// ================================================================ aggregates

/** count(x): elements of a collection or code points of a string. */
export function opa_agg_count(v: u32): u32 {
  if (v == 0) return 0;
  switch (load<u8>(v)) {
    case T_ARR:
      return numInt(arrLen(v));
    case T_OBJ:
    case T_SET:
      return numInt(htLen(v));
    case T_STR:
      return numInt(utf8Count(strPtr(v), strLen(v)));
  }
  return typeErr("count", 1, "one of {array, object, set, string}", v);
}

/** sum(array or set of numbers). */
export function opa_agg_sum(v: u32): u32 {
  if (!needColl(v, "sum", 1)) return 0;
  let p = elemsOf(v);
  let n = elemCount;
  let acc = numInt(0);
  for (let i: u32 = 0; i < n; i++) {
    let e = elemAt(p, i);
    if (!isT(e, T_NUM)) return typeErr("sum", 1, "collection of numbers", v);
    acc = opa_arith_plus(acc, e);
    if (acc == 0) return 0;
  }
  return acc;
}

/** product(array or set of numbers). */
export function opa_agg_product(v: u32): u32 {
  if (!needColl(v, "product", 1)) return 0;
  let p = elemsOf(v);
  let n = elemCount;
  let acc = numInt(1);
  for (let i: u32 = 0; i < n; i++) {
    let e = elemAt(p, i);
    if (!isT(e, T_NUM)) return typeErr("product", 1, "collection of numbers", v);
    acc = opa_arith_multiply(acc, e);
    if (acc == 0) return 0;
  }
  return acc;
}

function extreme(v: usize, sign: i32, fn: string): usize {
  if (!needColl(v, fn, 1)) return 0;
  let p = load<u8>(v) == T_ARR ? arrElems(v) : 0;
  let n = load<u8>(v) == T_ARR ? arrLen(v) : htLen(v);
  if (n == 0) return 0;
  let best: usize = p ? elemAt(p, 0) : htKey(v, 0);
  for (let i: u32 = 1; i < n; i++) {
    let e = p ? elemAt(p, i) : htKey(v, i);
    if (compareValues(e, best) * sign > 0) best = e;
  }
  return best;
}

/** max(array or set); undefined when empty. */
export function opa_agg_max(v: u32): u32 {
  return extreme(v, 1, "max");
}

/** min(array or set); undefined when empty. */
export function opa_agg_min(v: u32): u32 {
  return extreme(v, -1, "min");
}

/** sort(array or set): a sorted array. */
export function opa_agg_sort(v: u32): u32 {
  if (!needColl(v, "sort", 1)) return 0;
  let p = elemsOf(v);
  let n = elemCount;
  let r = arrNew(n);
  for (let i: u32 = 0; i < n; i++) arrPush(r, elemAt(p, i));
  if (load<u8>(v) == T_ARR) sortPtrs(arrElems(r), n);
  return r;
}

/** any(array or set): true if some element is true. */
export function opa_agg_any(v: u32): u32 {
  if (!needColl(v, "any", 1)) return 0;
  if (load<u8>(v) == T_SET) return mkBool(htIndexOf(v, TRUE_V) >= 0);
  let n = arrLen(v);
  for (let i: u32 = 0; i < n; i++) if (valueEqual(arrGet(v, i), TRUE_V)) return TRUE_V;
  return FALSE_V;
}

/** all(array or set): true if every element is true (true when empty). */
export function opa_agg_all(v: u32): u32 {
  if (!needColl(v, "all", 1)) return 0;
  let n = load<u8>(v) == T_ARR ? arrLen(v) : htLen(v);
  for (let i: u32 = 0; i < n; i++) {
    let e = load<u8>(v) == T_ARR ? arrGet(v, i) : htKey(v, i);
    if (!valueEqual(e, TRUE_V)) return FALSE_V;
  }
  return TRUE_V;
}

// ================================================================ strings

// @ts-ignore: decorator
@inline
function bytesEq(p: usize, q: usize, n: u32): bool {
  return memory.compare(p, q, n) == 0;
}

/** Byte offset of needle in hay at or after from, or -1. */
function findBytes(hp: usize, hn: u32, np: usize, nn: u32, from: u32): i32 {
  if (nn == 0) return from <= hn ? <i32>from : -1;
  if (nn > hn) return -1;
  let first = load<u8>(np);
  let last = hn - nn;
  for (let i = from; i <= last; i++) {
    if (load<u8>(hp + i) == first && bytesEq(hp + i, np, nn)) return <i32>i;
  }
  return -1;
}

/** concat(delimiter, array or set of strings). */
export function opa_strings_concat(d: u32, c: u32): u32 {
  if (!need(d, T_STR, "concat", 1) || !needColl(c, "concat", 2)) return 0;
  let p = elemsOf(c);
  let n = elemCount;
  let dl = strLen(d);
  let total: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let e = elemAt(p, i);
    if (!isT(e, T_STR)) return typeErr("concat", 2, "collection of strings", c);
    total += strLen(e) + (i > 0 ? dl : 0);
  }
  let out = malloc(total);
  let o = out;
  for (let i: u32 = 0; i < n; i++) {
    if (i > 0) {
      memory.copy(o, strPtr(d), dl);
      o += dl;
    }
    let e = elemAt(p, i);
    memory.copy(o, strPtr(e), strLen(e));
    o += strLen(e);
  }
  return str(out, total);
}

/** startswith(s, prefix). */
export function opa_strings_startswith(s: u32, x: u32): u32 {
  if (!need(s, T_STR, "startswith", 1) || !need(x, T_STR, "startswith", 2)) return 0;
  let n = strLen(x);
  return mkBool(n <= strLen(s) && bytesEq(strPtr(s), strPtr(x), n));
}

/** endswith(s, suffix). */
export function opa_strings_endswith(s: u32, x: u32): u32 {
  if (!need(s, T_STR, "endswith", 1) || !need(x, T_STR, "endswith", 2)) return 0;
  let n = strLen(x);
  let m = strLen(s);
  return mkBool(n <= m && bytesEq(strPtr(s) + m - n, strPtr(x), n));
}

/** contains(s, sub). */
export function opa_strings_contains(s: u32, x: u32): u32 {
  if (!need(s, T_STR, "contains", 1) || !need(x, T_STR, "contains", 2)) return 0;
  return mkBool(findBytes(strPtr(s), strLen(s), strPtr(x), strLen(x), 0) >= 0);
}

function mapCase(s: usize, dir: i32, fn: string): usize {
  if (!need(s, T_STR, fn, 1)) return 0;
  let p = strPtr(s);
  let n = strLen(s);
  let out = malloc(<usize>n * 2 + 4);
  let o = out;
  let i: u32 = 0;
  while (i < n) {
    let b = load<u8>(p + i);
    if (b < 0x80) {
      let c = <u32>b;
      if (dir == 0 && c - 0x41 < 26) c |= 0x20;
      else if (dir == 1 && c - 0x61 < 26) c &= ~0x20;
      store<u8>(o++, <u8>c);
      i++;
      continue;
    }
    let l = utf8SeqLen(b);
    if (i + l > n) l = n - i;
    let cp = utf8Decode(p + i, n - i);
    // U+00DF has no simple uppercase in UnicodeData (Go keeps it); musl's table maps it to U+1E9E.
    let m = cp < 0x20000 && cp != 0xdf ? <u32>casemap(cp, dir) : cp;
    if (l == 1 || m == cp) {
      memory.copy(o, p + i, l);
      o += l;
    } else o += utf8Encode(o, m);
    i += l;
  }
  return str(out, <u32>(o - out));
}

/** lower(s). */
export function opa_strings_lower(s: u32): u32 {
  return mapCase(s, 0, "lower");
}

/** upper(s). */
export function opa_strings_upper(s: u32): u32 {
  return mapCase(s, 1, "upper");
}

/** split(s, delimiter); an empty delimiter splits into code points. */
export function opa_strings_split(s: u32, d: u32): u32 {
  if (!need(s, T_STR, "split", 1) || !need(d, T_STR, "split", 2)) return 0;
  let p = strPtr(s);
  let n = strLen(s);
  let dp = strPtr(d);
  let dn = strLen(d);
  let r = arrNew(0);
  if (dn == 0) {
    let i: u32 = 0;
    while (i < n) {
      let l = utf8SeqLen(load<u8>(p + i));
      if (i + l > n) l = n - i;
      arrPush(r, str(p + i, l));
      i += l;
    }
    return r;
  }
  let start: u32 = 0;
  while (true) {
    let k = findBytes(p, n, dp, dn, start);
    if (k < 0) break;
    arrPush(r, str(p + start, <u32>k - start));
    start = <u32>k + dn;
  }
  arrPush(r, str(p + start, n - start));
  return r;
}

function replaceAll(p: usize, n: u32, op: usize, on: u32, np: usize, nn: u32): usize {
  if (on == 0) {
    // Go: an empty old string matches before every code point and at the end.
    let cps = utf8Count(p, n);
    let out = malloc(<usize>n + <usize>(cps + 1) * nn);
    let o = out;
    let i: u32 = 0;
    while (true) {
      memory.copy(o, np, nn);
      o += nn;
      if (i >= n) break;
      let l = utf8SeqLen(load<u8>(p + i));
      if (i + l > n) l = n - i;
      memory.copy(o, p + i, l);
      o += l;
      i += l;
    }
    return str(out, <u32>(o - out));
  }
  let count: u32 = 0;
  let k = findBytes(p, n, op, on, 0);
  while (k >= 0) {
    count++;
    k = findBytes(p, n, op, on, <u32>k + on);
  }
  if (count == 0) return str(p, n);
  let total = n - count * on + count * nn;
  let out = malloc(total);
  let o = out;
  let start: u32 = 0;
  k = findBytes(p, n, op, on, 0);
  while (k >= 0) {
    memory.copy(o, p + start, <u32>k - start);
    o += <u32>k - start;
    memory.copy(o, np, nn);
    o += nn;
    start = <u32>k + on;
    k = findBytes(p, n, op, on, start);
  }
  memory.copy(o, p + start, n - start);
  return str(out, total);
}

/** replace(s, old, new): every occurrence of old replaced. */
export function opa_strings_replace(s: u32, a: u32, b: u32): u32 {
  if (!need(s, T_STR, "replace", 1) || !need(a, T_STR, "replace", 2) || !need(b, T_STR, "replace", 3)) return 0;
  return replaceAll(strPtr(s), strLen(s), strPtr(a), strLen(a), strPtr(b), strLen(b));
}

/** strings.replace_n(patterns object old -> new, s): replacements applied in sorted key order, non-overlapping, left to right. */
export function opa_strings_replace_n(pats: u32, s: u32): u32 {
  if (!need(pats, T_OBJ, "strings.replace_n", 1) || !need(s, T_STR, "strings.replace_n", 2)) return 0;
  let n = htLen(pats);
  let keys = sortedKeys(pats);
  for (let i: u32 = 0; i < n; i++) {
    if (!isT(elemAt(keys, i), T_STR)) {
      eStart("eval_type_error", "strings.replace_n");
      eLit("operand 1 non-string key found in pattern object");
      return 0;
    }
    if (!isT(objGet(pats, elemAt(keys, i)), T_STR)) {
      eStart("eval_type_error", "strings.replace_n");
      eLit("operand 1 non-string value found in pattern object");
      return 0;
    }
  }
  // Go's strings.NewReplacer: at each position the first pattern (argument order = sorted keys)
  // that matches wins; an empty key matches everywhere, but not twice in a row at one position.
  let p = strPtr(s);
  let len = strLen(s);
  let cap: usize = <usize>len + 16;
  let out = malloc(cap);
  let o: usize = 0;
  let i: u32 = 0;
  let prevEmpty = false;
  while (i <= len) {
    let hit: i32 = -1;
    for (let k: u32 = 0; k < n; k++) {
      let key = elemAt(keys, k);
      let kl = strLen(key);
      if (kl == 0) {
        if (prevEmpty) continue;
      } else if (i + kl > len || !bytesEq(p + i, strPtr(key), kl)) continue;
      hit = <i32>k;
      break;
    }
    if (hit >= 0) {
      let key = elemAt(keys, <u32>hit);
      let val = objGet(pats, key);
      let vl = strLen(val);
      if (o + vl > cap) {
        let ncap = (cap + vl) << 1;
        let q = malloc(ncap);
        memory.copy(q, out, o);
        out = q;
        cap = ncap;
      }
      memory.copy(out + o, strPtr(val), vl);
      o += vl;
      i += strLen(key);
      prevEmpty = strLen(key) == 0;
      continue;
    }
    prevEmpty = false;
    if (i == len) break;
    let l = utf8SeqLen(load<u8>(p + i));
    if (i + l > len) l = len - i;
    if (o + l > cap) {
      let ncap = (cap + l) << 1;
      let q = malloc(ncap);
      memory.copy(q, out, o);
      out = q;
      cap = ncap;
    }
    memory.copy(out + o, p + i, l);
    o += l;
    i += l;
  }
  return str(out, <u32>o);
}

function inCutset(cp: u32, cp_: usize, cn: u32): bool {
  let i: u32 = 0;
  while (i < cn) {
    let l = utf8SeqLen(load<u8>(cp_ + i));
    if (i + l > cn) l = cn - i;
    if (utf8Decode(cp_ + i, cn - i) == cp) return true;
    i += l;
  }
  return false;
}

// Start byte of the last code point ending at `end` (exclusive) within [p, end).
function lastCpStart(p: usize, end: u32): u32 {
  let i = end - 1;
  let back: u32 = 0;
  while (i > 0 && (load<u8>(p + i) & 0xc0) == 0x80 && back < 3) {
    i--;
    back++;
  }
  return i;
}

function trimImpl(s: usize, c: usize, left: bool, right: bool, fn: string): usize {
  if (!need(s, T_STR, fn, 1) || !need(c, T_STR, fn, 2)) return 0;
  let p = strPtr(s);
  let n = strLen(s);
  let cp_ = strPtr(c);
  let cn = strLen(c);
  let start: u32 = 0;
  let end = n;
  if (left) {
    while (start < end) {
      let l = utf8SeqLen(load<u8>(p + start));
      if (start + l > end) l = end - start;
      if (!inCutset(utf8Decode(p + start, end - start), cp_, cn)) break;
      start += l;
    }
  }
  if (right) {
    while (end > start) {
      let k = lastCpStart(p, end);
      if (k < start) k = start;
      if (!inCutset(utf8Decode(p + k, end - k), cp_, cn)) break;
      end = k;
    }
  }
  return str(p + start, end - start);
}

/** trim(s, cutset): leading and trailing code points in cutset removed. */
export function opa_strings_trim(s: u32, c: u32): u32 {
  return trimImpl(s, c, true, true, "trim");
}

/** trim_left(s, cutset). */
export function opa_strings_trim_left(s: u32, c: u32): u32 {
  return trimImpl(s, c, true, false, "trim_left");
}

/** trim_right(s, cutset). */
export function opa_strings_trim_right(s: u32, c: u32): u32 {
  return trimImpl(s, c, false, true, "trim_right");
}

/** trim_prefix(s, prefix). */
export function opa_strings_trim_prefix(s: u32, x: u32): u32 {
  if (!need(s, T_STR, "trim_prefix", 1) || !need(x, T_STR, "trim_prefix", 2)) return 0;
  let n = strLen(x);
  if (n <= strLen(s) && bytesEq(strPtr(s), strPtr(x), n)) return str(strPtr(s) + n, strLen(s) - n);
  return s;
}

/** trim_suffix(s, suffix). */
export function opa_strings_trim_suffix(s: u32, x: u32): u32 {
  if (!need(s, T_STR, "trim_suffix", 1) || !need(x, T_STR, "trim_suffix", 2)) return 0;
  let n = strLen(x);
  let m = strLen(s);
  if (n <= m && bytesEq(strPtr(s) + m - n, strPtr(x), n)) return str(strPtr(s), m - n);
  return s;
}

function isUnicodeSpace(c: u32): bool {
  if (c == 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
  if (c < 0x85) return false;
  return (
    c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000
  );
}

/** trim_space(s): leading and trailing Unicode white space removed. */
export function opa_strings_trim_space(s: u32): u32 {
  if (!need(s, T_STR, "trim_space", 1)) return 0;
  let p = strPtr(s);
  let n = strLen(s);
  let start: u32 = 0;
  let end = n;
  while (start < end) {
    let l = utf8SeqLen(load<u8>(p + start));
    if (start + l > end) l = end - start;
    if (!isUnicodeSpace(utf8Decode(p + start, end - start))) break;
    start += l;
  }
  while (end > start) {
    let k = lastCpStart(p, end);
    if (k < start) k = start;
    if (!isUnicodeSpace(utf8Decode(p + k, end - k))) break;
    end = k;
  }
  return str(p + start, end - start);
}

/** indexof(s, sub): code point index of the first occurrence, -1 if none; error for an empty sub. */
export function opa_strings_indexof(s: u32, x: u32): u32 {
  if (!need(s, T_STR, "indexof", 1) || !need(x, T_STR, "indexof", 2)) return 0;
  if (strLen(x) == 0) return builtinErr("indexof", "empty search character");
  let k = findBytes(strPtr(s), strLen(s), strPtr(x), strLen(x), 0);
  if (k < 0) return numInt(-1);
  return numInt(utf8Count(strPtr(s), <u32>k));
}

/** indexof_n(s, sub): code point indexes of all (possibly overlapping) occurrences. */
export function opa_strings_indexof_n(s: u32, x: u32): u32 {
  if (!need(s, T_STR, "indexof_n", 1) || !need(x, T_STR, "indexof_n", 2)) return 0;
  if (strLen(x) == 0) return builtinErr("indexof_n", "empty search character");
  let r = arrNew(0);
  let p = strPtr(s);
  let k = findBytes(p, strLen(s), strPtr(x), strLen(x), 0);
  while (k >= 0) {
    arrPush(r, numInt(utf8Count(p, <u32>k)));
    k = findBytes(p, strLen(s), strPtr(x), strLen(x), <u32>k + utf8SeqLen(load<u8>(p + <u32>k)));
  }
  return r;
}

// Byte offset of code point index `cp` in n bytes at p (n if past the end).
function cpOffset(p: usize, n: u32, cp: i64): u32 {
  let i: u32 = 0;
  let c: i64 = 0;
  while (i < n && c < cp) {
    let l = utf8SeqLen(load<u8>(p + i));
    i += l;
    c++;
  }
  return i > n ? n : i;
}

/** substring(s, offset, length): by code points; negative length = to the end; negative offset is an error. */
export function opa_strings_substring(s: u32, off: u32, len: u32): u32 {
  if (!need(s, T_STR, "substring", 1) || !needInt(off, "substring", 2) || !needInt(len, "substring", 3)) return 0;
  let o = intVal(off);
  let l = intVal(len);
  if (o < 0) return builtinErr("substring", "negative offset");
  let p = strPtr(s);
  let n = strLen(s);
  let a = cpOffset(p, n, o);
  if (a >= n) return str(p, 0);
  let b = l < 0 ? n : a + cpOffset(p + a, n - a, l);
  return str(p + a, b - a);
}

/** strings.reverse(s): code points in reverse order. */
export function opa_strings_reverse(s: u32): u32 {
  if (!need(s, T_STR, "strings.reverse", 1)) return 0;
  let p = strPtr(s);
  let n = strLen(s);
  let out = malloc(n);
  let o = out + n;
  let i: u32 = 0;
  while (i < n) {
    let l = utf8SeqLen(load<u8>(p + i));
    if (i + l > n) l = n - i;
    o -= l;
    memory.copy(o, p + i, l);
    i += l;
  }
  return str(out, n);
}

/** strings.count(s, sub): non-overlapping occurrences (code points + 1 for an empty sub). */
export function opa_strings_count(s: u32, x: u32): u32 {
  if (!need(s, T_STR, "strings.count", 1) || !need(x, T_STR, "strings.count", 2)) return 0;
  let xn = strLen(x);
  if (xn == 0) return numInt(<i64>utf8Count(strPtr(s), strLen(s)) + 1);
  let c: i64 = 0;
  let k = findBytes(strPtr(s), strLen(s), strPtr(x), xn, 0);
  while (k >= 0) {
    c++;
    k = findBytes(strPtr(s), strLen(s), strPtr(x), xn, <u32>k + xn);
  }
  return numInt(c);
}

function anyAffixMatch(s: usize, x: usize, suffix: bool): usize {
  let ss: usize;
  let sn: u32;
  let strs = malloc(4);
  if (isT(s, T_STR)) {
    store<u32>(strs, s);
    ss = strs;
    sn = 1;
  } else if (isColl(s)) {
    ss = elemsOf(s);
    sn = elemCount;
  } else return typeErr(suffix ? "strings.any_suffix_match" : "strings.any_prefix_match", 1, "one of {string, set, array}", s);
  let xs: usize;
  let xn: u32;
  let xsb = malloc(4);
  if (isT(x, T_STR)) {
    store<u32>(xsb, x);
    xs = xsb;
    xn = 1;
  } else if (isColl(x)) {
    xs = elemsOf(x);
    xn = elemCount;
  } else return typeErr(suffix ? "strings.any_suffix_match" : "strings.any_prefix_match", 2, "one of {string, set, array}", x);
  for (let i: u32 = 0; i < sn; i++) if (!isT(elemAt(ss, i), T_STR)) return 0;
  for (let j: u32 = 0; j < xn; j++) if (!isT(elemAt(xs, j), T_STR)) return 0;
  for (let i: u32 = 0; i < sn; i++) {
    for (let j: u32 = 0; j < xn; j++) {
      let r = suffix ? opa_strings_endswith(elemAt(ss, i), elemAt(xs, j)) : opa_strings_startswith(elemAt(ss, i), elemAt(xs, j));
      if (r == TRUE_V) return TRUE_V;
    }
  }
  return FALSE_V;
}

/** strings.any_prefix_match(search, base): a string or collection of strings vs a string or collection of prefixes. */
export function opa_strings_any_prefix_match(s: u32, x: u32): u32 {
  return anyAffixMatch(s, x, false);
}

/** strings.any_suffix_match(search, base). */
export function opa_strings_any_suffix_match(s: u32, x: u32): u32 {
  return anyAffixMatch(s, x, true);
}

const DIGITS: usize = memory.data<u8>([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]);

/** format_int(number, base): base 2, 8, 10 or 16 after truncating toward zero. */
export function opa_strings_format_int(v: u32, b: u32): u32 {
  if (!need(v, T_NUM, "format_int", 1) || !needInt(b, "format_int", 2)) return 0;
  let base = intVal(b);
  if (base != 2 && base != 8 && base != 10 && base != 16) return typeErr("format_int", 2, "one of {2, 8, 10, 16}", b);
  let x: i64;
  if (isInt(v)) x = intVal(v);
  else if (isIntegral(v)) {
    loadMag(v);
    let neg = gNeg;
    let d = magToBase(gPtr, gLen, <u32>base);
    let len = resLen;
    if (!neg) return str(d, len);
    let out = malloc(len + 1);
    store<u8>(out, 0x2d);
    memory.copy(out + 1, d, len);
    return str(out, len + 1);
  } else {
    let f = Math.trunc(floatRaw(v));
    if (!(f > -9.223372036854775808e18 && f < 9.223372036854775808e18)) return 0;
    x = <i64>f;
  }
  let neg = x < 0;
  let m: u64 = neg ? <u64>(-x) : <u64>x; // -MIN wraps to 2^63 as u64, which is right
  let buf = malloc(66);
  let e = buf + 66;
  let o = e;
  let ub = <u64>base;
  do {
    o--;
    store<u8>(o, load<u8>(DIGITS + <usize>(m % ub)));
    m /= ub;
  } while (m != 0);
  if (neg) {
    o--;
    store<u8>(o, 0x2d);
  }
  return str(o, <u32>(e - o));
}

/** to_number(x): null 0, booleans 0/1, numbers as-is, numeric strings parsed; else error. */
export function opa_to_number(v: u32): u32 {
  if (v == 0) return 0;
  switch (load<u8>(v)) {
    case T_NULL:
      return numInt(0);
    case T_BOOL:
      return numInt(boolVal(v) ? 1 : 0);
    case T_NUM:
      return v;
    case T_STR: {
      let p = strPtr(v);
      let n = strLen(v);
      if (n == 0) return builtinErr("to_number", "invalid syntax");
      // Go's ParseFloat also takes a leading '+', and forms like "1." or ".5".
      let q = p;
      let qn = n;
      if (load<u8>(q) == 0x2b) {
        q++;
        qn--;
        if (qn == 0 || load<u8>(q) == 0x2d) return builtinErr("to_number", "invalid syntax");
      }
      if (qn > 0 && scanNumber(q, q + qn) == qn) return numberFromText(q, qn);
      let r = normalizeLooseNumber(q, qn);
      return r != 0 ? r : builtinErr("to_number", "invalid syntax");
    }
  }
  return typeErr("to_number", 1, "one of {null, boolean, number, string}", v);
}

// Accepts Go-style decimal forms JSON rejects ("1.", ".5", "01", "1.e3") by rewriting to JSON form.
function normalizeLooseNumber(p: usize, n: u32): usize {
  let out = malloc(<usize>n * 2 + 4);
  let o = out;
  let i: u32 = 0;
  if (i < n && load<u8>(p + i) == 0x2d) {
    store<u8>(o++, 0x2d);
    i++;
  }
  let intStart = i;
  while (i < n && <u32>load<u8>(p + i) - 0x30 < 10) i++;
  let intEnd = i;
  // strip leading zeros of the integer part
  let z = intStart;
  while (z + 1 < intEnd && load<u8>(p + z) == 0x30) z++;
  if (intEnd == intStart) store<u8>(o++, 0x30);
  else {
    memory.copy(o, p + z, intEnd - z);
    o += intEnd - z;
  }
  let fracDigits: u32 = 0;
  if (i < n && load<u8>(p + i) == 0x2e) {
    i++;
    let fs = i;
    while (i < n && <u32>load<u8>(p + i) - 0x30 < 10) i++;
    fracDigits = i - fs;
    if (fracDigits > 0) {
      store<u8>(o++, 0x2e);
      memory.copy(o, p + fs, fracDigits);
      o += fracDigits;
    }
  }
  if (intEnd == intStart && fracDigits == 0) return 0;
  if (i < n && (load<u8>(p + i) | 0x20) == 0x65) {
    store<u8>(o++, 0x65);
    i++;
    while (i < n) store<u8>(o++, load<u8>(p + i++));
  }
  if (i != n) return 0;
  let len = <u32>(o - out);
  if (scanNumber(out, out + len) != len) return 0;
  return numberFromText(out, len);
}

// ================================================================ objects

/** object.get(obj, key, default): obj[key], or a path lookup when key is an array. */
export function opa_objects_get(o: u32, k: u32, d: u32): u32 {
  if (!need(o, T_OBJ, "object.get", 1) || k == 0 || d == 0) return 0;
  if (!isT(k, T_ARR)) {
    let v = objGet(o, k);
    return v ? v : d;
  }
  let cur: usize = o;
  let n = arrLen(k);
  for (let i: u32 = 0; i < n; i++) {
    let key = arrGet(k, i);
    let next: usize = 0;
    switch (load<u8>(cur)) {
      case T_OBJ:
        next = objGet(cur, key);
        break;
      case T_ARR: {
        if (isIntNum(key)) {
          let j = intVal(key);
          if (j >= 0 && j < <i64>arrLen(cur)) next = arrGet(cur, <u32>j);
        }
        break;
      }
      case T_SET: {
        let j = htIndexOf(cur, key);
        if (j >= 0) next = htKey(cur, <u32>j);
        break;
      }
    }
    if (next == 0) return d;
    cur = next;
  }
  return cur;
}

/** object.keys(obj): the set of keys. */
export function opa_objects_keys(o: u32): u32 {
  if (!need(o, T_OBJ, "object.keys", 1)) return 0;
  let r = htNew(T_SET);
  let n = htLen(o);
  for (let i: u32 = 0; i < n; i++) {
    let k = htKey(o, i);
    htInsert(r, k, k);
  }
  return r;
}

function unionObjects(a: usize, b: usize): usize {
  let r = htNew(T_OBJ);
  let na = htLen(a);
  for (let i: u32 = 0; i < na; i++) {
    let k = htKey(a, i);
    let va = htVal(a, i);
    let vb = objGet(b, k);
    if (vb == 0) htInsert(r, k, va);
    else if (isT(va, T_OBJ) && isT(vb, T_OBJ)) htInsert(r, k, unionObjects(va, vb));
    else htInsert(r, k, vb);
  }
  let nb = htLen(b);
  for (let i: u32 = 0; i < nb; i++) {
    let k = htKey(b, i);
    if (htIndexOf(a, k) < 0) htInsert(r, k, htVal(b, i));
  }
  return r;
}

/** object.union(a, b): recursive merge, b wins on conflicts. */
export function opa_objects_union(a: u32, b: u32): u32 {
  if (!need(a, T_OBJ, "object.union", 1) || !need(b, T_OBJ, "object.union", 2)) return 0;
  return unionObjects(a, b);
}

/** object.union_n(array of objects): left-to-right object.union. */
export function opa_objects_union_n(a: u32): u32 {
  if (!need(a, T_ARR, "object.union_n", 1)) return 0;
  let n = arrLen(a);
  let r = htNew(T_OBJ);
  for (let i: u32 = 0; i < n; i++) {
    let o = arrGet(a, i);
    if (!isT(o, T_OBJ)) return typeErr("object.union_n", 1, "array of objects", a);
    r = unionObjects(r, o);
  }
  return r;
}

// A set of the keys given as an array, set or object (object: its keys); 0 for other types.
function keySet(k: usize): usize {
  if (k == 0) return 0;
  let r = htNew(T_SET);
  switch (load<u8>(k)) {
    case T_ARR: {
      let n = arrLen(k);
      for (let i: u32 = 0; i < n; i++) htInsert(r, arrGet(k, i), arrGet(k, i));
      return r;
    }
    case T_SET:
    case T_OBJ: {
      let n = htLen(k);
      for (let i: u32 = 0; i < n; i++) htInsert(r, htKey(k, i), htKey(k, i));
      return r;
    }
  }
  return 0;
}

/** object.remove(obj, keys): obj without the keys (array, set or object keys). */
export function opa_objects_remove(o: u32, k: u32): u32 {
  if (!need(o, T_OBJ, "object.remove", 1)) return 0;
  let ks = keySet(k);
  if (ks == 0) return typeErr("object.remove", 2, "one of {object, set, array}", k);
  let r = htNew(T_OBJ);
  let n = htLen(o);
  for (let i: u32 = 0; i < n; i++) {
    let key = htKey(o, i);
    if (htIndexOf(ks, key) < 0) htInsert(r, key, htVal(o, i));
  }
  return r;
}

/** object.filter(obj, keys): obj restricted to the keys (array, set or object keys). */
export function opa_objects_filter(o: u32, k: u32): u32 {
  if (!need(o, T_OBJ, "object.filter", 1)) return 0;
  let ks = keySet(k);
  if (ks == 0) return typeErr("object.filter", 2, "one of {object, set, array}", k);
  let r = htNew(T_OBJ);
  let n = htLen(o);
  for (let i: u32 = 0; i < n; i++) {
    let key = htKey(o, i);
    if (htIndexOf(ks, key) >= 0) htInsert(r, key, htVal(o, i));
  }
  return r;
}

// ================================================================ arrays

/** array.concat(a, b). */
export function opa_arrays_concat(a: u32, b: u32): u32 {
  if (!need(a, T_ARR, "array.concat", 1) || !need(b, T_ARR, "array.concat", 2)) return 0;
  let na = arrLen(a);
  let nb = arrLen(b);
  let r = arrNew(na + nb);
  for (let i: u32 = 0; i < na; i++) arrPush(r, arrGet(a, i));
  for (let i: u32 = 0; i < nb; i++) arrPush(r, arrGet(b, i));
  return r;
}

/** array.slice(a, start, stop): clamped to [0, len], start clamped to stop. */
export function opa_arrays_slice(a: u32, s: u32, e: u32): u32 {
  if (!need(a, T_ARR, "array.slice", 1) || !needInt(s, "array.slice", 2) || !needInt(e, "array.slice", 3)) return 0;
  let n = <i64>arrLen(a);
  let stop = intVal(e);
  let start = intVal(s);
  if (stop < 0) stop = 0;
  else if (stop > n) stop = n;
  if (start < 0) start = 0;
  else if (start > stop) start = stop;
  let r = arrNew(<u32>(stop - start));
  for (let i = start; i < stop; i++) arrPush(r, arrGet(a, <u32>i));
  return r;
}

/** array.reverse(a). */
export function opa_arrays_reverse(a: u32): u32 {
  if (!need(a, T_ARR, "array.reverse", 1)) return 0;
  let n = arrLen(a);
  let r = arrNew(n);
  for (let i = n; i > 0; i--) arrPush(r, arrGet(a, i - 1));
  return r;
}

// ================================================================ types

/** is_number(x). */
export function opa_types_is_number(v: u32): u32 {
  return v == 0 ? 0 : mkBool(load<u8>(v) == T_NUM);
}

/** is_string(x). */
export function opa_types_is_string(v: u32): u32 {
  return v == 0 ? 0 : mkBool(load<u8>(v) == T_STR);
}

/** is_boolean(x). */
export function opa_types_is_boolean(v: u32): u32 {
  return v == 0 ? 0 : mkBool(load<u8>(v) == T_BOOL);
}

/** is_array(x). */
export function opa_types_is_array(v: u32): u32 {
  return v == 0 ? 0 : mkBool(load<u8>(v) == T_ARR);
}

/** is_set(x). */
export function opa_types_is_set(v: u32): u32 {
  return v == 0 ? 0 : mkBool(load<u8>(v) == T_SET);
}

/** is_object(x). */
export function opa_types_is_object(v: u32): u32 {
  return v == 0 ? 0 : mkBool(load<u8>(v) == T_OBJ);
}

/** is_null(x). */
export function opa_types_is_null(v: u32): u32 {
  return v == 0 ? 0 : mkBool(load<u8>(v) == T_NULL);
}

/** type_name(x): "null", "boolean", "number", "string", "array", "object" or "set". */
export function opa_types_name(v: u32): u32 {
  if (v == 0) return 0;
  switch (load<u8>(v)) {
    case T_NULL:
      return strLit("null");
    case T_BOOL:
      return strLit("boolean");
    case T_NUM:
      return strLit("number");
    case T_STR:
      return strLit("string");
    case T_ARR:
      return strLit("array");
    case T_OBJ:
      return strLit("object");
    case T_SET:
      return strLit("set");
  }
  return 0;
}

// ================================================================ encoding

/** json.marshal(x): JSON text with sorted object keys (as Go's encoding/json writes it). */
export function opa_json_marshal(v: u32): u32 {
  if (v == 0) return 0;
  return dumpStr(v, MODE_MARSHAL);
}

/** json.unmarshal(s): the value the JSON text denotes; error if malformed. */
export function opa_json_unmarshal(s: u32): u32 {
  if (!need(s, T_STR, "json.unmarshal", 1)) return 0;
  let v = parseJSON(strPtr(s), strLen(s));
  return v != 0 ? v : builtinErr("json.unmarshal", "invalid JSON");
}

/** json.is_valid(s): whether s is valid JSON (false for non-strings). */
export function opa_json_is_valid(s: u32): u32 {
  if (s == 0) return 0;
  if (!isT(s, T_STR)) return FALSE_V;
  return mkBool(parseJSON(strPtr(s), strLen(s)) != 0);
}

// ================================================================ regex

/** regex.match(pattern, value): whether the RE2 pattern matches somewhere in value; error if the pattern is invalid. */
export function opa_regex_match(p: u32, v: u32): u32 {
  if (!need(p, T_STR, "regex.match", 1) || !need(v, T_STR, "regex.match", 2)) return 0;
  let r = regexMatch(strPtr(p), strLen(p), strPtr(v), strLen(v));
  if (r < 0) return builtinErr("regex.match", "error parsing regexp: invalid or unsupported pattern");
  return mkBool(r == 1);
}

/** glob.match(pattern, delimiters, match): delimiters null = none, [] = ["."]; error for bad operands or pattern. */
export function opa_glob_match(p: u32, d: u32, m: u32): u32 {
  if (!need(p, T_STR, "glob.match", 1) || !need(m, T_STR, "glob.match", 3) || d == 0) return 0;
  let dl: usize;
  let dn: u32;
  if (load<u8>(d) == T_NULL) {
    dl = malloc(4);
    dn = 0;
  } else if (load<u8>(d) == T_ARR) {
    let n = arrLen(d);
    dl = malloc(<usize>(n > 0 ? n : 1) << 2);
    dn = n;
    if (n == 0) {
      store<u32>(dl, 0x2e);
      dn = 1;
    }
    for (let i: u32 = 0; i < n; i++) {
      let e = arrGet(d, i);
      if (!isT(e, T_STR) || strLen(e) == 0) return 0;
      let l = utf8SeqLen(load<u8>(strPtr(e)));
      if (l != strLen(e)) return 0; // each delimiter is one character
      store<u32>(dl + (<usize>i << 2), utf8Decode(strPtr(e), strLen(e)));
    }
  } else return typeErr("glob.match", 2, "one of {array, null}", d);
  let r = globMatch(strPtr(p), strLen(p), dl, dn, strPtr(m), strLen(m));
  if (r < 0) return builtinErr("glob.match", "invalid glob pattern");
  return mkBool(r == 1);
}

/** sprintf(format, values): Go fmt formatting as OPA applies it (see sprintf.ts). */
export function opa_strings_sprintf(f: u32, a: u32): u32 {
  if (!need(f, T_STR, "sprintf", 1) || !need(a, T_ARR, "sprintf", 2)) return 0;
  return sprintfValue(f, a);
}

/** net.cidr_contains(cidr, cidr_or_ip): whether the network contains the address or network. */
export function opa_net_cidr_contains(c: u32, x: u32): u32 {
  if (!need(c, T_STR, "net.cidr_contains", 1) || !need(x, T_STR, "net.cidr_contains", 2)) return 0;
  let r = cidrContains(strPtr(c), strLen(c), strPtr(x), strLen(x));
  if (r < 0) return builtinErr("net.cidr_contains", "not a valid textual representation of an IP address or CIDR");
  return mkBool(r == 1);
}

/** time.parse_rfc3339_ns(value): nanoseconds since the Unix epoch of an RFC 3339 timestamp. */
export function opa_time_parse_rfc3339_ns(v: u32): u32 {
  if (!need(v, T_STR, "time.parse_rfc3339_ns", 1)) return 0;
  let ns = parseRFC3339(strPtr(v), strLen(v));
  if (!timeOk) return builtinErr("time.parse_rfc3339_ns", "cannot parse the value as an RFC 3339 timestamp");
  return numInt(ns);
}

/** strings.split_n(s, delimiter, n): the first n parts of split(s, delimiter), or the last -n parts for negative n. */
export function opa_strings_split_n(s: u32, d: u32, n: u32): u32 {
  if (!need(s, T_STR, "strings.split_n", 1) || !need(d, T_STR, "strings.split_n", 2) || !needInt(n, "strings.split_n", 3)) return 0;
  let parts = opa_strings_split(s, d);
  let len = <i64>arrLen(parts);
  let k = intVal(n);
  let from: i64 = 0;
  let to: i64 = len;
  if (k >= 0) to = k < len ? k : len;
  else from = -k < len ? len + k : 0;
  let r = arrNew(<u32>(to - from));
  for (let i = from; i < to; i++) arrPush(r, arrGet(parts, <u32>i));
  return r;
}

/** array.flatten(a): elements that are arrays are spliced in (one level). */
export function opa_arrays_flatten(a: u32): u32 {
  if (!need(a, T_ARR, "array.flatten", 1)) return 0;
  let n = arrLen(a);
  let r = arrNew(n);
  for (let i: u32 = 0; i < n; i++) {
    let e = arrGet(a, i);
    if (isT(e, T_ARR)) {
      let m = arrLen(e);
      for (let j: u32 = 0; j < m; j++) arrPush(r, arrGet(e, j));
    } else arrPush(r, e);
  }
  return r;
}

/** units.parse_bytes(s): "10KB", "1.5Gi", "4mb" -> an integer number of bytes. */
export function opa_units_parse_bytes(v: u32): u32 {
  if (!need(v, T_STR, "units.parse_bytes", 1)) return 0;
  let r = parseBytes(strPtr(v), strLen(v));
  if (r == 0) return builtinErr("units.parse_bytes", unitsError);
  return r;
}

// ================================================================ graphs and documents

/** graph.reachable(graph, initial): the set of graph keys reachable from the initial vertices. */
export function opa_graph_reachable(g: u32, init: u32): u32 {
  if (!need(g, T_OBJ, "graph.reachable", 1) || !needColl(init, "graph.reachable", 2)) return 0;
  return reachable(g, init);
}

/** graph.reachable_paths(graph, initial): the set of maximal acyclic paths from the initial vertices. */
export function opa_graph_reachable_paths(g: u32, init: u32): u32 {
  if (!need(g, T_OBJ, "graph.reachable_paths", 1) || !needColl(init, "graph.reachable_paths", 2)) return 0;
  return reachablePaths(g, init);
}

/** walk(x): the relation's results, an array of every [path, value] pair of x in pre-order. */
export function opa_walk(x: u32): u32 {
  return x == 0 ? 0 : walk(x);
}

// ================================================================ object.subset (OPA topdown/subset.go)

function setSubset(sup: usize, sub: usize): bool {
  let n = htLen(sub);
  for (let i: u32 = 0; i < n; i++) if (htIndexOf(sup, htKey(sub, i)) < 0) return false;
  return true;
}

// sub appears contiguously, in order, within sup.
function arraySubset(sup: usize, sub: usize): bool {
  let n = arrLen(sub);
  let m = arrLen(sup);
  if (n > m) return false;
  for (let s: u32 = 0; s + n <= m; s++) {
    let j: u32 = 0;
    while (j < n && valueEqual(arrGet(sup, s + j), arrGet(sub, j))) j++;
    if (j == n) return true;
  }
  return false;
}

function objectSubset(sup: usize, sub: usize): bool {
  let n = htLen(sub);
  for (let i: u32 = 0; i < n; i++) {
    let sv = objGet(sup, htKey(sub, i));
    if (sv == 0) return false;
    let v = htVal(sub, i);
    if (valueEqual(sv, v)) continue;
    let ts = load<u8>(sv);
    if (ts != load<u8>(v)) return false;
    if (ts == T_OBJ) {
      if (!objectSubset(sv, v)) return false;
    } else if (ts == T_SET) {
      if (!setSubset(sv, v)) return false;
    } else if (ts == T_ARR) {
      if (!arraySubset(sv, v)) return false;
    } else return false;
  }
  return true;
}

/** object.subset(super, sub): objects recursively, sets by membership, arrays contiguously, array ⊇ set. */
export function opa_objects_subset(sup: u32, sub: u32): u32 {
  if (sup == 0 || sub == 0) return 0;
  let a = load<u8>(sup);
  let b = load<u8>(sub);
  if (a == T_OBJ && b == T_OBJ) return mkBool(objectSubset(sup, sub));
  if (a == T_SET && b == T_SET) return mkBool(setSubset(sup, sub));
  if (a == T_ARR && b == T_ARR) return mkBool(arraySubset(sup, sub));
  if (a == T_ARR && b == T_SET) {
    // OPA stops at the first array element after which no set element is unmatched, so an
    // empty array never contains even the empty set.
    let unmatched = htLen(sub);
    let n = arrLen(sup);
    for (let i: u32 = 0; i < n; i++) {
      if (htIndexOf(sub, arrGet(sup, i)) >= 0) unmatched--;
      if (unmatched == 0) return TRUE_V;
    }
    return FALSE_V;
  }
  eStart("eval_type_error", "object.subset");
  eLit("both arguments object.subset must be of the same type or array and set");
  return 0;
}

/** trace(note): true (OPA adds the note to its explanation trace; there is none here). */
export function opa_trace(s: u32): u32 {
  if (!need(s, T_STR, "trace", 1)) return 0;
  return TRUE_V;
}
