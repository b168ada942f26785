// Native builtins: filled in below.
import { mkBool, compareValues } from "./value";

/** equal(a, b): boolean. */
export function opa_cmp_eq(a: u32, b: u32): u32 {
  return mkBool(compareValues(a, b) == 0);
}
