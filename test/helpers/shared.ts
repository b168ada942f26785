// Data that lives outside the repository, in the project's ../shared folder (OPA's conformance
// cases, third-party Terraform plans). A plain clone has no such folder: tests that need it skip
// and say why; CI, where it is present, runs them. RESIDENCY_GUARD_SHARED points elsewhere.

import * as fs from "node:fs";
import * as path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "../..");

/** The shared folder: $RESIDENCY_GUARD_SHARED or ../shared beside the repository. */
export const SHARED_DIR = process.env.RESIDENCY_GUARD_SHARED
  ? path.resolve(process.env.RESIDENCY_GUARD_SHARED)
  : path.resolve(REPO_ROOT, "../shared");

/** `rel` below the shared folder, or `override` when that environment variable is set. */
export function sharedPath(rel: string, override?: string): string {
  return override ? path.resolve(override) : path.join(SHARED_DIR, rel);
}

/** Why tests needing `dir` cannot run, or null when it exists. */
export function missingReason(dir: string, what: string): string | null {
  if (fs.existsSync(dir)) return null;
  return `skipped: ${what} not found at ${dir} (set RESIDENCY_GUARD_SHARED to the shared folder to run these tests)`;
}

const printed = new Set<string>();

/**
 * `describe` when `dir` exists; otherwise a skipped block whose title gives the reason, which is
 * also printed once on stderr so a plain `npm test` shows what did not run.
 */
export function describeIfShared(dir: string, what: string, name: string, fn: () => void): void {
  const reason = missingReason(dir, what);
  if (reason === null) {
    describe(name, fn);
    return;
  }
  if (!printed.has(reason)) {
    printed.add(reason);
    process.stderr.write(`${name}: ${reason}\n`);
  }
  describe.skip(`${name} (${reason})`, () => {
    it.skip(reason, () => undefined);
  });
}

/** `it` when `dir` exists; otherwise a skipped test whose title gives the reason (printed once on stderr). */
export function itIfShared(dir: string, what: string, name: string, fn: () => unknown, timeout?: number): void {
  const reason = missingReason(dir, what);
  if (reason === null) {
    it(name, fn as () => void, timeout);
    return;
  }
  if (!printed.has(reason)) {
    printed.add(reason);
    process.stderr.write(`${name}: ${reason}\n`);
  }
  it.skip(`${name} (${reason})`, () => undefined);
}
