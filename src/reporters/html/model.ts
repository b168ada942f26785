// The residency map of one input, as data: nodes grouped by location and edges from the lineage
// the policy returned. Display only: which resource violates what comes from the findings (the
// Wasm); the input document supplies locations, types and the links between drawn nodes.

import type { Finding, ProfileComparison, ProfileName } from "../../core/findings";
import type { GuardInput, ResolvedLocation } from "../../inputs/types";

/** What a node is on the map, read from the findings that name it. */
export type NodeRole = "training" | "store" | "copy" | "path" | "subject";

/** How a node or edge fares under one view (one profile's findings). */
export type MapStatus = "violation" | "waived" | "pass";

/** The state of a node or edge under one view. */
export interface ViewState {
  status: MapStatus;
  /** Rule ids of the findings on it (node: findings on the resource; edge: findings whose lineage uses it). */
  rules: string[];
}

/** One drawn resource (or external node named by the input). */
export interface MapNode {
  id: string;
  address: string;
  type: string;
  role: NodeRole;
  location: ResolvedLocation;
  group: string;
  external: boolean;
  /** Why the node holds personal data, from the last step of a lineage. */
  personal: string | null;
  /** Per view, in view order. */
  views: ViewState[];
}

/** A data-access or copy hop from the lineage, or a link the input shows between two drawn nodes. */
export interface MapEdge {
  id: string;
  from: string;
  to: string;
  kind: "lineage" | "copy" | "link";
  /** Short label (the hop's reason without the target address). */
  label: string;
  /** Full reasons, for the tooltip. */
  reasons: string[];
  views: ViewState[];
}

/** Resources of one location group that are on no drawn path, counted by type. */
export interface HiddenSummary {
  count: number;
  byType: Array<[string, number]>;
}

/** A location on the map: one Korean region, another region, or "unresolved". */
export interface LocationGroup {
  key: string;
  label: string;
  korea: boolean;
  nodes: string[];
  hidden: HiddenSummary;
}

/** Findings of one profile, drawn as one copy of the map. */
export interface MapView {
  profile: ProfileName;
  findings: Finding[];
}

/** The map of one input document. */
export interface StackMap {
  file: string;
  stack: string | null;
  views: ProfileName[];
  groups: LocationGroup[];
  nodes: MapNode[];
  edges: MapEdge[];
  /** Nodes on personal-data paths left out of the drawing because of `maxNodes`. */
  omitted: number;
}

/** Options of buildStackMap. */
export interface MapOptions {
  /** Most nodes drawn per map; violating paths are kept first, the rest are counted. */
  maxNodes?: number;
}

/** Default cap of drawn nodes per map: dagre and the browser stay fast well past it. */
export const MAX_MAP_NODES = 250;

// Korea's regions per cloud (geography, not policy: the policy data decides what is allowed).
const KOREA: Record<string, string[]> = {
  aws: ["ap-northeast-2"],
  azure: ["koreacentral", "koreasouth"],
  google: ["asia-northeast3"],
  oci: ["ap-seoul-1", "ap-chuncheon-1"],
};

/** True when the location is one of Korea's cloud regions. */
export function isKorea(loc: ResolvedLocation): boolean {
  return loc.region !== null && (KOREA[loc.cloud] ?? []).includes(loc.region);
}

/** Group key of a location: `aws ap-northeast-2`, or `unresolved` when no region is known. */
export function groupKey(loc: ResolvedLocation): string {
  return loc.region === null ? "unresolved" : `${loc.cloud} ${loc.region}`;
}

// Rules whose findings are on a training workload, on a personal-data store, or on a copy.
const TRAINING_RULES = new Set([
  "residency/personal-training-outside-korea",
  "private-cloud/personal-training-shared-infrastructure",
  "residency/bedrock-customization-region",
  "residency/unclassified-data",
  "residency/unresolved-data-access",
]);
const STORE_RULES = new Set(["residency/personal-store-outside-korea"]);

const UNRESOLVED: ResolvedLocation = { cloud: "other", region: null, source: "unresolved", detail: "not in the input" };

/** The node path of a finding's lineage: its address first, then each step. */
export function lineagePath(f: Finding): { nodes: string[]; reasons: string[] } {
  if (f.lineage.length === 0) return { nodes: [f.address], reasons: [] };
  const steps = f.lineage[0]!.address === f.address ? f.lineage : [{ address: f.address, reason: "" }, ...f.lineage];
  return { nodes: steps.map((s) => s.address), reasons: steps.slice(0, -1).map((s) => s.reason) };
}

