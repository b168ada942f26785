// Reads the imports and exported function signatures out of a Wasm binary (type, import,
// function and export sections only). Used by build.js to check the runtime against
// compiler/abi/abi.ts, and by the runtime tests.
"use strict";

const VALTYPES = {
  0x7f: "i32",
  0x7e: "i64",
  0x7d: "f32",
  0x7c: "f64",
  0x7b: "v128",
  0x70: "funcref",
  0x6f: "externref",
};
const KINDS = ["function", "table", "memory", "global"];

/** Thrown when the bytes are not a Wasm module this reader understands. */
class WasmFormatError extends Error {}

function reader(bytes) {
  let pos = 0;
  return {
    get pos() {
      return pos;
    },
    set pos(p) {
      pos = p;
    },
    byte() {
      if (pos >= bytes.length) throw new WasmFormatError(`unexpected end of module at byte ${pos}`);
      return bytes[pos++];
    },
    u32() {
      let result = 0;
      let shift = 0;
      for (;;) {
        const b = this.byte();
        result |= (b & 0x7f) << shift;
        if ((b & 0x80) === 0) return result >>> 0;
        shift += 7;
      }
    },
    name() {
      const n = this.u32();
      const s = Buffer.from(bytes.subarray(pos, pos + n)).toString("utf8");
      pos += n;
      return s;
    },
    skipLimits() {
      const flags = this.u32();
      this.u32();
      if (flags & 1) this.u32();
    },
  };
}

/**
 * Signatures of a module: imports (module, name, kind, and params/result for functions)
 * and exports (name, kind, and params/result for functions).
 */
function readSignatures(bytes) {
  const r = reader(bytes);
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new WasmFormatError("not a Wasm module (bad magic)");
  }
  r.pos = 8;
  const types = [];
  const funcTypes = [];
  const imports = [];
  const exports = [];
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 1) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const form = r.byte();
        if (form !== 0x60) throw new WasmFormatError(`unsupported type form 0x${form.toString(16)}`);
        const params = [];
        for (let k = r.u32(); k > 0; k--) params.push(VALTYPES[r.byte()] || "?");
        const results = [];
        for (let k = r.u32(); k > 0; k--) results.push(VALTYPES[r.byte()] || "?");
        types.push({ params, results });
      }
    } else if (id === 2) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const module = r.name();
        const name = r.name();
        const kind = r.byte();
        const imp = { module, name, kind: KINDS[kind] };
        if (kind === 0) {
          const t = types[r.u32()];
          imp.params = t.params;
          imp.result = t.results[0] || null;
          funcTypes.push(t);
        } else if (kind === 1) {
          r.byte();
          r.skipLimits();
        } else if (kind === 2) {
          r.skipLimits();
        } else if (kind === 3) {
          r.byte();
          r.byte();
        }
        imports.push(imp);
      }
    } else if (id === 3) {
      const n = r.u32();
      for (let i = 0; i < n; i++) funcTypes.push(types[r.u32()]);
    } else if (id === 7) {
      const n = r.u32();
      for (let i = 0; i < n; i++) {
        const name = r.name();
        const kind = r.byte();
        const index = r.u32();
        const exp = { name, kind: KINDS[kind], index };
        if (kind === 0) {
          const t = funcTypes[index];
          exp.params = t.params;
          exp.result = t.results[0] || null;
        }
        exports.push(exp);
      }
    }
    r.pos = end;
  }
  return { imports, exports };
}

module.exports = { readSignatures, WasmFormatError };
