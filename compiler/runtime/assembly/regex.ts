// regex.match with RE2 (Go regexp) syntax and semantics for a yes/no answer: the pattern is
// parsed into a small AST, compiled to NFA instructions and run as a Thompson/Pike simulation
// (linear in the text, no backtracking blow-up). Unanchored search, like regexp.MatchString.
// Unsupported syntax (\p{..} classes, backreferences do not exist in RE2) makes compile fail,
// which the builtin reports as an error (undefined).

import { malloc, calloc } from "./alloc";
import { utf8SeqLen, utf8Decode } from "./value";
import { casemap } from "util/casemap";

// ---- AST nodes (24 bytes): kind @0, a @4, b @8, min @12, max @16 (-1 = unbounded), flags @20

export const N_EMPTY: u32 = 0;
export const N_LIT: u32 = 1; // min = code point, flags = fold
export const N_ANY: u32 = 2; // flags = dot matches newline
export const N_CLASS: u32 = 3; // a = ranges ptr (pairs of u32), b = range count, min = negated, flags = fold
export const N_CAT: u32 = 4;
export const N_ALT: u32 = 5;
export const N_REP: u32 = 6;
export const N_ASSERT: u32 = 7; // min = assertion kind

export const A_BOL: u32 = 1; // ^ (text start)
export const A_EOL: u32 = 2; // $ (text end)
const A_BOL_M: u32 = 3; // ^ multi-line
const A_EOL_M: u32 = 4; // $ multi-line
const A_WORDB: u32 = 5; // \b
const A_NWORDB: u32 = 6; // \B

const F_FOLD: u32 = 1;
const F_MULTI: u32 = 2;
const F_DOTNL: u32 = 4;

export function node(kind: u32, a: usize, b: usize, min: i32, max: i32, flags: u32): usize {
  let n = malloc(24);
  store<u32>(n, kind);
  store<u32>(n, a, 4);
  store<u32>(n, b, 8);
  store<i32>(n, min, 12);
  store<i32>(n, max, 16);
  store<u32>(n, flags, 20);
  return n;
}

// ---- parser state

let rp: usize = 0; // pattern cursor
let rend: usize = 0;
let rerr: bool = false;
let rdepth: i32 = 0;

// @ts-ignore: decorator
@inline
function more(): bool {
  return rp < rend;
}

// @ts-ignore: decorator
@inline
function peekByte(): u32 {
  return load<u8>(rp);
}

function nextCp(): u32 {
  let l = utf8SeqLen(load<u8>(rp));
  if (rp + l > rend) l = <u32>(rend - rp);
  let c = utf8Decode(rp, <u32>(rend - rp));
  rp += l;
  return c;
}

function fail(): usize {
  rerr = true;
  return 0;
}

function parseAlt(flags: u32): usize {
  if (++rdepth > 1000) return fail();
  let left = parseConcat(flags);
  if (rerr) return 0;
  while (more() && peekByte() == 0x7c) {
    rp++;
    let right = parseConcat(flags);
    if (rerr) return 0;
    left = node(N_ALT, left, right, 0, 0, 0);
  }
  rdepth--;
  return left;
}

// Flags changed by a bare (?i) group apply to the rest of the enclosing group.
let pendingFlags: i32 = -1;

function parseConcat(flags: u32): usize {
  let acc = node(N_EMPTY, 0, 0, 0, 0, 0);
  while (more()) {
    let c = peekByte();
    if (c == 0x7c || c == 0x29) break;
    let atom = parseRepeat(flags);
    if (rerr) return 0;
    if (pendingFlags >= 0) {
      flags = <u32>pendingFlags;
      pendingFlags = -1;
    }
    if (atom != 0) acc = node(N_CAT, acc, atom, 0, 0, 0);
  }
  return acc;
}

function parseInt(): i32 {
  let v: i32 = -1;
  while (more() && peekByte() - 0x30 < 10) {
    if (v < 0) v = 0;
    v = v * 10 + <i32>(peekByte() - 0x30);
    if (v > 100000) v = 100000;
    rp++;
  }
  return v;
}

