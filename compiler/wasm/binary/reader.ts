// Parses Wasm binary modules into WasmModule (see module.ts).
import { ByteReader } from "./leb128";
import { DataSegment, Export, FuncType, Global, Import, Limits, NameSection, SectionId, WasmModule } from "./module";

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Reads a constant expression (up to and including `end`) and returns its bytes. */
export function readConstExpr(r: ByteReader): Uint8Array {
  const start = r.pos;
  for (;;) {
    const op = r.u8();
    switch (op) {
      case 0x0b:
        return r.buf.slice(start, r.pos);
      case 0x41:
        r.s32();
        break;
      case 0x42:
        r.s64();
        break;
      case 0x43:
        r.bytes(4);
        break;
      case 0x44:
        r.bytes(8);
        break;
      case 0x23: // global.get
      case 0xd2: // ref.func
        r.u32();
        break;
      case 0xd0: // ref.null t
        r.u8();
        break;
      case 0x6a: // extended-const i32.add/sub/mul, i64.add/sub/mul
      case 0x6b:
      case 0x6c:
      case 0x7c:
      case 0x7d:
      case 0x7e:
        break;
      default:
        r.pos--;
        r.fail(`unsupported opcode 0x${op.toString(16)} in constant expression`);
    }
  }
}

function readLimits(r: ByteReader): Limits {
  const flags = r.u8();
  const min = r.u32();
  const max = flags & 1 ? r.u32() : undefined;
  return max === undefined ? { flags, min } : { flags, min, max };
}

function readFuncType(r: ByteReader): FuncType {
  const form = r.u8();
  if (form !== 0x60) r.fail(`unsupported type form 0x${form.toString(16)}`);
  const params: number[] = [];
  for (let n = r.u32(); n > 0; n--) params.push(r.u8());
  const results: number[] = [];
  for (let n = r.u32(); n > 0; n--) results.push(r.u8());
  return { params, results };
}

function readImport(r: ByteReader): Import {
  const module = r.name();
  const name = r.name();
  const kind = r.u8();
  switch (kind) {
    case 0:
      return { module, name, desc: { kind: "func", type: r.u32() } };
    case 1: {
      const start = r.pos;
      r.u8(); // reftype
      readLimits(r);
      return { module, name, desc: { kind: "table", raw: r.buf.slice(start, r.pos) } };
    }
    case 2:
      return { module, name, desc: { kind: "memory", limits: readLimits(r) } };
    case 3: {
      const type = r.u8();
      const mutable = r.u8() === 1;
      return { module, name, desc: { kind: "global", type, mutable } };
    }
    default:
      return r.fail(`unknown import kind ${kind}`);
  }
}

function readNameSection(r: ByteReader): NameSection {
  const names: NameSection = { functions: [], others: [] };
  while (!r.done) {
    const id = r.u8();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 1) {
      const sub = new ByteReader(r.buf, r.pos, end);
      for (let n = sub.u32(); n > 0; n--) names.functions.push({ index: sub.u32(), name: sub.name() });
    } else if (id === 0) {
      names.moduleName = r.buf.slice(r.pos, end);
    } else {
      names.others.push([id, r.buf.slice(r.pos, end)]);
    }
    r.pos = end;
  }
  return names;
}

function readDataSegment(r: ByteReader): DataSegment {
  const mode = r.u32();
  if (mode === 0) {
    const offset = readConstExpr(r);
    return { mode: 0, memory: 0, offset, bytes: r.bytes(r.u32()) };
  }
  if (mode === 1) return { mode: 1, memory: 0, bytes: r.bytes(r.u32()) };
  if (mode === 2) {
    const memory = r.u32();
    const offset = readConstExpr(r);
    return { mode: 2, memory, offset, bytes: r.bytes(r.u32()) };
  }
  return r.fail(`unknown data segment mode ${mode}`);
}

function vec<T>(r: ByteReader, item: (r: ByteReader) => T): T[] {
  const out: T[] = [];
  for (let n = r.u32(); n > 0; n--) out.push(item(r));
  return out;
}

/** Parses a Wasm binary; throws WasmFormatError (with the byte offset) on malformed input. */
export function readModule(bytes: Uint8Array): WasmModule {
  const r = new ByteReader(bytes);
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) r.fail("not a Wasm module (bad magic)");
  r.pos = 4;
  const version = r.bytes(4);
  if (version[0] !== 1 || version[1] !== 0 || version[2] !== 0 || version[3] !== 0) r.fail("unsupported Wasm version");

  const m: WasmModule = {
    types: [],
    imports: [],
    functions: [],
    tables: null,
    memories: null,
    globals: [],
    exports: [],
    start: null,
    elements: null,
    code: [],
    data: [],
    hasDataCount: false,
    names: null,
    customs: [],
  };

  while (!r.done) {
    const id = r.u8();
    const size = r.u32();
    const end = r.pos + size;
    if (end > bytes.length) r.fail(`section ${id} runs past the end of the module`);
    const s = new ByteReader(bytes, r.pos, end);
    switch (id) {
      case SectionId.custom: {
        const name = s.name();
        if (name === "name") {
          try {
            m.names = readNameSection(s);
          } catch {
            m.names = null; // a malformed name section is dropped, not fatal
          }
        } else {
          m.customs.push({ name, bytes: bytes.slice(s.pos, end) });
        }
        s.pos = end;
        break;
      }
      case SectionId.type:
        m.types = vec(s, readFuncType);
        break;
      case SectionId.import:
        m.imports = vec(s, readImport);
        break;
      case SectionId.function:
        m.functions = vec(s, (x) => x.u32());
        break;
      case SectionId.table:
        m.tables = s.bytes(size);
        break;
      case SectionId.memory:
        m.memories = s.bytes(size);
        break;
      case SectionId.global:
        m.globals = vec(s, (x): Global => {
          const type = x.u8();
          const mutable = x.u8() === 1;
          return { type, mutable, init: readConstExpr(x) };
        });
        break;
      case SectionId.export:
        m.exports = vec(s, (x): Export => ({ name: x.name(), kind: x.u8(), index: x.u32() }));
        break;
      case SectionId.start:
        m.start = s.u32();
        break;
      case SectionId.element:
        m.elements = s.bytes(size);
        break;
      case SectionId.code:
        m.code = vec(s, (x) => x.bytes(x.u32()));
        break;
      case SectionId.data:
        m.data = vec(s, readDataSegment);
        break;
      case SectionId.dataCount:
        s.u32();
        m.hasDataCount = true;
        break;
      default:
        r.fail(`unknown section id ${id}`);
    }
    if (s.pos !== end) new ByteReader(bytes, s.pos).fail(`section ${id} has ${end - s.pos} trailing bytes`);
    r.pos = end;
  }
  if (m.code.length !== m.functions.length) {
    r.fail(`function section declares ${m.functions.length} functions but code section has ${m.code.length}`);
  }
  return m;
}
