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
  /**
   * Set for OPA 1.x builtins this compiler refuses: a call is a `rego_unsupported_error` naming
   * the builtin and this reason. A host may still supply its own implementation (custom builtins).
   */
  unsupported?: string;
  /** True when the planner replaces every call with a constant (`rego.metadata.*`): no implementation runs. */
  inlined?: boolean;
}

const op = (arity: number): BuiltinSpec => ({ arity, operator: true });
const fn = (arity: number): BuiltinSpec => ({ arity });
const rel = (arity: number): BuiltinSpec => ({ arity, relation: true });
const no = (arity: number, unsupported: string): BuiltinSpec => ({ arity, unsupported });

const DEPRECATED = "deprecated, not available in Rego v1";
const NETWORK = "needs network access at evaluation time (supply it as a custom builtin)";
const X509 = "X.509 and JWT cryptography is not implemented (supply it as a custom builtin)";
const GRAPHQL = "GraphQL parsing is not implemented";
const NOT_YET = "not implemented yet";

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
  // objects (continued)
  "object.subset": fn(2),
  "json.patch": fn(2),
  "json.filter": no(2, NOT_YET),
  "json.remove": no(2, NOT_YET),
  "json.verify_schema": no(1, NOT_YET),
  "json.match_schema": no(2, NOT_YET),
  // encoding
  "base64.encode": fn(1),
  "base64.decode": fn(1),
  "base64.is_valid": fn(1),
  "base64url.encode": fn(1),
  "base64url.encode_no_pad": fn(1),
  "base64url.decode": fn(1),
  "hex.encode": fn(1),
  "hex.decode": fn(1),
  "urlquery.encode": fn(1),
  "urlquery.decode": fn(1),
  "urlquery.encode_object": fn(1),
  "urlquery.decode_object": fn(1),
  "json.marshal_with_options": fn(2),
  // hashes and MACs
  "crypto.md5": fn(1),
  "crypto.sha1": fn(1),
  "crypto.sha256": fn(1),
  "crypto.hmac.md5": fn(2),
  "crypto.hmac.sha1": fn(2),
  "crypto.hmac.sha256": fn(2),
  "crypto.hmac.sha512": fn(2),
  "crypto.hmac.equal": fn(2),
  "crypto.parse_private_keys": no(1, X509),
  "crypto.x509.parse_and_verify_certificates": no(1, X509),
  "crypto.x509.parse_and_verify_certificates_with_options": no(2, X509),
  "crypto.x509.parse_certificate_request": no(1, X509),
  "crypto.x509.parse_certificates": no(1, X509),
  "crypto.x509.parse_keypair": no(2, X509),
  "crypto.x509.parse_rsa_private_key": no(1, X509),
  "io.jwt.decode": no(1, X509),
  "io.jwt.decode_verify": no(2, X509),
  "io.jwt.encode_sign": no(3, X509),
  "io.jwt.encode_sign_raw": no(3, X509),
  ...Object.fromEntries(
    [
      "eddsa",
      "es256",
      "es384",
      "es512",
      "hs256",
      "hs384",
      "hs512",
      "ps256",
      "ps384",
      "ps512",
      "rs256",
      "rs384",
      "rs512",
    ].map((a) => [`io.jwt.verify_${a}`, no(2, X509)]),
  ),
  // semantic versions
  "semver.compare": fn(2),
  "semver.is_valid": fn(1),
  // regular expressions (continued)
  "regex.replace": fn(3),
  "regex.find_n": fn(3),
  "regex.find_all_string_submatch_n": fn(3),
  "regex.is_valid": fn(1),
  "regex.globs_match": no(2, NOT_YET),
  "regex.template_match": no(4, NOT_YET),
  "glob.quote_meta": no(1, NOT_YET),
  "strings.render_template": no(2, "Go text/template is not implemented"),
  // time (continued)
  "time.format": fn(1),
  "time.date": fn(1),
  "time.clock": fn(1),
  "time.weekday": fn(1),
  "time.add_date": fn(4),
  "time.parse_duration_ns": fn(1),
  "time.parse_ns": no(2, "Go time layouts are not parsed yet"),
  "time.diff": no(2, NOT_YET),
  // numbers, units, networks (continued)
  "numbers.range_step": no(3, NOT_YET),
  "units.parse": no(1, NOT_YET),
  "net.cidr_contains_matches": no(2, NOT_YET),
  "net.cidr_expand": no(1, NOT_YET),
  "net.cidr_intersects": no(2, NOT_YET),
  "net.cidr_is_valid": no(1, NOT_YET),
  "net.cidr_merge": no(1, NOT_YET),
  "net.lookup_ip_addr": no(1, NETWORK),
  "http.send": no(1, NETWORK),
  "providers.aws.sign_req": no(3, "request signing is not implemented (supply it as a custom builtin)"),
  "uri.is_valid": no(1, NOT_YET),
  "uri.parse": no(1, NOT_YET),
  "uuid.parse": no(1, NOT_YET),
  "uuid.rfc4122": no(1, "nondeterministic"),
  "rand.intn": no(2, "nondeterministic"),
  "opa.runtime": no(0, "there is no OPA runtime; pass such values in data"),
  // GraphQL
  "graphql.is_valid": no(2, GRAPHQL),
  "graphql.parse": no(2, GRAPHQL),
  "graphql.parse_and_verify": no(2, GRAPHQL),
  "graphql.parse_query": no(1, GRAPHQL),
  "graphql.parse_schema": no(1, GRAPHQL),
  "graphql.schema_is_valid": no(1, GRAPHQL),
  // Rego itself and debugging
  "rego.metadata.chain": { arity: 0, inlined: true },
  "rego.metadata.rule": { arity: 0, inlined: true },
  "rego.parse_module": no(2, "OPA's AST JSON is not produced"),
  trace: fn(1),
  // deprecated in OPA 1.x (rejected by OPA's v1 compiler as well)
  cast_array: no(1, DEPRECATED),
  cast_boolean: no(1, DEPRECATED),
  cast_null: no(1, DEPRECATED),
  cast_object: no(1, DEPRECATED),
  cast_set: no(1, DEPRECATED),
  cast_string: no(1, DEPRECATED),
  re_match: no(2, DEPRECATED),
  set_diff: no(2, DEPRECATED),
  "net.cidr_overlap": no(2, DEPRECATED),
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