function parseRepeat(flags: u32): usize {
  let atom = parseAtom(flags);
  if (rerr || atom == 0) return atom;
  let repeated = false;
  while (more()) {
    let c = peekByte();
    let min: i32 = 0;
    let max: i32 = 0;
    if (c == 0x2a) {
      min = 0;
      max = -1;
      rp++;
    } else if (c == 0x2b) {
      min = 1;
      max = -1;
      rp++;
    } else if (c == 0x3f) {
      min = 0;
      max = 1;
      rp++;
    } else if (c == 0x7b) {
      // {n}, {n,}, {n,m}; anything else is a literal '{' (as in Go)
      let save = rp;
      rp++;
      let n = parseInt();
      if (n < 0) {
        rp = save;
        break;
      }
      let m = n;
      if (more() && peekByte() == 0x2c) {
        rp++;
        m = parseInt();
      }
      if (!more() || peekByte() != 0x7d) {
        rp = save;
        break;
      }
      rp++;
      if (n > 1000 || m > 1000 || (m >= 0 && m < n)) return fail();
      min = n;
      max = m;
    } else break;
    if (more() && peekByte() == 0x3f) rp++; // lazy: same answer for a yes/no match
    // Go rejects a repetition operator applied directly to another one (a**, a+{2}).
    if (repeated) return fail();
    repeated = true;
    atom = node(N_REP, atom, 0, min, max, 0);
  }
  return atom;
}

function parseFlags(flags: u32): i32 {
  // after "(?": letters [imsU], optional '-' letters; ends at ')' or ':'
  let neg = false;
  let f = flags;
  while (more()) {
    let c = peekByte();
    if (c == 0x29 || c == 0x3a) return <i32>f;
    rp++;
    let bit: u32 = 0;
    if (c == 0x69) bit = F_FOLD;
    else if (c == 0x6d) bit = F_MULTI;
    else if (c == 0x73) bit = F_DOTNL;
    else if (c == 0x55) bit = 0; // ungreedy: irrelevant for a yes/no match
    else if (c == 0x2d && !neg) {
      neg = true;
      continue;
    } else return -1;
    if (neg) f &= ~bit;
    else f |= bit;
  }
  return -1;
}

function parseAtom(flags: u32): usize {
  let c = peekByte();
  if (c == 0x28) {
    rp++;
    if (more() && peekByte() == 0x3f) {
      rp++;
      if (!more()) return fail();
      let d = peekByte();
      if (d == 0x50 || d == 0x3c) {
        // (?P<name>re) or (?<name>re)
        if (d == 0x50) rp++;
        if (!more() || peekByte() != 0x3c) return fail();
        while (more() && peekByte() != 0x3e) rp++;
        if (!more()) return fail();
        rp++;
      } else {
        let f = parseFlags(flags);
        if (f < 0 || !more()) return fail();
        if (peekByte() == 0x29) {
          rp++;
          pendingFlags = f;
          return 0;
        }
        rp++; // ':'
        let inner = parseAlt(<u32>f);
        if (rerr || !more() || peekByte() != 0x29) return fail();
        rp++;
        return inner;
      }
    }
    let inner = parseAlt(flags);
    if (rerr || !more() || peekByte() != 0x29) return fail();
    rp++;
    return inner;
  }
  if (c == 0x5b) return parseClass(flags);
  if (c == 0x2e) {
    rp++;
    return node(N_ANY, 0, 0, 0, 0, flags & F_DOTNL);
  }
  if (c == 0x5e) {
    rp++;
    return node(N_ASSERT, 0, 0, flags & F_MULTI ? A_BOL_M : A_BOL, 0, 0);
  }
  if (c == 0x24) {
    rp++;
    return node(N_ASSERT, 0, 0, flags & F_MULTI ? A_EOL_M : A_EOL, 0, 0);
  }
  if (c == 0x2a || c == 0x2b || c == 0x3f) return fail(); // missing argument to repetition
  if (c == 0x5c) {
    rp++;
    if (!more()) return fail();
    let e = peekByte();
    if (e == 0x62) {
      rp++;
      return node(N_ASSERT, 0, 0, A_WORDB, 0, 0);
    }
    if (e == 0x42) {
      rp++;
      return node(N_ASSERT, 0, 0, A_NWORDB, 0, 0);
    }
    if (e == 0x41) {
      rp++;
      return node(N_ASSERT, 0, 0, A_BOL, 0, 0);
    }
    if (e == 0x7a) {
      rp++;
      return node(N_ASSERT, 0, 0, A_EOL, 0, 0);
    }
    let cls = perlClass(e);
    if (cls != 0) {
      rp++;
      return classFrom(cls, flags);
    }
    let lit = parseEscapeLiteral();
    if (rerr) return 0;
    return node(N_LIT, 0, 0, <i32>lit, 0, flags & F_FOLD);
  }
  let cp = nextCp();
  return node(N_LIT, 0, 0, <i32>cp, 0, flags & F_FOLD);
}

