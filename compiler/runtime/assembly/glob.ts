// glob.match(pattern, delimiters, match) with gobwas/glob syntax (what OPA uses): `*` any run of
// non-delimiter characters, `**` any run, `?` one non-delimiter character, `[abc]` `[a-z]`
// `[!abc]` character lists, `{a,b}` alternatives, `\` escapes. The glob becomes a pattern AST
// for the regex engine (anchored at both ends), so matching is linear-time too.

import { utf8SeqLen, utf8Decode } from "./value";
import {
  node, rngStart, rngAdd, rngPtr, rngLen, astMatch,
  N_EMPTY, N_LIT, N_ANY, N_CLASS, N_CAT, N_ALT, N_REP, N_ASSERT, A_BOL, A_EOL,
} from "./regex";

let gp: usize = 0;
let gend: usize = 0;
let gerr: bool = false;
let delims: usize = 0; // u32 code points
let ndelims: u32 = 0;

function cp(): u32 {
  let l = utf8SeqLen(load<u8>(gp));
  if (gp + l > gend) l = <u32>(gend - gp);
  let c = utf8Decode(gp, <u32>(gend - gp));
  gp += l;
  return c;
}

// Any character except the delimiters (any character at all without delimiters).
function notDelim(): usize {
  if (ndelims == 0) return node(N_ANY, 0, 0, 0, 0, 1);
  rngStart();
  for (let i: u32 = 0; i < ndelims; i++) {
    let d = load<u32>(delims + (<usize>i << 2));
    rngAdd(d, d);
  }
  return node(N_CLASS, rngPtr, rngLen, 1, 0, 0);
}

// Sequence until end, or until ',' / '}' when inside braces.
function parseSeq(inBraces: bool, depth: i32): usize {
  if (depth > 100) {
    gerr = true;
    return 0;
  }
  let acc = node(N_EMPTY, 0, 0, 0, 0, 0);
  while (gp < gend) {
    let c = load<u8>(gp);
    if (inBraces && (c == 0x2c || c == 0x7d)) break;
    let atom: usize;
    if (c == 0x2a) {
      gp++;
      if (gp < gend && load<u8>(gp) == 0x2a) {
        gp++;
        atom = node(N_REP, node(N_ANY, 0, 0, 0, 0, 1), 0, 0, -1, 0);
      } else atom = node(N_REP, notDelim(), 0, 0, -1, 0);
    } else if (c == 0x3f) {
      gp++;
      atom = notDelim();
    } else if (c == 0x5b) {
      gp++;
      let neg = false;
      if (gp < gend && load<u8>(gp) == 0x21) {
        neg = true;
        gp++;
      }
      rngStart();
      let any = false;
      while (true) {
        if (gp >= gend) {
          gerr = true;
          return 0;
        }
        if (load<u8>(gp) == 0x5d) {
          gp++;
          break;
        }
        if (load<u8>(gp) == 0x5c) gp++;
        if (gp >= gend) {
          gerr = true;
          return 0;
        }
        let lo = cp();
        let hi = lo;
        if (gp + 1 < gend && load<u8>(gp) == 0x2d && load<u8>(gp + 1) != 0x5d) {
          gp++;
          hi = cp();
          if (hi < lo) {
            gerr = true;
            return 0;
          }
        }
        rngAdd(lo, hi);
        any = true;
      }
      if (!any) {
        gerr = true;
        return 0;
      }
      atom = node(N_CLASS, rngPtr, rngLen, neg ? 1 : 0, 0, 0);
    } else if (c == 0x7b) {
      gp++;
      let alt = parseSeq(true, depth + 1);
      if (gerr) return 0;
      while (gp < gend && load<u8>(gp) == 0x2c) {
        gp++;
        let next = parseSeq(true, depth + 1);
        if (gerr) return 0;
        alt = node(N_ALT, alt, next, 0, 0, 0);
      }
      if (gp >= gend || load<u8>(gp) != 0x7d) {
        gerr = true;
        return 0;
      }
      gp++;
      atom = alt;
    } else {
      if (c == 0x5c) {
        gp++;
        if (gp >= gend) {
          gerr = true;
          return 0;
        }
      }
      atom = node(N_LIT, 0, 0, <i32>cp(), 0, 0);
    }
    acc = node(N_CAT, acc, atom, 0, 0, 0);
  }
  return acc;
}

/** 1 if the glob matches the whole text, 0 if not, -1 if the pattern is invalid. */
export function globMatch(pp: usize, pn: u32, dp: usize, dn: u32, tp: usize, tn: u32): i32 {
  gp = pp;
  gend = pp + pn;
  gerr = false;
  delims = dp;
  ndelims = dn;
  let body = parseSeq(false, 0);
  if (gerr || gp != gend) return -1;
  let ast = node(N_CAT, node(N_CAT, node(N_ASSERT, 0, 0, A_BOL, 0, 0), body, 0, 0, 0), node(N_ASSERT, 0, 0, A_EOL, 0, 0), 0, 0, 0);
  return astMatch(ast, tp, tn);
}
