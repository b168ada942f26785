// Shared helpers for the emitter tests: build IR by hand, load the emitted module through the
// SDK's three paths (loadPolicy + opa_eval, loadPolicySync + opa_eval, legacy eval context).
import { loadPolicy, loadPolicySync } from "@open-policy-agent/opa-wasm";
import { Block, Operand, Policy, Stmt } from "../../../compiler/ir/types";
import { ExternKind } from "../../../compiler/wasm/binary/module";
import { readModule } from "../../../compiler/wasm/binary/reader";
import { writeModule } from "../../../compiler/wasm/binary/writer";

/** The slice of the WebAssembly JS API the tests use (the project's lib settings do not declare it). */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
}
export const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export const local = (n: number): Operand => ({ kind: "local", local: n });
export const bool = (value: boolean): Operand => ({ kind: "bool", value });
export const block = (...stmts: Stmt[]): Block => ({ stmts });

/** Interns strings while a test builds its IR. */
export class Strings {
  readonly list: string[] = [];
  s(text: string): Operand {
    return { kind: "string", index: this.index(text) };
  }
  index(text: string): number {
    let i = this.list.indexOf(text);
    if (i < 0) i = this.list.push(text) - 1;
    return i;
  }
}

/** A copy of the module whose opa_wasm_abi_minor_version is 1, so the SDK uses the legacy eval path. */
export function withMinorVersion1(bytes: Uint8Array): Uint8Array {
  const m = readModule(bytes);
  const g = m.exports.find((e) => e.name === "opa_wasm_abi_minor_version" && e.kind === ExternKind.global)!.index;
  const importedGlobals = m.imports.filter((i) => i.desc.kind === "global").length;
  m.globals[g - importedGlobals] = { ...m.globals[g - importedGlobals], init: new Uint8Array([0x41, 0x01, 0x0b]) };
  return writeModule(m);
}

export type Loaded = Awaited<ReturnType<typeof loadPolicy>>;

export interface Loads {
  fastAsync: Loaded;
  fastSync: Loaded;
  legacy: Loaded;
}

/** Loads one module three ways: async and sync (ABI 1.2 fast path) and legacy (ABI 1.1 path). */
export async function loadAll(
  wasm: Uint8Array,
  builtins: Record<string, (...a: unknown[]) => unknown> = {},
): Promise<Loads> {
  const fastAsync = await loadPolicy(wasm, undefined, builtins);
  const fastSync = loadPolicySync(wasm, undefined, builtins);
  const legacy = loadPolicySync(withMinorVersion1(wasm), undefined, builtins);
  expect(fastAsync.minorVersion).toBe(2);
  expect(legacy.minorVersion).toBe(1);
  return { fastAsync, fastSync, legacy };
}

/** Evaluates on all three loads, expects identical answers and returns that answer. */
export function evalAll(loads: Loads, input?: unknown, entrypoint: string | number = 0): unknown {
  const a = loads.fastAsync.evaluate(input, entrypoint);
  const b = loads.fastSync.evaluate(input, entrypoint);
  const c = loads.legacy.evaluate(input, entrypoint);
  expect(b).toEqual(a);
  expect(c).toEqual(a);
  return a;
}

/** setData on all three loads. */
export function setDataAll(loads: Loads, data: unknown): void {
  for (const l of [loads.fastAsync, loads.fastSync, loads.legacy]) l.setData(data as object);
}

/** Whatever each path throws (the SDK throws strings from opa_abort). */
export function errorsAll(loads: Loads, input?: unknown, entrypoint: string | number = 0): string[] {
  return [loads.fastAsync, loads.fastSync, loads.legacy].map((l) => {
    try {
      l.evaluate(input, entrypoint);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    return "<no error>";
  });
}

/** A policy with one plan named `name` over the given blocks. */
export function onePlan(strings: Strings, blocks: Block[], extra: Partial<Policy> = {}, name = "test/p"): Policy {
  return { strings: strings.list, builtins: [], plans: [{ name, blocks }], funcs: [], ...extra };
}

/** Instantiates a module without the SDK; `call(name)` runs a () -> value export and returns its JSON. */
export function rawInstance(wasm: Uint8Array, env: Record<string, unknown> = {}) {
  const memory = new WA.Memory({ initial: 5 });
  const text = (addr: number) => {
    const bytes = new Uint8Array(memory.buffer);
    let end = addr;
    while (bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(addr, end));
  };
  const fail = (addr: number) => {
    throw new Error(text(addr));
  };
  const builtinStubs = Object.fromEntries(
    [0, 1, 2, 3, 4].map((n) => [
      `opa_builtin${n}`,
      () => {
        throw new Error(`unexpected host builtin call (opa_builtin${n})`);
      },
    ]),
  );
  const inst = new WA.Instance(new WA.Module(wasm), {
    env: { memory, opa_abort: fail, opa_println: fail, ...builtinStubs, ...env },
  });
  const fn = (name: string) => inst.exports[name] as (...a: number[]) => number;
  return {
    exports: inst.exports,
    memory,
    text,
    call: (name: string, ...args: number[]): unknown => JSON.parse(text(fn("opa_json_dump")(fn(name)(...args)))),
  };
}