// A literal after '\' (cursor at the escaped char); sets rerr for unsupported escapes.
function parseEscapeLiteral(): u32 {
  let e = peekByte();
  rp++;
  switch (e) {
    case 0x6e: return 0x0a; // \n
    case 0x74: return 0x09; // \t
    case 0x72: return 0x0d; // \r
    case 0x66: return 0x0c; // \f
    case 0x76: return 0x0b; // \v
    case 0x61: return 0x07; // \a
    case 0x78: { // \xhh or \x{h...}
      let v: u32 = 0;
      if (more() && peekByte() == 0x7b) {
        rp++;
        let digits = 0;
        while (more() && peekByte() != 0x7d) {
          let h = hexVal(peekByte());
          if (h < 0) {
            rerr = true;
            return 0;
          }
          v = (v << 4) | <u32>h;
          digits++;
          rp++;
          if (v > 0x10ffff) {
            rerr = true;
            return 0;
          }
        }
        if (!more() || digits == 0) {
          rerr = true;
          return 0;
        }
        rp++;
        return v;
      }
      for (let i = 0; i < 2; i++) {
        if (!more()) {
          rerr = true;
          return 0;
        }
        let h = hexVal(peekByte());
        if (h < 0) {
          rerr = true;
          return 0;
        }
        v = (v << 4) | <u32>h;
        rp++;
      }
      return v;
    }
  }
  // Escaped punctuation stands for itself; letters and digits are otherwise unsupported/invalid.
  if ((e >= 0x30 && e <= 0x39) || (e >= 0x41 && e <= 0x5a) || (e >= 0x61 && e <= 0x7a) || e >= 0x80) {
    rerr = true;
    return 0;
  }
  return e;
}

function hexVal(c: u32): i32 {
  if (c - 0x30 < 10) return <i32>(c - 0x30);
  let l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return <i32>(l - 0x61 + 10);
  return -1;
}

// Perl classes \d \s \w and negations: returns a code (1..6) or 0.
function perlClass(e: u32): u32 {
  if (e == 0x64) return 1;
  if (e == 0x44) return 2;
  if (e == 0x73) return 3;
  if (e == 0x53) return 4;
  if (e == 0x77) return 5;
  if (e == 0x57) return 6;
  return 0;
}

// Range-list builder (pairs of inclusive u32 bounds).
export let rngPtr: usize = 0;
export let rngLen: u32 = 0;
let rngCap: u32 = 0;

export function rngStart(): void {
  rngCap = 16;
  rngPtr = malloc(<usize>rngCap << 3);
  rngLen = 0;
}

export function rngAdd(lo: u32, hi: u32): void {
  if (rngLen == rngCap) {
    let q = malloc(<usize>rngCap << 4);
    memory.copy(q, rngPtr, <usize>rngCap << 3);
    rngPtr = q;
    rngCap <<= 1;
  }
  store<u32>(rngPtr + (<usize>rngLen << 3), lo);
  store<u32>(rngPtr + (<usize>rngLen << 3), hi, 4);
  rngLen++;
}

