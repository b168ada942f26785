// Serialises a WasmModule (see module.ts) back to bytes, sections in the order the spec requires.
import { ByteWriter } from "./leb128";
import { Limits, NameSection, SectionId, WasmModule } from "./module";

function writeLimits(w: ByteWriter, l: Limits): void {
  const hasMax = l.max !== undefined;
  w.byte(hasMax ? l.flags | 1 : l.flags & ~1).u32(l.min);
  if (hasMax) w.u32(l.max!);
}

function section(out: ByteWriter, id: number, body: (w: ByteWriter) => void): void {
  const w = new ByteWriter();
  body(w);
  out.byte(id).sized(w.toBytes());
}

function writeNames(w: ByteWriter, names: NameSection): void {
  w.name("name");
  if (names.moduleName) w.byte(0).sized(names.moduleName);
  if (names.functions.length > 0) {
    const sub = new ByteWriter();
    const sorted = [...names.functions].sort((a, b) => a.index - b.index);
    sub.u32(sorted.length);
    for (const f of sorted) sub.u32(f.index).name(f.name);
    w.byte(1).sized(sub.toBytes());
  }
  // The spec orders subsections by id; keep the others in that order after "functions".
  for (const [id, raw] of [...names.others].sort((a, b) => a[0] - b[0])) w.byte(id).sized(raw);
}

/** Encodes a module; the output round-trips through readModule. */
export function writeModule(m: WasmModule): Uint8Array {
  const out = new ByteWriter(1 << 16);
  out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

  if (m.types.length > 0)
    section(out, SectionId.type, (w) => {
      w.u32(m.types.length);
      for (const t of m.types) {
        w.byte(0x60).u32(t.params.length).bytes(t.params).u32(t.results.length).bytes(t.results);
      }
    });
  if (m.imports.length > 0)
    section(out, SectionId.import, (w) => {
      w.u32(m.imports.length);
      for (const imp of m.imports) {
        w.name(imp.module).name(imp.name);
        const d = imp.desc;
        switch (d.kind) {
          case "func":
            w.byte(0).u32(d.type);
            break;
          case "table":
            w.byte(1).bytes(d.raw);
            break;
          case "memory":
            w.byte(2);
            writeLimits(w, d.limits);
            break;
          case "global":
            w.byte(3)
              .byte(d.type)
              .byte(d.mutable ? 1 : 0);
            break;
        }
      }
    });
  if (m.functions.length > 0)
    section(out, SectionId.function, (w) => {
      w.u32(m.functions.length);
      for (const t of m.functions) w.u32(t);
    });
  if (m.tables) section(out, SectionId.table, (w) => w.bytes(m.tables!));
  if (m.memories) section(out, SectionId.memory, (w) => w.bytes(m.memories!));
  if (m.globals.length > 0)
    section(out, SectionId.global, (w) => {
      w.u32(m.globals.length);
      for (const g of m.globals)
        w.byte(g.type)
          .byte(g.mutable ? 1 : 0)
          .bytes(g.init);
    });
  if (m.exports.length > 0)
    section(out, SectionId.export, (w) => {
      w.u32(m.exports.length);
      for (const e of m.exports) w.name(e.name).byte(e.kind).u32(e.index);
    });
  if (m.start !== null) section(out, SectionId.start, (w) => w.u32(m.start!));
  if (m.elements) section(out, SectionId.element, (w) => w.bytes(m.elements!));
  if (m.hasDataCount) section(out, SectionId.dataCount, (w) => w.u32(m.data.length));
  if (m.code.length > 0)
    section(out, SectionId.code, (w) => {
      w.u32(m.code.length);
      for (const body of m.code) w.sized(body);
    });
  if (m.data.length > 0)
    section(out, SectionId.data, (w) => {
      w.u32(m.data.length);
      for (const d of m.data) {
        w.u32(d.mode);
        if (d.mode === 2) w.u32(d.memory);
        if (d.mode !== 1) w.bytes(d.offset!);
        w.sized(d.bytes);
      }
    });
  for (const c of m.customs) section(out, SectionId.custom, (w) => w.name(c.name).bytes(c.bytes));
  if (m.names) section(out, SectionId.custom, (w) => writeNames(w, m.names!));
  return out.toBytes();
}
