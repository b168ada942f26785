// cdktf cross-stack references, resolved when a whole cdktf output folder is read: a consuming
// stack reads `${data.terraform_remote_state.cross-stack-reference-input-<stack>.outputs.<out>}`;
// the producing stack's output `<out>` is `${<resource>.<attr>}`. The consumer gets an edge
// (`how: cross-stack`) to an external node holding the producer's resource entry.

import { serviceOfType } from "./arn";
import { expressionRefs } from "./expressions";
import type { Edge, GuardInput } from "./types";
import { isObject, type Json } from "./util";

/** One stack of a cdktf output: its document and its `output` blocks as written. */
export interface StackOutputs {
  doc: GuardInput;
  outputs: Json;
}

const REMOTE_OUTPUT = /data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g;
const INPUT_PREFIX = "cross-stack-reference-input-";

/** Adds cross-stack edges and external nodes to every consuming stack's document. */
export function linkCrossStack(stacks: StackOutputs[]): void {
  const byName = new Map<string, StackOutputs>();
  for (const s of stacks) if (s.doc.source.stack) byName.set(s.doc.source.stack, s);
  for (const consumer of stacks) {
    const doc = consumer.doc;
    const seen = new Set(doc.edges.map(edgeKey));
    const add = (e: Edge) => {
      const k = edgeKey(e);
      if (!seen.has(k)) {
        seen.add(k);
        doc.edges.push(e);
      }
    };
    /** External node keys for the producer resources a string's remote-state outputs name. */
    const targets = (s: string): string[] => {
      const out: string[] = [];
      if (!s.includes("terraform_remote_state")) return out;
      REMOTE_OUTPUT.lastIndex = 0;
      for (let m = REMOTE_OUTPUT.exec(s); m; m = REMOTE_OUTPUT.exec(s)) {
        const stackName = producerStack(doc, m[1]);
        const producer = stackName === null ? undefined : byName.get(stackName);
        if (!producer || producer === consumer) continue;
        const o = producer.outputs[m[2]];
        const value = isObject(o) ? o.value : undefined;
        if (typeof value !== "string") continue;
        for (const ref of expressionRefs(value)) {
          if (ref.kind !== "resource") continue;
          const res = producer.doc.resources[ref.address];
          if (!res) continue;
          const key = `cross-stack:${stackName}:${ref.address}`;
          if (!doc.external[key]) {
            const name = [res.values.bucket, res.values.name].find((x) => typeof x === "string");
            doc.external[key] = {
              key,
              kind: "cross-stack",
              cloud: res.location.cloud,
              service: serviceOfType(res.type),
              resource_type: res.type === "aws_s3_bucket" ? "bucket" : null,
              name: typeof name === "string" ? name : null,
              wildcard: false,
              location: res.location,
              stack: stackName!,
              resource: res,
            };
          }
          out.push(key);
        }
      }
      return out;
    };
    for (const r of Object.values(doc.resources)) {
      // Documents read into statements link from their statements, not from the raw string.
      const readDocs = new Set(
        doc.iam_statements.filter((st) => st.policy === r.address && st.unresolved === null).map((st) => st.attribute),
      );
      for (const k in r.values) {
        if (k === "tags" || k === "tags_all" || k === "description") continue;
        walkStrings(r.values[k], [k], (path, s) => {
          const attribute = path.join(".");
          if (readDocs.has(attribute)) return;
          for (const to of targets(s)) add({ from: r.address, to, attribute, how: "cross-stack" });
        });
      }
    }
    for (const st of doc.iam_statements) {
      const parts: [string[], Edge["part"]][] = [
        [st.resources ?? [], "resource"],
        [principalStrings(st.principals), "principal"],
      ];
      for (const [list, part] of parts) {
        for (const s of list) {
          for (const to of targets(s))
            add({ from: st.policy, to, attribute: st.attribute, how: "cross-stack", statement: st.index, part });
        }
      }
    }
  }
}

/** The producing stack a remote state data source reads, by cdktf's naming of it. */
function producerStack(doc: GuardInput, name: string): string | null {
  if (!doc.resources[`data.terraform_remote_state.${name}`]) return null;
  return name.startsWith(INPUT_PREFIX) ? name.slice(INPUT_PREFIX.length) : null;
}

function principalStrings(p: unknown): string[] {
  if (typeof p === "string") return [p];
  if (!isObject(p)) return [];
  const out: string[] = [];
  for (const v of Object.values(p)) for (const x of Array.isArray(v) ? v : [v]) if (typeof x === "string") out.push(x);
  return out;
}

function walkStrings(
  v: unknown,
  path: (string | number)[],
  visit: (path: (string | number)[], s: string) => void,
): void {
  if (typeof v === "string") visit(path, v);
  else if (Array.isArray(v)) v.forEach((x, i) => walkStrings(x, [...path, i], visit));
  else if (isObject(v)) for (const k in v) walkStrings(v[k], [...path, k], visit);
}

function edgeKey(e: Edge): string {
  return `${e.from}\u0000${e.to}\u0000${e.attribute}\u0000${e.how}\u0000${e.statement ?? ""}\u0000${e.part ?? ""}`;
}