// Adds a Perl class; negated ones are added as the complement ranges.
function addPerl(code: u32): void {
  switch (code) {
    case 1: rngAdd(0x30, 0x39); break;
    case 2: rngAdd(0, 0x2f); rngAdd(0x3a, 0x10ffff); break;
    case 3: rngAdd(0x09, 0x0a); rngAdd(0x0c, 0x0d); rngAdd(0x20, 0x20); break;
    case 4: rngAdd(0, 0x08); rngAdd(0x0b, 0x0b); rngAdd(0x0e, 0x1f); rngAdd(0x21, 0x10ffff); break;
    case 5: rngAdd(0x30, 0x39); rngAdd(0x41, 0x5a); rngAdd(0x5f, 0x5f); rngAdd(0x61, 0x7a); break;
    case 6: rngAdd(0, 0x2f); rngAdd(0x3a, 0x40); rngAdd(0x5b, 0x5e); rngAdd(0x60, 0x60); rngAdd(0x7b, 0x10ffff); break;
  }
}

function classFrom(code: u32, flags: u32): usize {
  rngStart();
  addPerl(code);
  return node(N_CLASS, rngPtr, rngLen, 0, 0, flags & F_FOLD);
}

// POSIX class name at cursor (after "[:"), adds its ranges; false if unknown.
function addPosix(neg: bool): bool {
  let start = rp;
  while (more() && peekByte() != 0x3a) rp++;
  let n = <u32>(rp - start);
  if (!more() || rp + 1 >= rend || load<u8>(rp + 1) != 0x5d) return false;
  rp += 2;
  let save = rngLen;
  if (nameIs(start, n, "alnum")) { rngAdd(0x30, 0x39); rngAdd(0x41, 0x5a); rngAdd(0x61, 0x7a); }
  else if (nameIs(start, n, "alpha")) { rngAdd(0x41, 0x5a); rngAdd(0x61, 0x7a); }
  else if (nameIs(start, n, "ascii")) rngAdd(0, 0x7f);
  else if (nameIs(start, n, "blank")) { rngAdd(0x09, 0x09); rngAdd(0x20, 0x20); }
  else if (nameIs(start, n, "cntrl")) { rngAdd(0, 0x1f); rngAdd(0x7f, 0x7f); }
  else if (nameIs(start, n, "digit")) rngAdd(0x30, 0x39);
  else if (nameIs(start, n, "graph")) rngAdd(0x21, 0x7e);
  else if (nameIs(start, n, "lower")) rngAdd(0x61, 0x7a);
  else if (nameIs(start, n, "print")) rngAdd(0x20, 0x7e);
  else if (nameIs(start, n, "punct")) { rngAdd(0x21, 0x2f); rngAdd(0x3a, 0x40); rngAdd(0x5b, 0x60); rngAdd(0x7b, 0x7e); }
  else if (nameIs(start, n, "space")) { rngAdd(0x09, 0x0d); rngAdd(0x20, 0x20); }
  else if (nameIs(start, n, "upper")) rngAdd(0x41, 0x5a);
  else if (nameIs(start, n, "word")) { rngAdd(0x30, 0x39); rngAdd(0x41, 0x5a); rngAdd(0x5f, 0x5f); rngAdd(0x61, 0x7a); }
  else if (nameIs(start, n, "xdigit")) { rngAdd(0x30, 0x39); rngAdd(0x41, 0x46); rngAdd(0x61, 0x66); }
  else return false;
  if (neg) complementFrom(save);
  return true;
}

function nameIs(p: usize, n: u32, s: string): bool {
  if (<u32>s.length != n) return false;
  let src = changetype<usize>(s);
  for (let i: u32 = 0; i < n; i++) if (<u32>load<u8>(p + i) != <u32>load<u16>(src + (<usize>i << 1))) return false;
  return true;
}

// Replaces ranges [from, rngLen) (sorted, disjoint, as added above) by their complement.
function complementFrom(from: u32): void {
  let n = rngLen - from;
  let tmp = malloc(<usize>n << 3);
  memory.copy(tmp, rngPtr + (<usize>from << 3), <usize>n << 3);
  rngLen = from;
  let next: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let lo = load<u32>(tmp + (<usize>i << 3));
    let hi = load<u32>(tmp + (<usize>i << 3), 4);
    if (lo > next) rngAdd(next, lo - 1);
    next = hi + 1;
  }
  if (next <= 0x10ffff) rngAdd(next, 0x10ffff);
}

