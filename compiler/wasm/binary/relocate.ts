// Adding a function import shifts the index of every defined function (imports come first in
// the function index space). This pass rewrites every place a function index appears: `call`,
// `return_call` and `ref.func` in bodies and constant expressions, element segments, the start
// function, exports and the name section. Bodies are decoded instruction by instruction; an
// opcode outside the feature set AssemblyScript emits (SIMD, threads) is an error, not a guess.
import { ByteReader, ByteWriter } from "./leb128";
import { ExternKind, FuncType, WasmModule, importedFunctionCount, internType } from "./module";

/** Adds function imports after the existing ones and renumbers the module; returns their indices. */
export function addFunctionImports(
  m: WasmModule,
  imports: { module: string; name: string; type: FuncType }[],
): number[] {
  if (imports.length === 0) return [];
  const first = importedFunctionCount(m);
  const k = imports.length;
  const map = (i: number) => (i >= first ? i + k : i);
  m.code = m.code.map((body) => relocateBody(body, map));
  m.globals = m.globals.map((g) => ({ ...g, init: relocateExpr(g.init, map) }));
  if (m.elements) m.elements = relocateElements(m.elements, map);
  if (m.start !== null) m.start = map(m.start);
  m.exports = m.exports.map((e) => (e.kind === ExternKind.func ? { ...e, index: map(e.index) } : e));
  if (m.names) {
    m.names = {
      ...m.names,
      functions: m.names.functions.map((f) => ({ ...f, index: map(f.index) })),
      others: m.names.others.map(([id, raw]) => [id, id === 2 || id === 3 ? relocateIndirectNameMap(raw, map) : raw]),
    };
  }
  // Data segment offsets and the element section may refer to imported globals only; nothing else holds function indices.
  let lastFuncImport = -1;
  m.imports.forEach((imp, i) => {
    if (imp.desc.kind === "func") lastFuncImport = i;
  });
  const added = imports.map((imp) => ({
    module: imp.module,
    name: imp.name,
    desc: { kind: "func" as const, type: internType(m, imp.type) },
  }));
  m.imports.splice(lastFuncImport + 1, 0, ...added);
  return added.map((_, j) => first + j);
}

type IndexMap = (i: number) => number;

/** Copies bytes from r (from `from` to its position) and the rewritten index. */
class Patcher {
  private readonly out: ByteWriter;
  private copied: number;

  constructor(
    private readonly r: ByteReader,
    start: number,
  ) {
    this.out = new ByteWriter(r.end - start + 16);
    this.copied = start;
  }

  /** Replaces the u32 that starts at r.pos. */
  funcIndex(map: IndexMap): void {
    const at = this.r.pos;
    const idx = this.r.u32();
    this.out.bytes(this.r.buf.subarray(this.copied, at)).u32(map(idx));
    this.copied = this.r.pos;
  }

  finish(): Uint8Array {
    this.out.bytes(this.r.buf.subarray(this.copied, this.r.pos));
    return this.out.toBytes();
  }
}

function blockType(r: ByteReader): void {
  const b = r.buf[r.pos];
  if (b === 0x40 || (b >= 0x6f && b <= 0x7f)) r.pos++;
  else r.s64(); // s33 type index
}

function memarg(r: ByteReader): void {
  const align = r.u32();
  if (align & 0x40) r.u32(); // multi-memory index
  r.u32();
}

/** Walks instructions until the `end` that closes depth 0 (or the reader's end for bodies). */
function walk(r: ByteReader, p: Patcher, map: IndexMap, untilEnd: boolean): void {
  let depth = 0;
  while (!r.done) {
    const op = r.u8();
    switch (true) {
      case op === 0x02 || op === 0x03 || op === 0x04 || op === 0x06:
        blockType(r);
        depth++;
        break;
      case op === 0x0b:
        if (depth === 0) {
          if (untilEnd) return;
        } else depth--;
        break;
      case op === 0x00 || op === 0x01 || op === 0x05 || op === 0x0f || op === 0x19 || op === 0x1a || op === 0x1b:
        break;
      case op === 0x07 || op === 0x08 || op === 0x09 || op === 0x0c || op === 0x0d:
        r.u32();
        break;
      case op === 0x18: // delegate closes a try
        r.u32();
        depth--;
        break;
      case op === 0x0e:
        for (let n = r.u32(); n > 0; n--) r.u32();
        r.u32();
        break;
      case op === 0x10 || op === 0x12 || op === 0xd2:
        p.funcIndex(map);
        break;
      case op === 0x11 || op === 0x13:
        r.u32();
        r.u32();
        break;
      case op === 0x1c:
        for (let n = r.u32(); n > 0; n--) r.u8();
        break;
      case op >= 0x20 && op <= 0x26:
        r.u32();
        break;
      case op >= 0x28 && op <= 0x3e:
        memarg(r);
        break;
      case op === 0x3f || op === 0x40:
        r.u32();
        break;
      case op === 0x41:
        r.s32();
        break;
      case op === 0x42:
        r.s64();
        break;
      case op === 0x43:
        r.bytes(4);
        break;
      case op === 0x44:
        r.bytes(8);
        break;
      case op >= 0x45 && op <= 0xc4:
        break;
      case op === 0xd0:
        r.s64(); // heap type
        break;
      case op === 0xd1:
        break;
      case op === 0xfc: {
        const sub = r.u32();
        if (sub <= 7) break;
        if (sub === 8) {
          r.u32();
          r.u32();
        } else if (sub === 9 || sub === 11 || sub === 13 || (sub >= 15 && sub <= 17)) r.u32();
        else if (sub === 10 || sub === 12 || sub === 14) {
          r.u32();
          r.u32();
        } else r.fail(`unsupported instruction 0xfc ${sub}`);
        break;
      }
      default:
        r.pos--;
        r.fail(`unsupported opcode 0x${op.toString(16)} while renumbering functions`);
    }
  }
  if (untilEnd) r.fail("constant expression without end");
}

/** A function body with function indices mapped. */
export function relocateBody(body: Uint8Array, map: IndexMap): Uint8Array {
  const r = new ByteReader(body);
  for (let n = r.u32(); n > 0; n--) {
    r.u32();
    r.u8();
  }
  const p = new Patcher(r, 0);
  walk(r, p, map, false);
  return p.finish();
}

/** A constant expression (with its `end`) with function indices mapped. */
export function relocateExpr(expr: Uint8Array, map: IndexMap): Uint8Array {
  const r = new ByteReader(expr);
  const p = new Patcher(r, 0);
  walk(r, p, map, true);
  return p.finish();
}

function relocateElements(raw: Uint8Array, map: IndexMap): Uint8Array {
  const r = new ByteReader(raw);
  const p = new Patcher(r, 0);
  const expr = () => walk(r, p, map, true);
  for (let n = r.u32(); n > 0; n--) {
    const flags = r.u32();
    if (flags === 2 || flags === 6) r.u32(); // table index
    if ((flags & 1) === 0) expr(); // active: offset
    if (flags & 3) r.u8(); // elemkind or reftype
    const usesExprs = (flags & 4) !== 0;
    for (let m = r.u32(); m > 0; m--) {
      if (usesExprs) expr();
      else p.funcIndex(map);
    }
  }
  return p.finish();
}

function relocateIndirectNameMap(raw: Uint8Array, map: IndexMap): Uint8Array {
  const r = new ByteReader(raw);
  const p = new Patcher(r, 0);
  for (let n = r.u32(); n > 0; n--) {
    p.funcIndex(map);
    for (let m = r.u32(); m > 0; m--) {
      r.u32();
      r.name();
    }
  }
  return p.finish();
}
