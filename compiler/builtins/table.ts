// The one table of Rego builtins the compiler accepts: name -> arity (and whether it is a
// relation, i.e. may produce several outputs). A call to a name not listed here is a
// compile error. Whether a builtin runs natively in Wasm or on the host is the emitter's
// decision (see natives.ts), not this table's.

/** What the compiler needs to know about one builtin. */
export interface BuiltinSpec {
  /** Number of arguments (the result is not counted). */
  arity: number;
  /**
   * True for relations (OPA's `Relation`, e.g. `walk`): the runtime returns the collection of all
   * results and a call with an output argument iterates it, one solution per element.
   */
  relation?: boolean;
  /** True for infix operators parsed into calls (`plus`, `equal`, ...). */
  operator?: boolean;
}

const op = (arity: number): BuiltinSpec => ({ arity, operator: true });
const fn = (arity: number): BuiltinSpec => ({ arity });
const rel = (arity: number): BuiltinSpec => ({ arity, relation: true });

/** Rego builtins by name. */
export const BUILTINS: Readonly<Record<string, BuiltinSpec>> = {
  // infix operators (ast.ts CallTerm)
  plus: op(2),
  minus: op(2),
  mul: op(2),
  div: op(2),
  rem: op(2),
  equal: op(2),
  neq: op(2),
  lt: op(2),
  lte: op(2),
  gt: op(2),
  gte: op(2),
  and: op(2),
  or: op(2),
  "internal.member_2": op(2),
  "internal.member_3": op(3),
  // print(a, b) is rewritten to internal.print([{a}, {b}]) by the resolve stage
  "internal.print": fn(1),
  // aggregates
  count: fn(1),
  sum: fn(1),
  product: fn(1),
  max: fn(1),
  min: fn(1),
  sort: fn(1),
  any: fn(1),
  all: fn(1),
  // strings
  concat: fn(2),
  startswith: fn(2),
  endswith: fn(2),
  contains: fn(2),
  lower: fn(1),
  upper: fn(1),
  split: fn(2),
  replace: fn(3),
  "strings.replace_n": fn(2),
  "strings.reverse": fn(1),
  "strings.any_prefix_match": fn(2),
  "strings.any_suffix_match": fn(2),
  "strings.count": fn(2),
  "strings.split_n": fn(3),
  trim: fn(2),
  trim_left: fn(2),
  trim_right: fn(2),
  trim_prefix: fn(2),
  trim_suffix: fn(2),
  trim_space: fn(1),
  indexof: fn(2),
  indexof_n: fn(2),
  substring: fn(3),
  format_int: fn(2),
  to_number: fn(1),
  sprintf: fn(2),
  // objects
  "object.get": fn(3),
  "object.keys": fn(1),
  "object.union": fn(2),
  "object.union_n": fn(1),
  "object.remove": fn(2),
  "object.filter": fn(2),
  // arrays
  "array.concat": fn(2),
  "array.slice": fn(3),
  "array.reverse": fn(1),
  "array.flatten": fn(1),
  // sets
  union: fn(1),
  intersection: fn(1),
  // graphs and documents
  "graph.reachable": fn(2),
  "graph.reachable_paths": fn(2),
  walk: rel(1),
  // types
  is_number: fn(1),
  is_string: fn(1),
  is_boolean: fn(1),
  is_array: fn(1),
  is_set: fn(1),
  is_object: fn(1),
  is_null: fn(1),
  type_name: fn(1),
  // numbers
  "numbers.range": fn(2),
  abs: fn(1),
  round: fn(1),
  ceil: fn(1),
  floor: fn(1),
  // encoding
  "json.marshal": fn(1),
  "json.unmarshal": fn(1),
  "json.is_valid": fn(1),
  "yaml.marshal": fn(1),
  "yaml.unmarshal": fn(1),
  "yaml.is_valid": fn(1),
  "units.parse_bytes": fn(1),
  // regex and glob
  "regex.match": fn(2),
  "regex.split": fn(2),
  "glob.match": fn(3),
  // net and time
  "net.cidr_contains": fn(2),
  "time.now_ns": fn(0),
  "time.parse_rfc3339_ns": fn(1),
};

/** The spec of a builtin, or undefined for an unknown name. */
export function lookupBuiltin(name: string): BuiltinSpec | undefined {
  return Object.prototype.hasOwnProperty.call(BUILTINS, name) ? BUILTINS[name] : undefined;
}
