// The residency map: one self-contained HTML page (inline CSS, SVG and a small filter script,
// nothing fetched) with a map per input, the findings table, the profile comparison, waivers and
// the audit trail. Loaded only when `--format html` is asked for (dagre comes with it).

import { createHash } from "node:crypto";
import type { Finding, ProfileComparison, Verdict } from "../../core/findings";
import type { CompareContext } from "../compare";
import {
  formatLineage,
  formatLocation,
  isFailing,
  summarize,
  type InputMeta,
  type MapSource,
  type ReportContext,
} from "../types";
import { esc } from "./escape";
import { layoutMap } from "./layout";
import { buildStackMap, MAX_MAP_NODES, type MapView, type StackMap } from "./model";
import { renderSvg, roleText } from "./svg";

export { buildStackMap, MAX_MAP_NODES, type StackMap } from "./model";
export { esc } from "./escape";

const STYLE = `
:root{color-scheme:light;--bad:#c62828;--bad-bg:#fdecea;--warn:#9a6700;--warn-bg:#fff4d6;--ok:#2e7d32;--ok-bg:#eaf5ea;--line:#d0d7de;--muted:#57606a}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans KR","Apple SD Gothic Neo",sans-serif;color:#1f2328;background:#fff}
header,main{padding:0 24px}header{border-bottom:1px solid var(--line);padding-bottom:12px}
h1{font-size:22px;margin:16px 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
.verdict{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600}.verdict.fail{background:var(--bad-bg);color:var(--bad)}.verdict.pass{background:var(--ok-bg);color:var(--ok)}
.meta{color:var(--muted)}code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
nav a{margin-right:12px}
.maps{display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start}.maps figure{margin:0;overflow:auto;max-width:100%;border:1px solid var(--line);border-radius:6px;padding:4px}
figcaption{font-weight:600;padding:2px 6px}
svg.map{font:12px system-ui,sans-serif;display:block}
svg.map .loc rect{fill:#f6f8fa;stroke:#afb8c1;stroke-dasharray:4 3}svg.map .loc.korea rect{fill:#eef6ff;stroke:#0969da;stroke-dasharray:none}svg.map .loc.unresolved rect{fill:#fff8c5;stroke:#bf8700}
svg.map .loc-label{font-weight:600;fill:#24292f}
svg.map .hidden-summary rect{fill:#fff;stroke:#afb8c1;stroke-dasharray:2 2}svg.map .hidden-summary text{fill:var(--muted)}
svg.map .node .shape{fill:#fff;stroke:#6e7781;stroke-width:1.2}svg.map .node.path .shape{stroke-dasharray:3 2}
svg.map .node.training .shape,svg.map .node.store .shape,svg.map .node.copy .shape{stroke-width:2}
svg.map .node.pass.training .shape,svg.map .node.pass.store .shape,svg.map .node.pass.copy .shape{stroke:var(--ok);fill:var(--ok-bg)}
svg.map .node.violation .shape{fill:var(--bad-bg);stroke:var(--bad);stroke-width:2.5}svg.map .node.waived .shape{fill:var(--warn-bg);stroke:var(--warn);stroke-width:2}
svg.map .node .type{fill:var(--muted);font-size:11px}svg.map .node .name{font-weight:600}
svg.map .edge path{fill:none;stroke:#8c959f;stroke-width:1.2}svg.map .edge.link path{stroke-dasharray:4 3;stroke:#afb8c1}
svg.map .edge.copy path{stroke-width:2;stroke-dasharray:8 3}
svg.map .edge.violation path{stroke:var(--bad);stroke-width:3}svg.map .edge.waived path{stroke:var(--warn);stroke-width:2.5}
svg.map .edge text{font-size:10px;fill:#24292f;paint-order:stroke;stroke:#fff;stroke-width:5px;stroke-linejoin:round}
svg.map .arrow path{fill:#8c959f}svg.map .arrow.violation path{fill:var(--bad)}svg.map .arrow.waived path{fill:var(--warn)}
svg.map .dim{opacity:.15}
.legend{display:flex;gap:14px;flex-wrap:wrap;color:var(--muted);font-size:12px;margin:6px 0}
.legend span::before{content:"";display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-2px;border:2px solid #6e7781;background:#fff}
.legend .l-training::before{border-radius:4px;border-color:var(--ok)}.legend .l-store::before{border-radius:2px 2px 6px 6px;border-color:var(--ok)}.legend .l-copy::before{transform:skewX(-15deg);border-color:var(--ok)}.legend .l-path::before{border-style:dashed}
.legend .l-violation::before{background:var(--bad-bg);border-color:var(--bad)}.legend .l-waived::before{background:var(--warn-bg);border-color:var(--warn)}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}th{background:#f6f8fa}
tr.violation.failing td:first-child{color:var(--bad);font-weight:600}tr.waived td:first-child{color:var(--warn)}
td.fail{color:var(--bad);font-weight:600}td.waived{color:var(--warn)}td.pass{color:var(--ok)}tr.differs td:first-child::before{content:"≠ ";color:var(--bad)}
.filters{display:flex;gap:12px;flex-wrap:wrap;align-items:center;margin:8px 0}.filters label{font-size:13px}
details summary{cursor:pointer}
`;

