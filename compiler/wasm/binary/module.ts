// An in-memory Wasm module: the sections the emitter edits are parsed (types, imports,
// functions, globals, exports, start, code, data, name), the rest are kept as raw bytes.
// Function bodies stay opaque: appending functions keeps every existing index valid as long
// as no function import is added (imports come first in the function index space).

/** Value type bytes. */
export const ValType = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
  funcref: 0x70,
  externref: 0x6f,
} as const;

/** Export/import kind bytes. */
export const ExternKind = { func: 0, table: 1, memory: 2, global: 3 } as const;

export const SectionId = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
} as const;

export interface FuncType {
  params: number[];
  results: number[];
}

export interface Limits {
  /** The flags byte (bit 0: has max; other bits: shared/memory64) kept as read. */
  flags: number;
  min: number;
  max?: number;
}

export type ImportDesc =
  | { kind: "func"; type: number }
  | { kind: "table"; raw: Uint8Array }
  | { kind: "memory"; limits: Limits }
  | { kind: "global"; type: number; mutable: boolean };

export interface Import {
  module: string;
  name: string;
  desc: ImportDesc;
}

export interface Global {
  type: number;
  mutable: boolean;
  /** Constant expression bytes including the final `end`. */
  init: Uint8Array;
}

export interface Export {
  name: string;
  kind: number;
  index: number;
}

export interface DataSegment {
  /** 0 active (memory 0), 1 passive, 2 active with explicit memory index. */
  mode: 0 | 1 | 2;
  memory: number;
  /** Offset constant expression including `end` (active segments only). */
  offset?: Uint8Array;
  bytes: Uint8Array;
}

export interface FunctionName {
  index: number;
  name: string;
}

/** The "name" custom section: function names parsed, other subsections kept raw in order. */
export interface NameSection {
  moduleName?: Uint8Array;
  functions: FunctionName[];
  /** Subsections other than 0 (module) and 1 (functions): [id, raw payload]. */
  others: [number, Uint8Array][];
}

export interface WasmModule {
  types: FuncType[];
  imports: Import[];
  /** Type index of each defined (non-imported) function. */
  functions: number[];
  /** Raw table section payload (null if absent). */
  tables: Uint8Array | null;
  /** Raw memory section payload (null if absent). */
  memories: Uint8Array | null;
  globals: Global[];
  exports: Export[];
  start: number | null;
  /** Raw element section payload (null if absent). */
  elements: Uint8Array | null;
  /** Body bytes (locals + expression + end) of each defined function. */
  code: Uint8Array[];
  data: DataSegment[];
  /** Whether the module had a data count section (it is re-emitted with the new count). */
  hasDataCount: boolean;
  names: NameSection | null;
  /** Custom sections other than "name", kept in order and emitted at the end. */
  customs: { name: string; bytes: Uint8Array }[];
}

/** Number of imported functions (the first defined function's index). */
export function importedFunctionCount(m: WasmModule): number {
  return m.imports.filter((i) => i.desc.kind === "func").length;
}

/** Number of imported globals (the first defined global's index). */
export function importedGlobalCount(m: WasmModule): number {
  return m.imports.filter((i) => i.desc.kind === "global").length;
}

/** Index of an existing function type equal to t, appending it if absent. */
export function internType(m: WasmModule, t: FuncType): number {
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const i = m.types.findIndex((u) => same(u.params, t.params) && same(u.results, t.results));
  if (i >= 0) return i;
  m.types.push({ params: [...t.params], results: [...t.results] });
  return m.types.length - 1;
}

/** The function type of function index idx (imported or defined). */
export function functionType(m: WasmModule, idx: number): FuncType {
  let n = 0;
  for (const imp of m.imports) {
    if (imp.desc.kind !== "func") continue;
    if (n === idx) return m.types[imp.desc.type];
    n++;
  }
  const t = m.functions[idx - n];
  if (t === undefined) throw new RangeError(`no function with index ${idx}`);
  return m.types[t];
}

/** Exported index of a name and kind, or undefined. */
export function findExport(m: WasmModule, name: string, kind: number): number | undefined {
  return m.exports.find((e) => e.name === name && e.kind === kind)?.index;
}