function parseClass(flags: u32): usize {
  rp++; // '['
  let neg = false;
  if (more() && peekByte() == 0x5e) {
    neg = true;
    rp++;
  }
  rngStart();
  let first = true;
  while (true) {
    if (!more()) return fail();
    let c = peekByte();
    if (c == 0x5d && !first) {
      rp++;
      break;
    }
    first = false;
    if (c == 0x5b && rp + 1 < rend && load<u8>(rp + 1) == 0x3a) {
      let save = rp;
      rp += 2;
      let pneg = false;
      if (more() && peekByte() == 0x5e) {
        pneg = true;
        rp++;
      }
      if (addPosix(pneg)) continue;
      rp = save;
    }
    let lo: u32;
    if (c == 0x5c) {
      rp++;
      if (!more()) return fail();
      let pc = perlClass(peekByte());
      if (pc != 0) {
        rp++;
        addPerl(pc);
        continue;
      }
      lo = parseEscapeLiteral();
      if (rerr) return 0;
    } else lo = nextCp();
    let hi = lo;
    if (rp + 1 < rend && peekByte() == 0x2d && load<u8>(rp + 1) != 0x5d) {
      rp++;
      if (peekByte() == 0x5c) {
        rp++;
        if (!more()) return fail();
        hi = parseEscapeLiteral();
        if (rerr) return 0;
      } else hi = nextCp();
      if (hi < lo) return fail();
    }
    rngAdd(lo, hi);
  }
  return node(N_CLASS, rngPtr, rngLen, neg ? 1 : 0, 0, flags & F_FOLD);
}

// ---- program: instructions of 16 bytes: op @0, x @4, y @8, z @12

const I_CHAR: u32 = 1; // x = code point, y = fold
const I_ANY: u32 = 2; // x = dot matches newline
const I_CLASS: u32 = 3; // x = ranges, y = count, z = negated | fold << 1
const I_SPLIT: u32 = 4; // x, y = targets
const I_JMP: u32 = 5; // x = target
const I_ASSERT: u32 = 6; // x = kind
const I_MATCH: u32 = 7;
const I_NOP: u32 = 8;

const MAX_PROG: u32 = 200000;

let prog: usize = 0;
let plen: u32 = 0;
let pcap: u32 = 0;

function emit(op: u32, x: u32, y: u32, z: u32): u32 {
  if (plen >= MAX_PROG) {
    rerr = true;
    return plen;
  }
  if (plen == pcap) {
    let ncap = pcap << 1;
    let q = malloc(<usize>ncap << 4);
    memory.copy(q, prog, <usize>pcap << 4);
    prog = q;
    pcap = ncap;
  }
  let i = prog + (<usize>plen << 4);
  store<u32>(i, op);
  store<u32>(i, x, 4);
  store<u32>(i, y, 8);
  store<u32>(i, z, 12);
  return plen++;
}

function patch(pc: u32, field: u32, v: u32): void {
  store<u32>(prog + (<usize>pc << 4) + (<usize>field << 2), v);
}

