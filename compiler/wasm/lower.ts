// Lowers IR statements (compiler/ir/types.ts) into Wasm instructions. Label discipline: every
// IR Block is one Wasm `block`; helper constructs (the Scan loop, conflict checks) add labels
// that Break and "undefined" skip over, so `Break{index}` always leaves index + 1 IR blocks and
// an undefined statement leaves the innermost IR block.
import { Block, Local, Operand, Stmt, StmtLoc } from "../ir/types";
import { ValueType } from "../abi/abi";
import { CodeBuilder } from "./binary/code";

/** Error for IR the emitter cannot lower (a planner bug or an unsupported construct); names the place. */
export class EmitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmitError";
  }
}

/** A callee resolved by the emitter. */
export type Callee =
  | { kind: "func"; index: number; arity: number }
  | { kind: "native"; index: number; arity: number }
  | { kind: "host"; id: number; importIndex: number; arity: number };

/** What lowering needs from the module being built. */
export interface LoweringEnv {
  /** Runtime function index by export name (abi.ts RUNTIME_FUNCTIONS). */
  rt(name: string): number;
  /** Global holding the string value of text (created at instantiation). */
  stringGlobal(text: string): number;
  /** Global holding the number value of an integer. */
  intGlobal(value: number): number;
  /** Global holding the number value of decimal text. */
  numberRefGlobal(text: string): number;
  boolGlobal(value: boolean): number;
  nullGlobal(): number;
  /** Address of a NUL-terminated copy of text in the data segment. */
  cstr(text: string): number;
  /** The constant string table of the policy. */
  strings: readonly string[];
  /** Resolves a Call target (planned function or builtin) or throws EmitError. */
  callee(name: string, argc: number, where: string): Callee;
  /** True if a native builtin's recorded error aborts the evaluation (opa_builtin_check). */
  readonly strictBuiltinErrors: boolean;
}

/** The message of a conflicting complete rule (OPA's eval_conflict_error). */
export const VAR_CONFLICT_MESSAGE = "eval_conflict_error: complete rules must not produce multiple outputs";
/** The message of a conflicting object key (OPA's eval_conflict_error). */
export const OBJECT_CONFLICT_MESSAGE = "eval_conflict_error: object keys must be unique";

/** Lowers the blocks of one plan or function into a CodeBuilder. */
export class FunctionLowering {
  private readonly locals = new Map<Local, number>();
  /** Open labels, innermost last: true for IR blocks, false for helper labels. */
  private readonly labels: boolean[] = [];
  private tmp = -1;

  constructor(
    private readonly env: LoweringEnv,
    readonly code: CodeBuilder,
    /** "plan residency/findings" or "function g0.data.x", for error messages and locations. */
    private readonly where: string,
    params: Local[],
    /** Wasm local of the result set (plans only). */
    private readonly resultSet: number | null,
  ) {
    params.forEach((p, i) => {
      if (this.locals.has(p)) throw new EmitError(`${where}: parameter local ${p} listed twice`);
      this.locals.set(p, i);
    });
  }

  /** Wasm local of an IR local (allocated on first use; starts as 0 = unset). */
  local(l: Local): number {
    if (!Number.isInteger(l) || l < 0) throw new EmitError(`${this.where}: invalid local ${l}`);
    let w = this.locals.get(l);
    if (w === undefined) {
      w = this.code.newLocal();
      this.locals.set(l, w);
    }
    return w;
  }

  private scratch(): number {
    if (this.tmp < 0) this.tmp = this.code.newLocal();
    return this.tmp;
  }

  /** Relative branch depth that leaves `k + 1` IR blocks. */
  private irDepth(k: number): number {
    let seen = -1;
    for (let i = this.labels.length - 1; i >= 0; i--) {
      if (this.labels[i] && ++seen === k) return this.labels.length - 1 - i;
    }
    throw new EmitError(`${this.where}: Break index ${k} leaves more blocks than are open`);
  }

  /** Depth of the innermost IR block: where an undefined statement goes. */
  private undef(): number {
    return this.irDepth(0);
  }

  private open(ir: boolean, comment = ""): void {
    this.code.block(comment);
    this.labels.push(ir);
  }

  private close(): void {
    this.code.end();
    this.labels.pop();
  }

  /** Emits one IR block as a Wasm block. */
  block(b: Block): void {
    this.open(true);
    for (const s of b.stmts) this.stmt(s);
    this.close();
  }

