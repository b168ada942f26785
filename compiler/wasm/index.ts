// The Wasm emitter: appends the functions generated from a Policy (compiler/ir/types.ts) to
// the prebuilt runtime and exports the OPA ABI (compiler/abi/abi.ts) that
// @open-policy-agent/opa-wasm loads. Module layout and conventions: docs/abi.md.
import { ABI_MINOR_VERSION, ABI_VERSION, HOST_IMPORTS, SDK_EXPORTS, ValueType } from "../abi/abi";
import { lookupBuiltin } from "../builtins/table";
import { Block, Policy } from "../ir/types";
import { NATIVE_BUILTINS } from "../builtins/natives";
import { hostBuiltinName } from "../builtins/host";
import { ByteWriter } from "./binary/leb128";
import { CodeBuilder } from "./binary/code";
import {
  ExternKind,
  ValType,
  WasmModule,
  findExport,
  functionType,
  importedFunctionCount,
  importedGlobalCount,
  internType,
} from "./binary/module";
import { readModule } from "./binary/reader";
import { writeModule } from "./binary/writer";
import { Callee, EmitError, FunctionLowering, LoweringEnv } from "./lower";
import { RuntimeInfo, align8, inspectRuntime, loadRuntime } from "./runtime";
import { addFunctionImports } from "./binary/relocate";

export { EmitError } from "./lower";
export { RuntimeModuleError } from "./runtime";

/** Options of emitWasm. */
export interface EmitOptions {
  /** The runtime module: bytes, a file path, or (default) compiler/runtime/build/runtime.wasm. */
  runtime?: Uint8Array | string;
  /** Rego builtin name -> runtime export; default: NATIVE_BUILTINS of compiler/builtins/natives.ts. */
  natives?: Readonly<Record<string, { symbol: string; arity: number }>>;
  /**
   * OPA's strict builtin errors (default true): a native builtin's type or builtin error aborts the
   * evaluation with its code and message instead of making the call undefined.
   */
  strictBuiltinErrors?: boolean;
  /**
   * Pages of memory the host will give the module (loadPolicy's memoryDescriptor.initial);
   * default the SDK's 5. Constant data beyond it is an EmitError.
   */
  memoryPages?: number;
}

/** The SDK's default memory (pages); the module's memory import may not ask for more unless told. */
const SDK_DEFAULT_PAGES = 5;
const PAGE = 65536;
const I32 = ValType.i32;

/** Per-function text listing produced by emitWat. */
interface Listing {
  name: string;
  lines: string[];
}

function cloneModule(m: WasmModule): WasmModule {
  return {
    ...m,
    types: m.types.map((t) => ({ params: [...t.params], results: [...t.results] })),
    imports: m.imports.map((i) => ({
      ...i,
      desc: i.desc.kind === "memory" ? { ...i.desc, limits: { ...i.desc.limits } } : i.desc,
    })),
    functions: [...m.functions],
    globals: [...m.globals],
    exports: [...m.exports],
    code: [...m.code],
    data: [...m.data],
    names: m.names ? { ...m.names, functions: [...m.names.functions], others: [...m.names.others] } : null,
    customs: [],
  };
}

function resolveRuntime(r: EmitOptions["runtime"]): RuntimeInfo {
  if (r instanceof Uint8Array) return inspectRuntime(r);
  return loadRuntime(r);
}

/** Builds one module; emitWasm and emitWat are thin wrappers. */
class ModuleBuilder implements LoweringEnv {
  readonly m: WasmModule;
  readonly strings: readonly string[];
  private readonly rtIndex = new Map<string, number>();
  private readonly data = new ByteWriter();
  private readonly dataBase: number;
  private readonly cstrs = new Map<string, number>();
  private readonly bytesAt = new Map<string, number>();
  /** Constant globals, created in order by the start function. */
  private readonly constInits: (((c: CodeBuilder, g: number) => void) | null)[] = [];
  private readonly constNames: string[] = [];
  private readonly constKeys = new Map<string, number>();
  private readonly firstConstGlobal: number;
  private readonly funcs = new Map<string, { index: number; arity: number }>();
  private readonly hostBuiltins = new Map<string, { id: number; arity: number }>();
  private readonly natives: Readonly<Record<string, { symbol: string; arity: number }>>;
  private readonly generated: { name: string; type: number; body: Uint8Array; lines: string[] | null }[] = [];
  private readonly firstGenerated: number;
  private readonly funcNames = new Map<number, string>();

