// Reads the OPA conformance cases (shared, read-only) for parser tests.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** Directory of the OPA v1 conformance YAML files. */
export const CONFORMANCE_DIR =
  process.env.OPA_CONFORMANCE_DIR ?? path.resolve(__dirname, "../../../../shared/opa-conformance/v1");

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
