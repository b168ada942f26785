// Builds function bodies instruction by instruction, optionally keeping a WAT-like text
// listing beside the bytes (for `--emit wat`-style inspection and golden tests).
import { ByteWriter } from "./leb128";
import { ValType } from "./module";

/** Opcodes the emitter uses. */
export const Op = {
  unreachable: 0x00,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  br_table: 0x0e,
  return: 0x0f,
  call: 0x10,
  drop: 0x1a,
  select: 0x1b,
  local_get: 0x20,
  local_set: 0x21,
  local_tee: 0x22,
  global_get: 0x23,
  global_set: 0x24,
  i32_const: 0x41,
  i64_const: 0x42,
  i32_eqz: 0x45,
  i32_eq: 0x46,
  i32_ne: 0x47,
  i32_lt_u: 0x49,
  i32_add: 0x6a,
  i32_and: 0x71,
  i32_or: 0x72,
  i32_ge_u: 0x4f,
  i64_extend_i32_u: 0xad,
} as const;

const BLOCKTYPE_EMPTY = 0x40;

/** One function body under construction: parameters, extra i32 locals and instructions. */
export class CodeBuilder {
  private readonly w = new ByteWriter();
  private depth = 1;
  /** Text listing, one instruction per line, or null when not requested. */
  readonly lines: string[] | null;

  constructor(
    readonly paramCount: number,
    listing: boolean,
    private readonly nameOfFunc: (idx: number) => string = (i) => String(i),
    private readonly nameOfGlobal: (idx: number) => string = (i) => String(i),
  ) {
    this.lines = listing ? [] : null;
  }

  /** Number of extra (non-parameter) i32 locals. */
  extraLocals = 0;

  /** A fresh i32 local index. */
  newLocal(): number {
    return this.paramCount + this.extraLocals++;
  }

  private text(s: string): void {
    if (this.lines) this.lines.push("  ".repeat(this.depth) + s);
  }

  private op(code: number, text: string): this {
    this.w.byte(code);
    this.text(text);
    return this;
  }

  block(comment = ""): this {
    this.w.byte(Op.block).byte(BLOCKTYPE_EMPTY);
    this.text(comment ? `block ;; ${comment}` : "block");
    this.depth++;
    return this;
  }

  loop(): this {
    this.w.byte(Op.loop).byte(BLOCKTYPE_EMPTY);
    this.text("loop");
    this.depth++;
    return this;
  }

  /** `if` with an optional i32 result. */
  if(resultI32 = false): this {
    this.w.byte(Op.if).byte(resultI32 ? ValType.i32 : BLOCKTYPE_EMPTY);
    this.text(resultI32 ? "if (result i32)" : "if");
    this.depth++;
    return this;
  }

  else(): this {
    this.depth--;
    this.op(Op.else, "else");
    this.depth++;
    return this;
  }

  end(): this {
    this.depth--;
    return this.op(Op.end, "end");
  }

  br(depth: number): this {
    this.w.byte(Op.br).u32(depth);
    this.text(`br ${depth}`);
    return this;
  }

  brIf(depth: number): this {
    this.w.byte(Op.br_if).u32(depth);
    this.text(`br_if ${depth}`);
    return this;
  }

  brTable(targets: number[], dflt: number): this {
    this.w.byte(Op.br_table).u32(targets.length);
    for (const t of targets) this.w.u32(t);
    this.w.u32(dflt);
    this.text(`br_table ${[...targets, dflt].join(" ")}`);
    return this;
  }

  return(): this {
    return this.op(Op.return, "return");
  }

  unreachable(): this {
    return this.op(Op.unreachable, "unreachable");
  }

  drop(): this {
    return this.op(Op.drop, "drop");
  }

  select(): this {
    return this.op(Op.select, "select");
  }

  call(idx: number): this {
    this.w.byte(Op.call).u32(idx);
    this.text(`call $${this.nameOfFunc(idx)}`);
    return this;
  }

  localGet(i: number): this {
    this.w.byte(Op.local_get).u32(i);
    this.text(`local.get ${i}`);
    return this;
  }

  localSet(i: number): this {
    this.w.byte(Op.local_set).u32(i);
    this.text(`local.set ${i}`);
    return this;
  }

  localTee(i: number): this {
    this.w.byte(Op.local_tee).u32(i);
    this.text(`local.tee ${i}`);
    return this;
  }

  globalGet(i: number): this {
    this.w.byte(Op.global_get).u32(i);
    this.text(`global.get $${this.nameOfGlobal(i)}`);
    return this;
  }

  globalSet(i: number): this {
    this.w.byte(Op.global_set).u32(i);
    this.text(`global.set $${this.nameOfGlobal(i)}`);
    return this;
  }

  i32Const(n: number): this {
    this.w.byte(Op.i32_const).s32(n);
    this.text(`i32.const ${n | 0}`);
    return this;
  }

  i64Const(n: bigint): this {
    this.w.byte(Op.i64_const).s64(n);
    this.text(`i64.const ${n}`);
    return this;
  }

  i32Eqz(): this {
    return this.op(Op.i32_eqz, "i32.eqz");
  }

  i32Eq(): this {
    return this.op(Op.i32_eq, "i32.eq");
  }

  i32Ne(): this {
    return this.op(Op.i32_ne, "i32.ne");
  }

  i32LtU(): this {
    return this.op(Op.i32_lt_u, "i32.lt_u");
  }

  i32Add(): this {
    return this.op(Op.i32_add, "i32.add");
  }

  i32Or(): this {
    return this.op(Op.i32_or, "i32.or");
  }

  i32GeU(): this {
    return this.op(Op.i32_ge_u, "i32.ge_u");
  }

  i32And(): this {
    return this.op(Op.i32_and, "i32.and");
  }

  i64ExtendI32U(): this {
    return this.op(Op.i64_extend_i32_u, "i64.extend_i32_u");
  }

  /** The body bytes: local declarations, instructions and the final `end`. */
  finish(): Uint8Array {
    if (this.depth !== 1) throw new Error(`internal: unbalanced blocks in generated function (depth ${this.depth})`);
    const out = new ByteWriter(this.w.length + 16);
    if (this.extraLocals > 0) out.u32(1).u32(this.extraLocals).byte(ValType.i32);
    else out.u32(0);
    out.bytes(this.w.toBytes()).byte(Op.end);
    return out.toBytes();
  }
}