  private operand(o: Operand): void {
    switch (o.kind) {
      case "local":
        this.code.localGet(this.local(o.local));
        return;
      case "bool":
        this.code.globalGet(this.env.boolGlobal(o.value));
        return;
      case "string": {
        const s = this.env.strings[o.index];
        if (s === undefined) throw new EmitError(`${this.where}: string index ${o.index} is not in the string table`);
        this.code.globalGet(this.env.stringGlobal(s));
        return;
      }
      default:
        throw new EmitError(`${this.where}: unknown operand kind ${(o as { kind: string }).kind}`);
    }
  }

  /** `value; tee tmp; eqz; br_if undefined; target = tmp`. */
  private setDefined(target: Local): void {
    const t = this.scratch();
    this.code.localTee(t).i32Eqz().brIf(this.undef()).localGet(t).localSet(this.local(target));
  }

  private runtimeError(loc: StmtLoc | undefined, message: string): void {
    const c = this.code;
    c.i32Const(this.env.cstr(loc?.file ?? this.where));
    c.i32Const(loc?.row ?? 0).i32Const(loc?.col ?? 0);
    c.i32Const(this.env.cstr(message));
    c.call(this.env.rt("opa_runtime_error")).unreachable();
  }

  private typeCheck(o: Operand, tag: number): void {
    if (o.kind !== "local") {
      this.code.br(this.undef()); // constants are booleans or strings, never collections
      return;
    }
    const l = this.local(o.local);
    this.code.localGet(l).i32Eqz().brIf(this.undef());
    this.code.localGet(l).call(this.env.rt("opa_value_type")).i32Const(tag).i32Ne().brIf(this.undef());
  }

