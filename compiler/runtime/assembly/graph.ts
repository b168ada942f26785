// graph.reachable, graph.reachable_paths and walk over runtime values (operands already type-checked
// by the exports in builtins.ts). Semantics follow OPA's topdown/reachable.go and walk.go; all three
// are iterative (explicit stacks), so a 50k-node chain needs no deep Wasm call stack.

import { calloc } from "./alloc";
import {
  T_ARR, T_OBJ, T_SET,
  arrNew, arrPush, arrLen, arrGet, arrElems, htNew, htLen, htKey, htVal, htInsert, htIndexOf, sortedKeys, numInt,
} from "./value";

// @ts-ignore: decorator
@inline
function isColl(v: usize): bool {
  return v != 0 && (load<u8>(v) == T_ARR || load<u8>(v) == T_SET);
}

/** Number of vertices in an edge collection; 0 for anything but an array or a set. */
function edgeCount(edges: usize): u32 {
  if (!isColl(edges)) return 0;
  return load<u8>(edges) == T_ARR ? arrLen(edges) : htLen(edges);
}

/** The i-th vertex of an edge collection (sets in insertion order: only the result set is observable). */
// @ts-ignore: decorator
@inline
function edgeAt(edges: usize, i: u32): usize {
  return load<u8>(edges) == T_ARR ? arrGet(edges, i) : htKey(edges, i);
}

// @ts-ignore: decorator
@inline
function pop(a: usize): void {
  store<u32>(a, arrLen(a) - 1, 4);
}

// @ts-ignore: decorator
@inline
function top(a: usize): usize {
  return arrGet(a, arrLen(a) - 1);
}

/** A fresh array with the elements of a. */
function copyArray(a: usize): usize {
  let n = arrLen(a);
  let r = arrNew(n);
  memory.copy(arrElems(r), arrElems(a), <usize>n << 2);
  store<u32>(r, n, 4);
  return r;
}

/**
 * The set of graph keys reachable from the initial vertices (breadth first). A vertex that is not a
 * key of the graph is never in the result and has no successors; edges that are not an array or a
 * set have none either.
 */
export function reachable(graph: usize, initial: usize): usize {
  let reached = htNew(T_SET);
  let queue = arrNew(edgeCount(initial));
  let n = edgeCount(initial);
  for (let i: u32 = 0; i < n; i++) arrPush(queue, edgeAt(initial, i));
  for (let head: u32 = 0; head < arrLen(queue); head++) {
    let node = arrGet(queue, head);
    if (htIndexOf(reached, node) >= 0) continue;
    let at = htIndexOf(graph, node);
    if (at < 0) continue;
    htInsert(reached, node, node);
    let edges = htVal(graph, <u32>at);
    let m = edgeCount(edges);
    for (let j: u32 = 0; j < m; j++) {
      let next = edgeAt(edges, j);
      if (htIndexOf(reached, next) < 0) arrPush(queue, next);
    }
  }
  return reached;
}

/**
 * The set of paths (arrays of vertices) from each initial vertex that is a graph key, each followed
 * until a vertex without successors, a vertex outside the graph (not included) or a successor
 * already on the path (a cycle; the path ends before it). OPA's pathBuilder copies its "reached"
 * set per level, which is exactly the set of vertices on the current path: here one flag per graph
 * entry, set on the way down and cleared on the way back.
 */
export function reachablePaths(graph: usize, initial: usize): usize {
  let result = htNew(T_SET);
  let onPath = calloc(htLen(graph) == 0 ? 1 : htLen(graph));
  let path = arrNew(16); // vertices of the current path
  let frames = arrNew(16); // per path vertex: its graph entry index (raw u32)
  let next = arrNew(16); // per path vertex: index of its next successor to visit (raw u32)
  let n = edgeCount(initial);
  for (let i: u32 = 0; i < n; i++) {
    let start = edgeAt(initial, i);
    let at = htIndexOf(graph, start);
    if (at < 0) continue;
    arrPush(path, start);
    if (edgeCount(htVal(graph, <u32>at)) == 0) {
      htInsert(result, copyArray(path), 0);
      pop(path);
      continue;
    }
    store<u8>(onPath + <usize>at, 1);
    arrPush(frames, <usize>at);
    arrPush(next, 0);
    while (arrLen(frames) > 0) {
      let entry = <u32>top(frames);
      let edges = htVal(graph, entry);
      let j = <u32>top(next);
      if (j >= edgeCount(edges)) {
        store<u8>(onPath + <usize>entry, 0);
        pop(frames);
        pop(next);
        pop(path);
        continue;
      }
      store<u32>(arrElems(next) + (<usize>(arrLen(next) - 1) << 2), j + 1);
      let v = edgeAt(edges, j);
      let vat = htIndexOf(graph, v);
      if (vat < 0) {
        // Not in the graph: the path so far, without v.
        htInsert(result, copyArray(path), 0);
        continue;
      }
      if (load<u8>(onPath + <usize>vat) != 0) {
        // A cycle back into the path: the path so far.
        htInsert(result, copyArray(path), 0);
        continue;
      }
      arrPush(path, v);
      if (edgeCount(htVal(graph, <u32>vat)) == 0) {
        htInsert(result, copyArray(path), 0);
        pop(path);
        continue;
      }
      store<u8>(onPath + <usize>vat, 1);
      arrPush(frames, <usize>vat);
      arrPush(next, 0);
    }
  }
  return result;
}

/**
 * walk(x): every [path, value] pair of x in pre-order, x itself first with path []; object keys and
 * set elements in sorted order as OPA visits them (set elements are their own path keys).
 */
export function walk(x: usize): usize {
  let out = arrNew(16);
  // Work stack of [path, value] pairs; children pushed in reverse so they pop in order.
  let stack = arrNew(16);
  let root = arrNew(2);
  arrPush(root, arrNew(0));
  arrPush(root, x);
  arrPush(stack, root);
  while (arrLen(stack) > 0) {
    let pair = top(stack);
    pop(stack);
    arrPush(out, pair);
    let path = arrGet(pair, 0);
    let v = arrGet(pair, 1);
    let t = load<u8>(v);
    if (t == T_ARR) {
      let m = arrLen(v);
      for (let i = m; i > 0; i--) arrPush(stack, child(path, smallIndex(i - 1), arrGet(v, i - 1)));
    } else if (t == T_OBJ || t == T_SET) {
      let m = htLen(v);
      let keys = sortedKeys(v);
      for (let i = m; i > 0; i--) {
        let k = load<u32>(keys + (<usize>(i - 1) << 2));
        arrPush(stack, child(path, k, t == T_OBJ ? objValue(v, k) : k));
      }
    }
  }
  return out;
}

// @ts-ignore: decorator
@inline
function smallIndex(i: u32): usize {
  return numInt(<i64>i);
}

// @ts-ignore: decorator
@inline
function objValue(o: usize, k: usize): usize {
  return htVal(o, <u32>htIndexOf(o, k));
}

/** The pair [path + [key], value]. */
function child(path: usize, key: usize, value: usize): usize {
  let n = arrLen(path);
  let p = arrNew(n + 1);
  memory.copy(arrElems(p), arrElems(path), <usize>n << 2);
  store<u32>(p, n, 4);
  arrPush(p, key);
  let pair = arrNew(2);
  arrPush(pair, p);
  arrPush(pair, value);
  return pair;
}
