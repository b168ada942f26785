// LEB128 and the byte-level reader/writer the module reader and writer share. Wasm encodes
// every count, index and size as unsigned LEB128 and constants as signed LEB128.

/** Error for bytes that are not a well-formed Wasm module; the message names the byte offset. */
export class WasmFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`wasm: ${message} at byte ${offset}`);
    this.name = "WasmFormatError";
  }
}

/** A growable byte buffer with LEB128 writers. */
export class ByteWriter {
  private buf: Uint8Array;
  length = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): this {
    this.reserve(1);
    this.buf[this.length++] = b & 0xff;
    return this;
  }

  bytes(bs: ArrayLike<number>): this {
    this.reserve(bs.length);
    this.buf.set(bs, this.length);
    this.length += bs.length;
    return this;
  }

  u32(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`u32 out of range: ${n}`);
    do {
      let b = n & 0x7f;
      n = Math.floor(n / 128);
      if (n !== 0) b |= 0x80;
      this.byte(b);
    } while (n !== 0);
    return this;
  }

  s32(n: number): this {
    if (!Number.isInteger(n) || n < -0x80000000 || n > 0xffffffff) throw new RangeError(`s32 out of range: ${n}`);
    return this.s64(BigInt(n | 0));
  }

  s64(v: bigint): this {
    v = BigInt.asIntN(64, v);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  f64(x: number): this {
    const tmp = new DataView(new ArrayBuffer(8));
    tmp.setFloat64(0, x, true);
    return this.bytes(new Uint8Array(tmp.buffer));
  }

  /** A UTF-8 name prefixed with its byte length. */
  name(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u32(b.length).bytes(b);
  }

  /** A byte vector prefixed with its length. */
  sized(bs: Uint8Array): this {
    return this.u32(bs.length).bytes(bs);
  }

  toBytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** A cursor over module bytes with LEB128 readers; errors carry the absolute offset. */
export class ByteReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  fail(message: string): never {
    throw new WasmFormatError(message, this.pos);
  }

  u8(): number {
    if (this.pos >= this.end) this.fail("unexpected end of data");
    return this.buf[this.pos++];
  }

  u32(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 5; i++) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        if (result > 0xffffffff) this.fail("u32 LEB128 out of range");
        return result;
      }
      mul *= 128;
    }
    return this.fail("u32 LEB128 too long");
  }

  s32(): number {
    const v = this.sleb(5);
    if (v < -0x80000000n || v > 0x7fffffffn) this.fail("s32 LEB128 out of range");
    return Number(v);
  }

  s64(): bigint {
    return this.sleb(10);
  }

  private sleb(maxBytes: number): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < maxBytes; i++) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) {
        if (b & 0x40) result -= 1n << shift;
        return result;
      }
    }
    return this.fail("signed LEB128 too long");
  }

  bytes(n: number): Uint8Array {
    if (this.pos + n > this.end) this.fail(`expected ${n} bytes`);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  name(): string {
    const n = this.u32();
    return new TextDecoder("utf-8", { fatal: true }).decode(this.bytes(n));
  }
}

/** Unsigned LEB128 bytes of n. */
export function encodeU32(n: number): Uint8Array {
  return new ByteWriter(5).u32(n).toBytes();
}

/** Signed LEB128 bytes of a 32-bit integer. */
export function encodeS32(n: number): Uint8Array {
  return new ByteWriter(5).s32(n).toBytes();
}

/** Signed LEB128 bytes of a 64-bit integer. */
export function encodeS64(n: bigint): Uint8Array {
  return new ByteWriter(10).s64(n).toBytes();
}
