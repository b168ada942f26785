// Mermaid flowcharts of violating lineages for the Markdown report and the GitHub job summary
// (GitHub renders ```mermaid blocks). Violating paths only, few of them, node ids generated and
// every label escaped, so a plan's names cannot break or script the chart.

import type { Finding, Level } from "../core/findings";
import { isFailing } from "./types";

/** Most distinct violating paths drawn per chart; the rest are counted in a "n more" line. */
export const MAX_MERMAID_PATHS = 8;
/** Longest label line in a chart (Mermaid boxes grow with their text). */
const MAX_LABEL = 60;

/**
 * Text for a quoted Mermaid label: everything but plain letters, digits and a few separators
 * becomes a `#code;` entity, so quotes, brackets, pipes, markup and HTML stay text.
 */
export function mermaidText(text: string): string {
  const cut = text.length > MAX_LABEL ? text.slice(0, MAX_LABEL - 1) + "…" : text;
  let out = "";
  for (const ch of cut) out += /[A-Za-z0-9 ._:/,=+-]/.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}

interface PathGroup {
  nodes: string[];
  reasons: string[];
  personal: string;
  rules: Set<string>;
  region: string | null;
}

/** The violating lineage paths among `findings`, one per distinct node path, in finding order. */
function violatingPaths(findings: Finding[], threshold: Level): PathGroup[] {
  const paths = new Map<string, PathGroup>();
  for (const f of findings) {
    if (!isFailing(f, threshold) || f.lineage.length === 0) continue;
    const steps = f.lineage[0]!.address === f.address ? f.lineage : [{ address: f.address, reason: "" }, ...f.lineage];
    const nodes = steps.map((s) => s.address);
    const key = nodes.join("\u0000");
    let p = paths.get(key);
    if (!p) {
      p = {
        nodes,
        reasons: steps.slice(0, -1).map((s, i) =>
          s.reason
            .split(nodes[i + 1]!)
            .join("")
            .replace(/\s+/g, " ")
            .trim(),
        ),
        personal: steps[steps.length - 1]!.reason,
        rules: new Set(),
        region: f.location.region,
      };
      paths.set(key, p);
    }
    p.rules.add(f.rule);
  }
  return [...paths.values()];
}

/**
 * A ```mermaid flowchart of the failing findings' lineages (at most MAX_MERMAID_PATHS paths)
 * followed by a line counting the paths left out; "" when no failing finding has a lineage.
 */
export function lineageFlowchart(findings: Finding[], threshold: Level, maxPaths = MAX_MERMAID_PATHS): string {
  const paths = violatingPaths(findings, threshold);
  if (paths.length === 0) return "";
  const shown = paths.slice(0, maxPaths);
  const ids = new Map<string, string>();
  const lines = ["```mermaid", "flowchart LR"];
  const judged = new Set<string>();
  const personal = new Set<string>();
  const id = (address: string): string => {
    let n = ids.get(address);
    if (!n) {
      n = `n${ids.size}`;
      ids.set(address, n);
    }
    return n;
  };
  const declared = new Set<string>();
  const declare = (address: string, extra: string[]) => {
    const n = id(address);
    if (declared.has(n)) return;
    declared.add(n);
    lines.push(`  ${n}["${[address, ...extra].map(mermaidText).join("<br/>")}"]`);
  };
  const edges = new Set<string>();
  for (const p of shown) {
    const first = p.nodes[0]!;
    declare(first, [`${p.region ?? "region unresolved"}: ${[...p.rules].sort().join(", ")}`]);
    judged.add(id(first));
    const last = p.nodes[p.nodes.length - 1]!;
    for (const a of p.nodes.slice(1, -1)) declare(a, []);
    declare(last, [p.personal]);
    personal.add(id(last));
    for (let i = 0; i < p.nodes.length - 1; i++) {
      const edge = `  ${id(p.nodes[i]!)} -->|"${mermaidText(p.reasons[i] || "lineage")}"| ${id(p.nodes[i + 1]!)}`;
      if (!edges.has(edge)) {
        edges.add(edge);
        lines.push(edge);
      }
    }
  }
  lines.push("  classDef violation fill:#fdecea,stroke:#c62828,stroke-width:2px");
  lines.push("  classDef personal fill:#eef6ff,stroke:#0969da");
  lines.push(`  class ${[...judged].join(",")} violation`);
  const personalOnly = [...personal].filter((n) => !judged.has(n));
  if (personalOnly.length > 0) lines.push(`  class ${personalOnly.join(",")} personal`);
  lines.push("```");
  const more = paths.length - shown.length;
  if (more > 0)
    lines.push("", `… and ${more} more violating path${more === 1 ? "" : "s"}: see the HTML or JSON report.`);
  return lines.join("\n");
}
