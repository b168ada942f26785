// Inline SVG of one map under one view: location clusters, nodes by role, edges by kind, and the
// violating paths highlighted with their rules. Every string from the input goes through esc().

import { esc } from "./escape";
import { cut, hiddenLines, nodeLines, type Box, type MapLayout } from "./layout";
import type { MapNode, StackMap } from "./model";

const ROLE_TEXT: Record<MapNode["role"], string> = {
  training: "training workload",
  store: "personal data",
  copy: "copy mechanism",
  path: "on the data path",
  subject: "judged resource",
};

/** Human name of a node role (legend and tooltips). */
export function roleText(role: MapNode["role"]): string {
  return ROLE_TEXT[role];
}

function r(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function shape(node: MapNode, b: Box): string {
  const { x, y, width: w, height: h } = b;
  switch (node.role) {
    case "store": {
      // A cylinder: the usual picture of a data store.
      const e = 5;
      return `<path class="shape" d="M${r(x)},${r(y + e)} A${r(w / 2)},${e} 0 0 1 ${r(x + w)},${r(y + e)} V${r(y + h - e)} A${r(w / 2)},${e} 0 0 1 ${r(x)},${r(y + h - e)} Z M${r(x)},${r(y + e)} A${r(w / 2)},${e} 0 0 0 ${r(x + w)},${r(y + e)}"/>`;
    }
    case "copy": {
      const c = 10;
      return `<polygon class="shape" points="${r(x + c)},${r(y)} ${r(x + w - c)},${r(y)} ${r(x + w)},${r(y + h / 2)} ${r(x + w - c)},${r(y + h)} ${r(x + c)},${r(y + h)} ${r(x)},${r(y + h / 2)}"/>`;
    }
    default:
      return `<rect class="shape" x="${r(x)}" y="${r(y)}" width="${r(w)}" height="${r(h)}" rx="${node.role === "training" ? 10 : 3}"/>`;
  }
}

function pathData(points: Array<{ x: number; y: number }>): string {
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${r(p.x)},${r(p.y)}`).join(" ");
}

/** Renders the map under view `v` (index into map.views); `uid` keeps marker ids unique in the page. */
export function renderSvg(map: StackMap, layout: MapLayout, v: number, uid: string): string {
  const out: string[] = [];
  const w = Math.max(layout.width, 200);
  const h = Math.max(layout.height, 60);
  const profile = map.views[v] ?? "";
  out.push(
    `<svg class="map" xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(`residency map of ${map.stack ?? map.file} under ${profile}`)}" data-profile="${esc(profile)}">`,
  );
  out.push("<defs>");
  for (const s of ["violation", "waived", "pass"]) {
    out.push(
      `<marker id="${uid}-${s}" class="arrow ${s}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`,
    );
  }
  out.push("</defs>");

  map.groups.forEach((group) => {
    const g = layout.groups.get(group.key);
    if (!g) return;
    const b = g.box;
    const cls = group.korea ? "loc korea" : group.key === "unresolved" ? "loc unresolved" : "loc abroad";
    const title = group.korea ? `${group.label} (Korea)` : group.label;
    out.push(
      `<g class="${cls}" data-location="${esc(group.key)}"><rect x="${r(b.x)}" y="${r(b.y)}" width="${r(b.width)}" height="${r(b.height)}" rx="6"/><text class="loc-label" x="${r(b.x + 8)}" y="${r(b.y + 17)}">${esc(cut(title, 60))}</text></g>`,
    );
    if (g.hidden) {
      const lines = hiddenLines(group);
      const hb = g.hidden;
      out.push(
        `<g class="hidden-summary"><title>${esc(group.hidden.byType.map(([t, n]) => `${n} × ${t}`).join("\n"))}</title><rect x="${r(hb.x)}" y="${r(hb.y)}" width="${r(hb.width)}" height="${r(hb.height)}" rx="3"/>` +
          lines.map((l, i) => `<text x="${r(hb.x + 10)}" y="${r(hb.y + 19 + i * 16)}">${esc(l)}</text>`).join("") +
          `</g>`,
      );
    }
  });

  // Links first, then lineage and copies, so highlighted paths are drawn on top.
  const edges = [...map.edges].sort((a, b) => (a.kind === "link" ? 0 : 1) - (b.kind === "link" ? 0 : 1));
  for (const e of edges) {
    const l = layout.edges.get(e.id);
    if (!l) continue;
    const state = e.views[v]!;
    const title = [`${e.from} → ${e.to}`, ...e.reasons, ...state.rules.map((x) => `${state.status}: ${x}`)].join("\n");
    out.push(
      `<g class="edge ${e.kind} ${state.status}" data-from="${esc(e.from)}" data-to="${esc(e.to)}" data-rules="${esc(state.rules.join(" "))}"><title>${esc(title)}</title><path d="${pathData(l.points)}" marker-end="url(#${uid}-${state.status})"/>` +
        (l.label
          ? `<text x="${r(l.label.x)}" y="${r(l.label.y + 4)}" text-anchor="middle">${esc(e.label)}</text>`
          : "") +
        `</g>`,
    );
  }

  for (const node of map.nodes) {
    const b = layout.nodes.get(node.id);
    if (!b) continue;
    const state = node.views[v]!;
    const [type, name] = nodeLines(node);
    const loc = node.location;
    const title = [
      node.address,
      `${roleText(node.role)} · ${loc.cloud} ${loc.region ?? "region unresolved"} (${loc.source}${loc.detail ? `: ${loc.detail}` : ""})`,
      ...(node.personal ? [node.personal] : []),
      ...state.rules.map((x) => `${state.status}: ${x}`),
    ].join("\n");
    out.push(
      `<g class="node ${node.role} ${state.status}${node.external ? " external" : ""}" data-address="${esc(node.address)}" data-rules="${esc(state.rules.join(" "))}"><title>${esc(title)}</title>${shape(node, b)}` +
        `<text class="type" x="${r(b.x + b.width / 2)}" y="${r(b.y + 18)}" text-anchor="middle">${esc(type)}</text>` +
        `<text class="name" x="${r(b.x + b.width / 2)}" y="${r(b.y + 34)}" text-anchor="middle">${esc(name)}</text></g>`,
    );
  }
  out.push("</svg>");
  return out.join("\n");
}