function compileNode(n: usize): void {
  if (rerr) return;
  switch (load<u32>(n)) {
    case N_EMPTY:
      return;
    case N_LIT:
      emit(I_CHAR, load<u32>(n, 12), load<u32>(n, 20), 0);
      return;
    case N_ANY:
      emit(I_ANY, load<u32>(n, 20), 0, 0);
      return;
    case N_CLASS:
      emit(I_CLASS, load<u32>(n, 4), load<u32>(n, 8), load<u32>(n, 12) | (load<u32>(n, 20) << 1));
      return;
    case N_ASSERT:
      emit(I_ASSERT, load<u32>(n, 12), 0, 0);
      return;
    case N_CAT:
      compileNode(load<u32>(n, 4));
      compileNode(load<u32>(n, 8));
      return;
    case N_ALT: {
      let split = emit(I_SPLIT, 0, 0, 0);
      patch(split, 1, plen);
      compileNode(load<u32>(n, 4));
      let jmp = emit(I_JMP, 0, 0, 0);
      patch(split, 2, plen);
      compileNode(load<u32>(n, 8));
      patch(jmp, 1, plen);
      return;
    }
    case N_REP: {
      let sub = load<u32>(n, 4);
      let min = load<i32>(n, 12);
      let max = load<i32>(n, 16);
      for (let i = 0; i < min; i++) compileNode(sub);
      if (max < 0) {
        let split = emit(I_SPLIT, 0, 0, 0);
        patch(split, 1, plen);
        compileNode(sub);
        emit(I_JMP, split, 0, 0);
        patch(split, 2, plen);
        return;
      }
      // (max - min) optional copies, each skipping to the end
      let opt = max - min;
      let splits = malloc(<usize>(opt > 0 ? opt : 1) << 2);
      for (let i = 0; i < opt; i++) {
        let split = emit(I_SPLIT, 0, 0, 0);
        store<u32>(splits + (<usize>i << 2), split);
        patch(split, 1, plen);
        compileNode(sub);
        if (rerr) return;
      }
      for (let i = 0; i < opt; i++) patch(load<u32>(splits + (<usize>i << 2)), 2, plen);
      return;
    }
  }
}

/** Compiles a pattern; returns false if it is invalid or unsupported. */
function compile(p: usize, n: u32): bool {
  rp = p;
  rend = p + n;
  rerr = false;
  rdepth = 0;
  pendingFlags = -1;
  let ast = parseAlt(0);
  if (rerr || rp != rend) return false;
  return compileAst(ast);
}

function compileAst(ast: usize): bool {
  rerr = false;
  pcap = 64;
  prog = malloc(<usize>pcap << 4);
  plen = 0;
  compileNode(ast);
  emit(I_MATCH, 0, 0, 0);
  return !rerr;
}

// ---- simulation

let marks: usize = 0;
let gen: u32 = 0;
let stack: usize = 0;

// @ts-ignore: decorator
@inline
function isWordCp(c: i32): bool {
  return c >= 0 && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || c == 0x5f || (c >= 0x61 && c <= 0x7a));
}

function assertHolds(kind: u32, prev: i32, next: i32): bool {
  switch (kind) {
    case A_BOL: return prev < 0;
    case A_EOL: return next < 0;
    case A_BOL_M: return prev < 0 || prev == 0x0a;
    case A_EOL_M: return next < 0 || next == 0x0a;
    case A_WORDB: return isWordCp(prev) != isWordCp(next);
    case A_NWORDB: return isWordCp(prev) == isWordCp(next);
  }
  return false;
}

// Adds the epsilon closure of pc to list (count at list[-1]); returns true on reaching MATCH.
function addThread(list: usize, pc0: u32, prev: i32, next: i32): bool {
  let sp: u32 = 0;
  store<u32>(stack, pc0);
  sp = 1;
  while (sp > 0) {
    sp--;
    let pc = load<u32>(stack + (<usize>sp << 2));
    if (load<u32>(marks + (<usize>pc << 2)) == gen) continue;
    store<u32>(marks + (<usize>pc << 2), gen);
    let ins = prog + (<usize>pc << 4);
    let op = load<u32>(ins);
    if (op == I_JMP) {
      store<u32>(stack + (<usize>(sp++) << 2), load<u32>(ins, 4));
    } else if (op == I_SPLIT) {
      store<u32>(stack + (<usize>(sp++) << 2), load<u32>(ins, 8));
      store<u32>(stack + (<usize>(sp++) << 2), load<u32>(ins, 4));
    } else if (op == I_ASSERT) {
      if (assertHolds(load<u32>(ins, 4), prev, next)) store<u32>(stack + (<usize>(sp++) << 2), pc + 1);
    } else if (op == I_NOP) {
      store<u32>(stack + (<usize>(sp++) << 2), pc + 1);
    } else if (op == I_MATCH) {
      return true;
    } else {
      let cnt = load<u32>(list);
      store<u32>(list + 4 + (<usize>cnt << 2), pc);
      store<u32>(list, cnt + 1);
    }
  }
  return false;
}