// The findings table is built from a JSON block (textContent only, never HTML), a page at a time:
// a 10k-resource plan has thousands of findings, and a table of all of them as markup took the
// browser tens of seconds to lay out.
const SCRIPT = `(function(){
var data=JSON.parse(document.getElementById("findings-data").textContent);
var sel=document.querySelectorAll("select[data-filter]");
var body=document.querySelector("#findings tbody");
var count=document.getElementById("shown");
var more=document.getElementById("more");
var PAGE=500,limit=PAGE,rows=data.rows;
var KEY={rule:0,level:1,status:2,stack:5};
function el(tag,text,cls){var e=document.createElement(tag);if(text!==null)e.textContent=text;if(cls)e.className=cls;return e;}
function para(d,label,text,cls){if(!text)return;var p=el("p",null);p.appendChild(el("b",label+": "));p.appendChild(el("span",text,cls));d.appendChild(p);}
function row(r){
var tr=el("tr",null,r[2]+(r[3]?" failing":""));
tr.setAttribute("data-rule",r[0]);tr.setAttribute("data-level",r[1]);tr.setAttribute("data-status",r[2]);tr.setAttribute("data-stack",r[5]);
tr.appendChild(el("td",r[2]==="waived"?"waived":r[1]+(r[3]?"":" (below threshold)")));
tr.appendChild(el("td",r[0],"mono"));tr.appendChild(el("td",r[4],"mono"));tr.appendChild(el("td",r[5]));tr.appendChild(el("td",r[6]));
var td=el("td",null),d=el("details",null);d.appendChild(el("summary",r[7]));
para(d,"Lineage",r[8],"mono");para(d,"Construct",r[9],"mono");para(d,"Remediation",r[11]||data.remediation[r[0]]);para(d,"Waiver",r[10]);
td.appendChild(d);tr.appendChild(td);return tr;}
var shown=rows;
function render(){
var f=document.createDocumentFragment();
for(var i=0;i<shown.length&&i<limit;i++)f.appendChild(row(shown[i]));
body.textContent="";body.appendChild(f);
count.textContent=String(shown.length);
more.hidden=shown.length<=limit;
more.textContent="show "+Math.min(PAGE,shown.length-limit)+" more of "+(shown.length-limit)+" not shown";}
function apply(){
var want={};sel.forEach(function(s){if(s.value)want[s.getAttribute("data-filter")]=s.value;});
shown=rows.filter(function(r){for(var k in want){if(r[KEY[k]]!==want[k])return false;}return true;});
limit=PAGE;render();
var rule=want.rule||"";
document.querySelectorAll("svg.map .node, svg.map .edge").forEach(function(e){var rs=(e.getAttribute("data-rules")||"").split(" ");e.classList.toggle("dim",rule!==""&&rs.indexOf(rule)<0);});}
sel.forEach(function(s){s.addEventListener("change",apply);});
more.addEventListener("click",function(){limit+=PAGE;render();});
apply();
})();`;

function hash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("base64");
}

// Only this page's own style and script may run: an injected tag in a plan value would be inert
// even if escaping missed it, and nothing can be fetched.
const CSP = `default-src 'none'; style-src 'sha256-${hash(STYLE)}'; script-src 'sha256-${hash(SCRIPT)}'; img-src data:; base-uri 'none'; form-action 'none'`;

