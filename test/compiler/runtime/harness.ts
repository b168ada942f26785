// Loads compiler/runtime/build/runtime.wasm (building it first if missing) with a fresh
// 5-page memory and stub env imports, and wraps the exports the tests call.
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";

export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const RUNTIME_WASM = path.join(ROOT, "compiler", "runtime", "build", "runtime.wasm");

/** Thrown by the stub env.opa_abort with the message the runtime passed. */
export class RuntimeAbort extends Error {}

let cachedModule: WebAssembly.Module | undefined;

/** The compiled runtime module, built on first use when the artefact is missing. */
export function runtimeModule(): WebAssembly.Module {
  if (!cachedModule) {
    if (!fs.existsSync(RUNTIME_WASM)) {
      execFileSync(process.execPath, [path.join(ROOT, "compiler", "runtime", "build.js")], {
        cwd: ROOT,
        stdio: "inherit",
      });
    }
    cachedModule = new WebAssembly.Module(fs.readFileSync(RUNTIME_WASM));
  }
  return cachedModule;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;

/** A live runtime instance plus helpers that move JSON and strings in and out. */
export interface Runtime {
  memory: WebAssembly.Memory;
  x: Record<string, Fn>;
  printed: string[];
  /** Parses JSON text inside the runtime; returns the value address (0 if malformed). */
  parse(text: string): number;
  /** Parses JSON text, failing the test if the runtime rejects it. */
  value(json: unknown): number;
  /** opa_json_dump as text. */
  dump(addr: number): string;
  /** opa_json_dump parsed back into JS. */
  js(addr: number): unknown;
  /** opa_value_dump as text. */
  rego(addr: number): string;
  /** A string value over bytes written into the heap. */
  str(s: string): number;
  /** Writes a NUL-terminated string into the heap. */
  cstr(s: string): number;
  readCStr(addr: number): string;
}

/** Instantiates the runtime with `new WebAssembly.Memory({initial: 5})` and stub imports. */
export function loadRuntime(): Runtime {
  const memory = new WebAssembly.Memory({ initial: 5 });
  const printed: string[] = [];
  const readCStr = (addr: number): string => {
    const bytes = new Uint8Array(memory.buffer);
    let end = addr;
    while (bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(addr, end));
  };
  const instance = new WebAssembly.Instance(runtimeModule(), {
    env: {
      memory,
      opa_abort: (addr: number) => {
        throw new RuntimeAbort(readCStr(addr));
      },
      opa_println: (addr: number) => {
        printed.push(readCStr(addr));
      },
    },
  });
  const x = instance.exports as unknown as Record<string, Fn>;
  const writeBytes = (bytes: Uint8Array): number => {
    const addr = x.opa_malloc(bytes.length);
    new Uint8Array(memory.buffer).set(bytes, addr);
    return addr;
  };
  const rt: Runtime = {
    memory,
    x,
    printed,
    parse(text) {
      const bytes = new TextEncoder().encode(text);
      return x.opa_json_parse(writeBytes(bytes), bytes.length);
    },
    value(json) {
      const text = JSON.stringify(json);
      const addr = rt.parse(text);
      if (addr === 0) throw new Error(`runtime rejected JSON ${text}`);
      return addr;
    },
    dump(addr) {
      return readCStr(x.opa_json_dump(addr));
    },
    js(addr) {
      return JSON.parse(rt.dump(addr));
    },
    rego(addr) {
      return readCStr(x.opa_value_dump(addr));
    },
    str(s) {
      const bytes = new TextEncoder().encode(s);
      return x.opa_string(writeBytes(bytes), bytes.length);
    },
    cstr(s) {
      const bytes = new TextEncoder().encode(s + "\0");
      return writeBytes(bytes);
    },
    readCStr,
  };
  return rt;
}
