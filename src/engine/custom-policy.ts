// A user's own Rego folder (`--policies <dir>`, config `policies`): compiled in-process with the
// compiler's public API, cached by content hash, with rule metadata from the user's METADATA
// blocks. The result is a Wasm file and the metadata the engine loads like the bundled policy.

import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CompileError, compile } from "../../compiler";
import { ConfigError, PolicyError } from "../core/errors";
import type { RuleMeta } from "../core/findings";
import { packageVersion } from "../core/package";
import { customRuleMetadata, readPolicySources, type PolicySource } from "../core/rules";

/** Environment variable naming the folder where compiled custom policies are cached. */
export const CACHE_DIR_ENV = "RESIDENCY_GUARD_CACHE_DIR";

/** The default entrypoint a policy returns its findings at. */
export const DEFAULT_ENTRYPOINT = "residency_guard/findings";

/** A compiled custom policy. */
export interface CustomPolicy {
  /** The cached Wasm file. */
  policyFile: string;
  /** Rule metadata from the METADATA blocks. */
  rules: RuleMeta[];
  entrypoint: string;
  /** True when the Wasm came from the cache. */
  cached: boolean;
}

/** Options of compileCustomPolicies. */
export interface CustomPolicyOptions {
  /** Entrypoint the findings are read from (slash path below data); residency_guard/findings by default. */
  entrypoint?: string;
  /** Folder for the compiled Wasm; see cacheDir(). */
  cacheDir?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/**
 * Where compiled policies are cached: $RESIDENCY_GUARD_CACHE_DIR, else
 * node_modules/.cache/residency-guard when the working directory has node_modules (the usual
 * place for tool caches, and what CI caches keep), else <os tmpdir>/residency-guard-cache.
 */
export function cacheDir(cwd = process.cwd(), env: Record<string, string | undefined> = process.env): string {
  const fromEnv = env[CACHE_DIR_ENV];
  if (fromEnv) return path.resolve(cwd, fromEnv);
  const modules = path.join(cwd, "node_modules");
  if (fs.existsSync(modules)) return path.join(modules, ".cache", "residency-guard");
  return path.join(os.tmpdir(), "residency-guard-cache");
}

let compilerFingerprint: string | undefined;

/** Package version and the compiler's files (name, size, mtime): a new compiler invalidates the cache. */
function fingerprint(): string {
  if (compilerFingerprint) return compilerFingerprint;
  const hash = createHash("sha256").update(packageVersion());
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules") walk(p);
      } else if (/\.(js|ts|wasm)$/.test(e.name)) {
        const st = fs.statSync(p);
        hash.update(`${p}\0${st.size}\0${st.mtimeMs}\0`);
      }
    }
  };
  walk(path.dirname(require.resolve("../../compiler")));
  return (compilerFingerprint = hash.digest("hex"));
}

/** The cache key of a set of sources compiled for one entrypoint. */
export function cacheKey(sources: PolicySource[], entrypoint: string): string {
  const hash = createHash("sha256").update(fingerprint()).update(`\0${entrypoint}\0`);
  for (const s of sources) hash.update(s.file).update("\0").update(s.text).update("\0");
  return hash.digest("hex");
}

/** Compiles (or takes from the cache) every .rego file below `dir`; errors name the file and line:col. */
export function compileCustomPolicies(dir: string, options: CustomPolicyOptions = {}): CustomPolicy {
  const cwd = options.cwd ?? process.cwd();
  const root = path.resolve(cwd, dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new ConfigError("policies folder not found (expected a folder of .rego files)", dir);
  }
  // Paths as the user wrote them, so diagnostics point at their files.
  const sources = readPolicySources(root).map((s) => ({ file: path.join(dir, s.file), text: s.text }));
  if (sources.length === 0) throw new ConfigError("no .rego files in the policies folder", dir);
  const rules = customRuleMetadata(sources);
  const entrypoint = (options.entrypoint ?? DEFAULT_ENTRYPOINT).replace(/^data[./]/, "").replace(/\./g, "/");
  const folder = options.cacheDir ?? cacheDir(cwd, options.env);
  const policyFile = path.join(folder, `${cacheKey(sources, entrypoint)}.wasm`);
  if (fs.existsSync(policyFile)) return { policyFile, rules, entrypoint, cached: true };
  let wasm: Uint8Array;
  try {
    wasm = compile(sources, { entrypoints: [entrypoint] }).wasm;
  } catch (e) {
    if (e instanceof CompileError) {
      const d = e.diagnostics[0]!;
      const more = e.diagnostics.length > 1 ? ` (and ${e.diagnostics.length - 1} more)` : "";
      throw new PolicyError(`${d.code}: ${d.message}${more}`, d.loc.file, `${d.loc.line}:${d.loc.col}`);
    }
    throw e;
  }
  try {
    fs.mkdirSync(folder, { recursive: true });
    // Write then rename, so a parallel run never reads half a file.
    const tmp = `${policyFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, wasm);
    fs.renameSync(tmp, policyFile);
  } catch (e) {
    throw new ConfigError(`cannot write the compiled policy cache: ${(e as Error).message}`, folder);
  }
  return { policyFile, rules, entrypoint, cached: false };
}
