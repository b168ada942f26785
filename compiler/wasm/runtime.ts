// Loads the prebuilt AssemblyScript runtime (compiler/runtime/build/runtime.wasm), parses it
// once, and answers what the emitter needs to know about it: function indices by export name
// (checked against abi.ts), host imports, and the first free byte above its static data.
import * as fs from "fs";
import * as path from "path";
import { HOST_IMPORTS, RUNTIME_FUNCTIONS, WasmType } from "../abi/abi";
import { ByteReader } from "./binary/leb128";
import { readModule } from "./binary/reader";
import { ExternKind, FuncType, ValType, WasmModule, findExport, functionType } from "./binary/module";

/** Error for a runtime module that is missing or does not meet the ABI the emitter relies on. */
export class RuntimeModuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RuntimeModuleError";
  }
}

/** Everything the emitter reads off the runtime; `module` must be cloned before editing. */
export interface RuntimeInfo {
  file: string;
  module: WasmModule;
  /** First byte above the runtime's static data (its allocator's initial top), 8-aligned. */
  heapBase: number;
}

/** The slice of the WebAssembly JS API used here (the project's lib settings do not declare it). */
interface WasmApi {
  Memory: new (d: { initial: number }) => object;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const TYPE_BYTES: Record<WasmType, number> = { i32: ValType.i32, i64: ValType.i64, f64: ValType.f64 };

/** Candidate locations: source tree (ts-node/jest) and dist/ (compiled CLI). */
function defaultRuntimePaths(): string[] {
  const env = process.env.RESIDENCY_GUARD_RUNTIME_WASM;
  return [
    ...(env ? [env] : []),
    path.resolve(__dirname, "../runtime/build/runtime.wasm"),
    path.resolve(__dirname, "../../../compiler/runtime/build/runtime.wasm"),
  ];
}

/** Path of the runtime module, or a RuntimeModuleError saying how to build it. */
export function findRuntimeFile(): string {
  const candidates = defaultRuntimePaths();
  for (const p of candidates) if (fs.existsSync(p)) return p;
  throw new RuntimeModuleError(
    `runtime.wasm not found (looked in ${candidates.join(", ")}); build it with \`node compiler/runtime/build.js\``,
  );
}

const cache = new Map<string, { mtimeMs: number; info: RuntimeInfo }>();

/** Parses and checks the runtime at `file` (default: findRuntimeFile()); cached per file and mtime. */
export function loadRuntime(file?: string): RuntimeInfo {
  const p = file ?? findRuntimeFile();
  const mtimeMs = fs.statSync(p).mtimeMs;
  const hit = cache.get(p);
  if (hit && hit.mtimeMs === mtimeMs) return hit.info;
  const info = inspectRuntime(new Uint8Array(fs.readFileSync(p)), p);
  cache.set(p, { mtimeMs, info });
  return info;
}

function sameType(t: FuncType, params: number[], results: number[]): boolean {
  return (
    t.params.length === params.length &&
    t.params.every((x, i) => x === params[i]) &&
    t.results.length === results.length &&
    t.results.every((x, i) => x === results[i])
  );
}

/** Checks a runtime binary against abi.ts and measures its heap base. */
export function inspectRuntime(bytes: Uint8Array, file = "<runtime>"): RuntimeInfo {
  let module: WasmModule;
  try {
    module = readModule(bytes);
  } catch (e) {
    throw new RuntimeModuleError(`${file}: ${(e as Error).message}`);
  }
  for (const [name, spec] of Object.entries(RUNTIME_FUNCTIONS)) {
    const idx = findExport(module, name, ExternKind.func);
    if (idx === undefined) throw new RuntimeModuleError(`${file}: runtime does not export function ${name}`);
    const t = functionType(module, idx);
    const params = spec.params.map((x) => TYPE_BYTES[x]);
    const results = spec.result ? [TYPE_BYTES[spec.result]] : [];
    if (!sameType(t, params, results)) {
      throw new RuntimeModuleError(`${file}: runtime function ${name} has a signature other than abi.ts declares`);
    }
  }
  const mem = module.imports.find((i) => i.desc.kind === "memory");
  if (!mem || mem.module !== "env" || mem.name !== HOST_IMPORTS.memory) {
    throw new RuntimeModuleError(`${file}: runtime must import its memory as env.memory`);
  }
  for (const imp of module.imports) {
    const allowed = imp.module === "env" && (Object.values(HOST_IMPORTS).flat() as string[]).includes(imp.name);
    if (!allowed)
      throw new RuntimeModuleError(
        `${file}: runtime imports ${imp.module}.${imp.name}, which the SDK does not provide`,
      );
  }
  return { file, module, heapBase: measureHeapBase(bytes, module) };
}

/**
 * The allocator's initial top, read by instantiating the runtime with inert imports and
 * asking opa_heap_ptr_get before anything is allocated. Data segments alone are not enough:
 * the optimiser trims zero-filled static buffers from them.
 */
function measureHeapBase(bytes: Uint8Array, module: WasmModule): number {
  const mem = module.imports.find((i) => i.desc.kind === "memory")!;
  const limits = mem.desc.kind === "memory" ? mem.desc.limits : { min: 1 };
  const memory = new WA.Memory({ initial: Math.max(limits.min, 1) });
  const env: Record<string, unknown> = { memory };
  for (const imp of module.imports) {
    if (imp.desc.kind === "func") {
      env[imp.name] = () => {
        throw new RuntimeModuleError(`runtime called env.${imp.name} while being inspected`);
      };
    }
  }
  const instance = new WA.Instance(new WA.Module(bytes), { env });
  const top = (instance.exports.opa_heap_ptr_get as () => number)() >>> 0;
  let dataEnd = 0;
  for (const d of module.data) {
    if (d.mode === 1 || !d.offset || d.offset[0] !== 0x41) continue;
    dataEnd = Math.max(dataEnd, (new ByteReader(d.offset, 1).s32() >>> 0) + d.bytes.length);
  }
  return align8(Math.max(top, dataEnd));
}

/** Rounds up to a multiple of 8. */
export function align8(n: number): number {
  return (n + 7) & ~7;
}
