// Reads the OPA conformance cases (shared, read-only) for parser tests.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { sharedPath } from "../../helpers/shared";

/** Directory of the OPA v1 conformance YAML files: $OPA_CONFORMANCE_DIR or <shared>/opa-conformance/v1. */
export const CONFORMANCE_DIR = sharedPath("opa-conformance/v1", process.env.OPA_CONFORMANCE_DIR);

/** What the tests call the folder when it is missing. */
export const CORPUS_WHAT = "OPA conformance cases";

/** One module or query text from a conformance case. */
export interface CorpusEntry {
  file: string;
  note: string;
  kind: "module" | "query";
  text: string;
}

/** Every module and query of every case, in a stable order. */
export function loadCorpus(dir = CONFORMANCE_DIR): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        const doc = parse(fs.readFileSync(p, "utf8")) as {
          cases?: Array<{ note: string; query?: string; modules?: string[] }>;
        };
        for (const c of doc?.cases ?? []) {
          const file = path.relative(dir, p);
          (c.modules ?? []).forEach((text, i) =>
            out.push({ file: `${file}#${i}`, note: c.note, kind: "module", text }),
          );
          if (c.query) out.push({ file, note: c.note, kind: "query", text: c.query });
        }
      }
    }
  };
  walk(dir);
  return out;
}