function foldEq(a: u32, b: u32): bool {
  if (a == b) return true;
  return simpleLower(a) == simpleLower(b);
}

function simpleLower(c: u32): u32 {
  if (c < 0x80) return c - 0x41 < 26 ? c | 0x20 : c;
  if (c >= 0x20000) return c;
  return <u32>casemap(c, 0);
}

function inRanges(c: u32, r: usize, n: u32): bool {
  for (let i: u32 = 0; i < n; i++) {
    let p = r + (<usize>i << 3);
    if (c >= load<u32>(p) && c <= load<u32>(p, 4)) return true;
  }
  return false;
}

function stepMatches(ins: usize, c: u32): bool {
  switch (load<u32>(ins)) {
    case I_CHAR:
      return load<u32>(ins, 8) ? foldEq(c, load<u32>(ins, 4)) : c == load<u32>(ins, 4);
    case I_ANY:
      return c != 0x0a || load<u32>(ins, 4) != 0;
    case I_CLASS: {
      let z = load<u32>(ins, 12);
      let r = load<u32>(ins, 4);
      let n = load<u32>(ins, 8);
      let hit = inRanges(c, r, n);
      if (!hit && (z & 2) != 0) {
        let l = simpleLower(c);
        let u: u32 = c < 0x80 ? (c - 0x61 < 26 ? c & ~0x20 : c) : c < 0x20000 ? <u32>casemap(c, 1) : c;
        hit = inRanges(l, r, n) || inRanges(u, r, n);
      }
      return (z & 1) != 0 ? !hit : hit;
    }
  }
  return false;
}

/** True if the pattern (RE2 syntax) matches somewhere in the text; -1 if the pattern is invalid. */
export function regexMatch(pp: usize, pn: u32, tp: usize, tn: u32): i32 {
  if (!compile(pp, pn)) return -1;
  return run(tp, tn);
}

/** Runs a pattern AST (built with node()) over the text: 1 match, 0 no match, -1 too large. */
export function astMatch(ast: usize, tp: usize, tn: u32): i32 {
  if (!compileAst(ast)) return -1;
  return run(tp, tn);
}

function run(tp: usize, tn: u32): i32 {
  marks = calloc(<usize>plen << 2);
  gen = 0;
  stack = malloc(<usize>(plen * 2 + 4) << 2);
  let clist = malloc(4 + (<usize>plen << 2));
  let nlist = malloc(4 + (<usize>plen << 2));
  store<u32>(clist, 0);
  let i: u32 = 0;
  let prev: i32 = -1;
  while (true) {
    let next: i32 = -1;
    let l: u32 = 0;
    if (i < tn) {
      l = utf8SeqLen(load<u8>(tp + i));
      if (i + l > tn) l = tn - i;
      next = <i32>utf8Decode(tp + i, tn - i);
    }
    // Closure marks are per position: the start thread joins the threads carried over.
    gen++;
    let cnt = load<u32>(clist);
    for (let k: u32 = 0; k < cnt; k++) store<u32>(marks + (<usize>load<u32>(clist + 4 + (<usize>k << 2)) << 2), gen);
    if (addThread(clist, 0, prev, next)) return 1;
    if (i >= tn) return 0;
    gen++;
    store<u32>(nlist, 0);
    cnt = load<u32>(clist);
    // next position's context: prev = this code point, next = the one after it
    let after: i32 = -1;
    if (i + l < tn) after = <i32>utf8Decode(tp + i + l, tn - i - l);
    for (let k: u32 = 0; k < cnt; k++) {
      let pc = load<u32>(clist + 4 + (<usize>k << 2));
      if (stepMatches(prog + (<usize>pc << 4), <u32>next)) {
        if (addThread(nlist, pc + 1, next, after)) return 1;
      }
    }
    let t = clist;
    clist = nlist;
    nlist = t;
    prev = next;
    i += l;
  }
  return 0;
}