  constructor(
    private readonly policy: Policy,
    runtime: RuntimeInfo,
    natives: Readonly<Record<string, { symbol: string; arity: number }>>,
    private readonly listing: boolean,
    readonly strictBuiltinErrors: boolean,
    private readonly memoryPages?: number,
  ) {
    this.m = cloneModule(runtime.module);
    this.strings = policy.strings;
    this.natives = natives;
    this.importBuiltinFunctions();
    this.dataBase = runtime.heapBase;
    this.firstConstGlobal = importedGlobalCount(this.m) + this.m.globals.length;
    this.firstGenerated = importedFunctionCount(this.m) + this.m.functions.length;
    for (const e of this.m.exports) if (e.kind === ExternKind.func) this.rtIndex.set(e.name, e.index);
    let n = 0;
    for (const imp of this.m.imports) {
      if (imp.desc.kind !== "func") continue;
      this.funcNames.set(n++, `env.${imp.name}`);
    }
    for (const [name, idx] of this.rtIndex) this.funcNames.set(idx, name);
  }

  /** The native builtin of a Rego name (own properties only: "constructor" is not a builtin). */
  private native(name: string): { symbol: string; arity: number } | undefined {
    return Object.prototype.hasOwnProperty.call(this.natives, name) ? this.natives[name] : undefined;
  }

  // ---- LoweringEnv ----

  rt(name: string): number {
    const i = this.rtIndex.get(name);
    if (i === undefined) throw new EmitError(`runtime does not export ${name}`);
    return i;
  }

  private constant(key: string, label: string, init: (c: CodeBuilder, g: number) => void): number {
    const hit = this.constKeys.get(key);
    if (hit !== undefined) return hit;
    const g = this.firstConstGlobal + this.constInits.length;
    this.constInits.push(init);
    this.constNames.push(label);
    this.constKeys.set(key, g);
    return g;
  }

  /** A mutable i32 global that starts at 0 (not set by the start function). */
  private plainGlobal(label: string): number {
    const g = this.firstConstGlobal + this.constInits.length;
    this.constInits.push(null);
    this.constNames.push(label);
    return g;
  }

  private bytes(text: string): { addr: number; len: number } {
    const b = new TextEncoder().encode(text);
    let addr = this.bytesAt.get(text);
    if (addr === undefined) {
      addr = this.dataBase + this.data.length;
      this.data.bytes(b);
      this.bytesAt.set(text, addr);
    }
    return { addr, len: b.length };
  }

  stringGlobal(text: string): number {
    return this.constant(`s:${text}`, `str ${JSON.stringify(text).slice(0, 40)}`, (c, g) => {
      const { addr, len } = this.bytes(text);
      c.i32Const(addr).i32Const(len).call(this.rt("opa_string")).globalSet(g);
    });
  }

  intGlobal(value: number): number {
    return this.constant(`i:${value}`, `int ${value}`, (c, g) => {
      c.i64Const(BigInt(value)).call(this.rt("opa_number_int")).globalSet(g);
    });
  }