function page(title: string, body: string[]): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    ...body,
    `<script>${SCRIPT}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function legend(): string {
  const roles = (["training", "store", "copy", "path", "subject"] as const)
    .map((r) => `<span class="l-${r}">${esc(roleText(r))}</span>`)
    .join("");
  return `<div class="legend">${roles}<span class="l-violation">violation (path in red)</span><span class="l-waived">waived</span></div>`;
}

function inputName(input: InputMeta | undefined, i: number): string {
  return input?.stack ?? input?.file ?? `input ${i + 1}`;
}

function mapFigures(map: StackMap, uid: string): string {
  const layout = layoutMap(map);
  const figures = map.views.map(
    (p, v) =>
      `<figure data-profile="${esc(p)}"><figcaption>${esc(p)}</figcaption>${renderSvg(map, layout, v, `${uid}v${v}`)}</figure>`,
  );
  const notes: string[] = [];
  if (map.omitted > 0) {
    notes.push(
      `<p class="meta">${map.omitted} more resources on personal-data paths are not drawn (at most ${MAX_MAP_NODES} per map, violating paths first); the findings table lists them all.</p>`,
    );
  }
  return `${legend()}<div class="maps">${figures.join("")}</div>${notes.join("")}`;
}

function verdictCell(v: { verdict: Verdict; rules: string[] } | undefined): string {
  if (!v) return `<td>n/a</td>`;
  return `<td class="${esc(v.verdict)}">${esc(v.verdict)}${v.rules.length ? `<br><span class="mono">${esc(v.rules.join(", "))}</span>` : ""}</td>`;
}

function comparisonTable(cmp: ProfileComparison): string {
  const notable = cmp.rows.filter((r) => cmp.profiles.some((p) => r.verdicts[p]?.verdict !== "pass"));
  const passing = cmp.rows.length - notable.length;
  const out: string[] = [];
  if (notable.length === 0) {
    out.push(`<p>All ${cmp.rows.length} judged resources pass under every profile.</p>`);
    return out.join("");
  }
  out.push(
    `<table class="compare"><thead><tr><th>Resource</th><th>Location</th>${cmp.profiles.map((p) => `<th>${esc(p)}</th>`).join("")}</tr></thead><tbody>`,
  );
  for (const row of notable) {
    const keys = cmp.profiles.map((p) => `${row.verdicts[p]?.verdict} ${row.verdicts[p]?.rules.join(",")}`);
    const differs = keys.some((k) => k !== keys[0]);
    out.push(
      `<tr${differs ? ' class="differs"' : ""}><td class="mono">${esc(row.address)}</td><td>${esc(row.location.region ?? "unresolved")}</td>${cmp.profiles.map((p) => verdictCell(row.verdicts[p])).join("")}</tr>`,
    );
  }
  out.push("</tbody></table>");
  if (passing > 0)
    out.push(
      `<p class="meta">${passing} other judged resource${passing === 1 ? "" : "s"} pass under every profile.</p>`,
    );
  return out.join("");
}

function options(values: Iterable<string>): string {
  return [...new Set(values)]
    .sort()
    .map((v) => `<option value="${esc(v)}">${esc(v)}</option>`)
    .join("");
}

/** JSON for a `<script type="application/json">` block: `<` escaped so no text can close the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function findingsTable(rows: Array<{ f: Finding; stack: string; failing: boolean }>): string {
  const out: string[] = [];
  out.push(
    `<div class="filters">` +
      `<label>Rule <select data-filter="rule"><option value="">all</option>${options(rows.map((r) => r.f.rule))}</select></label>` +
      `<label>Level <select data-filter="level"><option value="">all</option>${options(rows.map((r) => r.f.level))}</select></label>` +
      `<label>Status <select data-filter="status"><option value="">all</option>${options(rows.map((r) => r.f.status))}</select></label>` +
      `<label>Stack <select data-filter="stack"><option value="">all</option>${options(rows.map((r) => r.stack))}</select></label>` +
      `<span class="meta"><span id="shown">${rows.length}</span> of ${rows.length} match</span></div>`,
  );
  out.push(
    `<table id="findings"><thead><tr><th>Status</th><th>Rule</th><th>Resource</th><th>Stack</th><th>Location</th><th>Details</th></tr></thead><tbody></tbody></table>`,
    `<button type="button" id="more" hidden></button>`,
  );
  // Remediation usually comes from the rule's metadata: written once per rule, per finding only when it differs.
  const remediation: Record<string, string> = {};
  for (const { f } of rows) if (!(f.rule in remediation)) remediation[f.rule] = f.remediation;
  const data = {
    remediation,
    rows: rows.map(({ f, stack, failing }) => [
      f.rule,
      f.level,
      f.status,
      failing ? 1 : 0,
      f.address,
      stack,
      formatLocation(f),
      f.message,
      formatLineage(f),
      f.constructPath ?? "",
      f.waiver ? `${f.waiver.reason} (approved by ${f.waiver.approver}, expires ${f.waiver.expires})` : "",
      f.remediation === remediation[f.rule] ? "" : f.remediation,
    ]),
  };
  out.push(`<script type="application/json" id="findings-data">${scriptJson(data)}</script>`);
  return out.join("\n");
}

function waiverTable(rows: Array<{ f: Finding; stack: string }>): string {
  const waived = rows.filter((r) => r.f.waiver);
  if (waived.length === 0) return "<p>No finding was waived.</p>";
  return (
    `<table class="waivers"><thead><tr><th>Rule</th><th>Resource</th><th>Stack</th><th>Pattern</th><th>Reason</th><th>Approver</th><th>Expires</th></tr></thead><tbody>` +
    waived
      .map(
        ({ f, stack }) =>
          `<tr><td class="mono">${esc(f.rule)}</td><td class="mono">${esc(f.address)}</td><td>${esc(stack)}</td><td class="mono">${esc(f.waiver!.pattern)}</td><td>${esc(f.waiver!.reason)}</td><td>${esc(f.waiver!.approver)}</td><td>${esc(f.waiver!.expires)}</td></tr>`,
      )
      .join("") +
    `</tbody></table>`
  );
}

function auditSection(
  policy: { sha256: string; file: string | null },
  tool: { name: string; version: string },
  inputs: InputMeta[],
  sources: Array<MapSource | undefined>,
  extra: string[],
): string {
  return [
    `<h2 id="audit">Audit trail</h2>`,
    `<table class="audit"><tbody>`,
    `<tr><th>Tool</th><td>${esc(tool.name)} ${esc(tool.version)}</td></tr>`,
    `<tr><th>Policy sha256</th><td class="mono">${esc(policy.sha256 || "unknown")}</td></tr>`,
    `<tr><th>Policy file</th><td class="mono">${esc(policy.file ?? "bundled")}</td></tr>`,
    ...extra,
    `</tbody></table>`,
    `<table class="inputs"><thead><tr><th>Input file</th><th>Stack</th><th>Kind</th><th>Resources</th></tr></thead><tbody>`,
    ...inputs.map(
      (input, i) =>
        `<tr><td class="mono">${esc(input.file)}</td><td>${esc(input.stack ?? "-")}</td><td>${esc(input.kind)}</td><td>${input.addresses?.length ?? (sources[i] ? Object.keys(sources[i]!.document.resources).length : "-")}</td></tr>`,
    ),
    `</tbody></table>`,
  ].join("\n");
}

/** Renders the `check` run as one self-contained HTML page with the residency map of each input. */
export function renderHtml(ctx: ReportContext): string {
  const s = summarize(ctx);
  const body: string[] = [];
  const verdict =
    s.verdict === "fail"
      ? `FAIL: ${s.failing} violation${s.failing === 1 ? "" : "s"} at or above ${ctx.threshold}`
      : `PASS: no violation at or above ${ctx.threshold}`;
  body.push(
    `<header><h1>residency-guard: where the personal data goes</h1>` +
      `<p><span class="verdict ${s.verdict}">${esc(verdict)}</span> <span class="meta">profile ${esc(ctx.profile)} · ${s.resources} resources in ${s.inputs} input${s.inputs === 1 ? "" : "s"} · ${s.mandatory} mandatory, ${s.advisory} advisory, ${s.waived} waived</span></p>` +
      `<nav>${ctx.inputs.map((input, i) => `<a href="#stack-${i}">${esc(inputName(input, i))}</a>`).join("")}<a href="#findings-section">findings</a><a href="#comparison">profiles</a><a href="#waivers">waivers</a><a href="#audit">audit</a></nav></header>`,
  );
  body.push("<main>");
  const rows: Array<{ f: Finding; stack: string; failing: boolean }> = [];
  ctx.results.forEach((result, i) => {
    const input = ctx.inputs[i];
    const name = inputName(input, i);
    for (const f of result.findings) rows.push({ f, stack: name, failing: isFailing(f, ctx.threshold) });
    const failing = result.findings.filter((f) => isFailing(f, ctx.threshold)).length;
    body.push(
      `<section class="stack" id="stack-${i}" data-stack="${esc(name)}"><h2>${esc(name)} <span class="verdict ${failing ? "fail" : "pass"}">${failing ? `${failing} failing` : "passes"}</span></h2>`,
    );
    body.push(
      `<p class="meta"><span class="mono">${esc(input?.file ?? "")}</span> · ${result.summary.resources} resources · ${result.findings.length} finding${result.findings.length === 1 ? "" : "s"}</p>`,
    );
    const source = ctx.maps?.[i];
    if (source) {
      const map = buildStackMap(
        source.document,
        [{ profile: ctx.profile, findings: result.findings }],
        source.comparison,
      );
      body.push(mapFigures(map, `m${i}`));
    } else {
      body.push(`<p class="meta">No map: the run did not pass the input document to the reporter.</p>`);
    }
    body.push("</section>");
  });
  body.push(`<section id="findings-section"><h2>Findings</h2>${findingsTable(rows)}</section>`);
  body.push(`<section id="comparison"><h2>Profiles compared</h2>`);
  ctx.inputs.forEach((input, i) => {
    const cmp = ctx.maps?.[i]?.comparison;
    body.push(`<h3>${esc(inputName(input, i))}</h3>`);
    body.push(cmp ? comparisonTable(cmp) : `<p class="meta">Not evaluated.</p>`);
  });
  body.push(`</section>`);
  body.push(`<section id="waivers"><h2>Waivers</h2>${waiverTable(rows)}</section>`);
  body.push(
    auditSection(ctx.policy, ctx.tool, ctx.inputs, ctx.maps ?? [], [
      `<tr><th>Profile</th><td>${esc(ctx.profile)}</td></tr>`,
      `<tr><th>Threshold</th><td>${esc(ctx.threshold)}</td></tr>`,
    ]),
  );
  body.push("</main>");
  return page(`residency-guard report: ${s.verdict}`, body);
}

/** Renders `compare` as one HTML page: per input, the same map under each profile side by side. */
export function renderCompareHtml(ctx: CompareContext): string {
  const body: string[] = [];
  body.push(
    `<header><h1>residency-guard: the profiles side by side</h1>` +
      `<nav>${ctx.inputs.map((input, i) => `<a href="#stack-${i}">${esc(inputName(input, i))}</a>`).join("")}<a href="#findings-section">findings</a><a href="#audit">audit</a></nav></header>`,
  );
  body.push("<main>");
  const rows: Array<{ f: Finding; stack: string; failing: boolean }> = [];
  ctx.comparisons.forEach((cmp, i) => {
    const input = ctx.inputs[i];
    const name = inputName(input, i);
    body.push(`<section class="stack" id="stack-${i}" data-stack="${esc(name)}"><h2>${esc(name)}</h2>`);
    const source = ctx.maps?.[i];
    if (source) {
      const views: MapView[] = cmp.profiles.map((p) => ({ profile: p, findings: source.findings[p] ?? [] }));
      for (const v of views)
        for (const f of v.findings)
          rows.push({
            f,
            stack: `${name} · ${v.profile}`,
            failing: f.status === "violation" && f.level === "mandatory",
          });
      body.push(mapFigures(buildStackMap(source.document, views, cmp), `m${i}`));
    } else {
      body.push(`<p class="meta">No map: the run did not pass the input document to the reporter.</p>`);
    }
    body.push(comparisonTable(cmp));
    body.push("</section>");
  });
  body.push(`<section id="findings-section"><h2>Findings under each profile</h2>${findingsTable(rows)}</section>`);
  body.push(`<section id="waivers"><h2>Waivers</h2>${waiverTable(rows)}</section>`);
  body.push(auditSection(ctx.policy, ctx.tool, ctx.inputs, [], []));
  body.push("</main>");
  return page("residency-guard profile comparison", body);
}
