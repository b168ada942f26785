// net.cidr_contains(cidr, cidr_or_ip) with Go's net.ParseCIDR / net.ParseIP rules: IPv4
// dotted quads (no leading zeros), IPv6 with one "::" and an optional dotted IPv4 tail.
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) count as IPv4, as Go's To4 does.

import { malloc } from "./alloc";

// Parsed address: 16 bytes (IPv4 in the last 4, like Go's 16-byte form), family 4 or 6.
let fam: i32 = 0;

function parseV4(p: usize, n: u32, out: usize): bool {
  let part: u32 = 0;
  let i: u32 = 0;
  while (part < 4) {
    if (i >= n) return false;
    let start = i;
    let v: u32 = 0;
    while (i < n && <u32>load<u8>(p + i) - 0x30 < 10) {
      v = v * 10 + (<u32>load<u8>(p + i) - 0x30);
      if (v > 255) return false;
      i++;
    }
    let len = i - start;
    if (len == 0 || len > 3) return false;
    if (len > 1 && load<u8>(p + start) == 0x30) return false; // leading zero
    store<u8>(out + part, <u8>v);
    part++;
    if (part < 4) {
      if (i >= n || load<u8>(p + i) != 0x2e) return false;
      i++;
    }
  }
  return i == n;
}

function hexVal(c: u32): i32 {
  if (c - 0x30 < 10) return <i32>(c - 0x30);
  let l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return <i32>(l - 0x61 + 10);
  return -1;
}

function parseV6(p: usize, n: u32, out: usize): bool {
  memory.fill(out, 0, 16);
  let groups = malloc(16); // up to 8 u16 groups before expansion
  let ng: i32 = 0;
  let gap: i32 = -1; // index in groups where "::" sits
  let i: u32 = 0;
  if (n >= 2 && load<u8>(p) == 0x3a && load<u8>(p + 1) == 0x3a) {
    gap = 0;
    i = 2;
    if (i == n) {
      return true; // "::"
    }
  } else if (n > 0 && load<u8>(p) == 0x3a) return false;
  while (i < n) {
    // a dotted IPv4 tail takes the last two groups
    let j = i;
    let dot = false;
    while (j < n && load<u8>(p + j) != 0x3a) {
      if (load<u8>(p + j) == 0x2e) dot = true;
      j++;
    }
    if (dot) {
      if (j != n || ng > 6) return false;
      let v4 = malloc(4);
      if (!parseV4(p + i, n - i, v4)) return false;
      store<u16>(groups + (<usize>ng << 1), (<u16>load<u8>(v4) << 8) | load<u8>(v4, 1));
      store<u16>(groups + (<usize>(ng + 1) << 1), (<u16>load<u8>(v4, 2) << 8) | load<u8>(v4, 3));
      ng += 2;
      i = n;
      break;
    }
    let len = j - i;
    if (len == 0 || len > 4 || ng >= 8) return false;
    let v: u32 = 0;
    for (let k = i; k < j; k++) {
      let h = hexVal(load<u8>(p + k));
      if (h < 0) return false;
      v = (v << 4) | <u32>h;
    }
    store<u16>(groups + (<usize>ng << 1), <u16>v);
    ng++;
    i = j;
    if (i < n) {
      // ':' or '::'
      i++;
      if (i < n && load<u8>(p + i) == 0x3a) {
        if (gap >= 0) return false;
        gap = ng;
        i++;
      } else if (i == n) return false; // trailing single ':'
    }
  }
  if (gap < 0 && ng != 8) return false;
  if (gap >= 0 && ng > 7) return false;
  let tail = gap < 0 ? 0 : ng - gap;
  let head = gap < 0 ? ng : gap;
  for (let k = 0; k < head; k++) {
    let g = load<u16>(groups + (<usize>k << 1));
    store<u8>(out + (<usize>k << 1), <u8>(g >> 8));
    store<u8>(out + (<usize>k << 1) + 1, <u8>g);
  }
  for (let k = 0; k < tail; k++) {
    let g = load<u16>(groups + (<usize>(gap + k) << 1));
    let pos = 8 - tail + k;
    store<u8>(out + (<usize>pos << 1), <u8>(g >> 8));
    store<u8>(out + (<usize>pos << 1) + 1, <u8>g);
  }
  return true;
}

