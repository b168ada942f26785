// Exports of the prebuilt runtime: every function in RUNTIME_FUNCTIONS of compiler/abi/abi.ts
// (same names and Wasm signatures) plus the native builtins (builtins.ts). The emitter appends
// the generated functions and calls these by export name.

import { malloc, heapGet, heapSet, hostAbort, regrow } from "./alloc";
import {
  T_NUM, T_STR, T_ARR, T_OBJ, T_SET, NULL_V, mkBool, numInt, numFloat, str, strLen, strPtr,
  arrNew, arrPush, arrLen, arrGet, htNew, htInsert, htLen, htKey, htVal, htIndexOf, objGet, objGetStr,
  compareValues, hashValue, isInt, utf8Count, typeOf, valueEqual,
} from "./value";
import { parseJSON, dumpCStr, MODE_JSON, MODE_REGO, scanNumber, numberFromText } from "./json";

export * from "./builtins";
export * from "./print";

/** Bump-allocates n bytes (8-aligned), growing memory as needed. */
export function opa_malloc(n: u32): u32 {
  return malloc(n);
}

/** No-op: evaluation garbage is dropped when the SDK resets the heap. */
export function opa_free(p: u32): void {}

/** Current allocator top. */
export function opa_heap_ptr_get(): u32 {
  return heapGet();
}

/** Sets the allocator top (the SDK does this before each evaluation). */
export function opa_heap_ptr_set(p: u32): void {
  heapSet(p);
}

/** Parses UTF-8 JSON bytes (addr, len) into a value; 0 if malformed. */
export function opa_json_parse(p: u32, len: u32): u32 {
  return parseJSON(p, len);
}

/** NUL-terminated UTF-8 JSON of a value; sets dump as arrays in sorted order. */
export function opa_json_dump(v: u32): u32 {
  if (v == 0) return 0;
  return dumpCStr(v, MODE_JSON);
}

/** NUL-terminated Rego text of a value (sets as {..}, empty set as set()). */
export function opa_value_dump(v: u32): u32 {
  if (v == 0) return 0;
  return dumpCStr(v, MODE_REGO);
}

/** ValueType tag of a value (0 for the undefined address 0). */
export function opa_value_type(v: u32): u32 {
  return v == 0 ? 0 : typeOf(v);
}

/** The null value. */
export function opa_null(): u32 {
  return NULL_V;
}

/** A boolean value (0 false, else true). */
export function opa_boolean(b: u32): u32 {
  return mkBool(b != 0);
}

/** An integer number value. */
export function opa_number_int(i: i64): u32 {
  return numInt(i);
}

/** A floating-point number value (integral values become integers); 0 for NaN/Inf. */
export function opa_number_float(f: f64): u32 {
  if (!isFinite(f)) return 0;
  return numFloat(f);
}

/** A number from decimal JSON-number text (addr, len); 0 if not a number. */
export function opa_number_ref(p: u32, len: u32): u32 {
  if (len == 0 || scanNumber(p, p + len) != len) return 0;
  return numberFromText(p, len);
}

/** A string value over UTF-8 bytes (addr, len); the bytes are not copied. */
export function opa_string(p: u32, len: u32): u32 {
  return str(p, len);
}

/** An empty array with room for n elements (grows on append). */
export function opa_array_with_cap(n: u32): u32 {
  return arrNew(n);
}

/** Appends a value to an array. */
export function opa_array_append(a: u32, v: u32): void {
  arrPush(a, v);
}

/** An empty object. */
export function opa_object(): u32 {
  return htNew(T_OBJ);
}

/** Inserts or replaces key -> value in an object. */
export function opa_object_insert(o: u32, k: u32, v: u32): void {
  htInsert(o, k, v);
}

/** An empty set. */
export function opa_set(): u32 {
  return htNew(T_SET);
}

/** Adds a value to a set (no-op if present). */
export function opa_set_add(s: u32, v: u32): void {
  htInsert(s, v, v);
}

