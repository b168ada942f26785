// The one allocator: a bump allocator over the imported linear memory. The host (SDK) reads
// and resets its top between evaluations, so nothing here may keep a pointer above the top
// it was handed. AssemblyScript's own runtime allocator is never used (no managed objects).

// @ts-ignore: decorator
@external("env", "opa_abort")
export declare function hostAbort(addr: usize): void;

// @ts-ignore: decorator
@external("env", "opa_println")
export declare function hostPrintln(addr: usize): void;

/** Allocator top; 0 until first use, meaning "start at the aligned __heap_base". */
let heapTop: usize = 0;

// @ts-ignore: decorator
@inline
function heapStart(): usize {
  return (__heap_base + 7) & ~(<usize>7);
}

/** Current top of the heap (first free byte). */
export function heapGet(): usize {
  return heapTop == 0 ? heapStart() : heapTop;
}

/** Moves the top; the SDK uses this to drop everything an evaluation allocated. */
export function heapSet(p: usize): void {
  heapTop = p;
}

// @ts-ignore: decorator
@inline
function ensureMemory(end: usize): void {
  if (end > (<usize>memory.size()) << 16) growMemory(end);
}

// Grows geometrically (at least half the current size, 1 MiB minimum): growing page by page
// made large inputs pay for thousands of memory.grow calls. Falls back to the exact need.
function growMemory(end: usize): void {
  let have = <i32>memory.size();
  let need = <i32>((end - ((<usize>have) << 16) + 0xffff) >>> 16);
  let extra = have >> 1;
  if (extra < 16) extra = 16;
  if (extra > need && memory.grow(extra) >= 0) return;
  if (memory.grow(need) < 0) abortWith("opa_malloc: out of memory");
}

/** Allocates n bytes, 8-aligned, growing memory when the top passes its end. */
export function malloc(n: usize): usize {
  let top = (heapGet() + 7) & ~(<usize>7);
  let end = top + n;
  if (end < top) abortWith("opa_malloc: allocation too large");
  ensureMemory(end);
  heapTop = end;
  return top;
}

/** Zero-filled allocation (heap memory is reused after resets and may hold old bytes). */
export function calloc(n: usize): usize {
  let p = malloc(n);
  memory.fill(p, 0, n);
  return p;
}

/** Grows block [p, p+oldSize) to newSize bytes: in place if it ends at the top, else by copy. */
export function regrow(p: usize, oldSize: usize, newSize: usize): usize {
  if (p != 0 && p + oldSize == heapTop) {
    let end = p + newSize;
    if (end < p) abortWith("opa_malloc: allocation too large");
    ensureMemory(end);
    heapTop = end;
    return p;
  }
  let q = malloc(newSize);
  if (p != 0 && oldSize != 0) memory.copy(q, p, oldSize);
  return q;
}

/** Scratch for NUL-terminated messages to the host (static, below the heap). */
const MSG_CAP: usize = 1024;
const msgBuf: usize = memory.data(1024);

/** Copies an ASCII AssemblyScript literal into the static message buffer as a C string. */
export function cstrStatic(s: string): usize {
  let n = <usize>s.length;
  if (n > MSG_CAP - 1) n = MSG_CAP - 1;
  let src = changetype<usize>(s);
  for (let i: usize = 0; i < n; i++) store<u8>(msgBuf + i, <u8>load<u16>(src + (i << 1)));
  store<u8>(msgBuf + n, 0);
  return msgBuf;
}

/** Aborts through the host with a static message. */
export function abortWith(s: string): void {
  hostAbort(cstrStatic(s));
  unreachable();
}

/** Target of `--use abort=...`: routes AssemblyScript's own abort to env.opa_abort. */
export function asAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  if (message === null) hostAbort(cstrStatic("runtime abort"));
  else hostAbort(cstrStatic(changetype<string>(message)));
  unreachable();
}