  numberRefGlobal(text: string): number {
    if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(text)) {
      throw new EmitError(`MakeNumberRef: ${JSON.stringify(text)} is not a JSON number`);
    }
    return this.constant(`n:${text}`, `num ${text}`, (c, g) => {
      const { addr, len } = this.bytes(text);
      c.i32Const(addr).i32Const(len).call(this.rt("opa_number_ref")).globalSet(g);
    });
  }

  boolGlobal(value: boolean): number {
    return this.constant(`b:${value}`, `${value}`, (c, g) => {
      c.i32Const(value ? 1 : 0)
        .call(this.rt("opa_boolean"))
        .globalSet(g);
    });
  }

  nullGlobal(): number {
    return this.constant("null", "null", (c, g) => {
      c.call(this.rt("opa_null")).globalSet(g);
    });
  }

  cstr(text: string): number {
    let addr = this.cstrs.get(text);
    if (addr === undefined) {
      addr = this.dataBase + this.data.length;
      this.data.bytes(new TextEncoder().encode(text)).byte(0);
      this.cstrs.set(text, addr);
    }
    return addr;
  }

  callee(name: string, argc: number, where: string): Callee {
    const f = this.funcs.get(name);
    if (f) {
      if (f.arity !== argc)
        throw new EmitError(`${where}: call to ${name} passes ${argc} arguments, it takes ${f.arity}`);
      return { kind: "func", index: f.index, arity: f.arity };
    }
    const native = this.native(name);
    if (native !== undefined) {
      if (native.arity !== argc)
        throw new EmitError(`${where}: builtin ${name} takes ${native.arity} arguments, call passes ${argc}`);
      const index = this.rtIndex.get(native.symbol);
      if (index === undefined)
        throw new EmitError(`${where}: builtin ${name}: runtime does not export ${native.symbol}`);
      const t = functionType(this.m, index);
      if (
        native.arity !== argc ||
        t.params.length !== argc ||
        t.params.some((p) => p !== I32) ||
        t.results.length !== 1 ||
        t.results[0] !== I32
      ) {
        throw new EmitError(
          `${where}: builtin ${name}: runtime export ${native.symbol} does not take ${argc} values and return one`,
        );
      }
      return { kind: "native", index, arity: argc };
    }
    const host = this.hostBuiltin(name, argc, where);
    return { kind: "host", id: host.id, importIndex: this.builtinImport(argc), arity: argc };
  }

  // ---- builtins ----

  /**
   * Imports the env.opa_builtinN functions the policy's host builtins need and the runtime
   * does not import itself. This renumbers the runtime's functions, so it runs before any
   * index is read off the module.
   */
  private importBuiltinFunctions(): void {
    const funcNames = new Set(this.policy.funcs.map((f) => f.name));
    const arities = new Set<number>();
    const visit = (b: Block): void => {
      for (const s of b.stmts) {
        if (s.type === "Call" && !funcNames.has(s.func) && this.native(s.func) === undefined)
          arities.add(s.args.length);
        if (s.type === "Block") s.blocks.forEach(visit);
        if (s.type === "Scan" || s.type === "Not") visit(s.block);
      }
    };
    for (const p of this.policy.plans) p.blocks.forEach(visit);
    for (const f of this.policy.funcs) f.blocks.forEach(visit);
    for (const b of this.policy.builtins) if (this.native(b.name) === undefined) arities.add(b.arity);
    const have = new Set(this.m.imports.filter((i) => i.module === "env" && i.desc.kind === "func").map((i) => i.name));
    const missing = [...arities]
      .filter((n) => n < HOST_IMPORTS.builtin.length)
      .sort()
      .map((n) => HOST_IMPORTS.builtin[n])
      .filter((name) => !have.has(name));
    addFunctionImports(
      this.m,
      missing.map((name) => {
        const argc = HOST_IMPORTS.builtin.indexOf(name as (typeof HOST_IMPORTS.builtin)[number]);
        return { module: "env", name, type: { params: new Array(argc + 2).fill(I32), results: [I32] } };
      }),
    );
  }

  private hostBuiltin(name: string, argc: number, where: string): { id: number; arity: number } {
    const hit = this.hostBuiltins.get(name);
    if (hit) {
      if (hit.arity !== argc)
        throw new EmitError(`${where}: builtin ${name} called with ${argc} arguments and with ${hit.arity}`);
      return hit;
    }
    // A name the table does not know is a custom builtin the host declared; the planner recorded its arity.
    // So is a refused OPA builtin (http.send) when the host supplies it.
    const known = lookupBuiltin(name);
    const spec =
      (known?.unsupported === undefined ? known : undefined) ?? this.policy.builtins.find((b) => b.name === name);
    if (!spec) {
      throw new EmitError(
        `${where}: unknown function or builtin ${name}: no planned function, native or host builtin has this name`,
      );
    }
    if (spec.arity !== argc)
      throw new EmitError(`${where}: builtin ${name} takes ${spec.arity} arguments, call passes ${argc}`);
    if (argc >= HOST_IMPORTS.builtin.length) {
      throw new EmitError(
        `${where}: builtin ${name} has ${argc} arguments; host builtins take at most ${HOST_IMPORTS.builtin.length - 1}`,
      );
    }
    const entry = { id: this.hostBuiltins.size, arity: argc };
    this.hostBuiltins.set(name, entry);
    return entry;
  }

  private builtinImport(argc: number): number {
    const name = HOST_IMPORTS.builtin[argc];
    let n = 0;
    for (const imp of this.m.imports) {
      if (imp.desc.kind !== "func") continue;
      if (imp.module === "env" && imp.name === name) return n;
      n++;
    }
    throw new Error(`internal: env.${name} was not imported before lowering`);
  }

  // ---- generated functions ----

  private reserve(count: number): number {
    return this.firstGenerated + this.generated.length + count;
  }

  private add(name: string, params: number, results: number, c: CodeBuilder): number {
    const type = internType(this.m, { params: new Array(params).fill(I32), results: new Array(results).fill(I32) });
    const index = this.firstGenerated + this.generated.length;
    this.generated.push({ name, type, body: c.finish(), lines: c.lines });
    this.funcNames.set(index, name);
    return index;
  }

  private builder(params: number): CodeBuilder {
    return new CodeBuilder(
      params,
      this.listing,
      (i) => this.funcNames.get(i) ?? String(i),
      (i) => {
        const k = i - this.firstConstGlobal;
        return k >= 0 && k < this.constNames.length ? this.constNames[k] : String(i);
      },
    );
  }

  build(): { bytes: Uint8Array; listings: Listing[] } {
    const { policy, m } = this;
    if (policy.plans.length === 0) throw new EmitError("policy has no plans (entrypoints)");
    const seenPlans = new Set<string>();
    for (const p of policy.plans) {
      if (seenPlans.has(p.name)) throw new EmitError(`two plans are named ${p.name}`);
      seenPlans.add(p.name);
    }
    // Declared builtins are listed by builtins() even before a call site is lowered (natives excepted).
    for (const b of policy.builtins) {
      if (this.native(b.name) === undefined && !this.funcs.has(b.name))
        this.hostBuiltin(b.name, b.arity, "policy builtins");
    }
    // Indices of planned functions are fixed first so calls can refer to any of them. Every
    // function of input, data (and arguments) gets a memoising wrapper: Rego functions are pure,
    // rules are often referenced inside loops, and graph helpers are called again and again
    // with the same node.
    const memoised = (f: Policy["funcs"][number]) => f.params.length >= 2;
    let slot = 0;
    const slots = policy.funcs.map((f) => {
      if (this.funcs.has(f.name)) throw new EmitError(`two functions are named ${f.name}`);
      const index = this.reserve(slot);
      slot += memoised(f) ? 2 : 1;
      this.funcs.set(f.name, { index, arity: f.params.length });
      this.funcNames.set(index, f.name);
      return index;
    });
    this.epoch = this.plainGlobal("epoch");
    policy.funcs.forEach((f, k) => {
      if (f.params.length === 2) this.genMemo(f.name, slots[k] + 1);
      else if (memoised(f)) this.genMemoArgs(f.name, f.params.length, slots[k] + 1);
      const c = this.builder(f.params.length);
      const lw = new FunctionLowering(this, c, `function ${f.name}`, f.params, null);
      for (const b of f.blocks) lw.block(b);
      c.localGet(lw.local(f.result));
      this.add(memoised(f) ? `${f.name} (body)` : f.name, f.params.length, 1, c);
    });
    const plans = policy.plans.map((p) => {
      const c = this.builder(2);
      const rs = c.newLocal();
      c.call(this.rt("opa_set")).localSet(rs);
      const lw = new FunctionLowering(this, c, `plan ${p.name}`, [0, 1], rs);
      for (const b of p.blocks) lw.block(b);
      c.localGet(rs);
      return this.add(`plan ${p.name}`, 2, 1, c);
    });
    const dispatch = this.genDispatch(plans);
    const evalFn = this.genEval(dispatch);
    const opaEval = this.genOpaEval(dispatch);
    const builtins = this.genNameTable(
      "builtins",
      // Host names, not Rego names: the SDK's own sprintf, regex.split and yaml.* would otherwise
      // shadow the implementations registered by customBuiltins().
      [...this.hostBuiltins].map(([name, b]) => [hostBuiltinName(name), b.id]),
    );
    const entrypoints = this.genNameTable(
      "entrypoints",
      policy.plans.map((p, i) => [p.name, i]),
    );
    const start = this.genStart();

    // Globals: constant values (set by the start function), then the ABI version globals.
    for (let k = 0; k < this.constInits.length; k++) m.globals.push({ type: I32, mutable: true, init: i32Init(0) });
    const abiMajor = importedGlobalCount(m) + m.globals.length;
    m.globals.push({ type: I32, mutable: false, init: i32Init(ABI_VERSION) });
    m.globals.push({ type: I32, mutable: false, init: i32Init(ABI_MINOR_VERSION) });

    for (const g of this.generated) {
      m.functions.push(g.type);
      m.code.push(g.body);
    }
    m.start = start;

    const ours: [string, number, number][] = [
      ["opa_wasm_abi_version", ExternKind.global, abiMajor],
      ["opa_wasm_abi_minor_version", ExternKind.global, abiMajor + 1],
      ["eval", ExternKind.func, evalFn],
      ["opa_eval", ExternKind.func, opaEval],
      ["builtins", ExternKind.func, builtins],
      ["entrypoints", ExternKind.func, entrypoints],
    ];
    const ourNames = new Set(ours.map((o) => o[0]));
    m.exports = m.exports.filter((e) => !ourNames.has(e.name));
    for (const [name, kind, index] of ours) m.exports.push({ name, kind, index });
    for (const name of SDK_EXPORTS.functions) {
      if (findExport(m, name, ExternKind.func) === undefined) throw new EmitError(`module would not export ${name}`);
    }

    this.placeData();

    // Names for traps and profiles: the runtime's own (if any), else its import and export
    // names, then the generated functions.
    const names = m.names ?? { functions: [], others: [] };
    const named = new Set(names.functions.map((f) => f.index));
    for (const [index, name] of this.funcNames) {
      if (index < this.firstGenerated && !named.has(index)) names.functions.push({ index, name });
    }
    this.generated.forEach((g, k) => names.functions.push({ index: this.firstGenerated + k, name: g.name }));
    m.names = names;

    const bytes = writeModule(m);
    const listings = this.generated.map((g) => ({ name: g.name, lines: g.lines ?? [] }));
    return { bytes, listings };
  }

  private placeData(): void {
    const { m } = this;
    const end = this.dataBase + this.data.length;
    if (this.data.length > 0) {
      m.data.push({ mode: 0, memory: 0, offset: i32Init(this.dataBase), bytes: this.data.toBytes() });
    }
    const mem = m.imports.find((i) => i.desc.kind === "memory");
    if (mem && mem.desc.kind === "memory") {
      const pages = Math.ceil(end / PAGE);
      const limit = this.memoryPages ?? SDK_DEFAULT_PAGES;
      if (pages > limit) {
        throw new EmitError(
          `constant data ends at byte ${end}, beyond the host's memory of ${limit} pages (compile with memoryPages >= ${pages} and load with memoryDescriptor.initial >= ${pages})`,
        );
      }
      if (pages > mem.desc.limits.min) mem.desc.limits.min = pages;
    }
  }

  /** Global counting evaluations; memoised values from an older evaluation are stale. */
  private epoch = -1;

  /** (input, data) -> value: the cached value of `body` for this evaluation and these arguments. */
  private genMemo(name: string, body: number): number {
    const g = (what: string) => this.plainGlobal(`${name} ${what}`);
    const [ep, inp, dat, res] = [g("epoch"), g("input"), g("data"), g("value")];
    const c = this.builder(2);
    c.globalGet(this.epoch).globalGet(ep).i32Eq().if();
    c.localGet(0).globalGet(inp).i32Eq().localGet(1).globalGet(dat).i32Eq().i32And().if();
    c.globalGet(res).return();
    c.end().end();
    const v = c.newLocal();
    c.localGet(0).localGet(1).call(body).localTee(v).globalSet(res);
    c.localGet(0).globalSet(inp).localGet(1).globalSet(dat).globalGet(this.epoch).globalSet(ep);
    c.localGet(v);
    return this.add(name, 2, 1, c);
  }

  /** A unique value standing for a cached "undefined" (compared by address, never handed out). */
  private undefinedMarker(): number {
    return this.constant("undefined-marker", "undefined marker", (c, g) => {
      c.call(this.rt("opa_set")).globalSet(g);
    });
  }

  /**
   * (input, data, args...) -> value: a per-evaluation table from argument values to results.
   * Only scalar arguments are cached (a string node name, a number): hashing a large object
   * argument on every call could cost more than the call.
   */
  private genMemoArgs(name: string, params: number, body: number): number {
    const g = (what: string) => this.plainGlobal(`${name} ${what}`);
    const [ep, inp, dat, tab] = [g("epoch"), g("input"), g("data"), g("table")];
    const marker = this.undefinedMarker();
    const c = this.builder(params);
    const key = c.newLocal();
    const v = c.newLocal();
    const all = () => {
      for (let i = 0; i < params; i++) c.localGet(i);
    };
    // A new evaluation or other input/data (`with`): start an empty table.
    c.globalGet(this.epoch).globalGet(ep).i32Ne();
    c.localGet(0).globalGet(inp).i32Ne().i32Or();
    c.localGet(1).globalGet(dat).i32Ne().i32Or();
    c.if();
    c.call(this.rt("opa_object")).globalSet(tab);
    c.globalGet(this.epoch).globalSet(ep).localGet(0).globalSet(inp).localGet(1).globalSet(dat);
    c.end();
    c.block("uncached call");
    for (let i = 2; i < params; i++) {
      c.localGet(i).i32Eqz().brIf(0);
      c.localGet(i).call(this.rt("opa_value_type")).i32Const(ValueType.Array).i32GeU().brIf(0);
    }
    if (params === 3) c.localGet(2).localSet(key);
    else {
      c.i32Const(params - 2)
        .call(this.rt("opa_array_with_cap"))
        .localSet(key);
      for (let i = 2; i < params; i++) c.localGet(key).localGet(i).call(this.rt("opa_array_append"));
    }
    c.globalGet(tab).localGet(key).call(this.rt("opa_value_get")).localTee(v).if();
    c.localGet(v).globalGet(marker).i32Eq().if(true).i32Const(0).else().localGet(v).end().return();
    c.end();
    all();
    c.call(body).localSet(v);
    c.globalGet(tab).localGet(key);
    c.globalGet(marker).localGet(v).localGet(v).i32Eqz().select();
    c.call(this.rt("opa_object_insert"));
    c.localGet(v).return();
    c.end();
    all();
    c.call(body);
    return this.add(name, params, 1, c);
  }

  /** dispatch(entrypoint, input, data) -> result set; aborts on an unknown entrypoint id. */
  private genDispatch(plans: number[]): number {
    const c = this.builder(3);
    c.globalGet(this.epoch).i32Const(1).i32Add().globalSet(this.epoch);
    // data is always an object in Rego; the SDK passes 0 after setData(undefined).
    c.localGet(2).i32Eqz().if().call(this.rt("opa_object")).localSet(2).end();
    c.block("unknown entrypoint");
    for (let i = 0; i < plans.length; i++) c.block();
    c.localGet(0).brTable(
      plans.map((_, i) => i),
      plans.length,
    );
    plans.forEach((p) => {
      c.end();
      c.localGet(1).localGet(2).call(p).return();
    });
    c.end();
    this.abort(c, "opa_eval: unknown entrypoint id");
    return this.add("dispatch", 3, 1, c);
  }

  private abort(c: CodeBuilder, message: string): void {
    let n = 0;
    for (const imp of this.m.imports) {
      if (imp.desc.kind !== "func") continue;
      if (imp.module === "env" && imp.name === HOST_IMPORTS.abort) {
        c.i32Const(this.cstr(message)).call(n).unreachable();
        return;
      }
      n++;
    }
    c.i32Const(this.cstr("<module>")).i32Const(0).i32Const(0).i32Const(this.cstr(message));
    c.call(this.rt("opa_runtime_error")).unreachable();
  }

  /** eval(ctx) -> 0: the legacy path over the runtime's evaluation context. */
  private genEval(dispatch: number): number {
    const c = this.builder(1);
    c.localGet(0);
    c.localGet(0).call(this.rt("opa_eval_ctx_get_entrypoint"));
    c.localGet(0).call(this.rt("opa_eval_ctx_get_input"));
    c.localGet(0).call(this.rt("opa_eval_ctx_get_data"));
    c.call(dispatch).call(this.rt("opa_eval_ctx_set_result"));
    c.i32Const(0);
    return this.add("eval", 1, 1, c);
  }

  /** opa_eval(reserved, entrypoint, data, input, inputLen, heapPtr, format) -> NUL-terminated result set. */
  private genOpaEval(dispatch: number): number {
    const c = this.builder(7);
    const input = c.newLocal();
    c.localGet(5).call(this.rt("opa_heap_ptr_set"));
    // The SDK passes inputLen 0 for an absent (falsy) input: input stays undefined.
    c.localGet(4).if();
    c.localGet(3).localGet(4).call(this.rt("opa_json_parse")).localTee(input).i32Eqz().if();
    this.abort(c, "opa_eval: input is not valid JSON");
    c.end().end();
    c.localGet(1).localGet(input).localGet(2).call(dispatch);
    const rs = c.newLocal();
    c.localSet(rs);
    // format 1 asks for Rego value text, anything else for JSON.
    c.localGet(6).i32Const(1).i32Eq().if(true);
    c.localGet(rs).call(this.rt("opa_value_dump"));
    c.else();
    c.localGet(rs).call(this.rt("opa_json_dump"));
    c.end();
    return this.add("opa_eval", 7, 1, c);
  }

  /** A () -> object function mapping names to integer ids (builtins(), entrypoints()). */
  private genNameTable(name: string, entries: [string, number][]): number {
    const c = this.builder(0);
    const obj = c.newLocal();
    c.call(this.rt("opa_object")).localSet(obj);
    for (const [key, id] of entries) {
      c.localGet(obj)
        .globalGet(this.stringGlobal(key))
        .globalGet(this.intGlobal(id))
        .call(this.rt("opa_object_insert"));
    }
    c.localGet(obj);
    return this.add(name, 0, 1, c);
  }

  /**
   * The start function: runs the runtime's own start, moves the allocator top above the
   * constant data, then builds every constant value once. Those values live below the heap
   * base the SDK records after loading, so resets never reclaim them.
   */
  private genStart(): number {
    // A dry run of the initialisers places every constant's bytes, so the data end is final.
    const dry = this.builder(0);
    for (let k = 0; k < this.constInits.length; k++) this.constInits[k]?.(dry, this.firstConstGlobal + k);
    const end = align8(this.dataBase + this.data.length);
    const c = this.builder(0);
    if (this.m.start !== null) c.call(this.m.start);
    const t = c.newLocal();
    c.call(this.rt("opa_heap_ptr_get")).localSet(t);
    c.i32Const(end).localGet(t).localGet(t).i32Const(end).i32LtU().select().call(this.rt("opa_heap_ptr_set"));
    for (let k = 0; k < this.constInits.length; k++) this.constInits[k]?.(c, this.firstConstGlobal + k);
    if (align8(this.dataBase + this.data.length) !== end)
      throw new Error("internal: constant data moved after the dry run");
    return this.add("start", 0, 0, c);
  }
}

