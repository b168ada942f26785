// Positions for a StackMap, computed at report time with dagre (compound graph: one cluster per
// location). The browser only draws the result; no layout code ships in the page.

import type * as Dagre from "@dagrejs/dagre" with { "resolution-mode": "import" };
import type { LocationGroup, MapEdge, MapNode, StackMap } from "./model";

// dagre ships CommonJS beside its ES module; this package compiles to CommonJS.
const dagre = require("@dagrejs/dagre") as typeof Dagre;

/** A positioned box (top-left corner and size). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where everything of one map goes. */
export interface MapLayout {
  width: number;
  height: number;
  nodes: Map<string, Box>;
  /** One box per location group, and the box of its "other resources" summary when it has one. */
  groups: Map<string, { box: Box; hidden: Box | null }>;
  /** Edge polyline and the centre of its label. */
  edges: Map<string, { points: Array<{ x: number; y: number }>; label: { x: number; y: number } | null }>;
}

/** Approximate advance of one character of the 12px system font, for box sizes. */
export const CHAR_WIDTH = 7;
/** Longest label line drawn; longer names are cut with an ellipsis (the tooltip has all of it). */
export const MAX_LABEL_CHARS = 42;

/** Room above a location group for its title. */
const GROUP_TITLE = 22;

/** Label of a node: its type, then its name (address without module path and type). */
export function nodeLines(node: Pick<MapNode, "address" | "type" | "external">): [string, string] {
  let name = node.address;
  if (!node.external) {
    const at = name.indexOf(`${node.type}.`);
    if (at >= 0) name = name.slice(at + node.type.length + 1);
  }
  return [cut(node.type), cut(name)];
}

/** Cuts text to MAX_LABEL_CHARS with an ellipsis. */
export function cut(text: string, max = MAX_LABEL_CHARS): string {
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

/** Summary lines of a group's resources on no drawn path. */
export function hiddenLines(group: LocationGroup): string[] {
  if (group.hidden.count === 0) return [];
  const lines = [`${group.hidden.count} other resource${group.hidden.count === 1 ? "" : "s"}`];
  for (const [type, n] of group.hidden.byType.slice(0, 3)) lines.push(cut(`${n} × ${type}`));
  if (group.hidden.byType.length > 3) lines.push(`${group.hidden.byType.length - 3} more types`);
  return lines;
}

function textWidth(lines: string[]): number {
  return Math.max(...lines.map((l) => l.length)) * CHAR_WIDTH + 24;
}

/** Lays out the map left to right; edges between locations cross cluster borders. */
export function layoutMap(map: StackMap): MapLayout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: "LR", nodesep: 34, ranksep: 70, edgesep: 12, marginx: 16, marginy: 16 + GROUP_TITLE });
  g.setDefaultEdgeLabel(() => ({}));
  map.groups.forEach((group, i) => {
    const gid = `g${i}`;
    g.setNode(gid, { label: group.label } as Dagre.NodeLabel);
    const lines = hiddenLines(group);
    if (lines.length > 0) {
      g.setNode(`${gid}h`, { width: textWidth(lines), height: 16 * lines.length + 14 });
      g.setParent(`${gid}h`, gid);
    }
  });
  const groupId = new Map(map.groups.map((group, i) => [group.key, `g${i}`]));
  for (const node of map.nodes) {
    g.setNode(node.id, { width: textWidth(nodeLines(node)), height: 44 });
    g.setParent(node.id, groupId.get(node.group)!);
  }
  const nodeId = new Map(map.nodes.map((n) => [n.address, n.id]));
  const labelled = (e: MapEdge) => e.kind !== "link" && e.label !== "";
  for (const e of map.edges) {
    const label = labelled(e) ? { width: e.label.length * 6 + 8, height: 14, labelpos: "c" } : {};
    g.setEdge(nodeId.get(e.from)!, nodeId.get(e.to)!, { ...label, id: e.id } as Dagre.EdgeLabel);
  }
  dagre.layout(g);

  const box = (id: string): Box => {
    const n = g.node(id) as unknown as { x: number; y: number; width: number; height: number };
    return { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height };
  };
  const layout: MapLayout = { width: 0, height: 0, nodes: new Map(), groups: new Map(), edges: new Map() };
  for (const node of map.nodes) layout.nodes.set(node.id, box(node.id));
  map.groups.forEach((group, i) => {
    const gid = `g${i}`;
    // dagre leaves no room for a cluster's title: the box grows upwards into the gap above it.
    const b = box(gid);
    layout.groups.set(group.key, {
      box: { ...b, y: b.y - GROUP_TITLE, height: b.height + GROUP_TITLE },
      hidden: g.hasNode(`${gid}h`) ? box(`${gid}h`) : null,
    });
  });
  for (const e of map.edges) {
    const d = g.edge(nodeId.get(e.from)!, nodeId.get(e.to)!) as unknown as {
      points: Array<{ x: number; y: number }>;
      x?: number;
      y?: number;
    };
    layout.edges.set(e.id, {
      points: d.points,
      label: labelled(e) && d.x !== undefined && d.y !== undefined ? { x: d.x, y: d.y } : null,
    });
  }
  const graph = g.graph() as { width?: number; height?: number };
  layout.width = Math.ceil(graph.width ?? 0);
  layout.height = Math.ceil(graph.height ?? 0);
  return layout;
}