/** v[key]: array element by integer key, object value, set member; 0 if absent. */
export function opa_value_get(v: u32, key: u32): u32 {
  if (v == 0 || key == 0) return 0;
  switch (typeOf(v)) {
    case T_ARR: {
      if (typeOf(key) != T_NUM || !isInt(key)) return 0;
      let i = load<i64>(key, 8);
      if (i < 0 || i >= <i64>arrLen(v)) return 0;
      return arrGet(v, <u32>i);
    }
    case T_OBJ:
      return typeOf(key) == T_STR ? objGetStr(v, key) : objGet(v, key);
    case T_SET: {
      let i = htIndexOf(v, key);
      return i < 0 ? 0 : htKey(v, <u32>i);
    }
  }
  return 0;
}

// Entry index of the key opa_value_iter returned last (a hint, see there).
let iterIdx: u32 = 0;

/** The key after prevKey (0 = first) of an array, object or set; 0 when done. */
export function opa_value_iter(v: u32, prev: u32): u32 {
  if (v == 0) return 0;
  switch (typeOf(v)) {
    case T_ARR: {
      let n = arrLen(v);
      if (prev == 0) return n > 0 ? numInt(0) : 0;
      if (typeOf(prev) != T_NUM || !isInt(prev)) return 0;
      let i = load<i64>(prev, 8) + 1;
      if (i < 0 || i >= <i64>n) return 0;
      return numInt(i);
    }
    case T_OBJ:
    case T_SET: {
      let n = htLen(v);
      if (prev == 0) {
        iterIdx = 0;
        return n > 0 ? htKey(v, 0) : 0;
      }
      // A scan asks for the key after the one it got last: when entry iterIdx of v still holds
      // exactly that key (checked, so a stale cache only costs the lookup), skip the hash lookup.
      let i: i32;
      if (iterIdx < n && htKey(v, iterIdx) == prev) i = <i32>iterIdx;
      else i = htIndexOf(v, prev);
      if (i < 0 || <u32>(i + 1) >= n) return 0;
      iterIdx = <u32>(i + 1);
      return htKey(v, <u32>(i + 1));
    }
  }
  return 0;
}

/** Element count of a collection, code points of a string, else 0. */
export function opa_value_length(v: u32): u32 {
  if (v == 0) return 0;
  switch (typeOf(v)) {
    case T_ARR:
      return arrLen(v);
    case T_OBJ:
    case T_SET:
      return htLen(v);
    case T_STR:
      return utf8Count(strPtr(v), strLen(v));
  }
  return 0;
}

/** OPA's total order: <0, 0, >0. */
export function opa_value_compare(a: u32, b: u32): i32 {
  if (a == 0 || b == 0) return a == b ? 0 : a == 0 ? -1 : 1;
  return compareValues(a, b);
}

/** Hash consistent with opa_value_compare equality. */
export function opa_value_hash(v: u32): u32 {
  return v == 0 ? 0 : hashValue(v);
}

/** Recursive merge of objects a and b; 0 if a leaf conflicts (equal leaves are kept). */
export function opa_object_merge(a: u32, b: u32): u32 {
  if (a == 0) return b;
  if (b == 0) return a;
  return mergeObjects(a, b);
}

function mergeObjects(a: usize, b: usize): usize {
  if (typeOf(a) != T_OBJ || typeOf(b) != T_OBJ) return valueEqual(a, b) ? a : 0;
  let r = htNew(T_OBJ);
  let na = htLen(a);
  for (let i: u32 = 0; i < na; i++) {
    let k = htKey(a, i);
    let va = htVal(a, i);
    let vb = objGet(b, k);
    if (vb == 0) htInsert(r, k, va);
    else {
      let m = mergeObjects(va, vb);
      if (m == 0) return 0;
      htInsert(r, k, m);
    }
  }
  let nb = htLen(b);
  for (let i: u32 = 0; i < nb; i++) {
    let k = htKey(b, i);
    if (htIndexOf(a, k) < 0) htInsert(r, k, htVal(b, i));
  }
  return r;
}

