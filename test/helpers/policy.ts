// Compiles policies/ with the project's compile API once per change of the policy sources or
// the compiler, caching the Wasm in a temp file shared by every jest worker and test file.

import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readPolicySources } from "../../src/core/rules";
import { ENTRYPOINTS, loadGuardSync, type Guard, type GuardOptions } from "../../src/engine";
import type { GuardInput } from "../../src/inputs/types";

/** Repository root. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** The policies directory compiled by the helper. */
export const POLICIES_DIR = path.join(REPO_ROOT, "policies");
/** Fixture input documents for the policy tests. */
export const FIXTURES_DIR = path.join(REPO_ROOT, "test", "fixtures", "policies");

function hashTree(hash: ReturnType<typeof createHash>, dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") hashTree(hash, p);
    } else if (/\.(ts|js|wasm|json)$/.test(entry.name)) {
      hash.update(p).update(fs.readFileSync(p));
    }
  }
}

/** Compiles policies/ (or returns the cached result) and returns the path of the Wasm file. */
export function compiledPolicyPath(): string {
  const sources = readPolicySources(POLICIES_DIR);
  const hash = createHash("sha256");
  for (const s of sources) hash.update(s.file).update("\0").update(s.text).update("\0");
  // A compiler change invalidates the cache too.
  hashTree(hash, path.join(REPO_ROOT, "compiler"));
  const out = path.join(os.tmpdir(), `residency-guard-policy-${hash.digest("hex").slice(0, 24)}.wasm`);
  if (fs.existsSync(out)) return out;
  const { compile } = require("../../compiler") as {
    compile(s: { file: string; text: string }[], o: { entrypoints: string[] }): { wasm: Uint8Array };
  };
  const { wasm } = compile(
    sources.map((s) => ({ file: `policies/${s.file}`, text: s.text })),
    { entrypoints: ENTRYPOINTS },
  );
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, wasm);
  fs.renameSync(tmp, out);
  return out;
}

/** The compiled policy bytes. */
export function compiledPolicy(): Uint8Array {
  return fs.readFileSync(compiledPolicyPath());
}

/** A guard over the freshly compiled policies. */
export function testGuard(options: Omit<GuardOptions, "policyFile" | "policiesDir"> = {}): Guard {
  return loadGuardSync({ ...options, policyFile: compiledPolicyPath(), policiesDir: POLICIES_DIR });
}

/** Reads a fixture input document from test/fixtures/policies. */
export function fixture(name: string): GuardInput {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, name), "utf8")) as GuardInput;
}