function i32Init(v: number): Uint8Array {
  return new ByteWriter(8).byte(0x41).s32(v).byte(0x0b).toBytes();
}

/** Compiles a planned Policy into one OPA-ABI Wasm module (runtime + generated functions). */
export function emitWasm(policy: Policy, options: EmitOptions = {}): Uint8Array {
  const runtime = resolveRuntime(options.runtime);
  const strict = options.strictBuiltinErrors ?? true;
  const natives = options.natives ?? NATIVE_BUILTINS;
  return new ModuleBuilder(policy, runtime, natives, false, strict, options.memoryPages).build().bytes;
}

/** The pages of memory a module built by emitWasm needs from its host (its memory import's minimum). */
export function requiredMemoryPages(wasm: Uint8Array): number {
  const mem = readModule(wasm).imports.find((i) => i.desc.kind === "memory");
  return mem && mem.desc.kind === "memory" ? mem.desc.limits.min : 0;
}

/** A WAT-like listing of the functions generated for a policy (runtime functions are not listed). */
export function emitWat(policy: Policy, options: EmitOptions = {}): string {
  const runtime = resolveRuntime(options.runtime);
  const strict = options.strictBuiltinErrors ?? true;
  const { listings } = new ModuleBuilder(policy, runtime, options.natives ?? NATIVE_BUILTINS, true, strict).build();
  return listings.map((l) => `(func $${l.name}\n${l.lines.join("\n")}\n)`).join("\n\n") + "\n";
}