  /** Emits one statement. */
  stmt(s: Stmt): void {
    const c = this.code;
    const rt = (n: string) => this.env.rt(n);
    switch (s.type) {
      case "Nop":
        return;
      case "ReturnLocal":
        if (this.resultSet !== null) throw new EmitError(`${this.where}: ReturnLocal is only valid in a function`);
        c.localGet(this.local(s.source)).return();
        return;
      case "Call": {
        const callee = this.env.callee(s.func, s.args.length, this.where);
        if (callee.kind === "host") c.i32Const(callee.id).i32Const(0);
        for (const a of s.args) this.operand(a);
        c.call(callee.kind === "host" ? callee.importIndex : callee.index);
        if (callee.kind === "native" && this.env.strictBuiltinErrors) {
          c.i32Const(this.env.cstr(s.loc?.file ?? this.where));
          c.i32Const(s.loc?.row ?? 0).i32Const(s.loc?.col ?? 0);
          c.call(this.env.rt("opa_builtin_check"));
        }
        this.setDefined(s.result);
        return;
      }
      case "Block":
        for (const b of s.blocks) this.block(b);
        return;
      case "Break":
        c.br(this.irDepth(s.index));
        return;
      case "Dot":
        this.operand(s.source);
        this.operand(s.key);
        c.call(rt("opa_value_get"));
        this.setDefined(s.target);
        return;
      case "Len":
        this.operand(s.source);
        c.call(rt("opa_value_length")).i64ExtendI32U().call(rt("opa_number_int")).localSet(this.local(s.target));
        return;
      case "Scan":
        this.scan(s);
        return;
      case "Not":
        this.open(true, "not");
        for (const x of s.block.stmts) this.stmt(x);
        c.br(this.irDepth(1)); // the block ran to completion: `not` is undefined
        this.close();
        return;
      case "AssignInt":
      case "MakeNumberInt":
        if (!Number.isSafeInteger(s.value))
          throw new EmitError(`${this.where}: ${s.type} value ${s.value} is not a safe integer`);
        c.globalGet(this.env.intGlobal(s.value)).localSet(this.local(s.target));
        return;
      case "AssignVar":
        this.operand(s.source);
        c.localSet(this.local(s.target));
        return;
      case "AssignVarOnce": {
        const t = this.local(s.target);
        this.open(false);
        this.open(false);
        c.localGet(t).i32Eqz().brIf(0);
        c.localGet(t);
        this.operand(s.source);
        c.call(rt("opa_value_compare")).i32Eqz().brIf(1);
        this.runtimeError(s.loc, s.conflict ?? VAR_CONFLICT_MESSAGE);
        this.close();
        this.operand(s.source);
        c.localSet(t);
        this.close();
        return;
      }
      case "ResetLocal":
        c.i32Const(0).localSet(this.local(s.target));
        return;
      case "MakeNull":
        c.globalGet(this.env.nullGlobal()).localSet(this.local(s.target));
        return;
      case "MakeNumberRef": {
        const text = this.env.strings[s.index];
        if (text === undefined)
          throw new EmitError(`${this.where}: MakeNumberRef index ${s.index} is not in the string table`);
        c.globalGet(this.env.numberRefGlobal(text)).localSet(this.local(s.target));
        return;
      }
      case "MakeArray":
        if (!Number.isInteger(s.capacity) || s.capacity < 0)
          throw new EmitError(`${this.where}: bad array capacity ${s.capacity}`);
        c.i32Const(s.capacity).call(rt("opa_array_with_cap")).localSet(this.local(s.target));
        return;
      case "MakeObject":
        c.call(rt("opa_object")).localSet(this.local(s.target));
        return;
      case "MakeSet":
        c.call(rt("opa_set")).localSet(this.local(s.target));
        return;
      case "Equal":
      case "NotEqual":
        this.operand(s.a);
        this.operand(s.b);
        c.call(rt("opa_value_compare"));
        if (s.type === "NotEqual") c.i32Eqz();
        c.brIf(this.undef());
        return;
      case "IsArray":
        this.typeCheck(s.source, ValueType.Array);
        return;
      case "IsObject":
        this.typeCheck(s.source, ValueType.Object);
        return;
      case "IsSet":
        this.typeCheck(s.source, ValueType.Set);
        return;
      case "IsDefined":
        c.localGet(this.local(s.source)).i32Eqz().brIf(this.undef());
        return;
      case "IsUndefined":
        c.localGet(this.local(s.source)).brIf(this.undef());
        return;
      case "ArrayAppend":
        c.localGet(this.local(s.array));
        this.operand(s.value);
        c.call(rt("opa_array_append"));
        return;
      case "ObjectInsert":
        c.localGet(this.local(s.object));
        this.operand(s.key);
        this.operand(s.value);
        c.call(rt("opa_object_insert"));
        return;
      case "ObjectInsertOnce": {
        const t = this.scratch();
        this.open(false);
        this.open(false);
        c.localGet(this.local(s.object));
        this.operand(s.key);
        c.call(rt("opa_value_get")).localTee(t).i32Eqz().brIf(0);
        c.localGet(t);
        this.operand(s.value);
        c.call(rt("opa_value_compare")).i32Eqz().brIf(1);
        this.runtimeError(s.loc, OBJECT_CONFLICT_MESSAGE);
        this.close();
        c.localGet(this.local(s.object));
        this.operand(s.key);
        this.operand(s.value);
        c.call(rt("opa_object_insert"));
        this.close();
        return;
      }
      case "ObjectMerge":
        c.localGet(this.local(s.a)).localGet(this.local(s.b)).call(rt("opa_object_merge"));
        this.setDefined(s.target);
        return;
      case "SetAdd":
        c.localGet(this.local(s.set));
        this.operand(s.value);
        c.call(rt("opa_set_add"));
        return;
      case "ResultSetAdd": {
        if (this.resultSet === null) throw new EmitError(`${this.where}: ResultSetAdd is only valid in a plan`);
        const t = this.scratch();
        c.call(rt("opa_object")).localSet(t);
        c.localGet(t).globalGet(this.env.stringGlobal("result")).localGet(this.local(s.value));
        c.call(rt("opa_object_insert"));
        c.localGet(this.resultSet).localGet(t).call(rt("opa_set_add"));
        return;
      }
      default:
        throw new EmitError(`${this.where}: unknown statement type ${(s as { type: string }).type}`);
    }
  }

  private scan(s: Extract<Stmt, { type: "Scan" }>): void {
    const c = this.code;
    const rt = (n: string) => this.env.rt(n);
    const src = this.local(s.source);
    const key = this.local(s.key);
    const value = this.local(s.value);
    const isSet = this.code.newLocal();
    // Not a collection (or unset): the Scan is undefined.
    c.localGet(src).i32Eqz().brIf(this.undef());
    c.localGet(src).call(rt("opa_value_type")).localTee(isSet).i32Const(ValueType.Array).i32LtU().brIf(this.undef());
    c.localGet(isSet).i32Const(ValueType.Set).i32Eq().localSet(isSet);
    c.i32Const(0).localSet(key);
    this.open(false, "scan");
    c.loop();
    this.labels.push(false);
    c.localGet(src).localGet(key).call(rt("opa_value_iter")).localTee(key).i32Eqz().brIf(1);
    // A set's key is its element: skip the hash lookup.
    c.localGet(isSet).if(true).localGet(key).else().localGet(src).localGet(key).call(rt("opa_value_get")).end();
    c.localSet(value);
    this.block(s.block);
    c.br(0);
    c.end(); // loop
    this.labels.pop();
    this.close();
  }
}
