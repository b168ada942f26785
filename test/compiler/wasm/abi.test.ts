import * as fs from "fs";
import { HOST_IMPORTS, SDK_EXPORTS, ABI_MINOR_VERSION, ABI_VERSION } from "../../../compiler/abi/abi";
import { emitWasm } from "../../../compiler/wasm";
import { ExternKind, findExport } from "../../../compiler/wasm/binary/module";
import { ByteReader } from "../../../compiler/wasm/binary/leb128";
import { readModule } from "../../../compiler/wasm/binary/reader";
import { writeModule } from "../../../compiler/wasm/binary/writer";
import { addFunctionImports } from "../../../compiler/wasm/binary/relocate";
import { RuntimeModuleError, findRuntimeFile, inspectRuntime } from "../../../compiler/wasm/runtime";
import { relocateBody } from "../../../compiler/wasm/binary/relocate";
import { WasmFormatError } from "../../../compiler/wasm/binary/leb128";
import { Strings, WA, block, local, onePlan, rawInstance } from "./helpers";

/** Export names by kind, as WebAssembly.Module.exports reports them. */
function exportsOf(bytes: Uint8Array): Map<string, string> {
  const Mod = WA.Module as unknown as { exports(m: object): { name: string; kind: string }[] };
  return new Map(Mod.exports(new WA.Module(bytes)).map((e) => [e.name, e.kind]));
}

function importsOf(bytes: Uint8Array): { module: string; name: string; kind: string }[] {
  const Mod = WA.Module as unknown as { imports(m: object): { module: string; name: string; kind: string }[] };
  return Mod.imports(new WA.Module(bytes));
}

describe("the runtime module through the binary layer", () => {
  const runtime = new Uint8Array(fs.readFileSync(findRuntimeFile()));

  it("round-trips: read, write, validate, same imports and exports, stable second pass", () => {
    const m = readModule(runtime);
    const out = writeModule(m);
    expect(WA.validate(out)).toBe(true);
    expect(exportsOf(out)).toEqual(exportsOf(runtime));
    expect(importsOf(out)).toEqual(importsOf(runtime));
    expect(writeModule(readModule(out))).toEqual(out);
    expect(readModule(out).code.length).toBe(m.code.length);
  });

  it("still works after function imports are added and every index is renumbered", () => {
    const m = readModule(runtime);
    const before = m.exports.find((e) => e.name === "opa_json_parse")!.index;
    const added = addFunctionImports(m, [
      { module: "env", name: "opa_builtin2", type: { params: [0x7f, 0x7f, 0x7f, 0x7f], results: [0x7f] } },
      { module: "env", name: "opa_builtin0", type: { params: [0x7f, 0x7f], results: [0x7f] } },
    ]);
    const firstDefined = m.imports.filter((i) => i.desc.kind === "func").length;
    expect(added).toEqual([firstDefined - 2, firstDefined - 1]);
    expect(m.exports.find((e) => e.name === "opa_json_parse")!.index).toBe(before + 2);
    const out = writeModule(m);
    expect(WA.validate(out)).toBe(true);
    // Parse and dump JSON: exercises calls between many runtime functions after renumbering.
    const raw = rawInstance(out);
    const ex = raw.exports as Record<string, (...a: number[]) => number>;
    const json = new TextEncoder().encode('{"b":[1,2.5,"ü"],"a":null,"c":{"d":true}}');
    const addr = ex.opa_malloc(json.length);
    new Uint8Array(raw.memory.buffer).set(json, addr);
    const v = ex.opa_json_parse(addr, json.length);
    expect(v).not.toBe(0);
    expect(JSON.parse(raw.text(ex.opa_json_dump(v)))).toEqual({ a: null, b: [1, 2.5, "ü"], c: { d: true } });
  });
});

describe("runtime checks", () => {
  it("rejects a runtime that lacks an ABI export, naming it", () => {
    const m = readModule(new Uint8Array(fs.readFileSync(findRuntimeFile())));
    m.exports = m.exports.filter((e) => e.name !== "opa_value_iter");
    expect(() => inspectRuntime(writeModule(m), "broken.wasm")).toThrow(RuntimeModuleError);
    expect(() => inspectRuntime(writeModule(m), "broken.wasm")).toThrow(
      /broken.wasm: runtime does not export function opa_value_iter/,
    );
  });

  it("rejects a runtime with an import the SDK does not provide", () => {
    const m = readModule(new Uint8Array(fs.readFileSync(findRuntimeFile())));
    m.imports.push({ module: "env", name: "seed", desc: { kind: "global", type: 0x7f, mutable: false } });
    expect(() => inspectRuntime(writeModule(m), "r.wasm")).toThrow(/imports env.seed/);
  });

  it("refuses to renumber bodies with opcodes it does not know (SIMD)", () => {
    // no locals; v128.const ...; drop; end
    const body = new Uint8Array([0x00, 0xfd, 0x0c, ...new Array(16).fill(0), 0x1a, 0x0b]);
    expect(() => relocateBody(body, (i) => i + 1)).toThrow(WasmFormatError);
    expect(() => relocateBody(body, (i) => i + 1)).toThrow(/unsupported opcode 0xfd/);
    // call 5; end -> call 6; end (the LEB grows when crossing 127)
    expect([...relocateBody(new Uint8Array([0x00, 0x10, 0x05, 0x0b]), (i) => i + 1)]).toEqual([0x00, 0x10, 0x06, 0x0b]);
    expect([...relocateBody(new Uint8Array([0x00, 0x10, 0x7f, 0x0b]), (i) => i + 1)]).toEqual([
      0x00, 0x10, 0x80, 0x01, 0x0b,
    ]);
  });
});

