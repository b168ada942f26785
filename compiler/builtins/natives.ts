// Rego builtins the prebuilt runtime (compiler/runtime) implements natively in Wasm: Rego name
// -> runtime export and arity. Builtins not listed here go to the host through env.opa_builtinN.
// build.js and test/compiler/runtime check that every symbol here is exported with this arity.

/** A builtin the runtime exports: call `symbol` with `arity` value addresses; 0 = undefined. */
export interface NativeBuiltin {
  symbol: string;
  arity: number;
}

const n = (symbol: string, arity: number): NativeBuiltin => ({ symbol, arity });

/** Natively implemented builtins by Rego name. */
export const NATIVE_BUILTINS: Record<string, NativeBuiltin> = {
  // operators
  plus: n("opa_arith_plus", 2),
  minus: n("opa_arith_minus", 2),
  mul: n("opa_arith_multiply", 2),
  div: n("opa_arith_divide", 2),
  rem: n("opa_arith_rem", 2),
  equal: n("opa_cmp_eq", 2),
  neq: n("opa_cmp_neq", 2),
  lt: n("opa_cmp_lt", 2),
  lte: n("opa_cmp_lte", 2),
  gt: n("opa_cmp_gt", 2),
  gte: n("opa_cmp_gte", 2),
  and: n("opa_sets_and", 2),
  or: n("opa_sets_or", 2),
  "internal.member_2": n("opa_internal_member_2", 2),
  "internal.member_3": n("opa_internal_member_3", 3),
  "internal.print": n("opa_print", 1),
  // aggregates
  count: n("opa_agg_count", 1),
  sum: n("opa_agg_sum", 1),
  product: n("opa_agg_product", 1),
  max: n("opa_agg_max", 1),
  min: n("opa_agg_min", 1),
  sort: n("opa_agg_sort", 1),
  any: n("opa_agg_any", 1),
  all: n("opa_agg_all", 1),
  // strings
  concat: n("opa_strings_concat", 2),
  startswith: n("opa_strings_startswith", 2),
  endswith: n("opa_strings_endswith", 2),
  contains: n("opa_strings_contains", 2),
  lower: n("opa_strings_lower", 1),
  upper: n("opa_strings_upper", 1),
  split: n("opa_strings_split", 2),
  "strings.split_n": n("opa_strings_split_n", 3),

  replace: n("opa_strings_replace", 3),
  "strings.replace_n": n("opa_strings_replace_n", 2),
  "strings.reverse": n("opa_strings_reverse", 1),
  "strings.count": n("opa_strings_count", 2),
  "strings.any_prefix_match": n("opa_strings_any_prefix_match", 2),
  "strings.any_suffix_match": n("opa_strings_any_suffix_match", 2),
  trim: n("opa_strings_trim", 2),
  trim_left: n("opa_strings_trim_left", 2),
  trim_right: n("opa_strings_trim_right", 2),
  trim_prefix: n("opa_strings_trim_prefix", 2),
  trim_suffix: n("opa_strings_trim_suffix", 2),
  trim_space: n("opa_strings_trim_space", 1),
  indexof: n("opa_strings_indexof", 2),
  indexof_n: n("opa_strings_indexof_n", 2),
  substring: n("opa_strings_substring", 3),
  format_int: n("opa_strings_format_int", 2),
  to_number: n("opa_to_number", 1),
  sprintf: n("opa_strings_sprintf", 2),
  // objects
  "object.get": n("opa_objects_get", 3),
  "object.keys": n("opa_objects_keys", 1),
  "object.union": n("opa_objects_union", 2),
  "object.union_n": n("opa_objects_union_n", 1),
  "object.remove": n("opa_objects_remove", 2),
  "object.filter": n("opa_objects_filter", 2),
  // arrays
  "array.concat": n("opa_arrays_concat", 2),
  "array.slice": n("opa_arrays_slice", 3),
  "array.reverse": n("opa_arrays_reverse", 1),
  "array.flatten": n("opa_arrays_flatten", 1),
  // sets
  union: n("opa_sets_union", 1),
  intersection: n("opa_sets_intersection", 1),
  "object.subset": n("opa_objects_subset", 2),
  trace: n("opa_trace", 1),
  // graphs and documents
  "graph.reachable": n("opa_graph_reachable", 2),
  "graph.reachable_paths": n("opa_graph_reachable_paths", 2),
  walk: n("opa_walk", 1),
  // types
  is_number: n("opa_types_is_number", 1),
  is_string: n("opa_types_is_string", 1),
  is_boolean: n("opa_types_is_boolean", 1),
  is_array: n("opa_types_is_array", 1),
  is_set: n("opa_types_is_set", 1),
  is_object: n("opa_types_is_object", 1),
  is_null: n("opa_types_is_null", 1),
  type_name: n("opa_types_name", 1),
  // numbers
  "numbers.range": n("opa_numbers_range", 2),
  abs: n("opa_arith_abs", 1),
  round: n("opa_arith_round", 1),
  ceil: n("opa_arith_ceil", 1),
  floor: n("opa_arith_floor", 1),
  // encoding
  "json.marshal": n("opa_json_marshal", 1),
  "json.unmarshal": n("opa_json_unmarshal", 1),
  "json.is_valid": n("opa_json_is_valid", 1),
  // regular expressions (RE2 syntax, linear-time matcher)
  "regex.match": n("opa_regex_match", 2),
  "glob.match": n("opa_glob_match", 3),
  // networks
  "net.cidr_contains": n("opa_net_cidr_contains", 2),
  // time (time.now_ns needs the host clock)
  "time.parse_rfc3339_ns": n("opa_time_parse_rfc3339_ns", 1),
  // units
  "units.parse_bytes": n("opa_units_parse_bytes", 1),
};