/** A shallow copy of a collection (so inserts do not alias); scalars are returned as-is. */
export function opa_value_shallow_copy(v: u32): u32 {
  if (v == 0) return 0;
  switch (typeOf(v)) {
    case T_ARR: {
      let n = arrLen(v);
      let r = arrNew(n);
      for (let i: u32 = 0; i < n; i++) arrPush(r, arrGet(v, i));
      return r;
    }
    case T_OBJ:
    case T_SET: {
      let t = typeOf(v);
      let r = htNew(t);
      let n = htLen(v);
      for (let i: u32 = 0; i < n; i++) htInsert(r, htKey(v, i), htVal(v, i));
      return r;
    }
  }
  return v;
}

function cstrLen(p: usize): u32 {
  let n: u32 = 0;
  while (load<u8>(p + n) != 0) n++;
  return n;
}

/** Aborts via env.opa_abort with "file:row:col: msg" (file and msg are C strings). */
export function opa_runtime_error(file: u32, row: u32, col: u32, msg: u32): void {
  let fl = file ? cstrLen(file) : 0;
  let ml = msg ? cstrLen(msg) : 0;
  let buf = malloc(fl + ml + 32);
  let o = buf;
  if (fl) memory.copy(o, file, fl);
  o += fl;
  store<u8>(o++, 0x3a);
  o = writeU32(o, row);
  store<u8>(o++, 0x3a);
  o = writeU32(o, col);
  store<u8>(o++, 0x3a);
  store<u8>(o++, 0x20);
  if (ml) memory.copy(o, msg, ml);
  o += ml;
  store<u8>(o, 0);
  hostAbort(buf);
  unreachable();
}

function writeU32(o: usize, x: u32): usize {
  let digits: u32 = 1;
  for (let t = x; t >= 10; t /= 10) digits++;
  for (let i = digits; i > 0; i--) {
    store<u8>(o + i - 1, <u8>(0x30 + (x % 10)));
    x /= 10;
  }
  return o + digits;
}

// ---- evaluation context: 16 bytes (input @0, data @4, entrypoint @8, result @12)

/** A zeroed evaluation context. */
export function opa_eval_ctx_new(): u32 {
  let c = malloc(16);
  memory.fill(c, 0, 16);
  return c;
}

/** ctx.input = value. */
export function opa_eval_ctx_set_input(c: u32, v: u32): void {
  store<u32>(c, v, 0);
}

/** ctx.data = value. */
export function opa_eval_ctx_set_data(c: u32, v: u32): void {
  store<u32>(c, v, 4);
}

/** ctx.entrypoint = id. */
export function opa_eval_ctx_set_entrypoint(c: u32, e: u32): void {
  store<u32>(c, e, 8);
}

/** ctx.result = value. */
export function opa_eval_ctx_set_result(c: u32, v: u32): void {
  store<u32>(c, v, 12);
}

/** ctx.input. */
export function opa_eval_ctx_get_input(c: u32): u32 {
  return load<u32>(c, 0);
}

/** ctx.data. */
export function opa_eval_ctx_get_data(c: u32): u32 {
  return load<u32>(c, 4);
}

/** ctx.entrypoint. */
export function opa_eval_ctx_get_entrypoint(c: u32): u32 {
  return load<u32>(c, 8);
}

/** ctx.result (the result set value). */
export function opa_eval_ctx_get_result(c: u32): u32 {
  return load<u32>(c, 12);
}

/**
 * First address after the runtime's static data (8-aligned): where the heap starts unless the
 * emitter places its own data segments there and moves the top with opa_heap_ptr_set.
 */
export function opa_runtime_heap_base(): u32 {
  return (__heap_base + 7) & ~(<usize>7);
}
