// Every native builtin on arbitrary operands: it must return 0 or a well-formed value, never
// trap (a Wasm trap would surface as a RuntimeError) and never leave the heap unusable.
import fc from "fast-check";
import { NATIVE_BUILTINS } from "../../../compiler/builtins/natives";
import { loadRuntime } from "./harness";

const rt = loadRuntime();

const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  fc.string({ maxLength: 8 }),
  fc.constantFrom("", ".", "a.b", "%d %s %v", "[a-c]*", "^a+$", "10.0.0.0/8", "2024-01-01T00:00:00Z", "{}", "[1]"),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 3 }), tie("v"), { maxKeys: 3 }),
  ),
})).v;

/** JSON -> runtime value; arrays tagged {"$set": [...]} become sets. */
function toValue(x: unknown): number {
  if (Array.isArray(x)) {
    const a = rt.x.opa_array_with_cap(x.length);
    for (const i of x) rt.x.opa_array_append(a, toValue(i));
    return a;
  }
  if (x !== null && typeof x === "object") {
    const entries = Object.entries(x);
    if (entries.length === 1 && entries[0][0] === "$set" && Array.isArray(entries[0][1])) {
      const s = rt.x.opa_set();
      for (const i of entries[0][1] as unknown[]) rt.x.opa_set_add(s, toValue(i));
      return s;
    }
    const o = rt.x.opa_object();
    for (const [k, v] of entries) rt.x.opa_object_insert(o, toValue(k), toValue(v));
    return o;
  }
  return rt.value(x);
}

const withSets = value.chain((v) => fc.oneof(fc.constant(v), fc.constant({ $set: Array.isArray(v) ? v : [v] })));

test.each(Object.entries(NATIVE_BUILTINS))("%s never traps on arbitrary operands", (_name, spec) => {
  fc.assert(
    fc.property(fc.array(withSets, { minLength: spec.arity, maxLength: spec.arity }), (args) => {
      const base = rt.x.opa_heap_ptr_get();
      const r = rt.x[spec.symbol](...args.map(toValue));
      if (r !== 0) {
        expect(rt.x.opa_value_type(r)).toBeGreaterThanOrEqual(1);
        expect(rt.x.opa_value_type(r)).toBeLessThanOrEqual(7);
        JSON.parse(rt.dump(r));
      }
      rt.x.opa_builtin_error();
      rt.x.opa_heap_ptr_set(base);
    }),
    { numRuns: 150 },
  );
});
