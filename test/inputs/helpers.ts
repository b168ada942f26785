// Shared paths and helpers for the reader tests.

import * as fs from "node:fs";
import * as path from "node:path";
import type { GuardInput, ResourceEntry } from "../../src/inputs";
import { sharedPath } from "../helpers/shared";

export const REPO_ROOT = path.resolve(__dirname, "../..");

/** Real `terraform show -json` plans (read-only, outside the repo; absent in a plain clone). */
export const SHARED_FIXTURES = sharedPath("fixtures/terraform-json", process.env.TERRAFORM_JSON_FIXTURES);

/** What the tests call that folder when it is missing. */
export const SHARED_FIXTURES_WHAT = "third-party Terraform plans";

/** The reader's own small fixtures. */
export const OWN_FIXTURES = path.join(REPO_ROOT, "test/fixtures/inputs");

/** Every JSON file below a folder, relative, sorted. */
export function jsonFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".json")) out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** The resource at `address`, failing with the list of addresses when it is missing. */
export function res(doc: GuardInput, address: string): ResourceEntry {
  const r = doc.resources[address];
  if (!r) throw new Error(`no resource ${address}; have: ${Object.keys(doc.resources).join(", ")}`);
  return r;
}

/** References of a resource as `attribute -> address` strings. */
export function refs(doc: GuardInput, address: string): string[] {
  return res(doc, address).references.map((r) => `${r.attribute} -> ${r.address}`);
}

/** Runs `fn` and returns the error it throws (failing when it does not throw). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error, none was thrown");
}
