// Rego's print(): the compiler turns `print(a, b)` into `internal.print([{a}, {b}])`, one set of
// values per argument (empty when the argument is undefined). As OPA's topdown does, one line
// is written per combination of the sets' elements, arguments separated by spaces, strings
// as their text and other values in Rego syntax, `<undefined>` for an empty set; each line
// goes to the host through the ABI's opa_println import.

import { hostPrintln, malloc } from "./alloc";
import { dumpStr, MODE_REGO } from "./json";
import { T_ARR, T_SET, T_STR, TRUE_V, arrLen, arrGet, htLen, strLen, strPtr, sortedKeys } from "./value";

const UNDEFINED = "<undefined>";

function writeLine(parts: usize, n: u32): void {
  let total: u32 = n; // separators and the NUL
  for (let i: u32 = 0; i < n; i++) {
    let s = load<u32>(parts + (<usize>i << 2));
    total += s == 0 ? <u32>UNDEFINED.length : strLen(s);
  }
  let buf = malloc(total);
  let at = buf;
  for (let i: u32 = 0; i < n; i++) {
    if (i > 0) store<u8>(at++, 0x20);
    let s = load<u32>(parts + (<usize>i << 2));
    if (s == 0) {
      for (let j = 0; j < UNDEFINED.length; j++) store<u8>(at++, <u8>UNDEFINED.charCodeAt(j));
    } else {
      memory.copy(at, strPtr(s), strLen(s));
      at += strLen(s);
    }
  }
  store<u8>(at, 0);
  hostPrintln(buf);
}

function cross(args: usize, n: u32, i: u32, parts: usize): void {
  if (i == n) {
    writeLine(parts, n);
    return;
  }
  let s = arrGet(args, i);
  if (s == 0 || load<u8>(s) != T_SET || htLen(s) == 0) {
    store<u32>(parts + (<usize>i << 2), 0);
    cross(args, n, i + 1, parts);
    return;
  }
  let keys = sortedKeys(s);
  let m = htLen(s);
  for (let j: u32 = 0; j < m; j++) {
    let x = load<u32>(keys + (<usize>j << 2));
    store<u32>(parts + (<usize>i << 2), load<u8>(x) == T_STR ? x : dumpStr(x, MODE_REGO));
    cross(args, n, i + 1, parts);
  }
}

/** internal.print(args): prints and is true; undefined for a malformed call. */
export function opa_print(args: u32): u32 {
  if (args == 0 || load<u8>(args) != T_ARR) return 0;
  let n = arrLen(args);
  cross(args, n, 0, malloc(<usize>(n > 0 ? n : 1) << 2));
  return TRUE_V;
}