/** A hop's reason without the target's address: `references via role_arn`. */
export function shortReason(reason: string, target: string): string {
  const cut = reason.split(target).join("").replace(/\s+/g, " ").trim();
  return cut.length > 48 ? cut.slice(0, 47) + "…" : cut;
}

function rank(s: MapStatus): number {
  return s === "violation" ? 2 : s === "waived" ? 1 : 0;
}

function merge(state: ViewState, f: Finding): void {
  const s: MapStatus = f.status === "waived" ? "waived" : "violation";
  if (rank(s) > rank(state.status)) state.status = s;
  if (!state.rules.includes(f.rule)) state.rules.push(f.rule);
}

/**
 * Builds the map of one input from its findings under each view (one view for `check`, one per
 * profile for `compare`) and the addresses `compare` lists (the policy's subjects); the input
 * document gives locations, types and links between drawn nodes. Resources on no drawn path are
 * counted per location, not drawn.
 */
export function buildStackMap(
  doc: GuardInput,
  views: MapView[],
  comparison: ProfileComparison | null,
  options: MapOptions = {},
): StackMap {
  const maxNodes = options.maxNodes ?? MAX_MAP_NODES;
  const roles = new Map<string, NodeRole>();
  const personal = new Map<string, string>();
  // Importance decides what is drawn when the cap is hit: failing paths, then other findings, then subjects.
  const weight = new Map<string, number>();
  const bump = (a: string, w: number) => weight.set(a, Math.max(weight.get(a) ?? 0, w));
  const setRole = (a: string, r: NodeRole) => {
    const order: NodeRole[] = ["subject", "path", "store", "copy", "training"];
    const cur = roles.get(a);
    if (!cur || order.indexOf(r) > order.indexOf(cur)) roles.set(a, r);
  };

  interface Hop {
    from: string;
    to: string;
    reason: string;
    copy: boolean;
  }
  const hops = new Map<string, Hop>();
  for (const view of views) {
    for (const f of view.findings) {
      const w = f.status === "violation" ? (f.level === "mandatory" ? 4 : 3) : 2;
      const { nodes, reasons } = lineagePath(f);
      for (const a of nodes) bump(a, w);
      for (const a of nodes.slice(1, -1)) setRole(a, "path");
      const copy = f.rule.startsWith("cross-border/");
      if (TRAINING_RULES.has(f.rule)) setRole(f.address, "training");
      else if (STORE_RULES.has(f.rule)) setRole(f.address, "store");
      else if (copy) setRole(f.address, "copy");
      else setRole(f.address, "subject");
      const last = f.lineage[f.lineage.length - 1];
      if (nodes.length > 1 && last) {
        setRole(last.address, "store");
        if (!personal.has(last.address)) personal.set(last.address, last.reason);
      }
      for (let i = 0; i < nodes.length - 1; i++) {
        const key = `${nodes[i]}\u0000${nodes[i + 1]}`;
        if (!hops.has(key))
          hops.set(key, { from: nodes[i]!, to: nodes[i + 1]!, reason: reasons[i] ?? "", copy: false });
      }
    }
  }
  for (const row of comparison?.rows ?? []) {
    bump(row.address, 1);
    setRole(row.address, "subject");
  }

  // Draw the most important nodes first, up to the cap; ties keep the input's order.
  const order = new Map(Object.keys(doc.resources).map((a, i) => [a, i]));
  const candidates = [...weight.keys()].filter((a) => doc.resources[a] || doc.external?.[a]);
  candidates.sort(
    (a, b) => weight.get(b)! - weight.get(a)! || (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || (a < b ? -1 : 1),
  );
  const drawn = new Set(candidates.slice(0, maxNodes));
  const omitted = candidates.length - drawn.size;

  const nodes: MapNode[] = [];
  const groupMap = new Map<string, LocationGroup>();
  const groupFor = (loc: ResolvedLocation): LocationGroup => {
    const key = groupKey(loc);
    let g = groupMap.get(key);
    if (!g) {
      g = { key, label: key, korea: isKorea(loc), nodes: [], hidden: { count: 0, byType: [] } };
      groupMap.set(key, g);
    }
    return g;
  };
  const nodeState = new Map<string, ViewState[]>();
  for (const a of candidates) {
    if (!drawn.has(a)) continue;
    const r = doc.resources[a];
    const ext = doc.external?.[a];
    const location = r?.location ?? ext?.location ?? UNRESOLVED;
    const g = groupFor(location);
    const states = views.map(() => ({ status: "pass" as MapStatus, rules: [] as string[] }));
    nodeState.set(a, states);
    nodes.push({
      id: `n${nodes.length}`,
      address: a,
      type: r?.type ?? ext?.resource_type ?? ext?.kind ?? "external",
      role: roles.get(a) ?? "subject",
      location,
      group: g.key,
      external: !r,
      personal: personal.get(a) ?? null,
      views: states,
    });
    g.nodes.push(a);
  }
  views.forEach((view, v) => {
    for (const f of view.findings) {
      const states = nodeState.get(f.address);
      if (states) merge(states[v]!, f);
    }
  });

  // Resources on no drawn path: counted per location and type.
  const hiddenTypes = new Map<string, Map<string, number>>();
  for (const [a, r] of Object.entries(doc.resources)) {
    if (drawn.has(a) || r.action === "delete") continue;
    const g = groupFor(r.location);
    g.hidden.count++;
    let m = hiddenTypes.get(g.key);
    if (!m) hiddenTypes.set(g.key, (m = new Map()));
    m.set(r.type, (m.get(r.type) ?? 0) + 1);
  }
  for (const [key, m] of hiddenTypes) {
    groupMap.get(key)!.hidden.byType = [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  }

  // Edges: lineage hops between drawn nodes, then links the input shows between drawn nodes.
  const edges: MapEdge[] = [];
  const edgeByKey = new Map<string, MapEdge>();
  for (const hop of hops.values()) {
    if (!drawn.has(hop.from) || !drawn.has(hop.to)) continue;
    const e: MapEdge = {
      id: `e${edges.length}`,
      from: hop.from,
      to: hop.to,
      kind: "lineage",
      label: shortReason(hop.reason, hop.to),
      reasons: hop.reason ? [hop.reason] : [],
      views: views.map(() => ({ status: "pass", rules: [] })),
    };
    edges.push(e);
    edgeByKey.set(`${hop.from}\u0000${hop.to}`, e);
  }
  for (const link of doc.edges ?? []) {
    if (link.from === link.to || !drawn.has(link.from) || !drawn.has(link.to)) continue;
    const key = `${link.from}\u0000${link.to}`;
    const reason = `${link.how} via ${link.attribute}`;
    const known = edgeByKey.get(key);
    if (known) {
      if (known.kind === "link" && !known.reasons.includes(reason)) known.reasons.push(reason);
      continue;
    }
    const e: MapEdge = {
      id: `e${edges.length}`,
      from: link.from,
      to: link.to,
      kind: roles.get(link.from) === "copy" ? "copy" : "link",
      label: shortReason(`${link.attribute}`, link.to),
      reasons: [reason],
      views: views.map(() => ({ status: "pass", rules: [] })),
    };
    edges.push(e);
    edgeByKey.set(key, e);
  }
  views.forEach((view, v) => {
    for (const f of view.findings) {
      // A copy finding is about where its mechanism sends the data: its copy links share its state.
      if (f.rule.startsWith("cross-border/")) {
        for (const e of edges) if (e.kind === "copy" && e.from === f.address) merge(e.views[v]!, f);
      }
      const { nodes: path } = lineagePath(f);
      for (let i = 0; i < path.length - 1; i++) {
        const e = edgeByKey.get(`${path[i]}\u0000${path[i + 1]}`);
        if (e) merge(e.views[v]!, f);
      }
    }
  });

  // Korea's regions first, then other regions by name, "unresolved" last.
  const groups = [...groupMap.values()].sort((a, b) => {
    const ka = a.korea ? 0 : a.key === "unresolved" ? 2 : 1;
    const kb = b.korea ? 0 : b.key === "unresolved" ? 2 : 1;
    return ka - kb || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  });
  return {
    file: doc.source.file,
    stack: doc.source.stack,
    views: views.map((v) => v.profile),
    groups,
    nodes,
    edges,
    omitted,
  };
}
