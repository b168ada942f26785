import * as fc from "fast-check";
import {
  ByteReader,
  ByteWriter,
  WasmFormatError,
  encodeS32,
  encodeS64,
  encodeU32,
} from "../../../compiler/wasm/binary/leb128";
import { CodeBuilder } from "../../../compiler/wasm/binary/code";
import { ExternKind, ValType, WasmModule, functionType, internType } from "../../../compiler/wasm/binary/module";
import { readModule } from "../../../compiler/wasm/binary/reader";
import { writeModule } from "../../../compiler/wasm/binary/writer";
import { WA } from "./helpers";

describe("LEB128", () => {
  it("encodes known values as the spec shows", () => {
    expect([...encodeU32(0)]).toEqual([0]);
    expect([...encodeU32(127)]).toEqual([0x7f]);
    expect([...encodeU32(128)]).toEqual([0x80, 0x01]);
    expect([...encodeU32(624485)]).toEqual([0xe5, 0x8e, 0x26]);
    expect([...encodeU32(0xffffffff)]).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect([...encodeS32(-1)]).toEqual([0x7f]);
    expect([...encodeS32(63)]).toEqual([0x3f]);
    expect([...encodeS32(64)]).toEqual([0xc0, 0x00]);
    expect([...encodeS32(-64)]).toEqual([0x40]);
    expect([...encodeS32(-123456)]).toEqual([0xc0, 0xbb, 0x78]);
    expect([...encodeS64(-(2n ** 63n))].length).toBe(10);
  });

  it("round-trips u32, s32 and s64", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => new ByteReader(encodeU32(n)).u32() === n));
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), (n) => new ByteReader(encodeS32(n)).s32() === n),
    );
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        (n) => new ByteReader(encodeS64(n)).s64() === n,
      ),
    );
  });

  it("accepts padded (non-minimal) encodings as binaryen writes them", () => {
    expect(new ByteReader(new Uint8Array([0x85, 0x80, 0x80, 0x80, 0x00])).u32()).toBe(5);
  });

  it("rejects truncated and overlong input with the byte offset", () => {
    expect(() => new ByteReader(new Uint8Array([0x80])).u32()).toThrow(WasmFormatError);
    expect(() => new ByteReader(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])).u32()).toThrow(
      /too long at byte 5/,
    );
    expect(() => new ByteWriter().u32(-1)).toThrow(RangeError);
  });
});

/** A small module: imports env.memory and env.log, returns two values, reads a global and has a data segment. */
function sampleModule(): WasmModule {
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
    names: { functions: [{ index: 0, name: "env.log" }], others: [] },
    customs: [{ name: "producers", bytes: new Uint8Array([0]) }],
  };
  const logType = internType(m, { params: [ValType.i32], results: [] });
  m.imports.push({ module: "env", name: "memory", desc: { kind: "memory", limits: { flags: 0, min: 1 } } });
  m.imports.push({ module: "env", name: "log", desc: { kind: "func", type: logType } });
  const add = new CodeBuilder(2, true);
  const t = add.newLocal();
  add.localGet(0).localGet(1).i32Const(0).i32Eqz().select().localTee(t).call(0).localGet(t).localGet(1);
  m.functions.push(internType(m, { params: [ValType.i32, ValType.i32], results: [ValType.i32, ValType.i32] }));
  m.code.push(add.finish());
  const load = new CodeBuilder(0, false);
  load.globalGet(0);
  m.functions.push(internType(m, { params: [], results: [ValType.i32] }));
  m.code.push(load.finish());
  m.globals.push({ type: ValType.i32, mutable: false, init: new Uint8Array([0x41, 0xc0, 0x00, 0x0b]) });
  m.exports.push({ name: "pick", kind: ExternKind.func, index: 1 });
  m.exports.push({ name: "g", kind: ExternKind.func, index: 2 });
  m.exports.push({ name: "base", kind: ExternKind.global, index: 0 });
  m.data.push({
    mode: 0,
    memory: 0,
    offset: new Uint8Array([0x41, 0x10, 0x0b]),
    bytes: new TextEncoder().encode("hi"),
  });
  return m;
}

describe("module reader and writer", () => {
  it("writes a module that validates, instantiates and runs", () => {
    const bytes = writeModule(sampleModule());
    expect(WA.validate(bytes)).toBe(true);
    const memory = new WA.Memory({ initial: 1 });
    const logged: number[] = [];
    const inst = new WA.Instance(new WA.Module(bytes), {
      env: { memory, log: (x: number) => logged.push(x) },
    });
    const pick = inst.exports.pick as (a: number, b: number) => number[];
    expect(pick(7, 9)).toEqual([7, 9]);
    expect(logged).toEqual([7]);
    expect((inst.exports.g as () => number)()).toBe(64);
    expect(new TextDecoder().decode(new Uint8Array(memory.buffer, 16, 2))).toBe("hi");
  });

  it("round-trips its own output byte for byte and keeps names", () => {
    const bytes = writeModule(sampleModule());
    const again = readModule(bytes);
    expect(writeModule(again)).toEqual(bytes);
    expect(again.names?.functions).toEqual([{ index: 0, name: "env.log" }]);
    expect(again.customs.map((c) => c.name)).toEqual(["producers"]);
    expect(functionType(again, 1)).toEqual({ params: [ValType.i32, ValType.i32], results: [ValType.i32, ValType.i32] });
    expect(functionType(again, 0)).toEqual({ params: [ValType.i32], results: [] });
  });

  it("rejects malformed modules naming the offset", () => {
    expect(() => readModule(new Uint8Array([1, 2, 3, 4, 1, 0, 0, 0]))).toThrow(/bad magic\) at byte 0/);
    const bytes = writeModule(sampleModule());
    expect(() => readModule(bytes.slice(0, bytes.length - 3))).toThrow(WasmFormatError);
  });

  it("keeps a text listing beside the bytes", () => {
    const c = new CodeBuilder(1, true, (i) => `f${i}`);
    c.block().localGet(0).brIf(0).call(3).end();
    expect(c.lines).toEqual(["  block", "    local.get 0", "    br_if 0", "    call $f3", "  end"]);
  });
});
