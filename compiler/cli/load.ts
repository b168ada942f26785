// Loading Rego and data files the way `opa test` / `opa eval -d` do: every *.rego file below
// the given paths is a module; every *.json / *.yaml / *.yml file is data placed under the
// path of its directory relative to the argument it was found under (`dir/a/b/x.json` lands at
// data.a.b), and a data file named directly lands at the root. Documents are deep-merged;
// two files giving different values for one leaf are an error, as in OPA's loader.
import * as fs from "node:fs";
import * as path from "node:path";
import picomatch from "picomatch";
import { parse as parseYaml } from "yaml";
import type { Source } from "../index";

/** Raised for unreadable or conflicting input files (exit code 1 in `test`/`eval`, as opa does). */
export class LoadError extends Error {
  override name = "LoadError";
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}

/** Modules and the merged data document found below some paths. */
export interface Loaded {
  sources: Source[];
  data: Record<string, unknown>;
  /** Data files read, in load order. */
  dataFiles: string[];
}

const DATA_EXT = /\.(json|ya?ml)$/i;

/** Options for loadPaths. */
export interface LoadOptions {
  /** Glob patterns (matched against base names and relative paths) of files and directories to skip. */
  ignore?: string[];
  /** Load data files too (false: Rego only, as `rego-wasm build`). */
  data?: boolean;
}

/** Reads every Rego and data file below `paths` (sorted walk, so results are reproducible). */
export function loadPaths(paths: string[], options: LoadOptions = {}): Loaded {
  const ignore = (options.ignore ?? []).map((g) => picomatch(g, { dot: true }));
  const skipped = (rel: string) => ignore.some((m) => m(path.basename(rel)) || m(rel));
  const sources: Source[] = [];
  const dataFiles: string[] = [];
  let data: Record<string, unknown> = {};
  const addData = (file: string, prefix: string[]) => {
    const doc = readDataFile(file);
    let wrapped: unknown = doc;
    for (const p of [...prefix].reverse()) wrapped = { [p]: wrapped };
    if (!isObject(wrapped)) throw new LoadError(`${file}: data file must hold an object at the root`, file);
    data = mergeData(data, wrapped, file, []) as Record<string, unknown>;
    dataFiles.push(file);
  };
  for (const root of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(root);
    } catch {
      throw new LoadError(`${root}: no such file or directory`, root);
    }
    if (!st.isDirectory()) {
      if (root.endsWith(".rego")) sources.push(readSource(root));
      else if (options.data !== false && DATA_EXT.test(root)) addData(root, []);
      else throw new LoadError(`${root}: not a .rego, .json or .yaml file`, root);
      continue;
    }
    const walk = (dir: string, rel: string[]) => {
      for (const e of fs.readdirSync(dir).sort()) {
        const full = path.join(dir, e);
        const relPath = [...rel, e].join("/");
        if (skipped(relPath)) continue;
        if (fs.statSync(full).isDirectory()) walk(full, [...rel, e]);
        else if (e.endsWith(".rego")) sources.push(readSource(full));
        else if (options.data !== false && DATA_EXT.test(e)) addData(full, rel);
      }
    };
    walk(root, []);
  }
  return { sources, data, dataFiles };
}

function readSource(file: string): Source {
  try {
    return { file, text: fs.readFileSync(file, "utf8") };
  } catch (e) {
    throw new LoadError(`${file}: ${(e as Error).message}`, file);
  }
}

/** Parses one JSON or YAML data file; empty YAML is an empty object. */
export function readDataFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new LoadError(`${file}: ${(e as Error).message}`, file);
  }
  try {
    if (/\.json$/i.test(file)) return JSON.parse(text);
    const doc = parseYaml(text);
    return doc === null || doc === undefined ? {} : doc;
  } catch (e) {
    throw new LoadError(`${file}: ${(e as Error).message.split("\n")[0]}`, file);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge; equal leaves are fine, different ones are a merge error naming the path. */
export function mergeData(a: unknown, b: unknown, file: string, at: string[]): unknown {
  if (isObject(a) && isObject(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? mergeData(out[k], v, file, [...at, k]) : v;
    return out;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  throw new LoadError(`${file}: merge error: data.${at.join(".")} is defined by more than one data file`, file);
}
