// The OPA Wasm ABI in one place: what @open-policy-agent/opa-wasm imports and calls, the
// value type tags, and the runtime functions the emitter may call. The runtime
// (AssemblyScript), the emitter and the tests all import this module.

export const ABI_VERSION = 1;
export const ABI_MINOR_VERSION = 2;

/** Imports the SDK provides, all from module "env". */
export const HOST_IMPORTS = {
  memory: "memory",
  abort: "opa_abort", // (addr: i32) -> void, NUL-terminated message
  println: "opa_println", // (addr: i32) -> void
  builtin: ["opa_builtin0", "opa_builtin1", "opa_builtin2", "opa_builtin3", "opa_builtin4"], // (id, ctx, a1..aN) -> addr
} as const;

/** Exports the SDK calls (see ../shared/design/opa-wasm-abi.md). */
export const SDK_EXPORTS = {
  globals: ["opa_wasm_abi_version", "opa_wasm_abi_minor_version"],
  functions: [
    "builtins",
    "entrypoints",
    "opa_malloc",
    "opa_free",
    "opa_heap_ptr_get",
    "opa_heap_ptr_set",
    "opa_json_parse",
    "opa_json_dump",
    "opa_value_dump",
    "opa_eval",
    "opa_eval_ctx_new",
    "opa_eval_ctx_set_input",
    "opa_eval_ctx_set_data",
    "opa_eval_ctx_set_entrypoint",
    "opa_eval_ctx_get_result",
    "eval",
  ],
} as const;

/** Value type tags, as OPA's runtime numbers them. */
export const ValueType = { Null: 1, Boolean: 2, Number: 3, String: 4, Array: 5, Object: 6, Set: 7 } as const;

export type WasmType = "i32" | "i64" | "f64";

export interface RuntimeFunction {
  params: WasmType[];
  result: WasmType | null;
  /** One sentence: what it does and what 0 (undefined) means for it. */
  doc: string;
}

/**
 * Functions the prebuilt runtime exports and the emitter calls by export name. Values are
 * i32 addresses; 0 is "undefined" and never a value. The runtime may export more (natives
 * listed in compiler/builtins/table.ts), but never fewer.
 */
export const RUNTIME_FUNCTIONS: Record<string, RuntimeFunction> = {
  opa_malloc: { params: ["i32"], result: "i32", doc: "Bump-allocate n bytes (8-aligned), growing memory as needed." },
  opa_free: {
    params: ["i32"],
    result: null,
    doc: "No-op: evaluation garbage is dropped when the SDK resets the heap.",
  },
  opa_heap_ptr_get: { params: [], result: "i32", doc: "Current allocator top." },
  opa_heap_ptr_set: {
    params: ["i32"],
    result: null,
    doc: "Set the allocator top (the SDK does this before each evaluation).",
  },
  opa_json_parse: {
    params: ["i32", "i32"],
    result: "i32",
    doc: "Parse UTF-8 JSON bytes (addr, len) into a value; 0 if malformed.",
  },
  opa_json_dump: {
    params: ["i32"],
    result: "i32",
    doc: "NUL-terminated UTF-8 JSON of a value; sets dump as arrays in sorted order.",
  },
  opa_value_dump: {
    params: ["i32"],
    result: "i32",
    doc: "NUL-terminated Rego text of a value (sets as {..}); for messages.",
  },
  opa_value_type: { params: ["i32"], result: "i32", doc: "ValueType tag of a value." },
  opa_null: { params: [], result: "i32", doc: "The null value." },
  opa_boolean: { params: ["i32"], result: "i32", doc: "A boolean value (0 false, else true)." },
  opa_number_int: { params: ["i64"], result: "i32", doc: "An integer number value." },
  opa_number_float: { params: ["f64"], result: "i32", doc: "A floating-point number value." },
  opa_number_ref: {
    params: ["i32", "i32"],
    result: "i32",
    doc: "A number from decimal text (addr, len) in memory; 0 if not a number.",
  },
  opa_string: {
    params: ["i32", "i32"],
    result: "i32",
    doc: "A string value over UTF-8 bytes (addr, len); the bytes are not copied.",
  },
  opa_array_with_cap: {
    params: ["i32"],
    result: "i32",
    doc: "An empty array with room for n elements (grows on append).",
  },
  opa_array_append: { params: ["i32", "i32"], result: null, doc: "Append a value to an array." },
  opa_object: { params: [], result: "i32", doc: "An empty object (hashed keys, insertion order kept)." },
  opa_object_insert: {
    params: ["i32", "i32", "i32"],
    result: null,
    doc: "Insert or replace key -> value in an object.",
  },
  opa_set: { params: [], result: "i32", doc: "An empty set (hashed)." },
  opa_set_add: { params: ["i32", "i32"], result: null, doc: "Add a value to a set (no-op if present)." },
  opa_value_get: {
    params: ["i32", "i32"],
    result: "i32",
    doc: "v[key]: array element by integer number key, object value, or the element itself for a set member; 0 if absent or not a collection.",
  },
  opa_value_iter: {
    params: ["i32", "i32"],
    result: "i32",
    doc: "The key after prevKey (0 = first) of an array (number index), object (key) or set (element); 0 when done or not a collection.",
  },
  opa_value_length: {
    params: ["i32"],
    result: "i32",
    doc: "Element count of a collection, code points of a string, else 0.",
  },
  opa_value_compare: {
    params: ["i32", "i32"],
    result: "i32",
    doc: "OPA's total order: <0, 0, >0 (null < bool < number < string < array < object < set).",
  },
  opa_value_hash: {
    params: ["i32"],
    result: "i32",
    doc: "Hash consistent with opa_value_compare equality (1 and 1.0 hash alike).",
  },
  opa_object_merge: {
    params: ["i32", "i32"],
    result: "i32",
    doc: "Recursive merge of two objects; 0 if a non-object leaf conflicts.",
  },
  opa_value_shallow_copy: {
    params: ["i32"],
    result: "i32",
    doc: "A shallow copy of a collection (so inserts do not alias).",
  },
  opa_runtime_error: {
    params: ["i32", "i32", "i32", "i32"],
    result: null,
    doc: "Abort via env.opa_abort with 'file:row:col: <msg>'; args: file cstr addr, row, col, message cstr addr.",
  },
  opa_builtin_check: {
    params: ["i32", "i32", "i32", "i32"],
    result: "i32",
    doc: "Strict builtin errors: the native's result, or 0 for a plain undefined; aborts like opa_runtime_error (file, row, col) when the native recorded an OPA builtin error.",
  },
  opa_eval_ctx_new: {
    params: [],
    result: "i32",
    doc: "A zeroed evaluation context (input, data, entrypoint, result).",
  },
  opa_eval_ctx_set_input: { params: ["i32", "i32"], result: null, doc: "ctx.input = value." },
  opa_eval_ctx_set_data: { params: ["i32", "i32"], result: null, doc: "ctx.data = value." },
  opa_eval_ctx_set_entrypoint: { params: ["i32", "i32"], result: null, doc: "ctx.entrypoint = id." },
  opa_eval_ctx_get_result: { params: ["i32"], result: "i32", doc: "ctx.result (the result set value)." },
  opa_eval_ctx_get_input: { params: ["i32"], result: "i32", doc: "ctx.input." },
  opa_eval_ctx_get_data: { params: ["i32"], result: "i32", doc: "ctx.data." },
  opa_eval_ctx_get_entrypoint: { params: ["i32"], result: "i32", doc: "ctx.entrypoint." },
  opa_eval_ctx_set_result: { params: ["i32", "i32"], result: null, doc: "ctx.result = value." },
};