/** Parses an IP into 16 bytes at out; sets fam (4 or 6); false if invalid. */
function parseIP(p: usize, n: u32, out: usize): bool {
  let hasColon = false;
  for (let i: u32 = 0; i < n; i++) if (load<u8>(p + i) == 0x3a) hasColon = true;
  if (!hasColon) {
    memory.fill(out, 0, 16);
    store<u8>(out, 0xff, 10);
    store<u8>(out, 0xff, 11);
    fam = 4;
    return parseV4(p, n, out + 12);
  }
  if (!parseV6(p, n, out)) return false;
  // IPv4-mapped addresses behave as IPv4
  let mapped = true;
  for (let k = 0; k < 10; k++) if (load<u8>(out + k) != 0) mapped = false;
  if (load<u8>(out, 10) != 0xff || load<u8>(out, 11) != 0xff) mapped = false;
  fam = mapped ? 4 : 6;
  return true;
}

// Prefix length of the last parsed CIDR, over the 16-byte form (IPv4 text: bits + 96).
let cBits: i32 = 0;

function parseCIDR(p: usize, n: u32, out: usize): bool {
  let slash: i32 = -1;
  for (let i: u32 = 0; i < n; i++) if (load<u8>(p + i) == 0x2f) slash = <i32>i;
  if (slash < 0) return false;
  if (!parseIP(p, <u32>slash, out)) return false;
  // Go: the family of a CIDR is the textual family (an IPv4-mapped IPv6 CIDR stays IPv6 width)
  let hasColon = false;
  for (let i: u32 = 0; i < <u32>slash; i++) if (load<u8>(p + i) == 0x3a) hasColon = true;
  let width: i32 = hasColon ? 128 : 32;
  let bits: i32 = 0;
  let i = <u32>slash + 1;
  if (i >= n || n - i > 3) return false;
  if (n - i > 1 && load<u8>(p + i) == 0x30) return false;
  while (i < n) {
    let c = <u32>load<u8>(p + i);
    if (c - 0x30 >= 10) return false;
    bits = bits * 10 + <i32>(c - 0x30);
    i++;
  }
  if (bits > width) return false;
  cBits = hasColon ? bits : bits + 96;
  return true;
}

// Whether the first `bits` bits (of 128) of a and b agree.
function prefixEq(a: usize, b: usize, bits: i32): bool {
  let full = bits >> 3;
  for (let k = 0; k < full; k++) if (load<u8>(a + k) != load<u8>(b + k)) return false;
  let rem = bits & 7;
  if (rem == 0) return true;
  let mask: u32 = (<u32>0xff << <u32>(8 - rem)) & 0xff;
  return (<u32>load<u8>(a + full) & mask) == (<u32>load<u8>(b + full) & mask);
}

/** 1 if cidr (p1) contains the IP or CIDR (p2), 0 if not, -1 if an operand is invalid. */
export function cidrContains(p1: usize, n1: u32, p2: usize, n2: u32): i32 {
  let net = malloc(16);
  if (!parseCIDR(p1, n1, net)) return -1;
  let nfam = fam; // family of the network address after IPv4-mapping
  let nbits = cBits; // prefix length over the 16-byte form
  let ip = malloc(16);
  if (parseIP(p2, n2, ip)) {
    if (fam != nfam) return 0;
    return prefixEq(net, ip, nbits) ? 1 : 0;
  }
  let sub = malloc(16);
  if (!parseCIDR(p2, n2, sub)) return -1;
  if (fam != nfam) return 0;
  // both the first and the last address of the second network lie in the first
  return prefixEq(net, sub, nbits) && cBits >= nbits ? 1 : 0;
}