describe("emitted module against the SDK contract (abi.ts)", () => {
  const S = new Strings();
  const wasm = emitWasm(
    onePlan(S, [
      block(
        { type: "Dot", source: local(0), key: S.s("x"), target: 2 },
        { type: "Call", func: "sprintf", args: [S.s("%v"), local(2)], result: 3 },
        { type: "ResultSetAdd", value: 3 },
      ),
    ]),
    // No natives: sprintf is a host builtin here, so the module imports env.opa_builtin2.
    { natives: {} },
  );

  it("validates", () => {
    expect(WA.validate(wasm)).toBe(true);
  });

  it("is deterministic: the same policy gives the same bytes (policy hashes stay stable)", () => {
    const again = emitWasm(
      onePlan(S, [
        block(
          { type: "Dot", source: local(0), key: S.s("x"), target: 2 },
          { type: "Call", func: "sprintf", args: [S.s("%v"), local(2)], result: 3 },
          { type: "ResultSetAdd", value: 3 },
        ),
      ]),
      { natives: {} },
    );
    expect(Buffer.from(again).equals(Buffer.from(wasm))).toBe(true);
  });

  it("exports every function and global the SDK calls", () => {
    const ex = exportsOf(wasm);
    for (const g of SDK_EXPORTS.globals) expect([g, ex.get(g)]).toEqual([g, "global"]);
    for (const f of SDK_EXPORTS.functions) expect([f, ex.get(f)]).toEqual([f, "function"]);
    expect(ex.has("memory")).toBe(false);
  });

  it("imports only what the SDK provides, memory within its default 5 pages", () => {
    const allowed = new Set<string>([
      HOST_IMPORTS.memory,
      HOST_IMPORTS.abort,
      HOST_IMPORTS.println,
      ...HOST_IMPORTS.builtin,
    ]);
    const imps = importsOf(wasm);
    for (const i of imps) {
      expect(i.module).toBe("env");
      expect(allowed.has(i.name)).toBe(true);
    }
    expect(imps).toContainEqual({ module: "env", name: "memory", kind: "memory" });
    expect(imps).toContainEqual({ module: "env", name: "opa_builtin2", kind: "function" });
    const mem = readModule(wasm).imports.find((i) => i.desc.kind === "memory")!;
    expect(mem.desc.kind === "memory" && mem.desc.limits.min).toBeLessThanOrEqual(5);
  });

  it("names runtime exports and generated functions in the name section (for traps and profiles)", () => {
    const names = new Map(readModule(wasm).names!.functions.map((f) => [f.name, f.index]));
    for (const n of [
      "opa_value_get",
      "opa_json_parse",
      "env.opa_builtin2",
      "plan test/p",
      "dispatch",
      "opa_eval",
      "start",
    ]) {
      expect([n, names.has(n)]).toEqual([n, true]);
    }
    const m = readModule(wasm);
    expect(names.get("opa_eval")).toBe(findExport(m, "opa_eval", ExternKind.func));
    expect(names.get("opa_value_get")).toBe(findExport(m, "opa_value_get", ExternKind.func));
  });

  it("sets the ABI version globals", () => {
    const m = readModule(wasm);
    const imported = m.imports.filter((i) => i.desc.kind === "global").length;
    const init = (name: string) => m.globals[findExport(m, name, ExternKind.global)! - imported].init;
    expect([...init("opa_wasm_abi_version")]).toEqual([0x41, ABI_VERSION, 0x0b]);
    expect([...init("opa_wasm_abi_minor_version")]).toEqual([0x41, ABI_MINOR_VERSION, 0x0b]);
  });

  it("keeps constants below the heap base the SDK records (setData does not clobber them)", () => {
    // The host "sprintf" answers its second argument unchanged.
    const raw = rawInstance(wasm, { opa_builtin2: (_id: number, _ctx: number, _fmt: number, v: number) => v });
    const ex = raw.exports as Record<string, (...a: number[]) => number>;
    const base = ex.opa_heap_ptr_get();
    const m = readModule(wasm);
    const seg = m.data[m.data.length - 1];
    const start = new ByteReader(seg.offset!, 1).s32();
    expect(base).toBeGreaterThanOrEqual(start + seg.bytes.length);
    // Overwrite everything above the base as a reset heap would, then evaluate through opa_eval.
    new Uint8Array(raw.memory.buffer).fill(0xee, base, base + 4096);
    const input = new TextEncoder().encode('{"x":"ok"}');
    new Uint8Array(raw.memory.buffer).set(input, base);
    ex.opa_heap_ptr_set(base);
    const rs = ex.opa_eval(0, 0, 0, base, input.length, base + input.length, 0);
    expect(JSON.parse(raw.text(rs))).toEqual([{ result: "ok" }]);
  });
});
